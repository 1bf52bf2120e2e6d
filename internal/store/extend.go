package store

import "github.com/linkharness/linkharness/internal/sqlbatch"

// An aggregate may keep its records in a package of its own (package
// store/processortokens), on the store's database and schema.sql, with
// these two.

// Batches is the store's runner of statements and atomic batches.
func (s *DB) Batches() *sqlbatch.DB { return s.db }

// Enqueue is the statements that queue outbox, for a batch that queues
// webhooks with the change that causes them.
func Enqueue(outbox ...Webhook) []sqlbatch.Stmt { return enqueue(outbox) }
