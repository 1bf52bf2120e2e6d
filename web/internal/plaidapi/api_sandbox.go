package plaidapi

import (
	"context"

	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// sandboxPublicTokenCreateRequest is /sandbox/public_token/create's body.
type sandboxPublicTokenCreateRequest struct {
	httpapi.Credentials
	InstitutionID   string   `json:"institution_id"`
	InitialProducts []string `json:"initial_products"`
	Options         *struct {
		Webhook          string `json:"webhook"`
		OverrideUsername string `json:"override_username"`
		OverridePassword string `json:"override_password"`
	} `json:"options"`
	UserToken string `json:"user_token"`
}

type sandboxPublicTokenCreateResponse struct {
	PublicToken string `json:"public_token"`
	RequestID   string `json:"request_id"`
}

// sandboxPublicTokenCreate makes an Item without Link, with every sandbox
// account (a custom user's: those it configures), and returns a public
// token for it. MFA credentials log in without their challenges;
// error_<CODE> passwords, a custom user's force_error and a malformed
// configuration fail as in Link.
func (s *API) sandboxPublicTokenCreate(ctx context.Context, c *httpapi.Call, req *sandboxPublicTokenCreateRequest) (sandboxPublicTokenCreateResponse, *plaid.Error) {
	if e := plaid.Required("institution_id", req.InstitutionID, "initial_products", req.InitialProducts); e != nil {
		return sandboxPublicTokenCreateResponse{}, e
	}
	if e := plaid.CheckAll("initial_products", req.InitialProducts, product.Names(nil)); e != nil {
		return sandboxPublicTokenCreateResponse{}, e
	}
	login := service.SandboxLogin{InstitutionID: req.InstitutionID, Plan: linkconfig.Plan{Products: req.InitialProducts},
		Endpoint: "/sandbox/public_token/create"}
	if o := req.Options; o != nil {
		login.Username, login.Password, login.Webhook = o.OverrideUsername, o.OverridePassword, o.Webhook
	}
	if e := httpapi.CheckURL("options.webhook", login.Webhook); e != nil {
		return sandboxPublicTokenCreateResponse{}, e
	}
	if req.UserToken != "" {
		if e := s.Svc.CheckUserToken(ctx, c.Tenant, req.UserToken); e != nil {
			return sandboxPublicTokenCreateResponse{}, e
		}
	}
	pt, e := s.Svc.AddSandboxItem(ctx, c.Tenant, login)
	if e != nil {
		return sandboxPublicTokenCreateResponse{}, e
	}
	return sandboxPublicTokenCreateResponse{PublicToken: pt.Token, RequestID: c.RequestID}, nil
}

type sandboxItemResetLoginResponse struct {
	ResetLogin bool   `json:"reset_login"`
	RequestID  string `json:"request_id"`
}

// sandboxItemResetLogin puts the Item in ITEM_LOGIN_REQUIRED and, in the
// same transaction, queues ITEM ERROR to its webhook, and for an Item
// whose consent expires (European OAuth institutions) ITEM
// PENDING_EXPIRATION: the user must come back through update mode.
func (s *API) sandboxItemResetLogin(ctx context.Context, c *httpapi.Call, req *accessTokenRequest) (sandboxItemResetLoginResponse, *plaid.Error) {
	if e := s.Svc.ResetLogin(ctx, c.Tenant, req.AccessToken); e != nil {
		return sandboxItemResetLoginResponse{}, e
	}
	return sandboxItemResetLoginResponse{ResetLogin: true, RequestID: c.RequestID}, nil
}

// sandboxItemFireWebhookRequest is /sandbox/item/fire_webhook's body.
type sandboxItemFireWebhookRequest struct {
	httpapi.Credentials
	AccessToken string `json:"access_token"`
	WebhookType string `json:"webhook_type"`
	WebhookCode string `json:"webhook_code"`
}

type sandboxItemFireWebhookResponse struct {
	WebhookFired bool   `json:"webhook_fired"`
	RequestID    string `json:"request_id"`
}

// sandboxItemFireWebhook queues the webhook the request names to the
// Item's webhook URL.
func (s *API) sandboxItemFireWebhook(ctx context.Context, c *httpapi.Call, req *sandboxItemFireWebhookRequest) (sandboxItemFireWebhookResponse, *plaid.Error) {
	if e := s.Svc.FireWebhook(ctx, c.Tenant, req.AccessToken, req.WebhookType, req.WebhookCode); e != nil {
		return sandboxItemFireWebhookResponse{}, e
	}
	return sandboxItemFireWebhookResponse{WebhookFired: true, RequestID: c.RequestID}, nil
}
