// Package store keeps the emulator's state: link tokens, Link sessions and
// what they recorded, Items and their accounts, public and access tokens,
// users, the webhook outbox and its delivery attempts, each client's clock
// and the webhook signing keys. The server owns this state, as Plaid's
// backend does; the Link engine only asks for it through requests.
//
// [DB] keeps it over database/sql with one schema (schema.sql) that SQLite
// and Cloudflare D1 both run; package store/sqlite opens the SQLite it
// runs on locally. Each aggregate has its file, with its types, its
// methods and its SQL: items.go (and accounts), tokens.go (link and public
// tokens), users.go, sessions.go (callbacks and results), outbox.go
// (webhooks and attempts), oauth.go, clients.go (credentials, signing
// keys, clocks), billing.go and payments.go; db.go and batch.go are what
// they all run on. Every record that
// belongs to an API client is looked up with that client's ID, so one
// client never sees another's.
package store

import "errors"

// Errors the store returns.
var (
	// ErrNotFound is returned when no record has the given key (for the
	// given client).
	ErrNotFound = errors.New("store: not found")
	// ErrConnected is returned when an Item's accounts were chosen already.
	ErrConnected = errors.New("store: item already connected")
	// ErrExpired is returned for a public token past its expiry.
	ErrExpired = errors.New("store: token expired")
	// ErrUsed is returned for a public token exchanged before.
	ErrUsed = errors.New("store: token already used")
)
