package web_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/web"
)

// customConfig is a custom user with a checking account (numbers, two
// transactions, an owner), a credit card (a liability), a brokerage
// account (a holding and its buy) and a student loan.
const customConfig = `{
  "override_accounts": [
    {"type": "depository", "subtype": "checking", "starting_balance": 1500.25, "currency": "USD",
     "meta": {"name": "Custom Checking", "official_name": "Custom Gold Checking", "mask": "9876"},
     "numbers": {"account": "5550009876", "ach_routing": "011401533", "ach_wire_routing": "021000021"},
     "transactions": [
       {"date_transacted": "2024-03-01", "date_posted": "2024-03-02", "amount": 42.5, "description": "Bookshop"},
       {"date_transacted": "2024-03-05", "date_posted": "2024-03-05", "amount": -1000, "description": "Payroll"}],
     "identity": {"names": ["Robin Custom"], "phone_numbers": [{"data": "+1 555-010-0000", "primary": true, "type": "mobile"}]}},
    {"type": "credit", "subtype": "credit card", "starting_balance": 250, "meta": {"name": "Custom Card", "limit": 3000},
     "transactions": [],
     "liability": {"type": "credit", "purchase_apr": 18, "minimum_payment_amount": 30, "is_overdue": true}},
    {"type": "investment", "subtype": "brokerage", "starting_balance": 5000, "meta": {"name": "Custom Brokerage"},
     "holdings": [{"institution_price": 100, "quantity": 5, "currency": "USD", "cost_basis": 450,
       "security": {"ticker_symbol": "CSTM", "name": "Custom Corp", "currency": "USD"}}],
     "investment_transactions": [{"date": "2024-02-01", "name": "BUY CSTM", "quantity": 5, "price": 90, "type": "buy", "currency": "USD",
       "security": {"ticker_symbol": "CSTM", "currency": "USD"}}]},
    {"type": "loan", "subtype": "student", "starting_balance": 12000, "meta": {"name": "Custom Loan"},
     "liability": {"type": "student", "principal": 15000, "nominal_apr": 4.25, "loan_name": "Custom Stafford"}}
  ]
}`

