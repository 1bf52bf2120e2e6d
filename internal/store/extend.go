package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
)

// An aggregate may keep its records in a package of its own (packages
// store/processortokens and store/itemadditions), on the store's database
// and schema.sql, with these.

// Batches is the store's runner of statements and atomic batches.
func (s *DB) Batches() *sqlbatch.DB { return s.db }

// Enqueue is the statements that queue outbox, for a batch that queues
// webhooks with the change that causes them.
func Enqueue(outbox ...Webhook) []sqlbatch.Stmt { return enqueue(outbox) }

// ItemGuard is the guard of a batch that changes the client's Item only
// while the Item exists, and what to answer when the guard failed:
// ErrNotFound, or nil (try again) when the Item is there now.
func (s *DB) ItemGuard(clientID, itemID string) (sqlbatch.Stmt, func(context.Context) error) {
	return itemExists(clientID, itemID), func(ctx context.Context) error { return s.noItem(ctx, clientID, itemID) }
}

// The store's one rule of use and expiry (see store.go), and its times,
// for aggregates in packages of their own.

// Expired reports whether something that expires at expiresAt has
// expired at now.
func Expired(expiresAt, now time.Time) bool { return expired(expiresAt, now) }

// Usable says whether something that works once and until expiresAt
// still does at now: ErrUsed, ErrExpired or nil.
func Usable(used bool, expiresAt, now time.Time) error { return usable(used, expiresAt, now) }

// UsableSQL is Usable as an SQL condition over the columns usedAt and
// expiresAt, whose one placeholder takes MS(now).
func UsableSQL(usedAt, expiresAt string) string { return usableSQL(usedAt, expiresAt) }

// MS and FromMS convert times to and from the schema's milliseconds (0
// is the zero time); FromNullMS reads a nullable column.
func MS(t time.Time) int64                 { return ms(t) }
func FromMS(v int64) time.Time             { return fromMS(v) }
func FromNullMS(v sql.NullInt64) time.Time { return fromNullMS(v) }
