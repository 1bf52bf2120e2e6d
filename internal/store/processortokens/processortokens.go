// Package processortokens keeps processor tokens: each hands one account
// of an Item to a processor partner (/processor/token/create), with the
// products the partner may reach and the token's own webhook URL. It is
// an aggregate of package store kept apart, on the store's database and
// its schema.sql (table processor_tokens), so that package store stays
// within its size; like the store's, every lookup carries the client's
// ID.
package processortokens

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
	"github.com/linkharness/linkharness/internal/store"
)

// Token is a processor token.
type Token struct {
	Token     string
	ClientID  string
	ItemID    string
	AccountID string
	// Processor is the partner, as the processor enum of Plaid's spec
	// names it; empty for a token of /sandbox/processor_token/create,
	// which names none.
	Processor string
	// Permissions are the products the partner may reach with the token;
	// empty means all.
	Permissions []string
	// Webhook is the token's own webhook URL, "" for none.
	Webhook   string
	CreatedAt time.Time
}

// Tokens keeps processor tokens in a store.
type Tokens struct{ db *sqlbatch.DB }

// New returns the processor tokens of st.
func New(st *store.DB) *Tokens { return &Tokens{db: st.Batches()} }

// Create stores a processor token for an account of one of the client's
// Items: store.ErrNotFound when the Item is not the client's or the
// account not the Item's. A token outlives its Item, so that using it
// then can say the Item is gone.
func (s *Tokens) Create(ctx context.Context, t Token) error {
	permissions, _ := json.Marshal(nonNil(t.Permissions))
	n, err := s.db.Changed(ctx, `INSERT INTO processor_tokens (processor_token, client_id, item_id, account_id, processor,
		permissions, webhook, created_at) SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM items i
		JOIN accounts a ON a.item_id = i.item_id WHERE i.client_id = ? AND i.item_id = ? AND a.account_id = ?)`,
		t.Token, t.ClientID, t.ItemID, t.AccountID, t.Processor, string(permissions), t.Webhook, t.CreatedAt.UnixMilli(),
		t.ClientID, t.ItemID, t.AccountID)
	if err == nil && n == 0 {
		return store.ErrNotFound
	}
	return err
}

// Token returns the client's processor token, whether its Item is still
// there or not; store.ErrNotFound when the client has none such.
func (s *Tokens) Token(ctx context.Context, clientID, token string) (Token, error) {
	t := Token{Token: token, ClientID: clientID}
	var permissions string
	var created int64
	err := s.db.QueryRow(ctx, `SELECT item_id, account_id, processor, permissions, webhook, created_at FROM processor_tokens
		WHERE client_id = ? AND processor_token = ?`, clientID, token).Scan(&t.ItemID, &t.AccountID, &t.Processor, &permissions, &t.Webhook, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, store.ErrNotFound
	}
	if err != nil {
		return Token{}, err
	}
	if err := json.Unmarshal([]byte(permissions), &t.Permissions); err != nil {
		return Token{}, fmt.Errorf("processortokens: permissions of a token: %w", err)
	}
	t.CreatedAt = time.UnixMilli(created).UTC()
	return t, nil
}

// SetPermissions replaces the products the client's processor token may
// reach (empty: all); store.ErrNotFound for an unknown token.
func (s *Tokens) SetPermissions(ctx context.Context, clientID, token string, products []string) error {
	permissions, _ := json.Marshal(nonNil(products))
	n, err := s.db.Changed(ctx, `UPDATE processor_tokens SET permissions = ? WHERE client_id = ? AND processor_token = ?`,
		string(permissions), clientID, token)
	if err == nil && n == 0 {
		return store.ErrNotFound
	}
	return err
}

// SetWebhook changes the webhook URL of the client's processor token and
// queues outbox in the same batch; store.ErrNotFound for an unknown
// token.
func (s *Tokens) SetWebhook(ctx context.Context, clientID, token, url string, outbox ...store.Webhook) error {
	stmts := []sqlbatch.Stmt{
		sqlbatch.Guard(`SELECT 1 FROM processor_tokens WHERE client_id = ? AND processor_token = ?`, clientID, token),
		{Query: `UPDATE processor_tokens SET webhook = ? WHERE client_id = ? AND processor_token = ?`, Args: []any{url, clientID, token}},
	}
	_, err := s.db.Guarded(ctx, func() error {
		_, err := s.Token(ctx, clientID, token)
		return err
	}, append(stmts, store.Enqueue(outbox...)...)...)
	return err
}

// nonNil is s, or an empty list for nil: the column holds a JSON array.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
