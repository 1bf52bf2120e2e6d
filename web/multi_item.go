package web

import (
	"encoding/json"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/store"
)

// SESSION_FINISHED statuses.
const (
	sessionSuccess = "SUCCESS"
	sessionExited  = "EXITED"
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
// session sends after each Item the user adds (multi-item-link.txt).
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

// multiItemHook is the FinishHook of a session run with a link token of
// configuration cfg ending with status, or nil when the token is not
// multi-item or has no webhook.
func multiItemHook(cfg linkTokenCreateRequest, clientID, sessionID, linkToken, status string) store.FinishHook {
	if !cfg.EnableMultiItemLink || cfg.Webhook == "" {
		return nil
	}
	return sessionFinishedHook(clientID, sessionID, linkToken, cfg.Webhook, status)
}
