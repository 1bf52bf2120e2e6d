package service

import (
	"slices"
	"time"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
)

// LinkWebhook is an outbox entry for a webhook about a session, a payment
// or a processor token rather than an Item (LINK, PAYMENT_INITIATION,
// PROCESSOR_TOKEN), due at once: its body has no item_id, and /item/get's
// last_webhook does not count it.
func LinkWebhook(clientID, sessionID, url string, h plaid.Hook) store.Webhook {
	return store.Webhook{ID: ids.NewUUID(), ClientID: clientID, LinkSessionID: sessionID, URL: url, Type: h.Type, Code: h.Code,
		Body: h.Body(""), CreatedAt: time.Now()}
}

// itemAddResultWebhook is LINK ITEM_ADD_RESULT for an Item of a Multi-Item
// Link session. Plaid sends it for Multi-Item (and Hosted Link) sessions
// only, and so does linkharness.
func itemAddResultWebhook(it store.Item, publicToken string) store.Webhook {
	return LinkWebhook(it.ClientID, it.LinkSessionID, it.Webhook, plaid.ItemAddResult(it.LinkSessionID, it.LinkToken, publicToken))
}

// MultiItemHook is the FinishHook of a session run with a link token of
// configuration cfg ending with status: LINK SESSION_FINISHED with the
// session's public tokens; nil when the token is not multi-item or has no
// webhook.
func MultiItemHook(cfg linkconfig.Config, clientID, sessionID, linkToken, status string) store.FinishHook {
	if !cfg.MultiItem || cfg.Webhook == "" {
		return nil
	}
	return func(tokens []string) []store.Webhook {
		return []store.Webhook{LinkWebhook(clientID, sessionID, cfg.Webhook, plaid.SessionFinished(status, sessionID, linkToken, tokens))}
	}
}

// NewWebhook is an outbox entry for a webhook about the Item, to url, due
// at once.
func NewWebhook(it store.Item, url string, h plaid.Hook) store.Webhook {
	return store.Webhook{
		ID: ids.NewUUID(), ClientID: it.ClientID, ItemID: it.ID, LinkSessionID: it.LinkSessionID,
		URL: url, Type: h.Type, Code: h.Code, Body: h.Body(it.ID), CreatedAt: time.Now(),
	}
}

// ItemAddedWebhooks are the webhooks a new Item causes: TRANSACTIONS
// SYNC_UPDATES_AVAILABLE, with the initial and historical pulls done,
// when it has transactions and a webhook.
func ItemAddedWebhooks(it store.Item) []store.Webhook {
	if it.Webhook == "" || !slices.Contains(it.Products, "transactions") {
		return nil
	}
	return []store.Webhook{NewWebhook(it, it.Webhook, plaid.SyncUpdatesAvailable())}
}

// ConsentExpiration is when the user's consent to the Item expires, and
// false for an Item whose consent does not (every institution but the
// European OAuth ones).
func ConsentExpiration(it store.Item) (time.Time, bool) {
	in, ok := sandbox.InstitutionByID(it.InstitutionID)
	if !ok || !in.OAuth || slices.Contains(in.Countries, "US") || slices.Contains(in.Countries, "CA") {
		return time.Time{}, false
	}
	return it.CreatedAt.Add(plaid.ConsentLifetime), true
}

// PendingExpirationWebhook is ITEM PENDING_EXPIRATION, which Plaid sends
// when an Item's consent is about to expire, for an Item whose consent
// expires; nil for the others.
func PendingExpirationWebhook(it store.Item) *store.Webhook {
	at, ok := ConsentExpiration(it)
	if !ok || it.Webhook == "" {
		return nil
	}
	wh := NewWebhook(it, it.Webhook, plaid.PendingExpiration(at))
	return &wh
}
