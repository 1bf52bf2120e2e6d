package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sqlbatch"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/webhook"
)

// The operations of the control API (/linkharness/...), which tests use to
// drive and read the emulator.

// Reset forgets everything the tenant made: link tokens, sessions, Items,
// users, webhooks (pending ones are never delivered) and its clock.
func (s *Service) Reset(ctx context.Context, t Tenant) *plaid.Error {
	if err := s.store.Reset(ctx, t.ClientID); err != nil {
		return StoreError(err)
	}
	return nil
}

// ClockOffset is how far the tenant's emulator clock runs ahead of the
// server's.
func (s *Service) ClockOffset(ctx context.Context, t Tenant) (time.Duration, *plaid.Error) {
	off, err := s.store.ClockOffset(ctx, t.ClientID)
	if err != nil {
		return 0, StoreError(err)
	}
	return off, nil
}

// AdvanceClock moves the tenant's clock forward by d, so that its link,
// public and payment tokens expire without waiting, and returns the new
// offset.
func (s *Service) AdvanceClock(ctx context.Context, t Tenant, d time.Duration) (time.Duration, *plaid.Error) {
	if d <= 0 {
		return 0, plaid.InvalidField("the clock only moves forward: give seconds or duration greater than zero")
	}
	if d > MaxClockOffset {
		return 0, ClockLimit()
	}
	off, err := s.store.AdvanceClock(ctx, t.ClientID, d, MaxClockOffset)
	if errors.Is(err, sqlbatch.ErrGuard) {
		return 0, ClockLimit()
	}
	if err != nil {
		return 0, StoreError(err)
	}
	return off, nil
}

// MaxClockOffset is how far a client's emulator clock may run ahead of
// the server's: 100 years (of 365 days), which keeps every time the
// emulator computes within Go's and JavaScript's ranges.
const MaxClockOffset = 100 * 365 * 24 * time.Hour

// ClockLimit is the error of an advance that would take the clock more
// than MaxClockOffset ahead.
func ClockLimit() *plaid.Error {
	return plaid.InvalidField(fmt.Sprintf("the clock runs at most 100 years (%d seconds) ahead of the server's: this advance would take it further",
		int64(MaxClockOffset.Seconds())))
}

// Session is the tenant's Link session with the given ID or, for an empty
// ID, the latest session of the link token, with its callbacks and
// results.
func (s *Service) Session(ctx context.Context, t Tenant, sessionID, linkToken string) (store.Session, *plaid.Error) {
	switch {
	case sessionID != "":
		sess, err := s.store.Session(ctx, t.ClientID, sessionID)
		if errors.Is(err, store.ErrNotFound) {
			return sess, plaid.InvalidField("no Link session of this client has link_session_id " + sessionID)
		}
		if err != nil {
			return sess, StoreError(err)
		}
		return sess, nil
	case linkToken != "":
		list, err := s.store.Sessions(ctx, t.ClientID, linkToken)
		if err != nil {
			return store.Session{}, StoreError(err)
		}
		if len(list) == 0 {
			return store.Session{}, plaid.InvalidLinkToken("no Link session of this client ran with the link token")
		}
		return list[len(list)-1], nil
	}
	return store.Session{}, plaid.MissingFields("link_session_id")
}

// Webhooks are the tenant's webhooks that f matches, oldest first, with
// every delivery attempt.
func (s *Service) Webhooks(ctx context.Context, t Tenant, f store.WebhookFilter) ([]store.Webhook, *plaid.Error) {
	hooks, err := s.store.Webhooks(ctx, t.ClientID, f)
	if err != nil {
		return nil, StoreError(err)
	}
	return hooks, nil
}

// ResendWebhook queues the tenant's delivered or failed webhook again, due
// now; INVALID_FIELD for an unknown ID or a webhook still pending.
func (s *Service) ResendWebhook(ctx context.Context, t Tenant, id string) *plaid.Error {
	err := s.Commit(func() error { return s.store.ResendWebhook(ctx, t.ClientID, id, s.now()) })
	switch {
	case errors.Is(err, store.ErrNotFound):
		return plaid.InvalidField("no webhook of this client has webhook_id " + id)
	case errors.Is(err, store.ErrUsed):
		return plaid.InvalidField("webhook " + id + " is still pending: it is resent only once delivered or failed")
	case err != nil:
		return StoreError(err)
	}
	return nil
}

// BillingEvents is the tenant's billing ledger, of one Item or, for an
// empty itemID, of every Item.
func (s *Service) BillingEvents(ctx context.Context, t Tenant, itemID string) ([]store.BillingEvent, *plaid.Error) {
	events, err := s.store.BillingEvents(ctx, t.ClientID, itemID)
	if err != nil {
		return nil, StoreError(err)
	}
	return events, nil
}

// VerificationKey is the public key, as a JWK, that verifies webhooks
// signed with the key kid (the Plaid-Verification JWT's key ID). Keys are
// the emulator's, not a tenant's.
func (s *Service) VerificationKey(ctx context.Context, kid string) (any, *plaid.Error) {
	if e := plaid.Required("key_id", kid); e != nil {
		return nil, e
	}
	// Make sure a key exists, so that a receiver can ask before the first
	// webhook went out.
	if s.ensureKey != nil {
		if err := s.ensureKey(ctx); err != nil {
			return nil, StoreError(err)
		}
	}
	k, err := s.store.SigningKeyByID(ctx, kid)
	if errors.Is(err, store.ErrNotFound) {
		return nil, plaid.New("INVALID_WEBHOOK_VERIFICATION_KEY_ID", "invalid key_id provided")
	}
	if err != nil {
		return nil, StoreError(err)
	}
	signer, err := webhook.NewSigner(k)
	if err != nil {
		return nil, plaid.Internal(err.Error())
	}
	return signer.JWK(), nil
}
