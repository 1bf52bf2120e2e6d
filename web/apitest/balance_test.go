package apitest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/plaid/plaid-go/v20/plaid"

	"github.com/linkharness/linkharness/internal/spec"
)

// conforms posts body to path, wants a 200 and checks the answer against
// the spec's response schema of the path, with kin-openapi.
func (e *emulator) conforms(t *testing.T, doc *openapi3.T, path string, body any) map[string]any {
	t.Helper()
	status, out := e.post(t, path, body, false)
	if status != http.StatusOK {
		t.Fatalf("%s: %d %v", path, status, out)
	}
	validate(t, doc, path, out)
	return out
}

// validate checks v against the spec's 200 response schema of path.
func validate(t *testing.T, doc *openapi3.T, path string, v map[string]any) {
	t.Helper()
	op, ok := spec.Load().Operation(http.MethodPost, path)
	if !ok {
		t.Fatalf("the spec has no POST %s", path)
	}
	sc := doc.Components.Schemas[op.Response]
	if sc == nil || sc.Value == nil {
		t.Fatalf("no schema %s", op.Response)
	}
	// Through JSON again, as kin-openapi takes decoded JSON.
	b, _ := json.Marshal(v)
	var x any
	json.Unmarshal(b, &x)
	if err := sc.Value.VisitJSON(x); err != nil {
		t.Errorf("%s does not validate against %s: %v\n%s", path, op.Response, err, b)
	}
}

// call posts body to path with raw HTTP, for the endpoints plaid-go v20
// does not know, and answers as plaid-go would: nil for a 200, whose body
// it validates against the spec's response schema of the path, or the
// error as plaid-go returns it, for wantPlaidError and plaidErr.
func (e *emulator) call(t *testing.T, doc *openapi3.T, path string, body any) error {
	t.Helper()
	status, out := e.post(t, path, body, false)
	if status == http.StatusOK {
		validate(t, doc, path, out)
		return nil
	}
	raw, _ := json.Marshal(out)
	return plaid.MakeGenericOpenAPIError(raw, fmt.Sprintf("%d %s", status, http.StatusText(status)), nil)
}

// wantCase checks the answer err of a call with the token of tt: a 200,
// or its error code with HTTP status 400, as Plaid answers each error of
// a token or an Item.
func wantCase(t *testing.T, path string, tt tokenCase, err error) {
	t.Helper()
	if tt.code == "" {
		if err != nil {
			t.Errorf("%s with %s: %v, want a 200", path, tt.name, err)
		}
		return
	}
	wantPlaidError(t, path+" with "+tt.name, err, tt.code)
	if err != nil && !strings.HasPrefix(err.Error(), "400 ") {
		t.Errorf("%s with %s: HTTP status %q, want 400", path, tt.name, err.Error())
	}
}

// wantPlaidError checks that err is Plaid's error code.
func wantPlaidError(t *testing.T, what string, err error, code string) {
	t.Helper()
	if pe := plaidErr(t, err); pe.ErrorCode != code || pe.RequestId == nil || len(*pe.RequestId) != 15 {
		t.Errorf("%s: %+v, want %s", what, pe, code)
	}
}

