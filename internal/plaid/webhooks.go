//go:build !wasip1

// This file is left out of link.wasm (GOOS=wasip1), which never needs it:
// its encoding/json (and fmt, which it brings) would cost the module
// about 45 KB gzipped.

package plaid

import (
	"encoding/json"
	"time"
)

// Hook is a webhook as Plaid sends it: its type, its code and the fields of
// its body beyond webhook_type, webhook_code, environment and, for a
// webhook about an Item, item_id (https://plaid.com/docs/api/webhooks/).
type Hook struct {
	Type, Code string
	Fields     map[string]any
}

// Body is the webhook's JSON body. itemID is the Item it is about, "" for
// webhooks about a Link session or a payment (LINK, PAYMENT_INITIATION),
// whose body has no item_id.
func (h Hook) Body(itemID string) json.RawMessage {
	body := map[string]any{}
	for k, v := range h.Fields {
		body[k] = v
	}
	body["webhook_type"], body["webhook_code"], body["environment"] = h.Type, h.Code, Environment
	if _, ok := body["item_id"]; !ok && itemID != "" {
		body["item_id"] = itemID
	}
	raw, _ := json.Marshal(body)
	return raw
}

// SyncUpdatesAvailable is TRANSACTIONS SYNC_UPDATES_AVAILABLE with the
// initial and historical pulls done.
func SyncUpdatesAvailable() Hook {
	return Hook{"TRANSACTIONS", "SYNC_UPDATES_AVAILABLE", map[string]any{
		"initial_update_complete": true, "historical_update_complete": true,
	}}
}

// TransactionsDefaultUpdate is TRANSACTIONS DEFAULT_UPDATE: n new
// transactions were found. Plaid sends it to Items on /transactions/sync
// too, beside SYNC_UPDATES_AVAILABLE
// (https://plaid.com/docs/api/products/transactions/#default_update).
func TransactionsDefaultUpdate(n int) Hook {
	return Hook{"TRANSACTIONS", "DEFAULT_UPDATE", map[string]any{"error": nil, "new_transactions": n}}
}

// InvestmentsTransactionsDefaultUpdate is INVESTMENTS_TRANSACTIONS
// DEFAULT_UPDATE: n new investment transactions, and cancelled ones,
// were found.
func InvestmentsTransactionsDefaultUpdate(n, cancelled int) Hook {
	return Hook{"INVESTMENTS_TRANSACTIONS", "DEFAULT_UPDATE", map[string]any{"error": nil,
		"new_investments_transactions": n, "cancelled_investments_transactions": cancelled}}
}

// HoldingsDefaultUpdate is HOLDINGS DEFAULT_UPDATE: holdings were found
// new, or changed.
func HoldingsDefaultUpdate(added, updated int) Hook {
	return Hook{"HOLDINGS", "DEFAULT_UPDATE", map[string]any{"error": nil, "new_holdings": added, "updated_holdings": updated}}
}

// WebhookUpdateAcknowledged is ITEM WEBHOOK_UPDATE_ACKNOWLEDGED, sent to an
// Item's new webhook URL.
func WebhookUpdateAcknowledged(url string) Hook {
	return Hook{"ITEM", "WEBHOOK_UPDATE_ACKNOWLEDGED", map[string]any{"error": nil, "new_webhook_url": url}}
}

// ProcessorWebhookUpdateAcknowledged is PROCESSOR_TOKEN
// WEBHOOK_UPDATE_ACKNOWLEDGED, sent to a processor token's new webhook URL
// (https://plaid.com/docs/api/processor-partners/#processortokenwebhookupdate).
// Its body names the token's account, not an Item.
func ProcessorWebhookUpdateAcknowledged(accountID, url string) Hook {
	return Hook{"PROCESSOR_TOKEN", "WEBHOOK_UPDATE_ACKNOWLEDGED", map[string]any{"error": nil, "account_id": accountID, "new_webhook_url": url}}
}

// ItemErrorHook is ITEM ERROR, with the Item's error as it stores it.
func ItemErrorHook(itemError json.RawMessage) Hook {
	return Hook{"ITEM", "ERROR", map[string]any{"error": itemError}}
}

// PendingExpiration is ITEM PENDING_EXPIRATION: the user's consent to the
// Item expires at at.
func PendingExpiration(at time.Time) Hook {
	return Hook{"ITEM", "PENDING_EXPIRATION", map[string]any{"consent_expiration_time": Time(at)}}
}

// ItemAddResult is LINK ITEM_ADD_RESULT, which a Multi-Item Link session
// sends after each Item the user adds
// (https://plaid.com/docs/link/multi-item-link/).
func ItemAddResult(sessionID, linkToken, publicToken string) Hook {
	return Hook{"LINK", "ITEM_ADD_RESULT", map[string]any{
		"link_session_id": sessionID, "link_token": linkToken, "public_token": publicToken,
	}}
}

// SessionFinished is LINK SESSION_FINISHED when a Multi-Item Link session
// ends: status SUCCESS or EXITED, every public token the session issued
// (an empty array when none) and, deprecated, the first of them.
func SessionFinished(status, sessionID, linkToken string, publicTokens []string) Hook {
	first := ""
	if len(publicTokens) > 0 {
		first = publicTokens[0]
	}
	return Hook{"LINK", "SESSION_FINISHED", map[string]any{
		"status": status, "link_session_id": sessionID, "link_token": linkToken,
		"public_tokens": publicTokens, "public_token": first,
	}}
}

// PaymentStatusUpdate is PAYMENT_INITIATION PAYMENT_STATUS_UPDATE for one
// status change of a payment.
func PaymentStatusUpdate(paymentID, from, to, reference string, at time.Time) Hook {
	return Hook{"PAYMENT_INITIATION", "PAYMENT_STATUS_UPDATE", map[string]any{
		"payment_id": paymentID, "new_payment_status": to, "old_payment_status": from,
		"original_reference": reference, "adjusted_reference": nil,
		"original_start_date": nil, "adjusted_start_date": nil,
		"timestamp": TimeMillis(at), "error": nil,
	}}
}
