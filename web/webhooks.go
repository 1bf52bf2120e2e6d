package web

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/webhook"
)

// newWebhook is an outbox entry for an Item's webhook, due at once. body
// gets webhook_type, webhook_code, item_id and environment added.
func (s *Server) newWebhook(it store.Item, url, typ, code string, body map[string]any) store.Webhook {
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

// itemAddedWebhooks are the webhooks a new Item causes: TRANSACTIONS
// SYNC_UPDATES_AVAILABLE, with the initial and historical pulls done,
// when it has transactions and a webhook.
func (s *Server) itemAddedWebhooks(it store.Item) []store.Webhook {
	if it.Webhook == "" || !slices.Contains(it.Products, "transactions") {
		return nil
	}
	return []store.Webhook{s.newWebhook(it, it.Webhook, "TRANSACTIONS", "SYNC_UPDATES_AVAILABLE", map[string]any{
		"initial_update_complete": true, "historical_update_complete": true,
	})}
}

// webhookVerificationKeyGetRequest is /webhook_verification_key/get's body.
type webhookVerificationKeyGetRequest struct {
	credentials
	KeyID string `json:"key_id"`
}

type webhookVerificationKeyGetResponse struct {
	Key       any    `json:"key"`
	RequestID string `json:"request_id"`
}

// webhookVerificationKeyGet returns the public key of a kid from a
// Plaid-Verification JWT. Keys are the emulator's, not a client's.
func (s *Server) webhookVerificationKeyGet(ctx context.Context, c *call, req *webhookVerificationKeyGetRequest) (webhookVerificationKeyGetResponse, *plaid.Error) {
	if e := required("key_id", req.KeyID); e != nil {
		return webhookVerificationKeyGetResponse{}, e
	}
	// Make sure a key exists, so that a receiver can ask before the first
	// webhook went out.
	if _, err := s.worker.Signer(ctx); err != nil {
		return webhookVerificationKeyGetResponse{}, service.StoreError(err)
	}
	k, err := s.store.SigningKeyByID(ctx, req.KeyID)
	if errors.Is(err, store.ErrNotFound) {
		return webhookVerificationKeyGetResponse{}, plaid.New("INVALID_WEBHOOK_VERIFICATION_KEY_ID", "invalid key_id provided")
	}
	if err != nil {
		return webhookVerificationKeyGetResponse{}, service.StoreError(err)
	}
	signer, err := webhook.NewSigner(k)
	if err != nil {
		return webhookVerificationKeyGetResponse{}, plaid.Internal(err.Error())
	}
	return webhookVerificationKeyGetResponse{Key: signer.JWK(), RequestID: c.requestID}, nil
}
