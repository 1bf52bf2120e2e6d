package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
)

// SandboxLogin is a login that /sandbox/public_token/create and
// /sandbox/processor_token/create make an Item of, without Link.
type SandboxLogin struct {
	InstitutionID string
	// Plan decides the Item's products; the institution must support
	// each of Plan.Products.
	Plan linkconfig.Plan
	// Username and Password log in; empty means user_good and pass_good.
	Username, Password string
	Webhook            string
	// Endpoint is the call, as billing names it.
	Endpoint string
}

// AddSandboxItem logs in at a sandbox institution and makes an Item with
// every sandbox account, without Link, and returns its public token:
// INVALID_INSTITUTION for an institution the sandbox does not have,
// PRODUCTS_NOT_SUPPORTED for products it does not serve, and the login's
// errors (error_<CODE> passwords, a custom user's force_error and a
// malformed configuration fail as in Link; MFA credentials log in without
// their challenges). A custom user's Item has the accounts it configures.
func (s *Service) AddSandboxItem(ctx context.Context, t Tenant, l SandboxLogin) (store.PublicToken, *plaid.Error) {
	in, ok := sandbox.InstitutionByID(l.InstitutionID)
	if !ok {
		return store.PublicToken{}, plaid.InvalidInstitution()
	}
	if !in.Supports(l.Plan.Products) {
		return store.PublicToken{}, &plaid.Error{Status: 400, ErrorType: plaid.TypeInvalidInput, ErrorCode: "PRODUCTS_NOT_SUPPORTED",
			ErrorMessage: fmt.Sprintf("%s does not support the products %v", in.Name, l.Plan.Products)}
	}
	username, password := l.Username, l.Password
	if username == "" {
		username = "user_good"
	}
	if password == "" {
		password = "pass_good"
	}
	custom, e := LogInWithoutMFA(in, username, password)
	if e != nil {
		return store.PublicToken{}, e
	}
	return s.AddItem(ctx, t, NewItem{InstitutionID: in.ID, Webhook: l.Webhook, Plan: l.Plan, Endpoint: l.Endpoint, Custom: custom})
}

