package web_test

import (
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/web"
)

// connectAt runs what the engine does to add an Item at an institution
// with the named accounts, in session, and returns the public token.
func connectAt(t *testing.T, srv *httptest.Server, token, session, institution string, accounts []string) string {
	t.Helper()
	status, created := post(t, srv, protocol.PathItemCreate, protocol.ItemCreateRequest{LinkToken: token, LinkSessionID: session,
		InstitutionID: institution, Username: "user_good", Password: "pass_good"})
	if status != 200 {
		t.Fatalf("item create: %d %v", status, created)
	}
	var ids []string
	for _, a := range created["accounts"].([]any) {
		a := a.(map[string]any)
		if slices.Contains(accounts, a["name"].(string)) {
			ids = append(ids, a["id"].(string))
		}
	}
	status, connected := post(t, srv, protocol.PathItemConnect, protocol.ItemConnectRequest{LinkToken: token, LinkSessionID: session,
		ItemID: created["item_id"].(string), AccountIDs: ids})
	if status != 200 {
		t.Fatalf("item connect: %d %v", status, connected)
	}
	return connected["public_token"].(string)
}

// strs turns a decoded JSON array into strings.
func strs(v any) []string {
	out := []string{}
	for _, s := range v.([]any) {
		out = append(out, s.(string))
	}
	return out
}

// billables lists the ledger's billables of an Item, in order.
func billables(t *testing.T, srv *httptest.Server, itemID string) []string {
	t.Helper()
	out := []string{}
	for _, e := range must(t, srv, &alice, "/linkharness/billing/list", map[string]any{"item_id": itemID})["billing"].([]any) {
		out = append(out, e.(map[string]any)["billable"].(string))
	}
	return out
}

func names(ins []sandbox.Institution) []string {
	var out []string
	for _, in := range ins {
		out = append(out, in.ID)
	}
	return out
}

// productCall is a product endpoint called after Link, with the error
// code it should fail with ("" for success) and the ledger after it.
type productCall struct {
	path        string
	body        map[string]any
	wantErr     string
	wantBilling []string
}

