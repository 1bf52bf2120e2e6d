package service

import (
	"context"
	"errors"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/store"
)

// CreateLinkToken stores a link token with the configuration it was made
// with; an access token makes it an update-mode token for that Item, with
// the shorter lifetime. The request's own checks (fields, the product
// plan's rules, redirect URIs) are the caller's, before.
func (s *Service) CreateLinkToken(ctx context.Context, t Tenant, cfg linkconfig.Config, accessToken string) (store.LinkToken, *plaid.Error) {
	tok := store.LinkToken{Token: ids.NewToken(plaid.LinkToken), ClientID: t.ClientID, CreatedAt: t.Now, ExpiresAt: t.Now.Add(plaid.LinkTokenLifetime)}
	if accessToken != "" {
		it, err := s.store.ItemByAccessToken(ctx, t.ClientID, accessToken)
		if errors.Is(err, store.ErrNotFound) {
			return tok, plaid.InvalidAccessToken()
		}
		if err != nil {
			return tok, StoreError(err)
		}
		tok.ItemID, tok.ExpiresAt = it.ID, t.Now.Add(plaid.UpdateLinkTokenLifetime)
	}
	// The token keeps the configuration as the emulator resolves it, not
	// the request: the access token lives on as the Item's ID.
	tok.Config = cfg.Encode()
	if err := s.store.CreateLinkToken(ctx, tok); err != nil {
		return tok, StoreError(err)
	}
	return tok, nil
}

// LinkToken is the tenant's link token with its configuration and the
// sessions /link/token/get still shows: a finished session is kept
// SessionRetention after it ended, and an expired token without any is
// gone.
func (s *Service) LinkToken(ctx context.Context, t Tenant, token string) (store.LinkToken, linkconfig.Config, []store.Session, *plaid.Error) {
	var cfg linkconfig.Config
	if e := plaid.Required("link_token", token); e != nil {
		return store.LinkToken{}, cfg, nil, e
	}
	tok, err := s.store.LinkToken(ctx, token)
	if errors.Is(err, store.ErrNotFound) || (err == nil && tok.ClientID != t.ClientID) {
		return tok, cfg, nil, plaid.InvalidLinkToken("")
	}
	if err != nil {
		return tok, cfg, nil, StoreError(err)
	}
	all, err := s.store.Sessions(ctx, t.ClientID, tok.Token)
	if err != nil {
		return tok, cfg, nil, StoreError(err)
	}
	var sessions []store.Session
	for _, sess := range all {
		if !sess.FinishedAt.IsZero() && !t.Now.Before(sess.FinishedAt.Add(plaid.SessionRetention)) {
			continue
		}
		sessions = append(sessions, sess)
	}
	if tok.Expired(t.Now) && len(sessions) == 0 {
		return tok, cfg, nil, plaid.InvalidLinkToken("provided link token has expired and has no session data left")
	}
	if cfg, err = linkconfig.Decode(tok.Config); err != nil {
		return tok, cfg, nil, plaid.Internal("stored link token configuration: " + err.Error())
	}
	return tok, cfg, sessions, nil
}
