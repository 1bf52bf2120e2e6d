package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// OAuth login statuses: a login is OAuthPending until the bank's page
// decides it OAuthApproved or OAuthDenied.
const (
	OAuthPending  = "pending"
	OAuthApproved = "approved"
	OAuthDenied   = "denied"
)

// OAuthState is an OAuth login in progress at an OAuth institution.
type OAuthState struct {
	ID            string
	ClientID      string
	LinkSessionID string
	InstitutionID string
	// ClientName is the app the bank's page names.
	ClientName string
	// Status is OAuthPending, OAuthApproved or OAuthDenied.
	Status string
	// Products are the products a bank with product-level consent asks
	// the user about.
	Products []string
	// GrantedProducts are those the user granted; nil means all.
	GrantedProducts []string
	Used            bool
	CreatedAt       time.Time
	ExpiresAt       time.Time
	// RedirectURI is set for a login in the redirect flow: the bank sends
	// the user back there with oauth_state_id.
	RedirectURI string
	// Nonce is the legacy oauthNonce and LinkToken the link token the
	// login began with: Link resumes it only with the same one.
	Nonce     string
	LinkToken string
	// Resumed says a re-initialised Link has taken the login up already.
	Resumed bool
	// PaymentID is the payment the user authorises at the bank, in a
	// Payment Initiation session.
	PaymentID string
}

// Expired reports whether the OAuth login has expired at now, by the
// store's one rule: at ExpiresAt it has.
func (st OAuthState) Expired(now time.Time) bool {
	return expired(st.ExpiresAt, now)
}

// CreateOAuthState records a new OAuth login.
func (s *DB) CreateOAuthState(ctx context.Context, st OAuthState) error {
	_, err := s.db.Exec(ctx, `INSERT INTO oauth_states (oauth_state_id, client_id, link_session_id, institution_id,
		client_name, status, used, created_at, expires_at, products, granted_products, redirect_uri, nonce, link_token, resumed, payment_id)
		VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, NULL, ?, ?, ?, 0, ?)`,
		st.ID, st.ClientID, st.LinkSessionID, st.InstitutionID, st.ClientName, st.Status, ms(st.CreatedAt), ms(st.ExpiresAt),
		jsonList(st.Products), st.RedirectURI, st.Nonce, st.LinkToken, st.PaymentID)
	return err
}

// OAuthState returns the OAuth login with the given ID, whoever's it is (the
// bank's page knows nothing else), or ErrNotFound.
func (s *DB) OAuthState(ctx context.Context, id string) (OAuthState, error) {
	st := OAuthState{ID: id}
	var created, expires int64
	var products string
	var granted sql.NullString
	err := s.db.QueryRow(ctx, `SELECT client_id, link_session_id, institution_id, client_name, status, used, created_at, expires_at,
		products, granted_products, redirect_uri, nonce, link_token, resumed, payment_id FROM oauth_states WHERE oauth_state_id = ?`, id).Scan(
		&st.ClientID, &st.LinkSessionID, &st.InstitutionID, &st.ClientName, &st.Status, &st.Used, &created, &expires, &products, &granted,
		&st.RedirectURI, &st.Nonce, &st.LinkToken, &st.Resumed, &st.PaymentID)
	if errors.Is(err, sql.ErrNoRows) {
		return OAuthState{}, ErrNotFound
	}
	if err != nil {
		return OAuthState{}, err
	}
	st.CreatedAt, st.ExpiresAt = fromMS(created), fromMS(expires)
	if err := json.Unmarshal([]byte(products), &st.Products); err != nil {
		return OAuthState{}, err
	}
	if granted.Valid {
		st.GrantedProducts = []string{}
		if err := json.Unmarshal([]byte(granted.String), &st.GrantedProducts); err != nil {
			return OAuthState{}, err
		}
	}
	return st, nil
}

// DecideOAuthState moves a pending OAuth login to status (OAuthApproved
// or OAuthDenied) with the products granted (nil: all); ErrUsed when it
// was decided before, ErrNotFound when there is none. The conditional
// UPDATE decides a login once.
func (s *DB) DecideOAuthState(ctx context.Context, id, status string, granted []string) error {
	var grantedText sql.NullString
	if granted != nil {
		grantedText = sql.NullString{String: jsonList(granted), Valid: true}
	}
	n, err := s.db.Changed(ctx, `UPDATE oauth_states SET status = ?, granted_products = ? WHERE oauth_state_id = ? AND status = ?`,
		status, grantedText, id, OAuthPending)
	if err != nil || n == 1 {
		return err
	}
	if _, err := s.OAuthState(ctx, id); err != nil {
		return err
	}
	return ErrUsed
}

// UseOAuthState marks the client's approved OAuth login used and returns it;
// ErrUsed when it was used before, ErrNotFound when the client has no
// approved one with that ID. It does not judge expiry, which the caller
// does with the login's Expired. The conditional UPDATE lets only the
// first of concurrent uses through.
func (s *DB) UseOAuthState(ctx context.Context, clientID, id string) (OAuthState, error) {
	for range 5 {
		n, err := s.db.Changed(ctx, `UPDATE oauth_states SET used = 1
			WHERE oauth_state_id = ? AND client_id = ? AND status = ? AND used = 0`, id, clientID, OAuthApproved)
		if err != nil {
			return OAuthState{}, err
		}
		st, err := s.OAuthState(ctx, id)
		switch {
		case err != nil:
			return OAuthState{}, err
		case n == 1:
			return st, nil
		case st.ClientID != clientID || st.Status != OAuthApproved:
			return OAuthState{}, ErrNotFound
		case st.Used:
			return OAuthState{}, ErrUsed
		}
		// Approved between the UPDATE and the read: try again.
	}
	return OAuthState{}, errors.New("store: the OAuth state kept changing")
}

// ResumeOAuthState marks the client's OAuth login in the redirect flow
// resumed and returns it; ErrUsed when it was resumed before, ErrNotFound
// when the client has no such login. The conditional UPDATE lets only the
// first of concurrent resumptions through.
func (s *DB) ResumeOAuthState(ctx context.Context, clientID, id string) (OAuthState, error) {
	n, err := s.db.Changed(ctx, `UPDATE oauth_states SET resumed = 1
		WHERE oauth_state_id = ? AND client_id = ? AND redirect_uri <> '' AND resumed = 0`, id, clientID)
	if err != nil {
		return OAuthState{}, err
	}
	st, err := s.OAuthState(ctx, id)
	switch {
	case err != nil:
		return OAuthState{}, err
	case n == 1:
		return st, nil
	case st.ClientID != clientID || st.RedirectURI == "":
		return OAuthState{}, ErrNotFound
	}
	return OAuthState{}, ErrUsed
}
