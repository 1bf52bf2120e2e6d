// Package assetreports keeps Asset Reports and their audit copies, by
// token, as JSON records of package assets (table asset_reports of the
// store's schema.sql). It is an aggregate of package store kept apart, on
// the store's database, so that package store stays within its size; like
// the store's, every lookup carries the client's ID. A removed record
// stays, marked, so that a later use of its token can say it was removed.
package assetreports

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
	"github.com/linkharness/linkharness/internal/store"
)

// Record kinds.
const (
	KindReport    = "report"
	KindAuditCopy = "audit_copy"
)

// Record is one stored token: its kind and its JSON document.
type Record struct {
	Token     string
	ClientID  string
	Kind      string
	Doc       json.RawMessage
	CreatedAt time.Time
	// Removed tells a removed record.
	Removed bool
}

// Reports keeps the records in a store.
type Reports struct{ db *sqlbatch.DB }

// New returns the records of st.
func New(st *store.DB) *Reports { return &Reports{db: st.Batches()} }

// Create stores r and queues outbox in the same batch.
func (s *Reports) Create(ctx context.Context, r Record, outbox ...store.Webhook) error {
	stmts := []sqlbatch.Stmt{{Query: `INSERT INTO asset_reports (token, client_id, kind, doc, created_at) VALUES (?, ?, ?, ?, ?)`,
		Args: []any{r.Token, r.ClientID, r.Kind, string(r.Doc), r.CreatedAt.UnixMilli()}}}
	_, err := s.db.Batch(ctx, append(stmts, store.Enqueue(outbox...)...)...)
	return err
}

// Get returns the client's record of the token, removed or not;
// store.ErrNotFound when the client has none such.
func (s *Reports) Get(ctx context.Context, clientID, token string) (Record, error) {
	r := Record{Token: token, ClientID: clientID}
	var doc string
	var created int64
	var removed sql.NullInt64
	err := s.db.QueryRow(ctx, `SELECT kind, doc, created_at, removed_at FROM asset_reports WHERE client_id = ? AND token = ?`,
		clientID, token).Scan(&r.Kind, &doc, &created, &removed)
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, store.ErrNotFound
	}
	if err != nil {
		return Record{}, err
	}
	r.Doc, r.CreatedAt, r.Removed = json.RawMessage(doc), time.UnixMilli(created).UTC(), removed.Valid
	return r, nil
}

// Remove marks the client's record of the token removed, at: false when
// there was none, or it was removed already.
func (s *Reports) Remove(ctx context.Context, clientID, token string, at time.Time) (bool, error) {
	n, err := s.db.Changed(ctx, `UPDATE asset_reports SET removed_at = ? WHERE client_id = ? AND token = ? AND removed_at IS NULL`,
		at.UnixMilli(), clientID, token)
	return n > 0, err
}

// ShiftPendingWebhooks brings the client's pending, never attempted
// webhooks of type webhookType that are due after now earlier by d (never
// before now): what moving the client's emulator clock forward by d does
// to webhooks scheduled on it. It returns how many it moved.
func (s *Reports) ShiftPendingWebhooks(ctx context.Context, clientID, webhookType string, now time.Time, d time.Duration) (int64, error) {
	return s.db.Changed(ctx, `UPDATE webhooks SET next_attempt_at = MAX(?, next_attempt_at - ?)
		WHERE client_id = ? AND webhook_type = ? AND status = ? AND attempts = 0 AND next_attempt_at > ?`,
		now.UnixMilli(), d.Milliseconds(), clientID, webhookType, store.WebhookPending, now.UnixMilli())
}