// TestProductInitialization walks every row of the product-initialization
// table (products, required_if_supported_products, optional_products,
// additional_consented_products) and every recommended combination of
// Plaid's product initialization guide
// (https://plaid.com/docs/link/initializing-products/): the institutions Link lists, the accounts it
// offers, the Item's products, billed, available and consented products,
// the billing ledger, and the product endpoints called afterwards.
func TestProductInitialization(t *testing.T) {
	all := []string{"Plaid Checking", "Plaid Saving", "Plaid CD", "Plaid Credit Card", "Plaid Money Market", "Plaid IRA", "Plaid 401k", "Plaid Student Loan", "Plaid Mortgage"}
	window := map[string]any{"start_date": "2000-01-01", "end_date": "2100-01-01"}
	tests := []struct {
		name        string
		token       map[string]any
		listed      []string // institutions that must be listed
		notListed   []string // and that must not
		offered     []string // the accounts Link offers
		institution string
		choose      []string
		products    []string
		billed      []string
		consented   []string
		billing     []string // ledger billables at creation
		calls       []productCall
	}{
		{
			name: "products: the Item gets them, billed at creation", token: map[string]any{"products": []string{"transactions"}},
			listed: []string{"ins_109508", "ins_109512", "ins_130016"}, offered: all[:5],
			institution: "ins_109508", choose: []string{"Plaid Checking"},
			products: []string{"transactions"}, billed: []string{"transactions"}, consented: []string{"transactions"}, billing: []string{"transactions"},
			calls: []productCall{
				{"/transactions/sync", nil, "", []string{"transactions"}},
				{"/auth/get", nil, "ADDITIONAL_CONSENT_REQUIRED", []string{"transactions"}},
				{"/identity/get", nil, "ADDITIONAL_CONSENT_REQUIRED", []string{"transactions"}},
			},
		},
		{
			name: "products: auth limits accounts to checking and savings", token: map[string]any{"products": []string{"transactions", "auth"}},
			listed: []string{"ins_109508", "ins_109512"}, offered: all[:2],
			institution: "ins_109512", choose: []string{"Plaid Saving"},
			products: []string{"transactions", "auth"}, billed: []string{"transactions", "auth"}, consented: []string{"transactions", "auth"},
			billing: []string{"transactions", "auth"},
			calls:   []productCall{{"/auth/get", nil, "", []string{"transactions", "auth"}}},
		},
		{
			name: "products: only institutions supporting all of them", token: map[string]any{"products": []string{"investments"}},
			listed: []string{"ins_109508", "ins_109511"}, notListed: []string{"ins_109512", "ins_130016", "ins_43"}, offered: all[5:7],
			institution: "ins_109511", choose: []string{"Plaid IRA"},
			products: []string{"investments"}, billed: []string{"investments"}, consented: []string{"investments"}, billing: []string{"investments_holdings"},
			calls: []productCall{
				{"/investments/holdings/get", nil, "", []string{"investments_holdings"}},
				{"/investments/transactions/get", window, "", []string{"investments_holdings", "investments_transactions"}},
				{"/investments/transactions/get", window, "", []string{"investments_holdings", "investments_transactions"}},
			},
		},
		{
			name: "required_if_supported: required when supported and an account fits", token: map[string]any{"products": []string{"transactions"}, "required_if_supported_products": []string{"auth"}},
			listed: []string{"ins_109512"}, offered: all[:5],
			institution: "ins_109508", choose: []string{"Plaid Checking", "Plaid Credit Card"},
			products: []string{"transactions", "auth"}, billed: []string{"transactions", "auth"}, consented: []string{"transactions", "auth"},
			billing: []string{"transactions", "auth"},
		},
		{
			name: "required_if_supported: ignored without a compatible account", token: map[string]any{"products": []string{"transactions"}, "required_if_supported_products": []string{"auth"}},
			offered: all[:5], institution: "ins_109508", choose: []string{"Plaid Credit Card"},
			products: []string{"transactions"}, billed: []string{"transactions"}, consented: []string{"transactions", "auth"}, billing: []string{"transactions"},
			calls: []productCall{{"/auth/get", nil, "NO_AUTH_ACCOUNTS", []string{"transactions"}}},
		},
		{
			name: "required_if_supported: does not filter institutions, ignored where unsupported", token: map[string]any{"products": []string{"transactions"}, "required_if_supported_products": []string{"investments"}},
			listed: []string{"ins_109512", "ins_130016"}, offered: all[:5], institution: "ins_109512", choose: []string{"Plaid Checking"},
			products: []string{"transactions"}, billed: []string{"transactions"}, consented: []string{"transactions", "investments"}, billing: []string{"transactions"},
			calls: []productCall{{"/investments/holdings/get", nil, "PRODUCTS_NOT_SUPPORTED", []string{"transactions"}}},
		},
		{
			name: "optional: Auth added, billed on first use", token: map[string]any{"products": []string{"transactions"}, "optional_products": []string{"auth"}},
			listed: []string{"ins_109512"}, offered: all[:5], institution: "ins_109508", choose: []string{"Plaid Checking"},
			products: []string{"transactions", "auth"}, billed: []string{"transactions"}, consented: []string{"transactions", "auth"}, billing: []string{"transactions"},
			calls: []productCall{{"/auth/get", nil, "", []string{"transactions", "auth"}}, {"/auth/get", nil, "", []string{"transactions", "auth"}}},
		},
		{
			name: "optional: Auth only through Instant Auth", token: map[string]any{"products": []string{"transactions"}, "optional_products": []string{"auth"}},
			offered: all[:5], institution: "ins_109512", choose: []string{"Plaid Checking"},
			products: []string{"transactions"}, billed: []string{"transactions"}, consented: []string{"transactions", "auth"}, billing: []string{"transactions"},
			calls: []productCall{{"/auth/get", nil, "PRODUCTS_NOT_SUPPORTED", []string{"transactions"}}},
		},
		{
			name: "optional: another product is billed at creation", token: map[string]any{"products": []string{"auth"}, "optional_products": []string{"transactions"}},
			offered: all[:2], institution: "ins_109508", choose: []string{"Plaid Checking"},
			products: []string{"auth", "transactions"}, billed: []string{"auth", "transactions"}, consented: []string{"auth", "transactions"},
			billing: []string{"auth", "transactions"},
		},
		{
			name: "additional consented: nothing fetched or billed until the endpoint", token: map[string]any{"products": []string{"transactions"}, "additional_consented_products": []string{"liabilities", "investments"}},
			listed: []string{"ins_109512"}, offered: all[:5], institution: "ins_109508", choose: []string{"Plaid Checking", "Plaid Credit Card"},
			products: []string{"transactions"}, billed: []string{"transactions"}, consented: []string{"transactions", "liabilities", "investments"}, billing: []string{"transactions"},
			calls: []productCall{
				{"/investments/holdings/get", nil, "NO_INVESTMENT_ACCOUNTS", []string{"transactions"}},
				{"/liabilities/get", nil, "", []string{"transactions", "liabilities"}},
				{"/identity/get", nil, "ADDITIONAL_CONSENT_REQUIRED", []string{"transactions", "liabilities"}},
			},
		},
		{
			name: "recommended: Auth with Identity and Signal", token: map[string]any{"products": []string{"auth", "signal"}, "required_if_supported_products": []string{"identity"}},
			listed: []string{"ins_109508"}, notListed: []string{"ins_109512", "ins_130016"}, offered: all[:2], institution: "ins_109509", choose: []string{"Plaid Checking"},
			products: []string{"auth", "signal", "identity"}, billed: []string{"auth", "identity"}, consented: []string{"auth", "signal", "identity"},
			billing: []string{"auth", "identity"},
			calls:   []productCall{{"/identity/get", nil, "", []string{"auth", "identity"}}},
		},
		{
			name: "recommended: Auth with Identity and Signal as optional products", token: map[string]any{"products": []string{"auth"}, "optional_products": []string{"identity", "signal"}},
			listed: []string{"ins_109512", "ins_130016"}, offered: all[:2], institution: "ins_109508", choose: []string{"Plaid Checking"},
			products: []string{"auth", "identity", "signal"}, billed: []string{"auth"}, consented: []string{"auth", "identity", "signal"}, billing: []string{"auth"},
			calls: []productCall{{"/identity/get", nil, "", []string{"auth", "identity"}}},
		},
		{
			name: "recommended: Auth with Assets", token: map[string]any{"products": []string{"assets"}, "required_if_supported_products": []string{"auth"}},
			listed: []string{"ins_109508"}, notListed: []string{"ins_109512"}, offered: all, institution: "ins_109508", choose: []string{"Plaid Credit Card", "Plaid Saving"},
			products: []string{"assets", "auth"}, billed: []string{"auth"}, consented: []string{"assets", "auth"}, billing: []string{"auth"},
		},
		{
			name: "recommended: Transactions with Auth and Identity", token: map[string]any{"products": []string{"transactions"}, "optional_products": []string{"auth"}, "required_if_supported_products": []string{"identity"}},
			listed: []string{"ins_109512", "ins_130016"}, offered: all[:5], institution: "ins_130016", choose: []string{"Plaid Checking", "Plaid Credit Card"},
			products: []string{"transactions", "identity", "auth"}, billed: []string{"transactions", "identity"}, consented: []string{"transactions", "identity", "auth"},
			billing: []string{"transactions", "identity"},
			calls:   []productCall{{"/auth/get", nil, "", []string{"transactions", "identity", "auth"}}},
		},
		{
			name: "recommended: Transactions with Liabilities and Investments", token: map[string]any{"products": []string{"transactions"}, "additional_consented_products": []string{"liabilities", "investments"}},
			offered: all[:5], institution: "ins_109510", choose: []string{"Plaid Checking"},
			products: []string{"transactions"}, billed: []string{"transactions"}, consented: []string{"transactions", "liabilities", "investments"}, billing: []string{"transactions"},
			calls: []productCall{
				{"/liabilities/get", nil, "NO_LIABILITY_ACCOUNTS", []string{"transactions"}},
				{"/investments/transactions/get", window, "NO_INVESTMENT_ACCOUNTS", []string{"transactions"}},
			},
		},
		{
			name: "recommended: Bank Income with Transactions", token: map[string]any{"products": []string{"income_verification"}, "additional_consented_products": []string{"transactions"}},
			listed: []string{"ins_109508"}, notListed: []string{"ins_109512"}, offered: []string{"Plaid Checking", "Plaid Saving", "Plaid CD", "Plaid Money Market"},
			institution: "ins_109508", choose: []string{"Plaid Checking"},
			products: []string{"income_verification"}, billed: []string{"income_verification"}, consented: []string{"income_verification", "transactions"},
			billing: []string{"income_verification"},
			calls: []productCall{
				{"/transactions/get", window, "", []string{"income_verification", "transactions"}},
				{"/transactions/sync", nil, "", []string{"income_verification", "transactions"}},
			},
		},
		{
			name: "recommended: Bank Income with Assets", token: map[string]any{"products": []string{"income_verification", "assets"}},
			listed: []string{"ins_109508"}, notListed: []string{"ins_109512", "ins_43"}, offered: []string{"Plaid Checking", "Plaid Saving", "Plaid CD", "Plaid Money Market"},
			institution: "ins_109508", choose: []string{"Plaid Saving"},
			products: []string{"income_verification", "assets"}, billed: []string{"income_verification"}, consented: []string{"income_verification", "assets"},
			billing: []string{"income_verification"},
		},
	}
	srv := newAPI(t, web.Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			products := strs(toAny(tt.token["products"].([]string)))
			listed := names(sandbox.ListedInstitutions([]string{"US"}, products))
			for _, id := range tt.listed {
				if !slices.Contains(listed, id) {
					t.Errorf("%s not listed: %v", id, listed)
				}
			}
			for _, id := range tt.notListed {
				if slices.Contains(listed, id) {
					t.Errorf("%s listed: %v", id, listed)
				}
			}
			if !slices.Contains(listed, tt.institution) {
				t.Fatalf("the institution %s is not listed: %v", tt.institution, listed)
			}
			var offered []string
			for _, a := range sandbox.Accounts {
				if product.Fits(a.Type, a.Subtype, products) {
					offered = append(offered, a.Name)
				}
			}
			if !slices.Equal(offered, tt.offered) {
				t.Errorf("accounts offered %v, want %v", offered, tt.offered)
			}

			token := linkToken(t, srv, &alice, tt.token)
			session := "ls-" + token[len(token)-12:]
			if status, out := post(t, srv, protocol.PathSessionOpen, protocol.SessionOpenRequest{LinkToken: token, LinkSessionID: session}); status != 200 {
				t.Fatalf("open: %d %v", status, out)
			}
			pt := connectAt(t, srv, token, session, tt.institution, tt.choose)
			ex := must(t, srv, &alice, "/item/public_token/exchange", map[string]any{"public_token": pt})
			access := ex["access_token"].(string)
			item := must(t, srv, &alice, "/item/get", map[string]any{"access_token": access})["item"].(map[string]any)
			for field, want := range map[string][]string{"products": tt.products, "billed_products": tt.billed, "consented_products": tt.consented} {
				if got := strs(item[field]); !slices.Equal(got, want) {
					t.Errorf("item.%s = %v, want %v", field, got, want)
				}
			}
			for _, p := range strs(item["available_products"]) {
				if slices.Contains(tt.billed, p) {
					t.Errorf("available_products %v holds billed %s", item["available_products"], p)
				}
			}
			if got := billables(t, srv, ex["item_id"].(string)); !slices.Equal(got, tt.billing) {
				t.Errorf("billing at creation %v, want %v", got, tt.billing)
			}
			for i, c := range tt.calls {
				body := map[string]any{"access_token": access}
				for k, v := range c.body {
					body[k] = v
				}
				status, out := call(t, srv, &alice, c.path, body)
				got := ""
				if status != 200 {
					got, _ = out["error_code"].(string)
				}
				if got != c.wantErr {
					t.Errorf("call %d %s: %d %v, want %q", i, c.path, status, out["error_code"], c.wantErr)
				}
				if got := billables(t, srv, ex["item_id"].(string)); !slices.Equal(got, c.wantBilling) {
					t.Errorf("call %d %s: billing %v, want %v", i, c.path, got, c.wantBilling)
				}
			}
		})
	}
}

