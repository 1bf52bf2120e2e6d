package plaidapi

import (
	"context"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// webhookVerificationKeyGetRequest is /webhook_verification_key/get's body.
type webhookVerificationKeyGetRequest struct {
	httpapi.Credentials
	KeyID string `json:"key_id"`
}

type webhookVerificationKeyGetResponse struct {
	Key       any    `json:"key"`
	RequestID string `json:"request_id"`
}

// webhookVerificationKeyGet returns the public key of a kid from a
// Plaid-Verification JWT. Keys are the emulator's, not a client's.
func (s *API) webhookVerificationKeyGet(ctx context.Context, c *httpapi.Call, req *webhookVerificationKeyGetRequest) (webhookVerificationKeyGetResponse, *plaid.Error) {
	key, e := s.Svc.VerificationKey(ctx, req.KeyID)
	if e != nil {
		return webhookVerificationKeyGetResponse{}, e
	}
	return webhookVerificationKeyGetResponse{Key: key, RequestID: c.RequestID}, nil
}
