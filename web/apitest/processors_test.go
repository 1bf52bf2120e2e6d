package apitest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/plaid/plaid-go/v20/plaid"

	"github.com/linkharness/linkharness/internal/spec"
	"github.com/linkharness/linkharness/web"
)

// specCheck validates answers against the 200 response schema of their
// operation in Plaid's spec, with kin-openapi.
type specCheck struct {
	s   *spec.Spec
	doc *openapi3.T
}

func newSpecCheck(t *testing.T) specCheck {
	s := spec.Load()
	return specCheck{s: s, doc: openAPI(t, s)}
}

// ok checks that the call of POST path succeeded and that its body (which
// plaid-go leaves readable) validates against the operation's response
// schema, and returns the body decoded, for the fields plaid-go v20 does
// not know.
func (c specCheck) ok(t *testing.T, path string, resp *http.Response, err error) map[string]any {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	op, found := c.s.Operation(http.MethodPost, path)
	if !found || op.Response == "" {
		t.Fatalf("%s: no response schema in the spec", path)
	}
	raw, _ := io.ReadAll(resp.Body)
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s: not a JSON object: %s", path, raw)
	}
	if err := c.doc.Components.Schemas[op.Response].Value.VisitJSON(v); err != nil {
		t.Errorf("%s does not validate against %s: %v\n%s", path, op.Response, err, raw)
	}
	return v
}