// linkedItem is an Item linked through a link token with the given
// products and accounts, and its access token.
func (e *emulator) linkedItem(t *testing.T, products []plaid.Products, accounts ...string) plaid.ItemPublicTokenExchangeResponse {
	t.Helper()
	ctx := context.Background()
	req := plaid.NewLinkTokenCreateRequest("API Test", "en", []plaid.CountryCode{plaid.COUNTRYCODE_US}, *plaid.NewLinkTokenCreateRequestUser("user-1"))
	req.SetProducts(products)
	lt, _, err := e.plaid.LinkTokenCreate(ctx).LinkTokenCreateRequest(*req).Execute()
	if err != nil {
		t.Fatal(err)
	}
	done := e.kit.Must(t, "/linkharness/session/complete", map[string]any{"link_token": lt.LinkToken, "accounts": accounts})
	ex, _, err := e.plaid.ItemPublicTokenExchange(ctx).ItemPublicTokenExchangeRequest(*plaid.NewItemPublicTokenExchangeRequest(done["public_token"].(string))).Execute()
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// ledger is the billing ledger of an Item, as billable/fee_model pairs,
// with each entry.
func (e *emulator) ledger(t *testing.T, itemID string) ([]string, []map[string]any) {
	t.Helper()
	var pairs []string
	var entries []map[string]any
	for _, b := range e.kit.Must(t, "/linkharness/billing/list", map[string]any{"item_id": itemID})["billing"].([]any) {
		m := b.(map[string]any)
		pairs = append(pairs, m["billable"].(string)+"/"+m["fee_model"].(string))
		entries = append(entries, m)
	}
	return pairs, entries
}

// val is a nullable number's value, -1 for null.
func val(f *float64) float64 {
	if f == nil {
		return -1
	}
	return *f
}

// TestBalance drives /accounts/balance/get with plaid-go: the accounts and
// balances of /accounts/get, the account_ids filter, each call billed
// per request, and the errors of a bad account, token or Item.
func TestBalance(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	ex := e.linkedItem(t, []plaid.Products{plaid.PRODUCTS_TRANSACTIONS}, "Plaid Checking", "Plaid Credit Card")

	accounts, _, err := e.plaid.AccountsGet(ctx).AccountsGetRequest(*plaid.NewAccountsGetRequest(ex.AccessToken)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	bal, _, err := e.plaid.AccountsBalanceGet(ctx).AccountsBalanceGetRequest(*plaid.NewAccountsBalanceGetRequest(ex.AccessToken)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if len(bal.Accounts) != 2 || len(bal.Accounts) != len(accounts.Accounts) || bal.Item.ItemId != ex.ItemId {
		t.Fatalf("/accounts/balance/get %+v", bal)
	}
	for i, a := range bal.Accounts {
		g := accounts.Accounts[i]
		if a.AccountId != g.AccountId || a.Name != g.Name || a.Mask.Get() == nil || *a.Mask.Get() != *g.Mask.Get() ||
			!slices.Equal([]float64{val(a.Balances.Available.Get()), val(a.Balances.Current.Get()), val(a.Balances.Limit.Get())},
				[]float64{val(g.Balances.Available.Get()), val(g.Balances.Current.Get()), val(g.Balances.Limit.Get())}) ||
			a.Balances.GetIsoCurrencyCode() != "USD" || a.Balances.LastUpdatedDatetime.Get() != nil {
			t.Errorf("account %d: %+v, /accounts/get has %+v", i, a, g)
		}
	}
	if *bal.Accounts[0].Balances.Current.Get() != 110 || *bal.Accounts[1].Balances.Limit.Get() != 2000 {
		t.Errorf("balances %+v %+v", bal.Accounts[0].Balances, bal.Accounts[1].Balances)
	}
	checkRequestID(t, "/accounts/balance/get", bal.RequestId)

	// options: one account, and a min_last_updated_datetime a real-time
	// balance meets.
	req := plaid.NewAccountsBalanceGetRequest(ex.AccessToken)
	opts := plaid.NewAccountsBalanceGetRequestOptions()
	opts.SetAccountIds([]string{bal.Accounts[1].AccountId})
	opts.SetMinLastUpdatedDatetime(time.Now().Add(-time.Hour))
	req.SetOptions(*opts)
	one, _, err := e.plaid.AccountsBalanceGet(ctx).AccountsBalanceGetRequest(*req).Execute()
	if err != nil || len(one.Accounts) != 1 || one.Accounts[0].AccountId != bal.Accounts[1].AccountId {
		t.Errorf("one account: %+v %v", one, err)
	}
	body := e.conforms(t, doc, "/accounts/balance/get", map[string]any{"access_token": ex.AccessToken})
	if b := body["accounts"].([]any)[0].(map[string]any)["balances"].(map[string]any); b["last_updated_datetime"] != nil || b["current"] != 110.0 {
		t.Errorf("balances %v", b)
	}

	// Three successful calls, three entries; the failing ones bill
	// nothing.
	opts.SetAccountIds([]string{"nope"})
	req.SetOptions(*opts)
	_, _, err = e.plaid.AccountsBalanceGet(ctx).AccountsBalanceGetRequest(*req).Execute()
	wantPlaidError(t, "unknown account", err, "INVALID_ACCOUNT_ID")
	status, out := e.post(t, "/accounts/balance/get", map[string]any{"access_token": ex.AccessToken, "options": map[string]any{"min_last_updated_datetime": "yesterday"}}, false)
	if status != 400 || out["error_code"] != "INVALID_FIELD" {
		t.Errorf("a min_last_updated_datetime that is no time: %d %v", status, out)
	}
	pairs, entries := e.ledger(t, ex.ItemId)
	if !slices.Equal(pairs, []string{"transactions/subscription", "balance/per_request", "balance/per_request", "balance/per_request"}) {
		t.Errorf("ledger %v", pairs)
	}
	if entries[1]["request_id"] != bal.RequestId || entries[1]["endpoint"] != "/accounts/balance/get" || entries[1]["ended_at"] != nil {
		t.Errorf("billed call %v, want request %s", entries[1], bal.RequestId)
	}
	if slices.Contains(bal.Item.BilledProducts, "balance") {
		t.Errorf("billed_products %v: Balance is billed per call, not per Item", bal.Item.BilledProducts)
	}

	// An Item needing login fails unbilled, as /accounts/get does; a
	// public token is no access token; a removed Item is gone.
	pt, _, err := e.plaid.SandboxPublicTokenCreate(ctx).SandboxPublicTokenCreateRequest(*plaid.NewSandboxPublicTokenCreateRequest("ins_109508", []plaid.Products{"auth"})).Execute()
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := e.plaid.ItemPublicTokenExchange(ctx).ItemPublicTokenExchangeRequest(*plaid.NewItemPublicTokenExchangeRequest(pt.PublicToken)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.plaid.SandboxItemResetLogin(ctx).SandboxItemResetLoginRequest(*plaid.NewSandboxItemResetLoginRequest(other.AccessToken)).Execute(); err != nil {
		t.Fatal(err)
	}
	balance := func(token string) error {
		_, _, err := e.plaid.AccountsBalanceGet(ctx).AccountsBalanceGetRequest(*plaid.NewAccountsBalanceGetRequest(token)).Execute()
		return err
	}
	wantPlaidError(t, "Item in ITEM_LOGIN_REQUIRED", balance(other.AccessToken), "ITEM_LOGIN_REQUIRED")
	if pairs, _ := e.ledger(t, other.ItemId); slices.Contains(pairs, "balance/per_request") {
		t.Errorf("a failed call was billed: %v", pairs)
	}
	wantPlaidError(t, "unknown access token", balance("access-sandbox-00000000-0000-4000-8000-000000000000"), "INVALID_ACCESS_TOKEN")
	wantPlaidError(t, "public token for an access token", balance(pt.PublicToken), "INVALID_ACCESS_TOKEN")
	if _, _, err := e.plaid.ItemRemove(ctx).ItemRemoveRequest(*plaid.NewItemRemoveRequest(ex.AccessToken)).Execute(); err != nil {
		t.Fatal(err)
	}
	wantPlaidError(t, "removed Item", balance(ex.AccessToken), "INVALID_ACCESS_TOKEN")
	if _, entries := e.ledger(t, ex.ItemId); len(entries) != 4 || entries[0]["ended_at"] == nil {
		t.Errorf("ledger after /item/remove: %v, want the subscription ended and the billed calls kept", entries)
	}
}