func TestCustomUserAPI(t *testing.T) {
	srv := newAPI(t, web.Options{})
	created := must(t, srv, &alice, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508",
		"initial_products": []string{"transactions", "auth", "identity", "liabilities", "investments"},
		"options":          map[string]any{"override_username": "user_custom", "override_password": customConfig}})
	access := must(t, srv, &alice, "/item/public_token/exchange", map[string]any{"public_token": created["public_token"]})["access_token"]
	req := func(extra map[string]any) map[string]any {
		body := map[string]any{"access_token": access}
		for k, v := range extra {
			body[k] = v
		}
		return body
	}

	accounts := must(t, srv, &alice, "/accounts/get", req(nil))["accounts"].([]any)
	type shown struct {
		name, mask, typ, subtype, official string
		available, current, limit          any
	}
	var got []shown
	ids := map[string]string{} // name -> account_id
	for _, a := range accounts {
		a := a.(map[string]any)
		b := a["balances"].(map[string]any)
		got = append(got, shown{a["name"].(string), fmt.Sprint(a["mask"]), a["type"].(string), fmt.Sprint(a["subtype"]),
			fmt.Sprint(a["official_name"]), b["available"], b["current"], b["limit"]})
		ids[a["name"].(string)] = a["account_id"].(string)
		if b["iso_currency_code"] != "USD" {
			t.Errorf("%s currency %v", a["name"], b["iso_currency_code"])
		}
	}
	want := []shown{
		{"Custom Checking", "9876", "depository", "checking", "Custom Gold Checking", 1500.25, 1500.25, nil},
		{"Custom Card", "1111", "credit", "credit card", "<nil>", 2750.0, 250.0, 3000.0},
		{"Custom Brokerage", "2222", "investment", "brokerage", "<nil>", nil, 5000.0, nil},
		{"Custom Loan", "3333", "loan", "student", "<nil>", nil, 12000.0, nil},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("/accounts/get\n got %+v\nwant %+v", got, want)
	}
	balance := must(t, srv, &alice, "/accounts/balance/get", req(map[string]any{"options": map[string]any{"account_ids": []string{ids["Custom Card"]}}}))
	if b := balance["accounts"].([]any)[0].(map[string]any)["balances"].(map[string]any); b["current"] != 250.0 || b["available"] != 2750.0 {
		t.Errorf("/accounts/balance/get balances %v", b)
	}

	numbers := must(t, srv, &alice, "/auth/get", req(nil))["numbers"].(map[string]any)
	ach := numbers["ach"].([]any)
	if len(ach) != 1 || !reflect.DeepEqual(ach[0], map[string]any{"account_id": ids["Custom Checking"], "account": "5550009876",
		"routing": "011401533", "wire_routing": "021000021"}) {
		t.Errorf("/auth/get ach %v", ach)
	}

	identity := must(t, srv, &alice, "/identity/get", req(map[string]any{"options": map[string]any{"account_ids": []string{ids["Custom Checking"]}}}))
	owner := identity["accounts"].([]any)[0].(map[string]any)["owners"].([]any)[0].(map[string]any)
	if !reflect.DeepEqual(owner["names"], []any{"Robin Custom"}) || owner["phone_numbers"].([]any)[0].(map[string]any)["data"] != "+1 555-010-0000" ||
		len(owner["emails"].([]any)) == 0 {
		t.Errorf("/identity/get owner %v", owner)
	}

	sync := must(t, srv, &alice, "/transactions/sync", req(nil))
	var synced []string
	for _, tr := range sync["added"].([]any) {
		tr := tr.(map[string]any)
		synced = append(synced, fmt.Sprintf("%s %s %v %v", tr["name"], tr["date"], tr["amount"], tr["account_id"] == ids["Custom Checking"]))
	}
	if w := []string{"Bookshop 2024-03-02 42.5 true", "Payroll 2024-03-05 -1000 true"}; !reflect.DeepEqual(synced, w) {
		t.Errorf("/transactions/sync added %q, want %q", synced, w)
	}
	page := must(t, srv, &alice, "/transactions/get", req(map[string]any{"start_date": "2024-03-01", "end_date": "2024-03-03"}))
	if page["total_transactions"] != 1.0 || page["transactions"].([]any)[0].(map[string]any)["authorized_date"] != "2024-03-01" {
		t.Errorf("/transactions/get %v", page["transactions"])
	}

	liabilities := must(t, srv, &alice, "/liabilities/get", req(nil))["liabilities"].(map[string]any)
	card := liabilities["credit"].([]any)[0].(map[string]any)
	loan := liabilities["student"].([]any)[0].(map[string]any)
	if card["minimum_payment_amount"] != 30.0 || card["is_overdue"] != true || card["aprs"].([]any)[0].(map[string]any)["apr_percentage"] != 18.0 ||
		loan["origination_principal_amount"] != 15000.0 || loan["loan_name"] != "Custom Stafford" || loan["interest_rate_percentage"] != 4.25 {
		t.Errorf("/liabilities/get credit %v, student %v", card, loan)
	}

	holdings := must(t, srv, &alice, "/investments/holdings/get", req(nil))
	h := holdings["holdings"].([]any)
	sec := holdings["securities"].([]any)
	if len(h) != 1 || h[0].(map[string]any)["quantity"] != 5.0 || h[0].(map[string]any)["cost_basis"] != 450.0 ||
		len(sec) != 1 || sec[0].(map[string]any)["ticker_symbol"] != "CSTM" || sec[0].(map[string]any)["name"] != "Custom Corp" {
		t.Errorf("/investments/holdings/get holdings %v securities %v", h, sec)
	}
	inv := must(t, srv, &alice, "/investments/transactions/get", req(map[string]any{"start_date": "2024-01-01", "end_date": "2024-12-31"}))
	if txs := inv["investment_transactions"].([]any); len(txs) != 1 || txs[0].(map[string]any)["amount"] != 450.0 ||
		txs[0].(map[string]any)["security_id"] != sec[0].(map[string]any)["security_id"] {
		t.Errorf("/investments/transactions/get %v", txs)
	}
}

