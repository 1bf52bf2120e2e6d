package dataservice_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/dataservice"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/sqlite"
)

// newService is the operations, and the service they work on, over an
// in-memory store.
func newService(t *testing.T) (*dataservice.Service, *service.Service, *store.DB) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), sqlite.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := service.New(service.Options{Store: st})
	return dataservice.New(svc, st), svc, st
}

// richItem stores an Item of the tenant with a webhook, the products and
// the sandbox accounts with the masks (checking 0000, savings 1111,
// credit card 3333, IRA 5555), created a day before the tenant's now.
func richItem(t *testing.T, st *store.DB, tn service.Tenant, id, access string, products []string, masks ...string) {
	t.Helper()
	kinds := map[string][2]string{"0000": {"depository", "checking"}, "1111": {"depository", "savings"}, "2222": {"depository", "cd"},
		"3333": {"credit", "credit card"}, "5555": {"investment", "ira"}}
	var accounts []store.Account
	for _, m := range masks {
		accounts = append(accounts, store.Account{ID: id + "-" + m, Mask: m, Type: kinds[m][0], Subtype: kinds[m][1]})
	}
	if err := st.CreateItem(context.Background(), store.Item{ID: id, ClientID: tn.ClientID, AccessToken: access, InstitutionID: "ins_109508",
		Products: products, Webhook: "https://app.example/hook", Connected: true, CreatedAt: tn.Now.AddDate(0, 0, -1), Accounts: accounts}); err != nil {
		t.Fatal(err)
	}
}