// TestProcessorTokens links an Item, hands its checking account to a
// partner with a processor token and reads it through every partner
// endpoint with plaid-go, each answer validated against the spec; then
// the token's permissions and webhook, and the end of it all with
// /item/remove.
func TestProcessorTokens(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	check := newSpecCheck(t)
	api := e.plaid

	pt, _, err := api.SandboxPublicTokenCreate(ctx).SandboxPublicTokenCreateRequest(*plaid.NewSandboxPublicTokenCreateRequest("ins_109508",
		[]plaid.Products{plaid.PRODUCTS_AUTH, plaid.PRODUCTS_IDENTITY, plaid.PRODUCTS_TRANSACTIONS})).Execute()
	if err != nil {
		t.Fatal(err)
	}
	ex, _, err := api.ItemPublicTokenExchange(ctx).ItemPublicTokenExchangeRequest(*plaid.NewItemPublicTokenExchangeRequest(pt.PublicToken)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	access := ex.AccessToken
	accounts, _, err := api.AccountsGet(ctx).AccountsGetRequest(*plaid.NewAccountsGetRequest(access)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	byMask := map[string]string{}
	for _, a := range accounts.Accounts {
		byMask[a.GetMask()] = a.AccountId
	}
	checking := byMask["0000"]

	created, resp, err := api.ProcessorTokenCreate(ctx).ProcessorTokenCreateRequest(*plaid.NewProcessorTokenCreateRequest(access, checking, "dwolla")).Execute()
	check.ok(t, "/processor/token/create", resp, err)
	token := created.ProcessorToken
	if !strings.HasPrefix(token, "processor-sandbox-") || len(token) != len("processor-sandbox-")+36 {
		t.Errorf("processor token %q", token)
	}
	checkRequestID(t, "/processor/token/create", created.RequestId)

	account, resp, err := api.ProcessorAccountGet(ctx).ProcessorAccountGetRequest(*plaid.NewProcessorAccountGetRequest(token)).Execute()
	raw := check.ok(t, "/processor/account/get", resp, err)
	if account.Account.AccountId != checking || raw["institution_id"] != "ins_109508" || account.Account.Name != "Plaid Checking" {
		t.Errorf("/processor/account/get %+v, institution_id %v", account, raw["institution_id"])
	}

	balance, resp, err := api.ProcessorBalanceGet(ctx).ProcessorBalanceGetRequest(*plaid.NewProcessorBalanceGetRequest(token)).Execute()
	check.ok(t, "/processor/balance/get", resp, err)
	if balance.Account.AccountId != checking || balance.Account.Balances.GetAvailable() != 100 || balance.Account.Balances.GetCurrent() != 110 {
		t.Errorf("/processor/balance/get %+v", balance.Account.Balances)
	}

	auth, resp, err := api.ProcessorAuthGet(ctx).ProcessorAuthGetRequest(*plaid.NewProcessorAuthGetRequest(token)).Execute()
	check.ok(t, "/processor/auth/get", resp, err)
	if ach := auth.Numbers.Ach.Get(); ach == nil || ach.AccountId != checking || ach.Account != "1111222233330000" || ach.Routing != "011401533" ||
		auth.Numbers.Eft.Get() != nil || auth.Account.AccountId != checking {
		t.Errorf("/processor/auth/get %+v", auth)
	}

	identity, resp, err := api.ProcessorIdentityGet(ctx).ProcessorIdentityGetRequest(*plaid.NewProcessorIdentityGetRequest(token)).Execute()
	check.ok(t, "/processor/identity/get", resp, err)
	if identity.Account.AccountId != checking || len(identity.Account.Owners) == 0 || identity.Account.Owners[0].Names[0] != "Alberta Bobbeth Charleson" {
		t.Errorf("/processor/identity/get %+v", identity.Account)
	}

	// The account's transactions, three at a time, then nothing new.
	var added []string
	cursor := ""
	for more := true; more; {
		req := plaid.NewProcessorTransactionsSyncRequest(token)
		req.SetCount(3)
		if cursor != "" {
			req.SetCursor(cursor)
		}
		page, resp, err := api.ProcessorTransactionsSync(ctx).ProcessorTransactionsSyncRequest(*req).Execute()
		check.ok(t, "/processor/transactions/sync", resp, err)
		for _, tr := range page.Added {
			if tr.AccountId != checking {
				t.Errorf("/processor/transactions/sync: a transaction of account %s", tr.AccountId)
			}
			added = append(added, tr.TransactionId)
		}
		if cursor, more = page.NextCursor, page.HasMore; len(added) > 1000 {
			t.Fatal("the feed does not end")
		}
	}
	item, _, err := api.TransactionsSync(ctx).TransactionsSyncRequest(*plaid.NewTransactionsSyncRequest(access)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	var ofChecking []string
	for _, tr := range item.Added {
		if tr.AccountId == checking {
			ofChecking = append(ofChecking, tr.TransactionId)
		}
	}
	if len(added) == 0 || !slices.Equal(added, ofChecking) {
		t.Errorf("/processor/transactions/sync gave %d transactions, /transactions/sync %d of the account", len(added), len(ofChecking))
	}
	again := plaid.NewProcessorTransactionsSyncRequest(token)
	again.SetCursor(cursor)
	if last, _, err := api.ProcessorTransactionsSync(ctx).ProcessorTransactionsSyncRequest(*again).Execute(); err != nil || len(last.Added) != 0 || last.NextCursor != cursor {
		t.Errorf("the last cursor again: %+v %v", last, err)
	}
	itemCursor := plaid.NewProcessorTransactionsSyncRequest(token)
	itemCursor.SetCursor(item.NextCursor)
	_, _, err = api.ProcessorTransactionsSync(ctx).ProcessorTransactionsSyncRequest(*itemCursor).Execute()
	if pe := plaidErr(t, err); pe.ErrorCode != "INVALID_FIELD" {
		t.Errorf("the Item's cursor on the processor feed: %+v", pe)
	}

	// Permissions: all by default, then Auth and Balance only.
	perms, resp, err := api.ProcessorTokenPermissionsGet(ctx).ProcessorTokenPermissionsGetRequest(*plaid.NewProcessorTokenPermissionsGetRequest(token)).Execute()
	check.ok(t, "/processor/token/permissions/get", resp, err)
	if len(perms.Products) != 0 {
		t.Errorf("default permissions %v, want [] (all)", perms.Products)
	}
	_, resp, err = api.ProcessorTokenPermissionsSet(ctx).ProcessorTokenPermissionsSetRequest(*plaid.NewProcessorTokenPermissionsSetRequest(token,
		[]plaid.Products{plaid.PRODUCTS_AUTH, plaid.PRODUCTS_BALANCE})).Execute()
	check.ok(t, "/processor/token/permissions/set", resp, err)
	perms, resp, err = api.ProcessorTokenPermissionsGet(ctx).ProcessorTokenPermissionsGetRequest(*plaid.NewProcessorTokenPermissionsGetRequest(token)).Execute()
	check.ok(t, "/processor/token/permissions/get", resp, err)
	if !slices.Equal(perms.Products, []plaid.Products{plaid.PRODUCTS_AUTH, plaid.PRODUCTS_BALANCE}) {
		t.Errorf("permissions %v", perms.Products)
	}
	if _, _, err := api.ProcessorAuthGet(ctx).ProcessorAuthGetRequest(*plaid.NewProcessorAuthGetRequest(token)).Execute(); err != nil {
		t.Errorf("/processor/auth/get with Auth permitted: %v", err)
	}
	_, _, err = api.ProcessorIdentityGet(ctx).ProcessorIdentityGetRequest(*plaid.NewProcessorIdentityGetRequest(token)).Execute()
	if pe := plaidErr(t, err); pe.ErrorCode != "INVALID_PRODUCT" || pe.ErrorType != "INVALID_INPUT" {
		t.Errorf("/processor/identity/get without Identity permitted: %+v", pe)
	}
	_, _, err = api.ProcessorTransactionsSync(ctx).ProcessorTransactionsSyncRequest(*plaid.NewProcessorTransactionsSyncRequest(token)).Execute()
	if pe := plaidErr(t, err); pe.ErrorCode != "INVALID_PRODUCT" {
		t.Errorf("/processor/transactions/sync without Transactions permitted: %+v", pe)
	}
	if _, _, err := api.ProcessorAccountGet(ctx).ProcessorAccountGetRequest(*plaid.NewProcessorAccountGetRequest(token)).Execute(); err != nil {
		t.Errorf("/processor/account/get needs no product: %v", err)
	}
	if _, _, err := api.ProcessorTokenPermissionsSet(ctx).ProcessorTokenPermissionsSetRequest(*plaid.NewProcessorTokenPermissionsSetRequest(token, []plaid.Products{})).Execute(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := api.ProcessorIdentityGet(ctx).ProcessorIdentityGetRequest(*plaid.NewProcessorIdentityGetRequest(token)).Execute(); err != nil {
		t.Errorf("/processor/identity/get with all permitted again: %v", err)
	}

	// The token's webhook.
	url := e.hooks.URL + "/partner"
	_, resp, err = api.ProcessorTokenWebhookUpdate(ctx).ProcessorTokenWebhookUpdateRequest(*plaid.NewProcessorTokenWebhookUpdateRequest(token, *plaid.NewNullableString(&url))).Execute()
	check.ok(t, "/processor/token/webhook/update", resp, err)
	hook := e.hooks.WaitFor(t, 1, "PROCESSOR_TOKEN", "WEBHOOK_UPDATE_ACKNOWLEDGED")[0]
	if hook.Webhook["account_id"] != checking || hook.Webhook["new_webhook_url"] != url || hook.Webhook["item_id"] != nil {
		t.Errorf("PROCESSOR_TOKEN WEBHOOK_UPDATE_ACKNOWLEDGED %v", hook.Webhook)
	}
	if err := check.doc.Components.Schemas["ProcessorTokenWebhookUpdate"].Value.VisitJSON(hook.Webhook); err != nil {
		t.Errorf("the webhook does not validate against ProcessorTokenWebhookUpdate: %v\n%s", err, hook.Body)
	}

	// Stripe's token, and a token without Link.
	stripe, resp, err := api.ProcessorStripeBankAccountTokenCreate(ctx).ProcessorStripeBankAccountTokenCreateRequest(*plaid.NewProcessorStripeBankAccountTokenCreateRequest(access, checking)).Execute()
	check.ok(t, "/processor/stripe/bank_account_token/create", resp, err)
	if !strings.HasPrefix(stripe.StripeBankAccountToken, "btok_") {
		t.Errorf("Stripe bank account token %q", stripe.StripeBankAccountToken)
	}
	sandbox, resp, err := api.SandboxProcessorTokenCreate(ctx).SandboxProcessorTokenCreateRequest(*plaid.NewSandboxProcessorTokenCreateRequest("ins_109508")).Execute()
	check.ok(t, "/sandbox/processor_token/create", resp, err)
	if sa, _, err := api.ProcessorAuthGet(ctx).ProcessorAuthGetRequest(*plaid.NewProcessorAuthGetRequest(sandbox.ProcessorToken)).Execute(); err != nil ||
		sa.Account.Name != "Plaid Checking" || sa.Account.AccountId == checking {
		t.Errorf("/processor/auth/get of a sandbox token: %+v %v", sa, err)
	}

	// /item/remove ends the partner's access: every partner endpoint fails.
	if _, _, err := api.ItemRemove(ctx).ItemRemoveRequest(*plaid.NewItemRemoveRequest(access)).Execute(); err != nil {
		t.Fatal(err)
	}
	for path, err := range partnerCalls(ctx, api, token, url) {
		if pe := plaidErr(t, err); pe.ErrorCode != "ITEM_NOT_FOUND" || pe.ErrorType != "ITEM_ERROR" {
			t.Errorf("%s after /item/remove: %+v", path, pe)
		}
	}
	// The sandbox token's Item is another: it still answers.
	if _, _, err := api.ProcessorAccountGet(ctx).ProcessorAccountGetRequest(*plaid.NewProcessorAccountGetRequest(sandbox.ProcessorToken)).Execute(); err != nil {
		t.Errorf("/processor/account/get of another Item's token: %v", err)
	}
}

// partnerCalls calls every endpoint that takes a processor token with
// token (the webhook update with url), in the order written, and returns
// each call's error by path.
func partnerCalls(ctx context.Context, api *plaid.PlaidApiService, token, url string) map[string]error {
	out := map[string]error{}
	_, _, out["/processor/account/get"] = api.ProcessorAccountGet(ctx).ProcessorAccountGetRequest(*plaid.NewProcessorAccountGetRequest(token)).Execute()
	_, _, out["/processor/balance/get"] = api.ProcessorBalanceGet(ctx).ProcessorBalanceGetRequest(*plaid.NewProcessorBalanceGetRequest(token)).Execute()
	_, _, out["/processor/auth/get"] = api.ProcessorAuthGet(ctx).ProcessorAuthGetRequest(*plaid.NewProcessorAuthGetRequest(token)).Execute()
	_, _, out["/processor/identity/get"] = api.ProcessorIdentityGet(ctx).ProcessorIdentityGetRequest(*plaid.NewProcessorIdentityGetRequest(token)).Execute()
	_, _, out["/processor/transactions/sync"] = api.ProcessorTransactionsSync(ctx).ProcessorTransactionsSyncRequest(*plaid.NewProcessorTransactionsSyncRequest(token)).Execute()
	_, _, out["/processor/token/permissions/get"] = api.ProcessorTokenPermissionsGet(ctx).ProcessorTokenPermissionsGetRequest(*plaid.NewProcessorTokenPermissionsGetRequest(token)).Execute()
	_, _, out["/processor/token/permissions/set"] = api.ProcessorTokenPermissionsSet(ctx).ProcessorTokenPermissionsSetRequest(*plaid.NewProcessorTokenPermissionsSetRequest(token, []plaid.Products{plaid.PRODUCTS_AUTH})).Execute()
	_, _, out["/processor/token/webhook/update"] = api.ProcessorTokenWebhookUpdate(ctx).ProcessorTokenWebhookUpdateRequest(*plaid.NewProcessorTokenWebhookUpdateRequest(token, *plaid.NewNullableString(&url))).Execute()
	return out
}

// TestProcessorTokenErrors checks the tokens every partner endpoint
// refuses with INVALID_PROCESSOR_TOKEN: one never issued, an access
// token, and another client's; and the developer endpoints' errors.
func TestProcessorTokenErrors(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	api := e.plaid
	pt := e.kit.Must(t, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": []string{"auth"}})["public_token"].(string)
	access := e.kit.Must(t, "/item/public_token/exchange", map[string]any{"public_token": pt})["access_token"].(string)

	hook := e.hooks.URL + "/partner"
	for name, token := range map[string]string{
		"never issued":    "processor-sandbox-00000000-0000-4000-8000-000000000000",
		"an access token": access,
		"a public token":  e.kit.Must(t, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": []string{"auth"}})["public_token"].(string),
		"not a token":     "nope",
	} {
		for path, err := range partnerCalls(ctx, api, token, hook) {
			if pe := plaidErr(t, err); pe.ErrorCode != "INVALID_PROCESSOR_TOKEN" || pe.ErrorType != "INVALID_INPUT" {
				t.Errorf("%s with %s: %+v", path, name, pe)
			}
		}
	}

	_, _, err := api.ProcessorTokenCreate(ctx).ProcessorTokenCreateRequest(*plaid.NewProcessorTokenCreateRequest(access, "no-such-account", "dwolla")).Execute()
	if pe := plaidErr(t, err); pe.ErrorCode != "INVALID_ACCOUNT_ID" {
		t.Errorf("/processor/token/create for an unknown account: %+v", pe)
	}
	_, _, err = api.ProcessorTokenCreate(ctx).ProcessorTokenCreateRequest(*plaid.NewProcessorTokenCreateRequest(access, "x", "no_such_processor")).Execute()
	if pe := plaidErr(t, err); pe.ErrorCode != "INVALID_FIELD" {
		t.Errorf("/processor/token/create for a processor outside the spec's enum: %+v", pe)
	}
	_, _, err = api.SandboxProcessorTokenCreate(ctx).SandboxProcessorTokenCreateRequest(*plaid.NewSandboxProcessorTokenCreateRequest("ins_nope")).Execute()
	if pe := plaidErr(t, err); pe.ErrorCode != "INVALID_INSTITUTION" {
		t.Errorf("/sandbox/processor_token/create at an unknown institution: %+v", pe)
	}
	locked := plaid.NewSandboxProcessorTokenCreateRequest("ins_109508")
	opts := plaid.NewSandboxProcessorTokenCreateRequestOptions()
	opts.SetOverrideUsername("user_good")
	opts.SetOverridePassword("error_ITEM_LOCKED")
	locked.SetOptions(*opts)
	_, _, err = api.SandboxProcessorTokenCreate(ctx).SandboxProcessorTokenCreateRequest(*locked).Execute()
	if pe := plaidErr(t, err); pe.ErrorCode != "ITEM_LOCKED" {
		t.Errorf("/sandbox/processor_token/create with error_ITEM_LOCKED: %+v", pe)
	}

	if externalURL != "" {
		t.Log("another client's processor token: checked in process only, where the server has a second client")
		return
	}
	// Another client's token is unknown, as its tokens and Items are.
	other := web.Client{ClientID: "apitest-other", Secret: "apitest-other-secret", PublicKey: "apitest-other-key"}
	s := web.New(web.Options{Clients: []web.Client{client, other}})
	srv := httptest.NewServer(s)
	t.Cleanup(func() { srv.Close(); s.Close() })
	mine, theirs := clientOf(srv.URL, client), clientOf(srv.URL, other)
	sp, _, err := theirs.SandboxProcessorTokenCreate(ctx).SandboxProcessorTokenCreateRequest(*plaid.NewSandboxProcessorTokenCreateRequest("ins_109508")).Execute()
	if err != nil {
		t.Fatal(err)
	}
	for path, err := range partnerCalls(ctx, mine, sp.ProcessorToken, hook) {
		if pe := plaidErr(t, err); pe.ErrorCode != "INVALID_PROCESSOR_TOKEN" {
			t.Errorf("%s with another client's token: %+v", path, pe)
		}
	}
	if _, _, err := theirs.ProcessorAccountGet(ctx).ProcessorAccountGetRequest(*plaid.NewProcessorAccountGetRequest(sp.ProcessorToken)).Execute(); err != nil {
		t.Errorf("the token's own client: %v", err)
	}
}

// TestProcessorTokensOfItemsInError calls the developer's processor
// endpoints with plaid-go and each kind of token that names no Item
// (accessTokenCases): INVALID_ACCESS_TOKEN. Of an Item whose login is
// required, /processor/token/create still makes a token, as nothing is
// read at the bank, while /processor/stripe/bank_account_token/create,
// which hands over the account's numbers, fails with ITEM_LOGIN_REQUIRED.
// With that token the partner's data endpoints fail with
// ITEM_LOGIN_REQUIRED too, and its settings (permissions, webhook) are
// served.
func TestProcessorTokensOfItemsInError(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	api := e.plaid
	removed, _ := e.hookedItem(t, "/removed", "auth")
	e.kit.Must(t, "/item/remove", map[string]any{"access_token": removed})
	broken, _ := e.hookedItem(t, "/broken", "auth", "identity", "transactions")
	checking := e.kit.Must(t, "/accounts/get", map[string]any{"access_token": broken})["accounts"].([]any)[0].(map[string]any)["account_id"].(string)
	e.kit.Must(t, "/sandbox/item/reset_login", map[string]any{"access_token": broken})

	var token string // the processor token of the Item in error
	for _, ep := range []struct {
		path   string
		broken string // the code for the Item in error
		call   func(access string) error
	}{
		{"/processor/token/create", "", func(access string) error {
			out, _, err := api.ProcessorTokenCreate(ctx).ProcessorTokenCreateRequest(*plaid.NewProcessorTokenCreateRequest(access, checking, "dwolla")).Execute()
			if access == broken && err == nil {
				token = out.ProcessorToken
			}
			return err
		}},
		{"/processor/stripe/bank_account_token/create", "ITEM_LOGIN_REQUIRED", func(access string) error {
			_, _, err := api.ProcessorStripeBankAccountTokenCreate(ctx).ProcessorStripeBankAccountTokenCreateRequest(*plaid.NewProcessorStripeBankAccountTokenCreateRequest(access, checking)).Execute()
			return err
		}},
	} {
		for _, tt := range e.accessTokenCases(t, removed, broken, ep.broken) {
			wantCase(t, ep.path, tt, ep.call(tt.token))
		}
	}
	if token == "" {
		t.Fatal("no processor token of the Item in error")
	}

	serves := []string{"/processor/token/permissions/get", "/processor/token/permissions/set", "/processor/token/webhook/update"}
	for path, err := range partnerCalls(ctx, api, token, e.hooks.URL+"/partner") {
		if slices.Contains(serves, path) {
			if err != nil {
				t.Errorf("%s of an Item in error: %v, want a 200", path, err)
			}
			continue
		}
		if pe := plaidErr(t, err); pe.ErrorCode != "ITEM_LOGIN_REQUIRED" || pe.ErrorType != "ITEM_ERROR" {
			t.Errorf("%s of an Item in error: %+v", path, pe)
		}
	}
	e.hooks.WaitFor(t, 1, "PROCESSOR_TOKEN", "WEBHOOK_UPDATE_ACKNOWLEDGED")
}

// clientOf is plaid-go pointed at url with c's credentials.
func clientOf(url string, c web.Client) *plaid.PlaidApiService {
	cfg := plaid.NewConfiguration()
	cfg.UseEnvironment(plaid.Environment(url))
	cfg.AddDefaultHeader("PLAID-CLIENT-ID", c.ClientID)
	cfg.AddDefaultHeader("PLAID-SECRET", c.Secret)
	return plaid.NewAPIClient(cfg).PlaidApi
}
