package store

import (
	"context"

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
