package web

import (
	"context"
	"errors"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/webhook"
)

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
	if e := plaid.Required("key_id", req.KeyID); e != nil {
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