func toAny(s []string) []any {
	out := []any{}
	for _, v := range s {
		out = append(out, v)
	}
	return out
}

// TestForbiddenProductCombinations checks the product arrays that
// /link/token/create refuses, and some it accepts.
func TestForbiddenProductCombinations(t *testing.T) {
	srv := newAPI(t, web.Options{})
	userToken := must(t, srv, &alice, "/user/create", map[string]any{"client_user_id": "u-1"})["user_token"].(string)
	tests := []struct {
		name string
		body map[string]any
		want string // error code, or "" for a token
	}{
		{"identity verification with another product", map[string]any{"products": []string{"identity_verification", "auth"}}, "INVALID_FIELD"},
		{"identity verification alone", map[string]any{"products": []string{"identity_verification"}}, ""},
		{"payment initiation with an optional product", map[string]any{"products": []string{"payment_initiation"}, "optional_products": []string{"auth"}}, "INVALID_FIELD"},
		{"payment initiation as an additional consented product", map[string]any{"products": []string{"transactions"}, "additional_consented_products": []string{"payment_initiation"}}, "INVALID_FIELD"},
		{"Plaid Check with Assets", map[string]any{"products": []string{"cra_base_report", "assets"}, "user_token": userToken}, "INVALID_FIELD"},
		{"Plaid Check with Income", map[string]any{"products": []string{"cra_base_report"}, "additional_consented_products": []string{"income_verification"}, "user_token": userToken}, "INVALID_FIELD"},
		{"Plaid Check without a user token", map[string]any{"products": []string{"cra_base_report"}}, "MISSING_FIELDS"},
		{"Plaid Check with Transactions", map[string]any{"products": []string{"cra_base_report", "transactions"}, "user_token": userToken}, ""},
		{"Payroll Income with another product", map[string]any{"products": []string{"income_verification", "transactions"}, "income_verification": map[string]any{"income_source_types": []string{"payroll"}}}, "INVALID_FIELD"},
		{"Payroll Income alone", map[string]any{"products": []string{"income_verification"}, "income_verification": map[string]any{"income_source_types": []string{"payroll"}}}, ""},
		{"Bank Income with Assets", map[string]any{"products": []string{"income_verification", "assets"}, "income_verification": map[string]any{"income_source_types": []string{"bank"}}}, ""},
		{"Same Day Micro-deposits with another product", map[string]any{"products": []string{"auth"}, "optional_products": []string{"identity"}, "auth": map[string]any{"same_day_microdeposits_enabled": true}}, "INVALID_FIELD"},
		{"Same Day Micro-deposits alone", map[string]any{"products": []string{"auth"}, "auth": map[string]any{"same_day_microdeposits_enabled": true}}, ""},
		{"a product in two arrays", map[string]any{"products": []string{"transactions"}, "optional_products": []string{"transactions"}}, "INVALID_FIELD"},
		{"balance", map[string]any{"products": []string{"balance"}}, "INVALID_FIELD"},
		{"no products, only secondary ones", map[string]any{"products": []string{}, "optional_products": []string{"auth"}}, "INVALID_FIELD"},
		{"unknown product", map[string]any{"products": []string{"transactions"}, "required_if_supported_products": []string{"nope"}}, "INVALID_FIELD"},
		{"multi-item without a user token", map[string]any{"enable_multi_item_link": true}, "MISSING_FIELDS"},
		{"multi-item with an unsupported product", map[string]any{"enable_multi_item_link": true, "user_token": userToken, "products": []string{"identity"}}, "INVALID_FIELD"},
		{"multi-item with a user token", map[string]any{"enable_multi_item_link": true, "user_token": userToken}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := map[string]any{"client_name": "Test App", "language": "en", "country_codes": []string{"US"},
				"user": map[string]any{"client_user_id": "user-1"}, "products": []string{"transactions"}}
			for k, v := range tt.body {
				body[k] = v
			}
			status, out := call(t, srv, &alice, "/link/token/create", body)
			got := ""
			if status != 200 {
				got, _ = out["error_code"].(string)
				if out["error_type"] != "INVALID_REQUEST" {
					t.Errorf("error_type %v", out["error_type"])
				}
			}
			if got != tt.want {
				t.Errorf("%d %v, want %q", status, out, tt.want)
			}
		})
	}
}