func TestCustomUserErrors(t *testing.T) {
	srv := newAPI(t, web.Options{})
	many := `{"override_accounts": [` + strings.TrimSuffix(strings.Repeat(`{"type": "depository"},`, 11), ",") + `]}`
	tests := []struct {
		name, password string
		code, message  string
	}{
		{"not JSON", `{"override_accounts": [`, "INVALID_CREDENTIALS", "is not JSON"},
		{"wrong type", `{"override_accounts": [{"type": "depository", "starting_balance": "lots"}]}`, "INVALID_CREDENTIALS",
			"override_accounts[0].starting_balance must be a number, not a string"},
		{"unknown account type", `{"override_accounts": [{"type": "piggy bank"}]}`, "INVALID_CREDENTIALS", `override_accounts[0].type must be one of`},
		{"eleven accounts", many, "INVALID_CREDENTIALS", "override_accounts has 11 accounts, more than the 10"},
		{"too large", `{"seed": "` + strings.Repeat("x", 56*1024) + `"}`, "INVALID_CREDENTIALS", "more than the 56320 a custom user may have"},
		{"forced ITEM_LOCKED", `{"force_error": "ITEM_LOCKED"}`, "ITEM_LOCKED", "the account is locked"},
		{"forced after MFA", `{"force_error": "INSTITUTION_NOT_RESPONDING", "mfa": {"type": "device"}}`, "INSTITUTION_NOT_RESPONDING", ""},
		{"recaptcha bad", `{"recaptcha": "bad"}`, "RECAPTCHA_BAD", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out := call(t, srv, &alice, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508",
				"initial_products": []string{"transactions"},
				"options":          map[string]any{"override_username": "user_custom", "override_password": tt.password}})
			msg, _ := out["error_message"].(string)
			if status < 400 || out["error_code"] != tt.code || !strings.Contains(msg, tt.message) {
				t.Errorf("%d %v, want %s mentioning %q", status, out, tt.code, tt.message)
			}
		})
	}
	// A custom user's MFA is not asked without Link.
	must(t, srv, &alice, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": []string{"auth"},
		"options": map[string]any{"override_username": "user_custom", "override_password": `{"mfa": {"type": "questions", "question_rounds": 1, "questions_per_round": 1}}`}})
}

