package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
)

// Addition is one record an Item gained after it was created: its kind
// (a transaction of /transactions/refresh, ...), its document, whose
// shape the package that adds the kind decides, and when.
type Addition struct {
	Kind      string
	Doc       json.RawMessage
	CreatedAt time.Time
}

// AddToItem appends adds to what the client's Item gained, in order, and
// queues outbox, all at once; ErrNotFound when the Item is gone (and
// nothing is added). Each insert numbers its record after the last one
// the Item has, the batch's before it included.
func (s *DB) AddToItem(ctx context.Context, clientID, itemID string, adds []Addition, outbox ...Webhook) error {
	stmts := []sqlbatch.Stmt{itemExists(clientID, itemID)}
	for _, a := range adds {
		stmts = append(stmts, sqlbatch.Stmt{Query: `INSERT INTO item_additions (client_id, item_id, seq, kind, doc, created_at)
			SELECT ?, ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ? FROM item_additions WHERE client_id = ? AND item_id = ?`,
			Args: []any{clientID, itemID, a.Kind, jsonText(a.Doc), ms(a.CreatedAt), clientID, itemID}})
	}
	_, err := s.db.Guarded(ctx, func() error { return s.noItem(ctx, clientID, itemID) }, append(stmts, enqueue(outbox)...)...)
	return err
}

// ItemAdditions are what the client's Item gained after it was created,
// in the order it gained them; none for an unknown Item.
func (s *DB) ItemAdditions(ctx context.Context, clientID, itemID string) ([]Addition, error) {
	rows, err := s.db.Query(ctx, `SELECT kind, doc, created_at FROM item_additions WHERE client_id = ? AND item_id = ? ORDER BY seq`,
		clientID, itemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Addition
	for rows.Next() {
		var a Addition
		var doc string
		var created int64
		if err := rows.Scan(&a.Kind, &doc, &created); err != nil {
			return nil, err
		}
		a.Doc, a.CreatedAt = json.RawMessage(doc), fromMS(created)
		out = append(out, a)
	}
	return out, rows.Err()
}
