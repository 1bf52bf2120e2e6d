package e2e

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// customUserPassword configures two accounts with their balances,
// numbers, transactions and owner: what a custom sandbox user (user_custom)
// types as its password.
const customUserPassword = `{"override_accounts": [
 {"type": "depository", "subtype": "checking", "starting_balance": 812.34,
  "meta": {"name": "E2E Checking", "official_name": "E2E Everyday Checking", "mask": "1234"},
  "numbers": {"account": "7000001234", "ach_routing": "011401533", "ach_wire_routing": "021000021"},
  "transactions": [
   {"date_transacted": "2024-06-01", "date_posted": "2024-06-02", "amount": 25.5, "description": "Corner Grocer"},
   {"date_transacted": "2024-06-03", "date_posted": "2024-06-03", "amount": -1200, "description": "Employer Payroll"}],
  "identity": {"names": ["Casey Custom"], "emails": [{"data": "casey@example.com", "primary": true, "type": "primary"}]}},
 {"type": "depository", "subtype": "savings", "starting_balance": 5000, "force_available_balance": 4900,
  "meta": {"name": "E2E Savings", "mask": "5678"},
  "numbers": {"account": "7000005678", "ach_routing": "011401533"},
  "transactions": [{"date_transacted": "2024-06-04", "date_posted": "2024-06-04", "amount": -3.21, "description": "Interest"}]}
]}`

