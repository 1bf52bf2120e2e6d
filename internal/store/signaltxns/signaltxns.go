// Package signaltxns keeps the transactions a client evaluated with
// /signal/evaluate, by client_transaction_id, with what
// /signal/decision/report and /signal/return/report later said of them.
// It is an aggregate of package store kept apart, on the store's database
// and its schema.sql (table signal_transactions), so that package store
// stays within its size; every lookup carries the client's ID.
package signaltxns

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
	"github.com/linkharness/linkharness/internal/store"
)

// Txn is an evaluated transaction and what was reported of it.
type Txn struct {
	ClientID, ID      string
	ItemID, AccountID string
	Amount            float64
	// Evaluation, Decision and Return are JSON documents whose shape
	// package signal decides; Decision and Return are nil until reported.
	Evaluation, Decision, Return json.RawMessage
	EvaluatedAt                  time.Time
}

// Txns are the evaluated transactions of a store.
type Txns struct {
	st *store.DB
	db *sqlbatch.DB
}

// New returns the evaluated transactions kept in st.
func New(st *store.DB) *Txns { return &Txns{st: st, db: st.Batches()} }

// Evaluate keeps an evaluation of the client's transaction on one of its
// Items, replacing an earlier evaluation of the same ID (and what was
// reported of it); store.ErrNotFound when the Item is gone.
func (s *Txns) Evaluate(ctx context.Context, t Txn) error {
	guard, gone := s.st.ItemGuard(t.ClientID, t.ItemID)
	_, err := s.db.Guarded(ctx, func() error { return gone(ctx) }, guard, sqlbatch.Stmt{
		Query: `INSERT OR REPLACE INTO signal_transactions (client_id, client_transaction_id, item_id, account_id, amount,
			evaluation, decision, return_report, evaluated_at) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?)`,
		Args: []any{t.ClientID, t.ID, t.ItemID, t.AccountID, t.Amount, string(t.Evaluation), t.EvaluatedAt.UnixMilli()}})
	return err
}

// Txn is the client's evaluated transaction; store.ErrNotFound when the
// client evaluated none with the ID.
func (s *Txns) Txn(ctx context.Context, clientID, id string) (Txn, error) {
	t := Txn{ClientID: clientID, ID: id}
	var eval string
	var decision, ret sql.NullString
	var at int64
	err := s.db.QueryRow(ctx, `SELECT item_id, account_id, amount, evaluation, decision, return_report, evaluated_at
		FROM signal_transactions WHERE client_id = ? AND client_transaction_id = ?`, clientID, id).
		Scan(&t.ItemID, &t.AccountID, &t.Amount, &eval, &decision, &ret, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Txn{}, store.ErrNotFound
	}
	if err != nil {
		return Txn{}, err
	}
	t.Evaluation = json.RawMessage(eval)
	if decision.Valid {
		t.Decision = json.RawMessage(decision.String)
	}
	if ret.Valid {
		t.Return = json.RawMessage(ret.String)
	}
	t.EvaluatedAt = time.UnixMilli(at).UTC()
	return t, nil
}

// ReportDecision keeps what the client decided about its evaluated
// transaction, replacing an earlier report; store.ErrNotFound when it
// evaluated none with the ID.
func (s *Txns) ReportDecision(ctx context.Context, clientID, id string, doc json.RawMessage) error {
	return s.set(ctx, "decision", clientID, id, doc)
}

// ReportReturn keeps the ACH return of the client's evaluated
// transaction, replacing an earlier report; store.ErrNotFound when it
// evaluated none with the ID.
func (s *Txns) ReportReturn(ctx context.Context, clientID, id string, doc json.RawMessage) error {
	return s.set(ctx, "return_report", clientID, id, doc)
}

func (s *Txns) set(ctx context.Context, column, clientID, id string, doc json.RawMessage) error {
	n, err := s.db.Changed(ctx, `UPDATE signal_transactions SET `+column+` = ? WHERE client_id = ? AND client_transaction_id = ?`,
		string(doc), clientID, id)
	if err == nil && n == 0 {
		return store.ErrNotFound
	}
	return err
}
