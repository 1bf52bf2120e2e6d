package web

import (
	"context"

	"github.com/linkharness/linkharness/internal/plaid"
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
	key, e := s.svc.VerificationKey(ctx, req.KeyID)
	if e != nil {
		return webhookVerificationKeyGetResponse{}, e
	}
	return webhookVerificationKeyGetResponse{Key: key, RequestID: c.requestID}, nil
}