// TestCustomUserFlow logs in as user_custom with a configuration of two
// accounts in Chromium, picks both, and finds in /accounts/get, /auth/get,
// /transactions/sync and /identity/get exactly what it configured.
func TestCustomUserFlow(t *testing.T) {
	var created struct {
		LinkToken string `json:"link_token"`
	}
	kit.MustDecode(t, "/link/token/create", map[string]any{
		"client_name": "Custom Shop", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "custom-1"}, "products": []string{"transactions", "auth", "identity"},
	}, &created)

	tb := openPage(t, "blank.html")
	tb.eval(`window.h = Plaid.create(Object.assign({token: ` + jsString(created.LinkToken) + `}, callbacks('main'))); h.open();`)
	tb.waitPane("CONSENT")
	tb.press("Continue")
	tb.waitPane("SELECT_INSTITUTION")
	tb.choose("First Platypus Bank")
	tb.waitPane("CREDENTIAL")
	tb.fill("Username", "user_custom")
	// One line, as a password field holds it: a newline typed there
	// would submit the form.
	var password bytes.Buffer
	if err := json.Compact(&password, []byte(customUserPassword)); err != nil {
		t.Fatal(err)
	}
	tb.fill("Password", password.String())
	tb.press("Submit")
	tb.waitPane("SELECT_ACCOUNT")
	tb.check("E2E Checking")
	tb.check("E2E Savings")
	tb.press("Continue")
	tb.waitPane("CONNECTED")
	tb.press("Continue")
	tb.waitDialogs(0)

	success := only(tb.calls("main"), "onSuccess")
	if len(success) != 1 {
		t.Fatalf("%d onSuccess calls", len(success))
	}
	var publicToken string
	decodeArg(t, success[0], 0, &publicToken)
	var exchanged struct {
		AccessToken string `json:"access_token"`
	}
	kit.MustDecode(t, "/item/public_token/exchange", map[string]any{"public_token": publicToken}, &exchanged)
	access := map[string]any{"access_token": exchanged.AccessToken}

	type balances struct {
		Available *float64 `json:"available"`
		Current   *float64 `json:"current"`
		Limit     *float64 `json:"limit"`
		Currency  string   `json:"iso_currency_code"`
	}
	type account struct {
		AccountID    string   `json:"account_id"`
		Name         string   `json:"name"`
		OfficialName *string  `json:"official_name"`
		Mask         string   `json:"mask"`
		Type         string   `json:"type"`
		Subtype      string   `json:"subtype"`
		Balances     balances `json:"balances"`
	}
	var got struct {
		Accounts []account `json:"accounts"`
	}
	kit.MustDecode(t, "/accounts/get", access, &got)
	num := func(f float64) *float64 { return &f }
	official := "E2E Everyday Checking"
	want := []account{
		{Name: "E2E Checking", OfficialName: &official, Mask: "1234", Type: "depository", Subtype: "checking",
			Balances: balances{Available: num(812.34), Current: num(812.34), Currency: "USD"}},
		{Name: "E2E Savings", Mask: "5678", Type: "depository", Subtype: "savings",
			Balances: balances{Available: num(4900), Current: num(5000), Currency: "USD"}},
	}
	if len(got.Accounts) != 2 {
		t.Fatalf("/accounts/get has %d accounts, want 2: %+v", len(got.Accounts), got.Accounts)
	}
	checking, savings := got.Accounts[0].AccountID, got.Accounts[1].AccountID
	for i := range got.Accounts {
		got.Accounts[i].AccountID = ""
	}
	if !reflect.DeepEqual(got.Accounts, want) {
		t.Errorf("/accounts/get accounts\n got %s\nwant %s", asJSON(got.Accounts), asJSON(want))
	}

	var auth struct {
		Numbers struct {
			ACH []struct {
				AccountID   string  `json:"account_id"`
				Account     string  `json:"account"`
				Routing     string  `json:"routing"`
				WireRouting *string `json:"wire_routing"`
			} `json:"ach"`
		} `json:"numbers"`
	}
	kit.MustDecode(t, "/auth/get", access, &auth)
	var ach []string
	for _, n := range auth.Numbers.ACH {
		wire := "null"
		if n.WireRouting != nil {
			wire = *n.WireRouting
		}
		ach = append(ach, n.AccountID+" "+n.Account+" "+n.Routing+" "+wire)
	}
	if w := []string{checking + " 7000001234 011401533 021000021", savings + " 7000005678 011401533 null"}; !reflect.DeepEqual(ach, w) {
		t.Errorf("/auth/get ach %q, want %q", ach, w)
	}

	var sync struct {
		Added []struct {
			AccountID      string  `json:"account_id"`
			Amount         float64 `json:"amount"`
			Date           string  `json:"date"`
			AuthorizedDate string  `json:"authorized_date"`
			Name           string  `json:"name"`
			Currency       string  `json:"iso_currency_code"`
		} `json:"added"`
		HasMore bool `json:"has_more"`
	}
	kit.MustDecode(t, "/transactions/sync", access, &sync)
	type tx struct {
		account, name, date, authorized string
		amount                          float64
	}
	var txs []tx
	for _, a := range sync.Added {
		if a.Currency != "USD" {
			t.Errorf("%s in %s", a.Name, a.Currency)
		}
		txs = append(txs, tx{a.AccountID, a.Name, a.Date, a.AuthorizedDate, a.Amount})
	}
	wantTxs := []tx{
		{checking, "Corner Grocer", "2024-06-02", "2024-06-01", 25.5},
		{checking, "Employer Payroll", "2024-06-03", "2024-06-03", -1200},
		{savings, "Interest", "2024-06-04", "2024-06-04", -3.21},
	}
	if !reflect.DeepEqual(txs, wantTxs) || sync.HasMore {
		t.Errorf("/transactions/sync added %+v (has_more %v), want %+v", txs, sync.HasMore, wantTxs)
	}

	var identity struct {
		Accounts []struct {
			AccountID string `json:"account_id"`
			Owners    []struct {
				Names  []string `json:"names"`
				Emails []struct {
					Data string `json:"data"`
				} `json:"emails"`
			} `json:"owners"`
		} `json:"accounts"`
	}
	kit.MustDecode(t, "/identity/get", access, &identity)
	if len(identity.Accounts) != 2 {
		t.Fatalf("/identity/get has %d accounts", len(identity.Accounts))
	}
	for _, a := range identity.Accounts {
		// The names are the Item's, as Plaid shares them; the email only
		// the checking account configures.
		if len(a.Owners) != 1 || !reflect.DeepEqual(a.Owners[0].Names, []string{"Casey Custom"}) {
			t.Errorf("/identity/get owners of %s: %+v", a.AccountID, a.Owners)
		}
	}
	if e := identity.Accounts[0].Owners[0].Emails; len(e) != 1 || e[0].Data != "casey@example.com" {
		t.Errorf("/identity/get emails of the checking account %+v", e)
	}
}

func asJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
