package web

import (
	"slices"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
)

// consentExpiration is when the user's consent to the Item expires, and
// false for an Item whose consent does not (every institution but the
// European OAuth ones).
func consentExpiration(it store.Item) (time.Time, bool) {
	in, ok := sandbox.InstitutionByID(it.InstitutionID)
	if !ok || !in.OAuth || slices.Contains(in.Countries, "US") || slices.Contains(in.Countries, "CA") {
		return time.Time{}, false
	}
	return it.CreatedAt.Add(plaid.ConsentLifetime), true
}

// pendingExpirationWebhook is ITEM PENDING_EXPIRATION, which Plaid sends
// when an Item's consent is about to expire, for an Item whose consent
// expires; nil for the others.
func (s *Server) pendingExpirationWebhook(it store.Item) *store.Webhook {
	at, ok := consentExpiration(it)
	if !ok || it.Webhook == "" {
		return nil
	}
	wh := s.newWebhook(it, it.Webhook, "ITEM", "PENDING_EXPIRATION", map[string]any{
		"consent_expiration_time": at.UTC().Format(time.RFC3339),
	})
	return &wh
}
