// Package store keeps the emulator's state: link tokens, Link sessions and
// what they recorded, Items and their accounts, public and access tokens,
// users, OAuth logins, the billing ledger, processor tokens, Payment
// Initiation's recipients, payments and payment tokens, the webhook outbox
// and its delivery attempts, each client's clock and the webhook signing
// keys. The server owns this state, as Plaid's backend does; the Link
// engine only asks for it through requests.
//
// [DB] keeps it over database/sql with one schema (schema.sql) that SQLite
// and Cloudflare D1 both run; package store/sqlite opens the SQLite it
// runs on locally. Every record that belongs to an API client is looked up
// with that client's ID, so one client never sees another's.
//
// Each aggregate has its file, with its types, its methods and its SQL:
// items.go (and accounts), tokens.go (link and public tokens), users.go,
// sessions.go (callbacks and results), outbox.go (webhooks and attempts),
// oauth.go, clients.go (credentials, signing keys, clocks) and billing.go.
// Other aggregates are kept by packages of their own on the same database
// and schema (extend.go): store/payments (Payment Initiation),
// store/processortokens, store/itemadditions, store/assetreports and
// store/signaltxns. db.go opens the
// store and keeps its schema up to date; package sqlbatch runs their
// statements and atomic, guarded batches.
//
// Names say what a method does: CreateX stores a new X; X and XByY look
// one up; EnsureX returns the stored X with its argument's key, storing
// the argument first when there is none, so that of concurrent calls
// exactly one stores and all return the same X.
package store

import (
	"errors"
	"time"
)

// Errors the store returns.
var (
	// ErrNotFound is returned when no record has the given key (for the
	// given client).
	ErrNotFound = errors.New("store: not found")
	// ErrConnected is returned when an Item's accounts were chosen already.
	ErrConnected = errors.New("store: item already connected")
	// ErrExpired is returned for a token past its expiry.
	ErrExpired = errors.New("store: token expired")
	// ErrUsed is returned for a token, or an OAuth login, used before.
	ErrUsed = errors.New("store: token already used")
)

// The store has one rule of use and expiry for everything it keeps that
// works once, or for a while: public tokens, payment tokens, OAuth logins
// and link tokens. A thing expires at its ExpiresAt, so it works strictly
// before that instant and not at it; a thing that works once is used once
// its use is recorded; and a lookup that judges both reports ErrUsed
// before ErrExpired. expired and usable are the rule in Go, usableSQL the
// same rule in SQL, and every lookup that judges use or expiry goes
// through them. (The two agree: the schema keeps whole milliseconds, and
// for a whole E, E > ms(now) exactly when now is before E.)

// expired reports whether something that expires at expiresAt has
// expired at now.
func expired(expiresAt, now time.Time) bool {
	return !now.Before(expiresAt)
}

// usable says whether something that works once and until expiresAt
// still does at now: ErrUsed when it was used, ErrExpired when it has
// expired, nil when it works.
func usable(used bool, expiresAt, now time.Time) error {
	switch {
	case used:
		return ErrUsed
	case expired(expiresAt, now):
		return ErrExpired
	}
	return nil
}

// usableSQL is usable as an SQL condition, over the column usedAt (NULL
// until used) and the column expiresAt (milliseconds): true when the row
// works at now, which its one placeholder takes as ms(now).
func usableSQL(usedAt, expiresAt string) string {
	return usedAt + ` IS NULL AND ` + expiresAt + ` > ?`
}
