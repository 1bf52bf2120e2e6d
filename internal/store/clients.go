package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
)

// Client is an API client's credentials, kept so that generated ones
// survive a restart.
type Client struct {
	ID        string
	Secret    string
	PublicKey string
}

// SigningKey is an ES256 key that signs webhooks.
type SigningKey struct {
	ID        string
	CreatedAt time.Time
	// PrivateKey is the key in SEC 1 DER form.
	PrivateKey []byte
}

// ClockOffset is how far the client's emulator clock runs ahead.
func (s *DB) ClockOffset(ctx context.Context, clientID string) (time.Duration, error) {
	var off int64
	err := s.db.QueryRow(ctx, `SELECT offset_ms FROM clocks WHERE client_id = ?`, clientID).Scan(&off)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return time.Duration(off) * time.Millisecond, err
}

// AdvanceClock moves the client's clock forward by d and returns the new
// offset, unless the offset would pass limit (sqlbatch.ErrGuard). The
// offset it returns is read in the same batch, so it is this advance's
// even when others run at once.
func (s *DB) AdvanceClock(ctx context.Context, clientID string, d, limit time.Duration) (time.Duration, error) {
	res, err := s.db.Batch(ctx, sqlbatch.Guard(`SELECT 1 WHERE COALESCE((SELECT offset_ms FROM clocks WHERE client_id = ?), 0) + ? <= ?`,
		clientID, d.Milliseconds(), limit.Milliseconds()),
		sqlbatch.Stmt{Query: `INSERT INTO clocks (client_id, offset_ms) VALUES (?, ?)
			ON CONFLICT (client_id) DO UPDATE SET offset_ms = offset_ms + excluded.offset_ms`, Args: []any{clientID, d.Milliseconds()}},
		sqlbatch.Stmt{Query: `SELECT offset_ms FROM clocks WHERE client_id = ?`, Args: []any{clientID}})
	if err != nil {
		return 0, err
	}
	var off int64
	err = sqlbatch.ScanRow(res[2], &off)
	return time.Duration(off) * time.Millisecond, err
}

// Reset deletes everything that belongs to the client.
func (s *DB) Reset(ctx context.Context, clientID string) error {
	stmts := []sqlbatch.Stmt{
		{Query: `DELETE FROM accounts WHERE item_id IN (SELECT item_id FROM items WHERE client_id = ?)`, Args: []any{clientID}},
		{Query: `DELETE FROM webhook_attempts WHERE webhook_id IN (SELECT webhook_id FROM webhooks WHERE client_id = ?)`, Args: []any{clientID}},
	}
	for _, table := range strings.Fields(`webhooks items public_tokens link_callbacks link_sessions link_tokens users clocks
		oauth_states billing_events payment_tokens payments payment_recipients processor_tokens item_additions asset_reports
		signal_transactions transfer_authorizations transfers transfer_events transfer_sweeps transfer_test_clocks link_requests
		client_settings`) {
		stmts = append(stmts, sqlbatch.Stmt{Query: `DELETE FROM ` + table + ` WHERE client_id = ?`, Args: []any{clientID}})
	}
	_, err := s.db.Batch(ctx, stmts...)
	return err
}

// EnsureClient returns the stored credentials of the client candidate.ID,
// storing candidate first when there are none.
func (s *DB) EnsureClient(ctx context.Context, candidate Client) (Client, error) {
	if _, err := s.db.Exec(ctx, `INSERT INTO clients (client_id, secret, public_key, created_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (client_id) DO NOTHING`,
		candidate.ID, candidate.Secret, candidate.PublicKey, ms(time.Now())); err != nil {
		return Client{}, err
	}
	c := Client{ID: candidate.ID}
	err := s.db.QueryRow(ctx, `SELECT secret, public_key FROM clients WHERE client_id = ?`, candidate.ID).Scan(&c.Secret, &c.PublicKey)
	return c, err
}

// EnsureSigningKey returns the newest signing key, storing candidate
// first when there is none.
func (s *DB) EnsureSigningKey(ctx context.Context, candidate SigningKey) (SigningKey, error) {
	if _, err := s.db.Exec(ctx, `INSERT INTO signing_keys (kid, created_at, private_key)
		SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM signing_keys)`,
		candidate.ID, ms(candidate.CreatedAt), base64.StdEncoding.EncodeToString(candidate.PrivateKey)); err != nil {
		return SigningKey{}, err
	}
	return s.signingKey(ctx, `ORDER BY created_at DESC, kid LIMIT 1`)
}

// SigningKeyByID returns the signing key with the given ID.
func (s *DB) SigningKeyByID(ctx context.Context, id string) (SigningKey, error) {
	return s.signingKey(ctx, `WHERE kid = ?`, id)
}

func (s *DB) signingKey(ctx context.Context, rest string, args ...any) (SigningKey, error) {
	var k SigningKey
	var created int64
	var der string
	err := s.db.QueryRow(ctx, `SELECT kid, created_at, private_key FROM signing_keys `+rest, args...).Scan(&k.ID, &created, &der)
	if errors.Is(err, sql.ErrNoRows) {
		return SigningKey{}, ErrNotFound
	}
	if err != nil {
		return SigningKey{}, err
	}
	k.CreatedAt = fromMS(created)
	k.PrivateKey, err = base64.StdEncoding.DecodeString(der)
	return k, err
}