// TestCustomUserInLink logs in as a custom user through the engine's
// endpoints: the MFA it configures, then an Item with its accounts to
// choose from; a malformed configuration fails the login.
func TestCustomUserInLink(t *testing.T) {
	srv := newAPI(t, web.Options{})
	token := linkToken(t, srv, &alice, nil)
	config := `{"mfa": {"type": "selections", "selection_rounds": 1, "questions_per_round": 1, "selections_per_question": 3},
		"override_accounts": [{"type": "depository", "meta": {"name": "Link Checking"}}, {"type": "credit", "meta": {"name": "Link Card"}}]}`
	req := protocol.ItemCreateRequest{LinkToken: token, LinkSessionID: "s", InstitutionID: "ins_109508", Username: "user_custom", Password: config}
	status, out := post(t, srv, protocol.PathItemCreate, req)
	mfa, _ := out["mfa"].(map[string]any)
	if status != 200 || mfa["type"] != "selections" {
		t.Fatalf("%d %v, want a selections round", status, out)
	}
	options := mfa["questions"].([]any)[0].(map[string]any)["options"].([]any)
	if len(options) != 3 {
		t.Fatalf("options %v", options)
	}
	req.MFA = [][]string{{options[1].(string)}}
	if status, out := post(t, srv, protocol.PathItemCreate, req); status != 400 || out["error_code"] != "INVALID_MFA" {
		t.Fatalf("second option: %d %v, want INVALID_MFA", status, out)
	}
	req.MFA = [][]string{{options[0].(string)}}
	status, out = post(t, srv, protocol.PathItemCreate, req)
	if status != 200 {
		t.Fatalf("first option: %d %v", status, out)
	}
	var names []string
	for _, a := range out["accounts"].([]any) {
		names = append(names, a.(map[string]any)["name"].(string))
	}
	if want := []string{"Link Checking", "Link Card"}; !reflect.DeepEqual(names, want) {
		t.Errorf("accounts to choose from %q, want %q", names, want)
	}

	bad := protocol.ItemCreateRequest{LinkToken: token, LinkSessionID: "s2", InstitutionID: "ins_109508", Username: "user_custom", Password: `{"mfa": 1}`}
	status, out = post(t, srv, protocol.PathItemCreate, bad)
	if msg, _ := out["error_message"].(string); status != 400 || out["error_code"] != "INVALID_CREDENTIALS" || !strings.Contains(msg, "mfa must be an object") {
		t.Errorf("malformed: %d %v", status, out)
	}
	raw, _ := json.Marshal(out["display_message"])
	if !strings.Contains(string(raw), "credentials were not correct") {
		t.Errorf("display_message %s", raw)
	}
}

// TestCustomUserUpdateMode repairs a custom user's Item in update mode:
// it logs in as user_custom again (user_good is the wrong username), with
// the MFA of the new configuration, and keeps its accounts.
func TestCustomUserUpdateMode(t *testing.T) {
	srv := newAPI(t, web.Options{})
	created := must(t, srv, &alice, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508",
		"initial_products": []string{"transactions"},
		"options": map[string]any{"override_username": "user_custom",
			"override_password": `{"override_accounts": [{"type": "depository", "meta": {"name": "Kept"}}]}`}})
	access := must(t, srv, &alice, "/item/public_token/exchange", map[string]any{"public_token": created["public_token"]})["access_token"]
	must(t, srv, &alice, "/sandbox/item/reset_login", map[string]any{"access_token": access})
	token := linkToken(t, srv, &alice, map[string]any{"access_token": access, "products": nil})
	if status, out := post(t, srv, protocol.PathSessionOpen, protocol.SessionOpenRequest{LinkToken: token, LinkSessionID: "u"}); status != 200 {
		t.Fatalf("open: %d %v", status, out)
	}
	login := protocol.ItemCreateRequest{LinkToken: token, LinkSessionID: "u", InstitutionID: "ins_109508", Username: "user_good", Password: "pass_good"}
	if status, out := post(t, srv, protocol.PathItemCreate, login); status != 400 || out["error_code"] != "INVALID_UPDATED_USERNAME" {
		t.Fatalf("user_good: %d %v, want INVALID_UPDATED_USERNAME", status, out)
	}
	login.Username, login.Password = "user_custom", `{"mfa": {"type": "device"}}`
	if status, out := post(t, srv, protocol.PathItemCreate, login); status != 200 || out["mfa"] == nil {
		t.Fatalf("user_custom: %d %v, want the device MFA", status, out)
	}
	login.MFA = [][]string{{"Phone: xxx-xxx-5309"}, {"1234"}}
	status, out := post(t, srv, protocol.PathItemCreate, login)
	if status != 200 || len(out["accounts"].([]any)) != 1 || out["accounts"].([]any)[0].(map[string]any)["name"] != "Kept" {
		t.Fatalf("repaired: %d %v, want the Item's own account", status, out)
	}
	item := must(t, srv, &alice, "/item/get", map[string]any{"access_token": access})["item"].(map[string]any)
	if item["error"] != nil {
		t.Errorf("item error after update mode %v", item["error"])
	}
}
