package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
)

// LinkToken is a token of /link/token/create.
type LinkToken struct {
	Token     string
	ClientID  string
	CreatedAt time.Time
	ExpiresAt time.Time
	// ItemID is the Item an update-mode token was created for.
	ItemID string
	// Config is the /link/token/create request, less the credentials.
	Config json.RawMessage
}

// Expired reports whether the link token has expired at now, by the
// store's one rule: at ExpiresAt it has.
func (t LinkToken) Expired(now time.Time) bool {
	return expired(t.ExpiresAt, now)
}

// PublicToken is a short-lived token for an Item, handed to the page by
// onSuccess (or made by the API) and exchanged once.
type PublicToken struct {
	Token    string
	ClientID string
	ItemID   string
	// LinkSessionID is set for a token Link issued.
	LinkSessionID string
	CreatedAt     time.Time
	ExpiresAt     time.Time
}

// Expired reports whether the public token has expired at now, by the
// store's one rule: at ExpiresAt it has.
func (pt PublicToken) Expired(now time.Time) bool {
	return expired(pt.ExpiresAt, now)
}

// CreateLinkToken stores a link token.
func (s *DB) CreateLinkToken(ctx context.Context, t LinkToken) error {
	_, err := s.db.Exec(ctx, `INSERT INTO link_tokens (link_token, client_id, created_at, expires_at, item_id, config)
		VALUES (?, ?, ?, ?, ?, ?)`, t.Token, t.ClientID, ms(t.CreatedAt), ms(t.ExpiresAt), t.ItemID, jsonText(t.Config))
	return err
}

// LinkToken returns a link token, whichever client it belongs to.
func (s *DB) LinkToken(ctx context.Context, token string) (LinkToken, error) {
	t := LinkToken{Token: token}
	var created, expires int64
	var config string
	err := s.db.QueryRow(ctx, `SELECT client_id, created_at, expires_at, item_id, config FROM link_tokens WHERE link_token = ?`,
		token).Scan(&t.ClientID, &created, &expires, &t.ItemID, &config)
	if errors.Is(err, sql.ErrNoRows) {
		return LinkToken{}, ErrNotFound
	}
	t.CreatedAt, t.ExpiresAt, t.Config = fromMS(created), fromMS(expires), json.RawMessage(config)
	return t, err
}

// insertPublicToken is the statement that stores a public token.
func insertPublicToken(pt PublicToken) sqlbatch.Stmt {
	return sqlbatch.Stmt{Query: `INSERT INTO public_tokens (public_token, client_id, item_id, link_session_id, created_at, expires_at, exchanged_at)
		VALUES (?, ?, ?, ?, ?, ?, NULL)`, Args: []any{pt.Token, pt.ClientID, pt.ItemID, pt.LinkSessionID, ms(pt.CreatedAt), ms(pt.ExpiresAt)}}
}

// CreatePublicToken stores a public token for a connected Item.
func (s *DB) CreatePublicToken(ctx context.Context, pt PublicToken) error {
	n, err := s.db.Changed(ctx, `INSERT INTO public_tokens (public_token, client_id, item_id, link_session_id, created_at, expires_at, exchanged_at)
		SELECT ?, ?, ?, ?, ?, ?, NULL WHERE EXISTS (SELECT 1 FROM items WHERE client_id = ? AND item_id = ?)`,
		pt.Token, pt.ClientID, pt.ItemID, pt.LinkSessionID, ms(pt.CreatedAt), ms(pt.ExpiresAt), pt.ClientID, pt.ItemID)
	if err == nil && n == 0 {
		return ErrNotFound
	}
	return err
}

// PublicToken returns the client's public token, without using it up;
// ErrNotFound when there is none and ErrExpired past its expiry.
func (s *DB) PublicToken(ctx context.Context, clientID, token string, now time.Time) (PublicToken, error) {
	pt := PublicToken{Token: token, ClientID: clientID}
	var created, expires int64
	err := s.db.QueryRow(ctx, `SELECT item_id, link_session_id, created_at, expires_at FROM public_tokens
		WHERE client_id = ? AND public_token = ?`, clientID, token).Scan(&pt.ItemID, &pt.LinkSessionID, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return PublicToken{}, ErrNotFound
	}
	if err != nil {
		return PublicToken{}, err
	}
	pt.CreatedAt, pt.ExpiresAt = fromMS(created), fromMS(expires)
	if pt.Expired(now) {
		return pt, ErrExpired
	}
	return pt, nil
}

// ExchangePublicToken uses up the client's public token as of now and
// returns its Item's ID and access token, giving the Item accessToken if
// it has none yet, all in one batch. It returns ErrNotFound, ErrExpired or
// ErrUsed. Its guard lets only the first of concurrent exchanges through,
// and only before the token expires and while its Item is there.
func (s *DB) ExchangePublicToken(ctx context.Context, clientID, token string, now time.Time, accessToken string) (itemID, access string, err error) {
	res, err := s.db.Guarded(ctx, func() error { return s.exchangeError(ctx, clientID, token, now) },
		sqlbatch.Guard(`SELECT 1 FROM public_tokens p JOIN items i ON i.client_id = p.client_id AND i.item_id = p.item_id
			WHERE p.client_id = ? AND p.public_token = ? AND `+usableSQL("p.exchanged_at", "p.expires_at"), clientID, token, ms(now)),
		sqlbatch.Stmt{Query: `UPDATE public_tokens SET exchanged_at = ? WHERE client_id = ? AND public_token = ?`, Args: []any{ms(now), clientID, token}},
		sqlbatch.Stmt{Query: `UPDATE items SET access_token = ? WHERE client_id = ? AND access_token IS NULL
			AND item_id = (SELECT item_id FROM public_tokens WHERE client_id = ? AND public_token = ?)`, Args: []any{accessToken, clientID, clientID, token}},
		sqlbatch.Stmt{Query: `SELECT i.item_id, i.access_token FROM public_tokens p JOIN items i ON i.client_id = p.client_id AND i.item_id = p.item_id
			WHERE p.client_id = ? AND p.public_token = ?`, Args: []any{clientID, token}})
	if err != nil {
		return "", "", err
	}
	err = sqlbatch.ScanRow(res[3], &itemID, &access)
	return itemID, access, err
}

// exchangeError says why a public token could not be exchanged now:
// ErrNotFound, ErrUsed or ErrExpired, or nil when it could be now.
func (s *DB) exchangeError(ctx context.Context, clientID, token string, now time.Time) error {
	var itemID string
	var expires int64
	var exchanged sql.NullInt64
	err := s.db.QueryRow(ctx, `SELECT item_id, expires_at, exchanged_at FROM public_tokens WHERE client_id = ? AND public_token = ?`,
		clientID, token).Scan(&itemID, &expires, &exchanged)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return ErrNotFound
	case err != nil:
		return err
	}
	if err := usable(exchanged.Valid, fromMS(expires), now); err != nil {
		return err
	}
	return s.noItem(ctx, clientID, itemID)
}