// firable is a webhook /sandbox/item/fire_webhook can fire: its type,
// whether any Item may fire it (otherwise only an Item with the product
// that sends the type, as the product registry says), and its body beyond
// webhook_type, webhook_code, item_id and environment.
type firable struct {
	typ     string
	anyItem bool
	body    func(it store.Item, now time.Time) map[string]any
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
func itemBody(store.Item, time.Time) map[string]any { return map[string]any{"error": nil} }

// firables are the webhooks by code; DEFAULT_UPDATE has one per type.
var firables = map[string][]firable{
	"DEFAULT_UPDATE": {
		{"TRANSACTIONS", false, func(it store.Item, now time.Time) map[string]any {
			return map[string]any{"error": nil, "new_transactions": 0}
		}},
		{"AUTH", false, func(it store.Item, now time.Time) map[string]any {
			return map[string]any{"account_ids_with_new_auth": []string{}, "account_ids_with_updated_auth": map[string]any{}, "error": nil}
		}},
		{"INVESTMENTS_TRANSACTIONS", false, func(it store.Item, now time.Time) map[string]any {
			return map[string]any{"error": nil, "new_investments_transactions": 0, "cancelled_investments_transactions": 0}
		}},
		{"HOLDINGS", false, func(it store.Item, now time.Time) map[string]any {
			return map[string]any{"error": nil, "new_holdings": 0, "updated_holdings": 0}
		}},
		{"LIABILITIES", false, func(it store.Item, now time.Time) map[string]any {
			return map[string]any{"error": nil, "account_ids_with_new_liabilities": []string{}, "account_ids_with_updated_liabilities": map[string]any{}}
		}},
	},
	"SYNC_UPDATES_AVAILABLE": {{"TRANSACTIONS", false, func(it store.Item, now time.Time) map[string]any {
		return map[string]any{"initial_update_complete": true, "historical_update_complete": true}
	}}},
	"RECURRING_TRANSACTIONS_UPDATE": {{"TRANSACTIONS", false, func(it store.Item, now time.Time) map[string]any {
		return map[string]any{"account_ids": accountIDs(it)}
	}}},
	"NEW_ACCOUNTS_AVAILABLE": {{"ITEM", false, itemBody}},
	"LOGIN_REPAIRED":         {{"ITEM", false, func(it store.Item, now time.Time) map[string]any { return map[string]any{} }}},
	"PENDING_DISCONNECT": {{"ITEM", false, func(it store.Item, now time.Time) map[string]any {
		// Plaid warns a week before the Item disconnects.
		return map[string]any{"error": nil, "reason": "INSTITUTION_MIGRATION", "disconnect_time": plaid.Time(now.Add(7 * 24 * time.Hour))}
	}}},
	"USER_PERMISSION_REVOKED": {{"ITEM", false, itemBody}},
	"USER_ACCOUNT_REVOKED": {{"ITEM", false, func(it store.Item, now time.Time) map[string]any {
		return map[string]any{"error": nil, "account_id": firstAccountID(it)}
	}}},
	"SMS_MICRODEPOSITS_VERIFICATION": {{"AUTH", true, func(it store.Item, now time.Time) map[string]any {
		return map[string]any{"account_id": firstAccountID(it), "status": "MANUALLY_VERIFIED"}
	}}},
	"PRODUCT_READY": {{"ASSETS", false, func(it store.Item, now time.Time) map[string]any {
		return map[string]any{"asset_report_id": ids.NewUUID(), "report_type": "FULL"}
	}}},
	"ERROR": {{"ASSETS", false, func(it store.Item, now time.Time) map[string]any {
		return map[string]any{"asset_report_id": ids.NewUUID(), "error": map[string]any{
			"error_type": "ASSET_REPORT_ERROR", "error_code": "PRODUCT_NOT_READY", "error_message": "the asset report could not be generated",
			"display_message": nil}}
	}}},
}

// FireWebhook queues the webhook of type typ ("": the code's first) and
// code to the Item's webhook URL, as /sandbox/item/fire_webhook does.
func (s *Service) FireWebhook(ctx context.Context, t Tenant, accessToken, typ, code string) *plaid.Error {
	it, e := s.ItemByAccessToken(ctx, t, accessToken)
	if e != nil {
		return e
	}
	if e := plaid.Required("webhook_code", code); e != nil {
		return e
	}
	kinds, ok := firables[code]
	if !ok {
		return plaid.InvalidField("webhook_code must be one of DEFAULT_UPDATE, NEW_ACCOUNTS_AVAILABLE, SMS_MICRODEPOSITS_VERIFICATION, USER_PERMISSION_REVOKED, USER_ACCOUNT_REVOKED, PENDING_DISCONNECT, RECURRING_TRANSACTIONS_UPDATE, LOGIN_REPAIRED, SYNC_UPDATES_AVAILABLE, PRODUCT_READY, ERROR")
	}
	kind := kinds[0]
	if typ != "" {
		i := slices.IndexFunc(kinds, func(f firable) bool { return f.typ == typ })
		if i < 0 {
			return plaid.InvalidField(fmt.Sprintf("webhook_type %s has no webhook_code %s", typ, code))
		}
		kind = kinds[i]
	}
	if p := kind.product(); p != "" && !slices.Contains(it.Products, p) {
		return plaid.New("SANDBOX_PRODUCT_NOT_ENABLED", fmt.Sprintf("the Item does not have the product %s that a %s %s webhook is about", kind.product(), kind.typ, code))
	}
	if it.Webhook == "" {
		return plaid.New("SANDBOX_WEBHOOK_INVALID", "the Item has no webhook URL to fire to: set one with /item/webhook/update")
	}
	if err := s.Commit(func() error {
		return s.store.EnqueueWebhooks(ctx, NewWebhook(it, it.Webhook, plaid.Hook{Type: kind.typ, Code: code, Fields: kind.body(it, t.Now)}))
	}); err != nil {
		return StoreError(err)
	}
	return nil
}
