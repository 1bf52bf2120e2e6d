package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
)

// ProcessorToken hands one account of an Item to a processor partner
// (/processor/token/create), which reads that account with it.
type ProcessorToken struct {
	Token     string
	ClientID  string
	ItemID    string
	AccountID string
	// Processor is the partner, as the processor enum of Plaid's spec
	// names it.
	Processor string
	// Permissions are the products the partner may reach with the token;
	// empty means all.
	Permissions []string
	// Webhook is the token's own webhook URL, "" for none.
	Webhook   string
	CreatedAt time.Time
}

// CreateProcessorToken stores a processor token for an account of one of
// the client's Items: ErrNotFound when the Item is not the client's or
// the account not the Item's.
func (s *DB) CreateProcessorToken(ctx context.Context, pt ProcessorToken) error {
	n, err := s.db.Changed(ctx, `INSERT INTO processor_tokens (processor_token, client_id, item_id, account_id, processor,
		permissions, webhook, created_at) SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM items i
		JOIN accounts a ON a.item_id = i.item_id WHERE i.client_id = ? AND i.item_id = ? AND a.account_id = ?)`,
		pt.Token, pt.ClientID, pt.ItemID, pt.AccountID, pt.Processor, jsonList(pt.Permissions), pt.Webhook, ms(pt.CreatedAt),
		pt.ClientID, pt.ItemID, pt.AccountID)
	if err == nil && n == 0 {
		return ErrNotFound
	}
	return err
}

// ProcessorToken returns the client's processor token, whether its Item
// is still there or not.
func (s *DB) ProcessorToken(ctx context.Context, clientID, token string) (ProcessorToken, error) {
	pt := ProcessorToken{Token: token, ClientID: clientID}
	var permissions string
	var created int64
	err := s.db.QueryRow(ctx, `SELECT item_id, account_id, processor, permissions, webhook, created_at FROM processor_tokens
		WHERE client_id = ? AND processor_token = ?`, clientID, token).Scan(&pt.ItemID, &pt.AccountID, &pt.Processor, &permissions, &pt.Webhook, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return ProcessorToken{}, ErrNotFound
	}
	if err != nil {
		return ProcessorToken{}, err
	}
	if err := json.Unmarshal([]byte(permissions), &pt.Permissions); err != nil {
		return ProcessorToken{}, fmt.Errorf("store: processor token permissions: %w", err)
	}
	pt.CreatedAt = fromMS(created)
	return pt, nil
}

// SetProcessorPermissions replaces the products the client's processor
// token may reach (empty: all); ErrNotFound for an unknown token.
func (s *DB) SetProcessorPermissions(ctx context.Context, clientID, token string, products []string) error {
	n, err := s.db.Changed(ctx, `UPDATE processor_tokens SET permissions = ? WHERE client_id = ? AND processor_token = ?`,
		jsonList(products), clientID, token)
	if err == nil && n == 0 {
		return ErrNotFound
	}
	return err
}

// SetProcessorWebhook changes the webhook URL of the client's processor
// token and queues outbox in the same batch; ErrNotFound for an unknown
// token.
func (s *DB) SetProcessorWebhook(ctx context.Context, clientID, token, url string, outbox ...Webhook) error {
	stmts := []sqlbatch.Stmt{
		sqlbatch.Guard(`SELECT 1 FROM processor_tokens WHERE client_id = ? AND processor_token = ?`, clientID, token),
		{Query: `UPDATE processor_tokens SET webhook = ? WHERE client_id = ? AND processor_token = ?`, Args: []any{url, clientID, token}},
	}
	_, err := s.db.Guarded(ctx, func() error {
		_, err := s.ProcessorToken(ctx, clientID, token)
		return err
	}, append(stmts, enqueue(outbox)...)...)
	return err
}
