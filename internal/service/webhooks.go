package service

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
)

// linkWebhook is an outbox entry for a LINK webhook of a session, due at
// once. LINK webhooks are about the session, not an Item: their body has
// no item_id, and /item/get's last_webhook does not count them.
func linkWebhook(clientID, sessionID, url, code string, body map[string]any) store.Webhook {
	body["webhook_type"], body["webhook_code"], body["environment"] = "LINK", code, plaid.Environment
	raw, _ := json.Marshal(body)
	return store.Webhook{ID: plaid.NewUUID(), ClientID: clientID, LinkSessionID: sessionID, URL: url, Type: "LINK", Code: code,
		Body: raw, CreatedAt: time.Now()}
}

// itemAddResultWebhook is LINK ITEM_ADD_RESULT, which a Multi-Item Link
// session sends after each Item the user adds
// (https://plaid.com/docs/link/multi-item-link/).
// Plaid sends it for Multi-Item (and Hosted Link) sessions only, and so
// does linkharness.
func itemAddResultWebhook(it store.Item, publicToken string) store.Webhook {
	return linkWebhook(it.ClientID, it.LinkSessionID, it.Webhook, "ITEM_ADD_RESULT", map[string]any{
		"link_session_id": it.LinkSessionID, "link_token": it.LinkToken, "public_token": publicToken,
	})
}

// sessionFinishedHook makes LINK SESSION_FINISHED when a Multi-Item Link
// session ends: status SUCCESS or EXITED, every public token the session
// issued (an empty array when none) and, deprecated, the first of them.
func sessionFinishedHook(clientID, sessionID, linkToken, url, status string) store.FinishHook {
	return func(tokens []string) []store.Webhook {
		first := ""
		if len(tokens) > 0 {
			first = tokens[0]
		}
		return []store.Webhook{linkWebhook(clientID, sessionID, url, "SESSION_FINISHED", map[string]any{
			"status": status, "link_session_id": sessionID, "link_token": linkToken,
			"public_tokens": tokens, "public_token": first,
		})}
	}
}

// MultiItemHook is the FinishHook of a session run with a link token of
// configuration cfg ending with status, or nil when the token is not
// multi-item or has no webhook.
func MultiItemHook(cfg linkconfig.Config, clientID, sessionID, linkToken, status string) store.FinishHook {
	if !cfg.MultiItem || cfg.Webhook == "" {
		return nil
	}
	return sessionFinishedHook(clientID, sessionID, linkToken, cfg.Webhook, status)
}

// NewWebhook is an outbox entry for an Item's webhook, due at once. body
// gets webhook_type, webhook_code, item_id and environment added.
func NewWebhook(it store.Item, url, typ, code string, body map[string]any) store.Webhook {
	if body == nil {
		body = map[string]any{}
	}
	body["webhook_type"], body["webhook_code"], body["environment"] = typ, code, plaid.Environment
	if _, ok := body["item_id"]; !ok {
		body["item_id"] = it.ID
	}
	raw, _ := json.Marshal(body)
	return store.Webhook{
		ID: plaid.NewUUID(), ClientID: it.ClientID, ItemID: it.ID, LinkSessionID: it.LinkSessionID,
		URL: url, Type: typ, Code: code, Body: raw, CreatedAt: time.Now(),
	}
}

// ItemAddedWebhooks are the webhooks a new Item causes: TRANSACTIONS
// SYNC_UPDATES_AVAILABLE, with the initial and historical pulls done,
// when it has transactions and a webhook.
func ItemAddedWebhooks(it store.Item) []store.Webhook {
	if it.Webhook == "" || !slices.Contains(it.Products, "transactions") {
		return nil
	}
	return []store.Webhook{NewWebhook(it, it.Webhook, "TRANSACTIONS", "SYNC_UPDATES_AVAILABLE", map[string]any{
		"initial_update_complete": true, "historical_update_complete": true,
	})}
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
	wh := NewWebhook(it, it.Webhook, "ITEM", "PENDING_EXPIRATION", map[string]any{
		"consent_expiration_time": plaid.Time(at),
	})
	return &wh
}