// hooks are the webhooks queued for the Item, as "TYPE CODE" followed by
// the body's count fields.
func hooks(t *testing.T, st *store.DB, tn service.Tenant, itemID string) []string {
	t.Helper()
	ws, err := st.Webhooks(context.Background(), tn.ClientID, store.WebhookFilter{ItemID: itemID})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, w := range ws {
		var body map[string]any
		json.Unmarshal(w.Body, &body)
		s := w.Type + " " + w.Code
		for _, k := range []string{"new_transactions", "new_investments_transactions", "new_holdings", "updated_holdings"} {
			if v, ok := body[k]; ok {
				s += " " + k + "=" + jsonString(v)
			}
		}
		out = append(out, s)
	}
	return out
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// loginRequired puts the Item in ITEM_LOGIN_REQUIRED.
func loginRequired(t *testing.T, st *store.DB, tn service.Tenant, itemID string) {
	t.Helper()
	raw, _ := json.Marshal(plaid.ItemLoginRequired())
	if _, err := st.SetItemError(context.Background(), tn.ClientID, itemID, raw); err != nil {
		t.Fatal(err)
	}
}

// errorCases are the errors every endpoint of an Item's added data
// shares, by their access tokens: see addedItems.
var errorCases = []struct{ name, access, code string }{
	{"no token", "", "MISSING_FIELDS"},
	{"unknown token", "access-nope", "INVALID_ACCESS_TOKEN"},
	{"a public token", "public-sandbox-00000000-0000-4000-8000-000000000000", "INVALID_ACCESS_TOKEN"},
	{"another client's token", "access-other", "INVALID_ACCESS_TOKEN"},
	{"login required", "access-bad", "ITEM_LOGIN_REQUIRED"},
}

// addedItems stores the Items errorCases name, and one without a webhook
// that has only Auth ("access-auth").
func addedItems(t *testing.T, st *store.DB, tn service.Tenant) {
	richItem(t, st, tn, "bad", "access-bad", []string{"transactions", "investments"}, "0000", "5555")
	loginRequired(t, st, tn, "bad")
	richItem(t, st, service.Tenant{ClientID: "d", Now: tn.Now}, "other", "access-other", []string{"transactions", "investments"}, "0000", "5555")
	richItem(t, st, tn, "auth", "access-auth", []string{"auth"}, "0000", "5555")
}

// TestTransactionsRefresh refreshes an Item twice: each refresh keeps
// new transactions dated today, /transactions/sync adds them after the
// cursor it gave before, /transactions/get lists them, and each sends
// SYNC_UPDATES_AVAILABLE and DEFAULT_UPDATE.
func TestTransactionsRefresh(t *testing.T) {
	data, svc, st := newService(t)
	ctx := context.Background()
	tn := service.Tenant{ClientID: "c", Now: time.Date(2025, 3, 20, 12, 0, 0, 0, time.UTC)}
	richItem(t, st, tn, "it", "access-good", []string{"transactions"}, "0000", "3333", "5555")
	addedItems(t, st, tn)

	first, e := svc.TransactionsSync(ctx, tn, "access-good", "", service.MaxCount)
	if e != nil || first.HasMore {
		t.Fatalf("sync %v, has_more %v", e, first.HasMore)
	}
	history := len(first.Added)
	cursor := first.NextCursor
	for round := 1; round <= 2; round++ {
		if e := data.TransactionsRefresh(ctx, tn, "access-good"); e != nil {
			t.Fatal(e)
		}
		u, e := svc.TransactionsSync(ctx, tn, "access-good", cursor, 0)
		if e != nil {
			t.Fatal(e)
		}
		var accounts []string
		for _, tr := range u.Added {
			accounts = append(accounts, tr.AccountID)
			if tr.Date != "2025-03-20" || len(tr.ID) != 37 || tr.Name == "" {
				t.Errorf("refresh %d: added %+v", round, tr)
			}
		}
		if !slices.Equal(accounts, []string{"it-0000", "it-3333"}) || u.HasMore {
			t.Errorf("refresh %d: sync added on %v (has_more %v), want one on each bank account", round, accounts, u.HasMore)
		}
		cursor = u.NextCursor
	}
	again, e := svc.TransactionsSync(ctx, tn, "access-good", cursor, 0)
	if e != nil || len(again.Added) != 0 || again.NextCursor != cursor {
		t.Errorf("sync after the last cursor: %+v %v", again, e)
	}
	all, e := svc.TransactionsSync(ctx, tn, "access-good", "", service.MaxCount)
	if e != nil || len(all.Added) != history+4 {
		t.Errorf("sync from the start: %d added (%v), want %d", len(all.Added), e, history+4)
	}
	page, e := svc.TransactionsGet(ctx, tn, "access-good", service.RangeQuery{StartDate: "2025-03-20", EndDate: "2025-03-20"})
	if e != nil || page.Total != 4 {
		t.Errorf("/transactions/get of today: %d (%v), want 4", page.Total, e)
	}
	want := []string{"TRANSACTIONS SYNC_UPDATES_AVAILABLE", "TRANSACTIONS DEFAULT_UPDATE new_transactions=2"}
	if got := hooks(t, st, tn, "it"); !slices.Equal(got, append(want, want...)) {
		t.Errorf("webhooks %v", got)
	}

	for _, tt := range append(errorCases, struct{ name, access, code string }{"no Transactions", "access-auth", "PRODUCTS_NOT_SUPPORTED"}) {
		if e := data.TransactionsRefresh(ctx, tn, tt.access); e == nil || e.ErrorCode != tt.code {
			t.Errorf("%s: %v, want %s", tt.name, e, tt.code)
		}
	}
	if got := hooks(t, st, tn, "bad"); len(got) != 0 {
		t.Errorf("a failed refresh sent %v", got)
	}
}

// TestSandboxTransactionsCreate makes transactions on an Item's first
// bank account: /transactions/sync and /transactions/get show them, and
// an Item in an error state gains them too, to show once repaired.
func TestSandboxTransactionsCreate(t *testing.T) {
	data, svc, st := newService(t)
	ctx := context.Background()
	tn := service.Tenant{ClientID: "c", Now: time.Date(2025, 3, 20, 12, 0, 0, 0, time.UTC)}
	richItem(t, st, tn, "it", "access-good", []string{"transactions"}, "5555", "3333", "0000")
	addedItems(t, st, tn)
	end, _ := svc.TransactionsSync(ctx, tn, "access-good", "", service.MaxCount)
	txs := []dataservice.SandboxTransaction{
		{DateTransacted: "2025-03-17", DatePosted: "2025-03-18", Amount: 42.5, Description: "Corner Shop"},
		{DateTransacted: "2025-03-19", DatePosted: "2025-03-19", Amount: -1200, Description: "Payroll", Currency: "CAD"},
	}
	if e := data.SandboxTransactionsCreate(ctx, tn, "access-good", txs); e != nil {
		t.Fatal(e)
	}
	u, e := svc.TransactionsSync(ctx, tn, "access-good", end.NextCursor, 0)
	if e != nil || len(u.Added) != 2 {
		t.Fatalf("sync: %+v %v", u.Added, e)
	}
	if a := u.Added[0]; a.AccountID != "it-3333" || a.Date != "2025-03-18" || a.AuthorizedDate != "2025-03-17" || a.Amount != 42.5 ||
		a.Name != "Corner Shop" || a.Currency != "USD" || a.MerchantName != "" || len(a.Category) != 0 || a.Pending {
		t.Errorf("added %+v", a)
	}
	if a := u.Added[1]; a.Currency != "CAD" || a.Amount != -1200 {
		t.Errorf("added %+v", a)
	}
	page, e := svc.TransactionsGet(ctx, tn, "access-good", service.RangeQuery{StartDate: "2025-03-18", EndDate: "2025-03-18"})
	if e != nil || page.Total != 1 || page.Transactions[0].ID != u.Added[0].ID {
		t.Errorf("/transactions/get of the posted day: %+v %v", page.Transactions, e)
	}
	if got := hooks(t, st, tn, "it"); !slices.Equal(got, []string{"TRANSACTIONS SYNC_UPDATES_AVAILABLE", "TRANSACTIONS DEFAULT_UPDATE new_transactions=2"}) {
		t.Errorf("webhooks %v", got)
	}

	if e := data.SandboxTransactionsCreate(ctx, tn, "access-bad", txs[:1]); e != nil {
		t.Errorf("an Item in an error state: %v", e)
	}
	if _, e := svc.TransactionsSync(ctx, tn, "access-bad", "", 0); e == nil || e.ErrorCode != "ITEM_LOGIN_REQUIRED" {
		t.Errorf("sync of the Item in an error state: %v", e)
	}
	if _, err := st.SetItemError(ctx, "c", "bad", nil); err != nil {
		t.Fatal(err)
	}
	if repaired, e := svc.TransactionsGet(ctx, tn, "access-bad", service.RangeQuery{StartDate: "2025-03-18", EndDate: "2025-03-18"}); e != nil || repaired.Total != 1 {
		t.Errorf("the repaired Item: %d (%v), want its sandbox transaction", repaired.Total, e)
	}
	for _, tt := range []struct {
		name, access string
		txs          []dataservice.SandboxTransaction
		code         string
	}{
		{"unknown token", "access-nope", txs, "INVALID_ACCESS_TOKEN"},
		{"another client's token", "access-other", txs, "INVALID_ACCESS_TOKEN"},
		{"no Transactions", "access-auth", txs, "SANDBOX_PRODUCT_NOT_ENABLED"},
		{"too old, whatever the token", "access-nope", []dataservice.SandboxTransaction{{DateTransacted: "2025-01-01", DatePosted: "2025-01-01", Description: "x"}}, "INVALID_FIELD"},
	} {
		if e := data.SandboxTransactionsCreate(ctx, tn, tt.access, tt.txs); e == nil || e.ErrorCode != tt.code {
			t.Errorf("%s: %v, want %s", tt.name, e, tt.code)
		}
	}
}

// TestRecurringTransactions finds the streams of sandbox transactions
// made weekly and twice a fortnight apart, on the accounts asked for.
func TestRecurringTransactions(t *testing.T) {
	data, _, st := newService(t)
	ctx := context.Background()
	tn := service.Tenant{ClientID: "c", Now: time.Date(2025, 3, 20, 12, 0, 0, 0, time.UTC)}
	// The sandbox transactions go to the credit card, the first account;
	// Plaid reads no streams of a CD.
	richItem(t, st, tn, "it", "access-good", []string{"transactions"}, "3333", "2222")
	addedItems(t, st, tn)
	var txs []dataservice.SandboxTransaction
	for _, d := range []string{"2025-03-06", "2025-03-13", "2025-03-20"} {
		txs = append(txs, dataservice.SandboxTransaction{DateTransacted: d, DatePosted: d, Amount: 25, Description: "Gym"})
	}
	for _, d := range []string{"2025-03-06", "2025-03-20"} {
		txs = append(txs, dataservice.SandboxTransaction{DateTransacted: d, DatePosted: d, Amount: -1500, Description: "Payroll"})
	}
	if e := data.SandboxTransactionsCreate(ctx, tn, "access-good", txs); e != nil {
		t.Fatal(e)
	}
	d, e := data.RecurringTransactions(ctx, tn, "access-good", nil)
	if e != nil {
		t.Fatal(e)
	}
	var gym *sandboxdata.Stream
	for i, s := range d.Outflow {
		if s.Description == "Gym" {
			gym = &d.Outflow[i]
		}
	}
	if gym == nil || gym.Frequency != sandboxdata.Weekly || gym.Status != sandboxdata.Mature || !gym.IsActive || len(gym.TransactionIDs) != 3 ||
		gym.AccountID != "it-3333" || gym.PredictedNextDate != "2025-03-27" {
		t.Errorf("outflow streams %+v", d.Outflow)
	}
	if len(d.Inflow) != 1 || d.Inflow[0].Frequency != sandboxdata.Biweekly || d.Inflow[0].Status != sandboxdata.EarlyDetection || d.Inflow[0].AverageAmount != -1500 {
		t.Errorf("inflow streams %+v", d.Inflow)
	}
	if !d.UpdatedAt.Equal(tn.Now) {
		t.Errorf("updated at %v, want when the transactions were made", d.UpdatedAt)
	}
	if again, _ := data.RecurringTransactions(ctx, tn, "access-good", nil); again.Inflow[0].ID != d.Inflow[0].ID {
		t.Error("the stream's ID changed")
	}
	if cd, e := data.RecurringTransactions(ctx, tn, "access-good", []string{"it-2222"}); e != nil || len(cd.Inflow)+len(cd.Outflow) != 0 {
		t.Errorf("the CD's streams: %+v %v", cd, e)
	}
	for _, tt := range append(errorCases, struct{ name, access, code string }{"no Transactions", "access-auth", "PRODUCTS_NOT_SUPPORTED"}) {
		if _, e := data.RecurringTransactions(ctx, tn, tt.access, nil); e == nil || e.ErrorCode != tt.code {
			t.Errorf("%s: %v, want %s", tt.name, e, tt.code)
		}
	}
	if _, e := data.RecurringTransactions(ctx, tn, "access-good", []string{"bad-0000"}); e == nil || e.ErrorCode != "INVALID_ACCOUNT_ID" {
		t.Errorf("another Item's account: %v", e)
	}
}

// TestInvestmentsRefresh refreshes an Item's investments: a reinvested
// dividend on its IRA, which /investments/transactions/get lists and the
// holdings add, and webhooks for both.
func TestInvestmentsRefresh(t *testing.T) {
	data, svc, st := newService(t)
	ctx := context.Background()
	tn := service.Tenant{ClientID: "c", Now: time.Date(2025, 3, 20, 12, 0, 0, 0, time.UTC)}
	richItem(t, st, tn, "it", "access-good", []string{"investments"}, "0000", "5555")
	addedItems(t, st, tn)
	before, e := svc.InvestmentsHoldings(ctx, tn, "access-good", nil)
	if e != nil {
		t.Fatal(e)
	}
	if e := data.InvestmentsRefresh(ctx, tn, "access-good"); e != nil {
		t.Fatal(e)
	}
	page, e := svc.InvestmentTransactions(ctx, tn, "access-good", service.RangeQuery{StartDate: "2025-03-20", EndDate: "2025-03-20"})
	if e != nil || page.Total != 1 {
		t.Fatalf("today's investment transactions: %+v %v", page.Transactions, e)
	}
	tr := page.Transactions[0]
	if tr.AccountID != "it-5555" || tr.Subtype != "dividend reinvestment" || len(page.Securities) != 1 || page.Securities[0].ID != tr.SecurityID {
		t.Errorf("investment transaction %+v, securities %+v", tr, page.Securities)
	}
	after, e := svc.InvestmentsHoldings(ctx, tn, "access-good", nil)
	if e != nil {
		t.Fatal(e)
	}
	for i, h := range after.Holdings {
		want := before.Holdings[i].Quantity
		if h.SecurityID == tr.SecurityID {
			want += tr.Quantity
		}
		if diff := h.Quantity - want; diff > 0.001 || diff < -0.001 {
			t.Errorf("holding %s: %v, want %v", h.SecurityID, h.Quantity, want)
		}
	}
	if got := hooks(t, st, tn, "it"); !slices.Equal(got, []string{"INVESTMENTS_TRANSACTIONS DEFAULT_UPDATE new_investments_transactions=1",
		"HOLDINGS DEFAULT_UPDATE new_holdings=0 updated_holdings=1"}) {
		t.Errorf("webhooks %v", got)
	}
	for _, tt := range append(errorCases, struct{ name, access, code string }{"no Investments", "access-auth", "PRODUCTS_NOT_SUPPORTED"}) {
		if e := data.InvestmentsRefresh(ctx, tn, tt.access); e == nil || e.ErrorCode != tt.code {
			t.Errorf("%s: %v, want %s", tt.name, e, tt.code)
		}
	}
}

// TestInvestmentsAuth reads an Item's investment accounts with their
// transfer numbers, owners and holdings, those reinvested in included.
func TestInvestmentsAuth(t *testing.T) {
	data, _, st := newService(t)
	ctx := context.Background()
	tn := service.Tenant{ClientID: "c", Now: time.Date(2025, 3, 20, 12, 0, 0, 0, time.UTC)}
	richItem(t, st, tn, "it", "access-good", []string{"investments", "investments_auth"}, "0000", "5555")
	addedItems(t, st, tn)
	if e := data.InvestmentsRefresh(ctx, tn, "access-good"); e != nil {
		t.Fatal(e)
	}
	d, e := data.InvestmentsAuth(ctx, tn, "access-good", nil)
	if e != nil {
		t.Fatal(e)
	}
	if len(d.Accounts) != 1 || d.Accounts[0].Account.ID != "it-5555" || d.Accounts[0].Owners[0].Names[0] != sandboxdata.AccountHolder.Names[0] {
		t.Errorf("accounts %+v", d.Accounts)
	}
	if len(d.Numbers.ACATS) != 1 || d.Numbers.ACATS[0].Account != "888877775555" || len(d.Numbers.Retirement401k) != 0 {
		t.Errorf("numbers %+v", d.Numbers)
	}
	page, _ := data.InvestmentsAuth(ctx, tn, "access-good", []string{"it-5555"})
	if len(d.Holdings) != sandboxdata.HoldingsPerAccount || len(d.Securities) == 0 || len(page.Holdings) != len(d.Holdings) {
		t.Errorf("holdings %+v, securities %+v", d.Holdings, d.Securities)
	}
	if bank, e := data.InvestmentsAuth(ctx, tn, "access-good", []string{"it-0000"}); e != nil || len(bank.Accounts) != 0 || len(bank.Numbers.ACATS) != 0 {
		t.Errorf("the checking account: %+v %v", bank, e)
	}
	for _, tt := range append(errorCases, struct{ name, access, code string }{"not consented", "access-auth", "ADDITIONAL_CONSENT_REQUIRED"}) {
		if _, e := data.InvestmentsAuth(ctx, tn, tt.access, nil); e == nil || e.ErrorCode != tt.code {
			t.Errorf("%s: %v, want %s", tt.name, e, tt.code)
		}
	}
	if _, e := data.InvestmentsAuth(ctx, tn, "access-good", []string{"bad-5555"}); e == nil || e.ErrorCode != "INVALID_ACCOUNT_ID" {
		t.Errorf("another Item's account: %v", e)
	}
}
