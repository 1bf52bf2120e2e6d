// Package service is the emulator's Plaid backend without HTTP: logging in
// at an institution, issuing and exchanging tokens, using a product on an
// Item, ... Each method takes the tenant (the API client) and its clock,
// and returns domain values or a Plaid error (package plaid); package web
// decodes requests into calls of it and encodes what it returns.
//
// Every change goes through the store as one atomic batch; Commit is the
// one path that does so and then wakes the webhook worker, so that no
// write site has to remember to.
package service

import (
	"context"
	"errors"
	"strings"

	"time"

	"github.com/linkharness/linkharness/internal/customuser"
	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
)

// Tenant is who a call is for: an API client, and its emulator clock at the
// start of the call.
type Tenant struct {
	ClientID string
	Now      time.Time
}

// Client is an API client as the service knows it: the secret that
// authenticates its backend stays with package web.
type Client struct {
	ID string
	// PublicKey is what legacy Plaid.create({key}) integrations send.
	PublicKey string
	// RedirectURIs are the client's allowed OAuth redirect URIs.
	RedirectURIs []string
}

// Service is the backend over one store.
type Service struct {
	store     *store.DB
	clients   []Client
	now       func() time.Time
	wake      func()
	ensureKey func(context.Context) error
}

// Options configure a Service.
type Options struct {
	// Store keeps the state.
	Store *store.DB
	// Clients are the API clients.
	Clients []Client
	// Now is the server's clock (each client's emulator clock runs ahead
	// of it by what the control API advanced it); nil means time.Now.
	Now func() time.Time
	// Wake is called after every commit that may have queued webhooks
	// (the webhook worker's Notify); nil wakes nothing.
	Wake func()
	// EnsureKey makes sure a webhook signing key exists (the webhook
	// worker's signer); nil leaves it to the first webhook.
	EnsureKey func(context.Context) error
}

// New returns a Service.
func New(o Options) *Service {
	s := &Service{store: o.Store, clients: o.Clients, now: o.Now, wake: o.Wake, ensureKey: o.EnsureKey}
	if s.now == nil {
		s.now = time.Now
	}
	if s.wake == nil {
		s.wake = func() {}
	}
	return s
}

// Tenant is the client's tenant at its emulator clock's now: the server's
// clock plus what the control API advanced the client's by.
func (s *Service) Tenant(ctx context.Context, clientID string) (Tenant, error) {
	off, err := s.store.ClockOffset(ctx, clientID)
	return Tenant{ClientID: clientID, Now: s.now().Add(off).UTC()}, err
}

// Client is the client with the given ID.
func (s *Service) Client(id string) (Client, bool) {
	for _, c := range s.clients {
		if c.ID == id {
			return c, true
		}
	}
	return Client{}, false
}

// ClientByPublicKey is the client a legacy public key belongs to.
func (s *Service) ClientByPublicKey(key string) (Client, bool) {
	for _, c := range s.clients {
		if c.PublicKey == key && key != "" {
			return c, true
		}
	}
	return Client{}, false
}

// Commit runs write, the store call that changes state in one batch, and
// wakes the webhook worker when it succeeded: the one way to write what
// may queue webhooks.
func (s *Service) Commit(write func() error) error {
	if err := write(); err != nil {
		return err
	}
	s.wake()
	return nil
}

// StoreError turns an unexpected store error into API_ERROR.
func StoreError(err error) *plaid.Error {
	return plaid.Internal("the emulator's store failed: " + err.Error())
}

// ItemByAccessToken returns the tenant's Item with the access token, or
// Plaid's error for a missing or unknown (or another client's) one.
func (s *Service) ItemByAccessToken(ctx context.Context, t Tenant, accessToken string) (store.Item, *plaid.Error) {
	if strings.TrimSpace(accessToken) == "" {
		return store.Item{}, plaid.MissingFields("access_token")
	}
	it, err := s.store.ItemByAccessToken(ctx, t.ClientID, accessToken)
	return it, itemError(err)
}

// itemError is the Plaid error of a store error from looking an Item up by
// its access token: INVALID_ACCESS_TOKEN when there is none.
func itemError(err error) *plaid.Error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return plaid.InvalidAccessToken()
	}
	return StoreError(err)
}

// NewPublicToken is a fresh public token for the tenant's Item, issued in
// the Link session sessionID ("" outside Link); the caller stores it, alone
// or with the Item's connection.
func NewPublicToken(t Tenant, itemID, sessionID string) store.PublicToken {
	return store.PublicToken{Token: ids.NewToken(plaid.PublicToken), ClientID: t.ClientID, ItemID: itemID,
		LinkSessionID: sessionID, CreatedAt: t.Now, ExpiresAt: t.Now.Add(plaid.PublicTokenLifetime)}
}

// LogIn logs in at a sandbox institution with credentials and the MFA
// answers given so far: the next MFA round to ask, or nil when the login
// succeeded, or the error it fails with. An institution whose health is
// down lets no login through (INSTITUTION_DOWN). A custom sandbox user
// (user_custom) that logged in has the configuration of the Item to make;
// the sandbox's other users have none.
func LogIn(in sandbox.Institution, username, password string, mfa [][]string) (*sandbox.Challenge, *customuser.Config, *plaid.Error) {
	if e := InstitutionDown(in); e != nil {
		return nil, nil, e
	}
	if username == customuser.Username {
		c, cfg, e := customuser.Login(password, mfa)
		if e != nil || c != nil {
			return c, nil, e
		}
		return nil, &cfg, nil
	}
	c, e := sandbox.Login(username, password, mfa)
	return c, nil, e
}

// LogInWithoutMFA logs in as /sandbox/public_token/create does, without
// the MFA the credentials ask for: the error the login fails with, or
// the custom user's configuration (nil for the sandbox's other users).
func LogInWithoutMFA(in sandbox.Institution, username, password string) (*customuser.Config, *plaid.Error) {
	if e := InstitutionDown(in); e != nil {
		return nil, e
	}
	if username == customuser.Username {
		cfg, e := customuser.LoginWithoutMFA(password)
		if e != nil {
			return nil, e
		}
		return &cfg, nil
	}
	_, e := sandbox.Login(username, password, nil)
	return nil, e
}

// ItemUsername is the username the Item was made with, which update mode
// must log in with again.
func ItemUsername(it store.Item) string {
	if it.Custom != nil {
		return customuser.Username
	}
	return sandbox.Username
}

// InstitutionDown is INSTITUTION_DOWN for an institution whose health is
// down, or nil.
func InstitutionDown(in sandbox.Institution) *plaid.Error {
	if in.Health == sandbox.HealthDown {
		return plaid.Raise("INSTITUTION_DOWN")
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
