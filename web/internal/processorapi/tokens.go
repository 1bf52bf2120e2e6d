package processorapi

import (
	"context"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// The developer's endpoints: tokens for partners, and what they may reach.

// tokenCreateRequest is /processor/token/create's body.
type tokenCreateRequest struct {
	httpapi.Credentials
	AccessToken string `json:"access_token"`
	AccountID   string `json:"account_id"`
	Processor   string `json:"processor"`
}

// tokenResponse is the answer of the endpoints that make a processor
// token.
type tokenResponse struct {
	ProcessorToken string `json:"processor_token"`
	RequestID      string `json:"request_id"`
}

func (s *API) tokenCreate(ctx context.Context, c *httpapi.Call, req *tokenCreateRequest) (tokenResponse, *plaid.Error) {
	pt, e := s.Processor.CreateToken(ctx, c.Tenant, req.AccessToken, req.AccountID, req.Processor)
	if e != nil {
		return tokenResponse{}, e
	}
	return tokenResponse{ProcessorToken: pt.Token, RequestID: c.RequestID}, nil
}

// stripeTokenCreateRequest is /processor/stripe/bank_account_token/create's
// body.
type stripeTokenCreateRequest struct {
	httpapi.Credentials
	AccessToken string `json:"access_token"`
	AccountID   string `json:"account_id"`
}

type stripeTokenCreateResponse struct {
	StripeBankAccountToken string `json:"stripe_bank_account_token"`
	RequestID              string `json:"request_id"`
}

func (s *API) stripeTokenCreate(ctx context.Context, c *httpapi.Call, req *stripeTokenCreateRequest) (stripeTokenCreateResponse, *plaid.Error) {
	tok, e := s.Processor.StripeBankAccountToken(ctx, c.Tenant, req.AccessToken, req.AccountID)
	if e != nil {
		return stripeTokenCreateResponse{}, e
	}
	return stripeTokenCreateResponse{StripeBankAccountToken: tok, RequestID: c.RequestID}, nil
}

// sandboxTokenCreateRequest is /sandbox/processor_token/create's body.
type sandboxTokenCreateRequest struct {
	httpapi.Credentials
	InstitutionID string `json:"institution_id"`
	Options       *struct {
		OverrideUsername string `json:"override_username"`
		OverridePassword string `json:"override_password"`
	} `json:"options"`
}

// sandboxTokenCreate makes an Item without Link and a processor token for
// its first account; the credentials log in as they do for
// /sandbox/public_token/create.
func (s *API) sandboxTokenCreate(ctx context.Context, c *httpapi.Call, req *sandboxTokenCreateRequest) (tokenResponse, *plaid.Error) {
	var username, password string
	if o := req.Options; o != nil {
		username, password = o.OverrideUsername, o.OverridePassword
	}
	pt, e := s.Processor.CreateSandboxToken(ctx, c.Tenant, req.InstitutionID, username, password)
	if e != nil {
		return tokenResponse{}, e
	}
	return tokenResponse{ProcessorToken: pt.Token, RequestID: c.RequestID}, nil
}

// tokenRequest is the body of the endpoints that take only a processor
// token (and, for /processor/balance/get, options the sandbox ignores).
type tokenRequest struct {
	httpapi.Credentials
	ProcessorToken string `json:"processor_token"`
}

// permissionsSetRequest is /processor/token/permissions/set's body.
type permissionsSetRequest struct {
	httpapi.Credentials
	ProcessorToken string   `json:"processor_token"`
	Products       []string `json:"products"`
}

func (s *API) permissionsSet(ctx context.Context, c *httpapi.Call, req *permissionsSetRequest) (httpapi.RequestIDResponse, *plaid.Error) {
	if e := s.Processor.SetPermissions(ctx, c.Tenant, req.ProcessorToken, req.Products); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	return httpapi.RequestIDResponse{RequestID: c.RequestID}, nil
}

type permissionsGetResponse struct {
	RequestID string   `json:"request_id"`
	Products  []string `json:"products"`
}

func (s *API) permissionsGet(ctx context.Context, c *httpapi.Call, req *tokenRequest) (permissionsGetResponse, *plaid.Error) {
	products, e := s.Processor.Permissions(ctx, c.Tenant, req.ProcessorToken)
	if e != nil {
		return permissionsGetResponse{}, e
	}
	return permissionsGetResponse{RequestID: c.RequestID, Products: httpapi.NonNil(products)}, nil
}

// webhookUpdateRequest is /processor/token/webhook/update's body; a null
// webhook removes the token's.
type webhookUpdateRequest struct {
	httpapi.Credentials
	ProcessorToken string  `json:"processor_token"`
	Webhook        *string `json:"webhook"`
}

func (s *API) webhookUpdate(ctx context.Context, c *httpapi.Call, req *webhookUpdateRequest) (httpapi.RequestIDResponse, *plaid.Error) {
	var url string
	if req.Webhook != nil {
		url = *req.Webhook
	}
	if _, e := s.Processor.Token(ctx, c.Tenant, req.ProcessorToken); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	if e := httpapi.CheckURL("webhook", url); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	if e := s.Processor.SetWebhook(ctx, c.Tenant, req.ProcessorToken, url); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	return httpapi.RequestIDResponse{RequestID: c.RequestID}, nil
}
