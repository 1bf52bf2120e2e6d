package web

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/internal/service"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
)

// sandboxPublicTokenCreateRequest is /sandbox/public_token/create's body.
type sandboxPublicTokenCreateRequest struct {
	credentials
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
// account, and returns a public token for it. MFA credentials log in
// without their challenges; error_<CODE> passwords fail as in Link.
func (s *Server) sandboxPublicTokenCreate(ctx context.Context, c *call, req *sandboxPublicTokenCreateRequest) (sandboxPublicTokenCreateResponse, *plaid.Error) {
	if e := plaid.Required("institution_id", req.InstitutionID, "initial_products", req.InitialProducts); e != nil {
		return sandboxPublicTokenCreateResponse{}, e
	}
	if e := plaid.CheckAll("initial_products", req.InitialProducts, product.Names(nil)); e != nil {
		return sandboxPublicTokenCreateResponse{}, e
	}
	in, ok := sandbox.InstitutionByID(req.InstitutionID)
	if !ok {
		return sandboxPublicTokenCreateResponse{}, plaid.InvalidInstitution()
	}
	if !in.Supports(req.InitialProducts) {
		return sandboxPublicTokenCreateResponse{}, &plaid.Error{Status: 400, ErrorType: plaid.TypeInvalidInput, ErrorCode: "PRODUCTS_NOT_SUPPORTED", ErrorMessage: fmt.Sprintf("%s does not support the products %v", in.Name, req.InitialProducts)}
	}
	username, password, webhook := "user_good", "pass_good", ""
	if o := req.Options; o != nil {
		if o.OverrideUsername != "" {
			username = o.OverrideUsername
		}
		if o.OverridePassword != "" {
			password = o.OverridePassword
		}
		webhook = o.Webhook
	}
	if e := checkURL("options.webhook", webhook); e != nil {
		return sandboxPublicTokenCreateResponse{}, e
	}
	if req.UserToken != "" {
		if _, err := s.store.UserByToken(ctx, c.client.ClientID, req.UserToken); err != nil {
			return sandboxPublicTokenCreateResponse{}, plaid.InvalidField("user_token is not a user token of this client")
		}
	}
	if _, e := service.LogIn(in, username, password, nil); e != nil {
		return sandboxPublicTokenCreateResponse{}, e
	}
	pt, e := s.svc.AddItem(ctx, c.tenant(), service.NewItem{InstitutionID: in.ID, Webhook: webhook,
		Plan: linkconfig.Plan{Products: req.InitialProducts}, Endpoint: "/sandbox/public_token/create"})
	if e != nil {
		return sandboxPublicTokenCreateResponse{}, e
	}
	return sandboxPublicTokenCreateResponse{PublicToken: pt.Token, RequestID: c.requestID}, nil
}

type sandboxItemResetLoginResponse struct {
	ResetLogin bool   `json:"reset_login"`
	RequestID  string `json:"request_id"`
}

// sandboxItemResetLogin puts the Item in ITEM_LOGIN_REQUIRED and, in the
// same transaction, queues ITEM ERROR to its webhook, and for an Item
// whose consent expires (European OAuth institutions) ITEM
// PENDING_EXPIRATION: the user must come back through update mode.
func (s *Server) sandboxItemResetLogin(ctx context.Context, c *call, req *accessTokenRequest) (sandboxItemResetLoginResponse, *plaid.Error) {
	it, e := s.svc.ItemByAccessToken(ctx, c.tenant(), req.AccessToken)
	if e != nil {
		return sandboxItemResetLoginResponse{}, e
	}
	plaidErr := itemLoginRequiredJSON()
	var outbox []store.Webhook
	if it.Webhook != "" {
		outbox = append(outbox, service.NewWebhook(it, it.Webhook, "ITEM", "ERROR", map[string]any{"error": plaidErr}))
	}
	if wh := service.PendingExpirationWebhook(it); wh != nil {
		outbox = append(outbox, *wh)
	}
	if err := s.svc.Commit(func() error {
		_, err := s.store.SetItemError(ctx, c.client.ClientID, it.ID, plaidErr, outbox...)
		return err
	}); err != nil {
		return sandboxItemResetLoginResponse{}, service.StoreError(err)
	}
	return sandboxItemResetLoginResponse{ResetLogin: true, RequestID: c.requestID}, nil
}

// itemLoginRequiredJSON is ITEM_LOGIN_REQUIRED as an Item's error.
func itemLoginRequiredJSON() json.RawMessage {
	e := plaid.ItemLoginRequired()
	raw, _ := json.Marshal(map[string]any{
		"error_type": e.ErrorType, "error_code": e.ErrorCode, "error_message": e.ErrorMessage,
		"display_message": nil, "status": 400, "causes": []any{}, "suggested_action": nil,
	})
	return raw
}

// sandboxItemFireWebhookRequest is /sandbox/item/fire_webhook's body.
type sandboxItemFireWebhookRequest struct {
	credentials
	AccessToken string `json:"access_token"`
	WebhookType string `json:"webhook_type"`
	WebhookCode string `json:"webhook_code"`
}

type sandboxItemFireWebhookResponse struct {
	WebhookFired bool   `json:"webhook_fired"`
	RequestID    string `json:"request_id"`
}

// firable is a webhook /sandbox/item/fire_webhook can fire: its type,
// whether any Item may fire it (otherwise only an Item with the product
// that sends the type, as the product registry says), and its body beyond
// webhook_type, webhook_code, item_id and environment.
type firable struct {
	typ     string
	anyItem bool
	body    func(it store.Item) map[string]any
}

// product is the product the Item needs to fire the webhook, or "".
func (f firable) product() string {
	if p, ok := product.OfWebhook(f.typ); ok && !f.anyItem {
		return p.Name
	}
	return ""
}

func accountIDs(it store.Item) []string {
	ids := []string{}
	for _, a := range it.Accounts {
		ids = append(ids, a.ID)
	}
	return ids
}

func firstAccountID(it store.Item) any {
	if len(it.Accounts) == 0 {
		return nil
	}
	return it.Accounts[0].ID
}

// itemBody is the body of ITEM webhooks that carry only an error field.
func itemBody(store.Item) map[string]any { return map[string]any{"error": nil} }

// firables are the webhooks by code; DEFAULT_UPDATE has one per type.
var firables = map[string][]firable{
	"DEFAULT_UPDATE": {
		{"TRANSACTIONS", false, func(store.Item) map[string]any { return map[string]any{"error": nil, "new_transactions": 0} }},
		{"AUTH", false, func(it store.Item) map[string]any {
			return map[string]any{"account_ids_with_new_auth": []string{}, "account_ids_with_updated_auth": map[string]any{}, "error": nil}
		}},
		{"INVESTMENTS_TRANSACTIONS", false, func(store.Item) map[string]any {
			return map[string]any{"error": nil, "new_investments_transactions": 0, "canceled_investments_transactions": 0}
		}},
		{"HOLDINGS", false, func(store.Item) map[string]any {
			return map[string]any{"error": nil, "new_holdings": 0, "updated_holdings": 0}
		}},
		{"LIABILITIES", false, func(it store.Item) map[string]any {
			return map[string]any{"error": nil, "account_ids_with_new_liabilities": []string{}, "account_ids_with_updated_liabilities": map[string]any{}}
		}},
	},
	"SYNC_UPDATES_AVAILABLE": {{"TRANSACTIONS", false, func(store.Item) map[string]any {
		return map[string]any{"initial_update_complete": true, "historical_update_complete": true}
	}}},
	"RECURRING_TRANSACTIONS_UPDATE": {{"TRANSACTIONS", false, func(it store.Item) map[string]any {
		return map[string]any{"account_ids": accountIDs(it)}
	}}},
	"NEW_ACCOUNTS_AVAILABLE": {{"ITEM", false, itemBody}},
	"LOGIN_REPAIRED":         {{"ITEM", false, func(store.Item) map[string]any { return map[string]any{} }}},
	"PENDING_DISCONNECT": {{"ITEM", false, func(store.Item) map[string]any {
		return map[string]any{"error": nil, "reason": "INSTITUTION_MIGRATION"}
	}}},
	"USER_PERMISSION_REVOKED": {{"ITEM", false, itemBody}},
	"USER_ACCOUNT_REVOKED": {{"ITEM", false, func(it store.Item) map[string]any {
		return map[string]any{"error": nil, "account_id": firstAccountID(it)}
	}}},
	"SMS_MICRODEPOSITS_VERIFICATION": {{"AUTH", true, func(it store.Item) map[string]any {
		return map[string]any{"account_id": firstAccountID(it), "status": "MANUALLY_VERIFIED"}
	}}},
	"PRODUCT_READY": {{"ASSETS", false, func(store.Item) map[string]any {
		return map[string]any{"asset_report_id": plaid.NewUUID(), "report_type": "FULL"}
	}}},
	"ERROR": {{"ASSETS", false, func(store.Item) map[string]any {
		return map[string]any{"asset_report_id": plaid.NewUUID(), "error": map[string]any{
			"error_type": "ASSET_REPORT_ERROR", "error_code": "PRODUCT_NOT_READY", "error_message": "the asset report could not be generated",
			"display_message": nil}}
	}}},
}

// sandboxItemFireWebhook queues the webhook the request names to the
// Item's webhook URL.
func (s *Server) sandboxItemFireWebhook(ctx context.Context, c *call, req *sandboxItemFireWebhookRequest) (sandboxItemFireWebhookResponse, *plaid.Error) {
	it, e := s.svc.ItemByAccessToken(ctx, c.tenant(), req.AccessToken)
	if e != nil {
		return sandboxItemFireWebhookResponse{}, e
	}
	if e := plaid.Required("webhook_code", req.WebhookCode); e != nil {
		return sandboxItemFireWebhookResponse{}, e
	}
	kinds, ok := firables[req.WebhookCode]
	if !ok {
		return sandboxItemFireWebhookResponse{}, plaid.InvalidField("webhook_code must be one of DEFAULT_UPDATE, NEW_ACCOUNTS_AVAILABLE, SMS_MICRODEPOSITS_VERIFICATION, USER_PERMISSION_REVOKED, USER_ACCOUNT_REVOKED, PENDING_DISCONNECT, RECURRING_TRANSACTIONS_UPDATE, LOGIN_REPAIRED, SYNC_UPDATES_AVAILABLE, PRODUCT_READY, ERROR")
	}
	kind := kinds[0]
	if req.WebhookType != "" {
		i := slices.IndexFunc(kinds, func(f firable) bool { return f.typ == req.WebhookType })
		if i < 0 {
			return sandboxItemFireWebhookResponse{}, plaid.InvalidField(fmt.Sprintf("webhook_type %s has no webhook_code %s", req.WebhookType, req.WebhookCode))
		}
		kind = kinds[i]
	}
	if p := kind.product(); p != "" && !slices.Contains(it.Products, p) {
		return sandboxItemFireWebhookResponse{}, plaid.New("SANDBOX_PRODUCT_NOT_ENABLED", fmt.Sprintf("the Item does not have the product %s that a %s %s webhook is about", kind.product(), kind.typ, req.WebhookCode))
	}
	if it.Webhook == "" {
		return sandboxItemFireWebhookResponse{}, plaid.New("SANDBOX_WEBHOOK_INVALID", "the Item has no webhook URL to fire to: set one with /item/webhook/update")
	}
	if err := s.svc.Commit(func() error {
		return s.store.EnqueueWebhooks(ctx, service.NewWebhook(it, it.Webhook, kind.typ, req.WebhookCode, kind.body(it)))
	}); err != nil {
		return sandboxItemFireWebhookResponse{}, service.StoreError(err)
	}
	return sandboxItemFireWebhookResponse{WebhookFired: true, RequestID: c.requestID}, nil
}
