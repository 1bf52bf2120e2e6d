// Package itemadditions keeps what an Item gained after it was created
// (the transactions of /transactions/refresh and
// /sandbox/transactions/create, the trades of /investments/refresh, ...),
// in the order it gained them, on the store's database and schema
// (the item_additions table). Package itemdata decides what each kind of
// record holds.
package itemadditions

import (
	"context"
	"encoding/json"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
	"github.com/linkharness/linkharness/internal/store"
)

// Addition is one record an Item gained after it was created: its kind
// (a transaction of /transactions/refresh, ...), its document, whose
// shape the package that adds the kind decides, and when.
type Addition struct {
	Kind      string
	Doc       json.RawMessage
	CreatedAt time.Time
}

// Additions are the Items' additions in a store.
type Additions struct{ st *store.DB }

// New returns the additions kept in st.
func New(st *store.DB) *Additions { return &Additions{st: st} }

// Add appends adds to what the client's Item gained, in order, and queues
// outbox, all at once; store.ErrNotFound when the Item is gone (and
// nothing is added). Each insert numbers its record after the last one
// the Item has, the batch's before it included.
func (a *Additions) Add(ctx context.Context, clientID, itemID string, adds []Addition, outbox ...store.Webhook) error {
	guard, gone := a.st.ItemGuard(clientID, itemID)
	stmts := []sqlbatch.Stmt{guard}
	for _, x := range adds {
		doc := string(x.Doc)
		if doc == "" {
			doc = "null"
		}
		stmts = append(stmts, sqlbatch.Stmt{Query: `INSERT INTO item_additions (client_id, item_id, seq, kind, doc, created_at)
			SELECT ?, ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ? FROM item_additions WHERE client_id = ? AND item_id = ?`,
			Args: []any{clientID, itemID, x.Kind, doc, x.CreatedAt.UnixMilli(), clientID, itemID}})
	}
	_, err := a.st.Batches().Guarded(ctx, func() error { return gone(ctx) }, append(stmts, store.Enqueue(outbox...)...)...)
	return err
}

// List is what the client's Item gained after it was created, in the
// order it gained it; none for an unknown Item.
func (a *Additions) List(ctx context.Context, clientID, itemID string) ([]Addition, error) {
	rows, err := a.st.Batches().Query(ctx, `SELECT kind, doc, created_at FROM item_additions WHERE client_id = ? AND item_id = ? ORDER BY seq`,
		clientID, itemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Addition
	for rows.Next() {
		var x Addition
		var doc string
		var created int64
		if err := rows.Scan(&x.Kind, &doc, &created); err != nil {
			return nil, err
		}
		x.Doc, x.CreatedAt = json.RawMessage(doc), time.UnixMilli(created).UTC()
		out = append(out, x)
	}
	return out, rows.Err()
}
