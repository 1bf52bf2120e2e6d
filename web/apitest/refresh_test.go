package apitest

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/plaid/plaid-go/v20/plaid"

	"github.com/linkharness/linkharness/internal/spec"
	"github.com/linkharness/linkharness/internal/testkit"
)

// hookedItem is an Item of /sandbox/public_token/create at First Platypus
// Bank with the products and the emulator's webhook receiver at path,
// and its access token and ID.
func (e *emulator) hookedItem(t *testing.T, path string, products ...string) (access, itemID string) {
	t.Helper()
	pt := e.kit.Must(t, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": products,
		"options": map[string]any{"webhook": e.hooks.URL + path}})["public_token"].(string)
	ex := e.kit.Must(t, "/item/public_token/exchange", map[string]any{"public_token": pt})
	return ex["access_token"].(string), ex["item_id"].(string)
}

// fails posts body to path, wants Plaid's error code and validates the
// error against the spec's PlaidError with kin-openapi.
func (e *emulator) fails(t *testing.T, doc *openapi3.T, what, path string, body map[string]any, code string) {
	t.Helper()
	status, out := e.post(t, path, body, false)
	if status < 400 || out["error_code"] != code {
		t.Errorf("%s: %s answered %d %v, want %s", what, path, status, out, code)
	}
	if err := doc.Components.Schemas[spec.PlaidErrorName].Value.VisitJSON(any(out), openapi3.VisitAsResponse()); err != nil {
		t.Errorf("%s: the error of %s does not validate against PlaidError: %v", what, path, err)
	}
}

// tokenCase is a token an endpoint of an Item is called with, and the
// error code the emulator answers ("" for a 200).
type tokenCase struct{ name, token, code string }

// accessTokenCases are the tokens every endpoint of an Item is tried
// with: no Item of the token (unknown, a token of another kind issued for
// real: link, public, processor; a removed Item's) and an Item whose login
// a reset requires, for which the endpoint answers brokenCode ("" when it
// serves it). removed and broken are tokens of a removed Item and of one
// in ITEM_LOGIN_REQUIRED.
func (e *emulator) accessTokenCases(t *testing.T, removed, broken, brokenCode string) []tokenCase {
	t.Helper()
	lt := e.kit.Must(t, "/link/token/create", map[string]any{"client_name": "App", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "u"}, "products": []string{"transactions"}})["link_token"].(string)
	pt := e.kit.Must(t, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": []string{"auth"}})["public_token"].(string)
	processor := e.kit.Must(t, "/sandbox/processor_token/create", map[string]any{"institution_id": "ins_109508"})["processor_token"].(string)
	return []tokenCase{
		{"unknown token", "access-sandbox-00000000-0000-4000-8000-000000000000", "INVALID_ACCESS_TOKEN"},
		{"a link token", lt, "INVALID_ACCESS_TOKEN"},
		{"a public token", pt, "INVALID_ACCESS_TOKEN"},
		{"a processor token", processor, "INVALID_ACCESS_TOKEN"},
		{"a removed Item", removed, "INVALID_ACCESS_TOKEN"},
		{"an Item whose login is required", broken, brokenCode},
	}
}

// commonErrors are the errors every endpoint of an Item that reads the
// bank fails with (accessTokenCases), each validated against PlaidError.
// body makes the request for an access token.
func (e *emulator) commonErrors(t *testing.T, doc *openapi3.T, path string, body func(access string) map[string]any, removed, broken string) {
	t.Helper()
	for _, tt := range e.accessTokenCases(t, removed, broken, "ITEM_LOGIN_REQUIRED") {
		e.fails(t, doc, tt.name, path, body(tt.token), tt.code)
	}
}

// removedAndBroken are the access tokens of a removed Item and of one in
// ITEM_LOGIN_REQUIRED, both with the products.
func (e *emulator) removedAndBroken(t *testing.T, products ...string) (removed, broken string) {
	t.Helper()
	removed, _ = e.hookedItem(t, "/removed", products...)
	e.kit.Must(t, "/item/remove", map[string]any{"access_token": removed})
	broken, _ = e.hookedItem(t, "/broken", products...)
	e.kit.Must(t, "/sandbox/item/reset_login", map[string]any{"access_token": broken})
	return removed, broken
}

// hooksMatchTheSpec validates the deliveries against the spec's schemas
// of their webhooks.
func hooksMatchTheSpec(t *testing.T, doc *openapi3.T, ds []testkit.Delivery) {
	t.Helper()
	for _, d := range ds {
		name := webhookSchemas[d.Type()+" "+d.Code()]
		if sc := doc.Components.Schemas[name]; sc == nil {
			t.Errorf("%s %s: no spec schema", d.Type(), d.Code())
		} else if err := sc.Value.VisitJSON(d.Webhook); err != nil {
			t.Errorf("%s %s does not validate against %s: %v", d.Type(), d.Code(), name, err)
		}
	}
}

// today is the emulator clock's date.
func (e *emulator) today(t *testing.T) time.Time {
	t.Helper()
	now, err := time.Parse(time.RFC3339Nano, e.kit.Must(t, "/linkharness/clock/get", nil)["now"].(string))
	if err != nil {
		t.Fatal(err)
	}
	return now.UTC().Truncate(24 * time.Hour)
}

// TestTransactionsRefresh refreshes an Item with plaid-go: the new
// transactions, dated today, come after the last cursor of
// /transactions/sync and in /transactions/get, and the webhook gets
// SYNC_UPDATES_AVAILABLE and DEFAULT_UPDATE; and the errors.
func TestTransactionsRefresh(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	access, itemID := e.hookedItem(t, "/refresh", "transactions")
	e.hooks.WaitFor(t, 1, "TRANSACTIONS", "SYNC_UPDATES_AVAILABLE")
	first, _, err := e.plaid.TransactionsSync(ctx).TransactionsSyncRequest(*plaid.NewTransactionsSyncRequest(access)).Execute()
	if err != nil || first.HasMore {
		t.Fatalf("sync %+v %v", first, err)
	}
	out, _, err := e.plaid.TransactionsRefresh(ctx).TransactionsRefreshRequest(*plaid.NewTransactionsRefreshRequest(access)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	checkRequestID(t, "/transactions/refresh", out.RequestId)
	syncReq := plaid.NewTransactionsSyncRequest(access)
	syncReq.SetCursor(first.NextCursor)
	next, _, err := e.plaid.TransactionsSync(ctx).TransactionsSyncRequest(*syncReq).Execute()
	if err != nil {
		t.Fatal(err)
	}
	today := e.today(t).Format(time.DateOnly)
	accounts := map[string]bool{}
	for _, tr := range next.Added {
		accounts[tr.AccountId] = true
		if tr.Date != today || tr.Name == "" || len(tr.TransactionId) != 37 {
			t.Errorf("refreshed transaction %+v", tr)
		}
	}
	// One on each of checking, savings, CD, credit card, money market.
	if len(next.Added) != 5 || len(accounts) != 5 || next.HasMore {
		t.Errorf("sync after the refresh: %d added on %d accounts (has_more %v)", len(next.Added), len(accounts), next.HasMore)
	}
	got, _, err := e.plaid.TransactionsGet(ctx).TransactionsGetRequest(*plaid.NewTransactionsGetRequest(access, today, today)).Execute()
	if err != nil || got.TotalTransactions < 5 {
		t.Errorf("/transactions/get of today: %v %v", got.TotalTransactions, err)
	}
	hooks := e.hooks.WaitFor(t, 1, "TRANSACTIONS", "DEFAULT_UPDATE")
	if hooks[0].Webhook["new_transactions"] != 5.0 || hooks[0].Webhook["item_id"] != itemID {
		t.Errorf("DEFAULT_UPDATE %v", hooks[0].Webhook)
	}
	hooksMatchTheSpec(t, doc, append(e.hooks.WaitFor(t, 2, "TRANSACTIONS", "SYNC_UPDATES_AVAILABLE"), hooks...))

	e.conforms(t, doc, "/transactions/refresh", map[string]any{"access_token": access})
	syncReq.SetCursor(next.NextCursor)
	if again, _, err := e.plaid.TransactionsSync(ctx).TransactionsSyncRequest(*syncReq).Execute(); err != nil || len(again.Added) != 5 {
		t.Errorf("sync after a second refresh: %d added (%v), want 5 new", len(again.Added), err)
	}

	removed, broken := e.removedAndBroken(t, "transactions")
	e.commonErrors(t, doc, "/transactions/refresh", func(a string) map[string]any { return map[string]any{"access_token": a} }, removed, broken)
	auth := e.linkedItem(t, []plaid.Products{plaid.PRODUCTS_AUTH}, "Plaid Checking")
	_, _, err = e.plaid.TransactionsRefresh(ctx).TransactionsRefreshRequest(*plaid.NewTransactionsRefreshRequest(auth.AccessToken)).Execute()
	wantPlaidError(t, "an Item without Transactions", err, "PRODUCTS_NOT_SUPPORTED")
	e.fails(t, doc, "no access token", "/transactions/refresh", map[string]any{}, "MISSING_FIELDS")
}

// TestSandboxTransactionsCreate makes transactions with raw JSON (plaid-go
// v20 does not know the endpoint): /transactions/sync and
// /transactions/get show them, Plaid's rules are kept, and the errors.
func TestSandboxTransactionsCreate(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	access, _ := e.hookedItem(t, "/created", "transactions")
	first, _, err := e.plaid.TransactionsSync(ctx).TransactionsSyncRequest(*plaid.NewTransactionsSyncRequest(access)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	today := e.today(t)
	day := func(back int) string { return today.AddDate(0, 0, -back).Format(time.DateOnly) }
	tx := func(transacted, posted int, amount float64, description string) map[string]any {
		return map[string]any{"date_transacted": day(transacted), "date_posted": day(posted), "amount": amount, "description": description}
	}
	made := []map[string]any{tx(3, 2, 42.5, "Corner Shop"), tx(0, 0, -1200, "Payroll")}
	made[1]["iso_currency_code"] = "CAD"
	out := e.conforms(t, doc, "/sandbox/transactions/create", map[string]any{"access_token": access, "transactions": made})
	checkRequestID(t, "/sandbox/transactions/create", out["request_id"].(string))
	syncReq := plaid.NewTransactionsSyncRequest(access)
	syncReq.SetCursor(first.NextCursor)
	next, _, err := e.plaid.TransactionsSync(ctx).TransactionsSyncRequest(*syncReq).Execute()
	if err != nil || len(next.Added) != 2 {
		t.Fatalf("sync: %+v %v", next.Added, err)
	}
	accounts, _, err := e.plaid.AccountsGet(ctx).AccountsGetRequest(*plaid.NewAccountsGetRequest(access)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	shop, pay := next.Added[0], next.Added[1]
	if shop.Name != "Corner Shop" || shop.Amount != 42.5 || shop.Date != day(2) || shop.GetAuthorizedDate() != day(3) || shop.GetIsoCurrencyCode() != "USD" ||
		shop.Pending || shop.AccountId != accounts.Accounts[0].AccountId || pay.GetIsoCurrencyCode() != "CAD" || pay.Amount != -1200 {
		t.Errorf("made %+v and %+v", shop, pay)
	}
	got, _, err := e.plaid.TransactionsGet(ctx).TransactionsGetRequest(*plaid.NewTransactionsGetRequest(access, day(2), day(2))).Execute()
	if err != nil || !slices.ContainsFunc(got.Transactions, func(tr plaid.Transaction) bool { return tr.TransactionId == shop.TransactionId }) {
		t.Errorf("/transactions/get of the day it posted: %+v %v", got.Transactions, err)
	}
	hooksMatchTheSpec(t, doc, e.hooks.WaitFor(t, 1, "TRANSACTIONS", "DEFAULT_UPDATE"))

	many := make([]map[string]any, 11)
	for i := range many {
		many[i] = tx(0, 0, 1, "Shop")
	}
	for _, tt := range []struct {
		name string
		txs  []map[string]any
		code string
	}{
		{"eleven", many, "INVALID_FIELD"},
		{"none", []map[string]any{}, "MISSING_FIELDS"},
		{"15 days back", []map[string]any{tx(15, 15, 1, "Shop")}, "INVALID_FIELD"},
		{"tomorrow", []map[string]any{tx(0, -1, 1, "Shop")}, "INVALID_FIELD"},
		{"posted before transacted", []map[string]any{tx(1, 2, 1, "Shop")}, "INVALID_FIELD"},
		{"no description", []map[string]any{{"date_transacted": day(0), "date_posted": day(0), "amount": 1}}, "MISSING_FIELDS"},
	} {
		e.fails(t, doc, tt.name, "/sandbox/transactions/create", map[string]any{"access_token": access, "transactions": tt.txs}, tt.code)
	}
	body := func(a string) map[string]any {
		return map[string]any{"access_token": a, "transactions": []map[string]any{tx(0, 0, 1, "Shop")}}
	}
	removed, broken := e.removedAndBroken(t, "transactions")
	e.fails(t, doc, "unknown token", "/sandbox/transactions/create", body("access-sandbox-00000000-0000-4000-8000-000000000000"), "INVALID_ACCESS_TOKEN")
	e.fails(t, doc, "a public token", "/sandbox/transactions/create", body("public-sandbox-00000000-0000-4000-8000-000000000000"), "INVALID_ACCESS_TOKEN")
	e.fails(t, doc, "a removed Item", "/sandbox/transactions/create", body(removed), "INVALID_ACCESS_TOKEN")
	auth := e.linkedItem(t, []plaid.Products{plaid.PRODUCTS_AUTH}, "Plaid Checking")
	e.fails(t, doc, "an Item without Transactions", "/sandbox/transactions/create", body(auth.AccessToken), "SANDBOX_PRODUCT_NOT_ENABLED")
	// The bank has them while the Item's login is required; its data
	// endpoints show them once it is repaired.
	e.conforms(t, doc, "/sandbox/transactions/create", body(broken))
	_, _, err = e.plaid.TransactionsSync(ctx).TransactionsSyncRequest(*plaid.NewTransactionsSyncRequest(broken)).Execute()
	wantPlaidError(t, "sync of an Item whose login is required", err, "ITEM_LOGIN_REQUIRED")
}

// TestRecurringTransactions finds with plaid-go the streams of sandbox
// transactions made weekly and a fortnight apart, narrows them by
// account_ids, and checks the errors.
func TestRecurringTransactions(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	ex := e.linkedItem(t, []plaid.Products{plaid.PRODUCTS_TRANSACTIONS}, "Plaid Checking", "Plaid Credit Card")
	today := e.today(t)
	var made []map[string]any
	for _, back := range []int{14, 7, 0} {
		d := today.AddDate(0, 0, -back).Format(time.DateOnly)
		made = append(made, map[string]any{"date_transacted": d, "date_posted": d, "amount": 31.5, "description": "Platypus Gym"})
	}
	for _, back := range []int{14, 0} {
		d := today.AddDate(0, 0, -back).Format(time.DateOnly)
		made = append(made, map[string]any{"date_transacted": d, "date_posted": d, "amount": -2400, "description": "Platypus Payroll"})
	}
	e.kit.Must(t, "/sandbox/transactions/create", map[string]any{"access_token": ex.AccessToken, "transactions": made})

	got, _, err := e.plaid.TransactionsRecurringGet(ctx).TransactionsRecurringGetRequest(*plaid.NewTransactionsRecurringGetRequest(ex.AccessToken, nil)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	checkRequestID(t, "/transactions/recurring/get", got.RequestId)
	var gym, payroll *plaid.TransactionStream
	for i, s := range got.OutflowStreams {
		if s.Description == "Platypus Gym" {
			gym = &got.OutflowStreams[i]
		}
	}
	for i, s := range got.InflowStreams {
		if s.Description == "Platypus Payroll" {
			payroll = &got.InflowStreams[i]
		}
	}
	if gym == nil || gym.Frequency != plaid.RECURRINGTRANSACTIONFREQUENCY_WEEKLY || gym.Status != plaid.TRANSACTIONSTREAMSTATUS_MATURE ||
		!gym.IsActive || len(gym.TransactionIds) != 3 || gym.LastAmount.GetAmount() != 31.5 ||
		gym.AdditionalProperties["predicted_next_date"] != today.AddDate(0, 0, 7).Format(time.DateOnly) || gym.FirstDate != made[0]["date_posted"] {
		t.Errorf("the gym's stream %+v", gym)
	}
	if payroll == nil || payroll.Frequency != plaid.RECURRINGTRANSACTIONFREQUENCY_BIWEEKLY || payroll.Status != plaid.TRANSACTIONSTREAMSTATUS_EARLY_DETECTION ||
		payroll.AverageAmount.GetAmount() != -2400 || payroll.AccountId != gym.AccountId {
		t.Errorf("the payroll's stream %+v", payroll)
	}
	if time.Since(got.UpdatedDatetime).Abs() > time.Hour {
		t.Errorf("updated_datetime %v", got.UpdatedDatetime)
	}
	again := e.conforms(t, doc, "/transactions/recurring/get", map[string]any{"access_token": ex.AccessToken,
		"options": map[string]any{"personal_finance_category_version": "v2"}})
	if streams := again["outflow_streams"].([]any); !slices.ContainsFunc(streams, func(s any) bool { return s.(map[string]any)["stream_id"] == gym.StreamId }) {
		t.Errorf("the gym's stream ID changed: %v", streams)
	}
	items, _, _ := e.plaid.AccountsGet(ctx).AccountsGetRequest(*plaid.NewAccountsGetRequest(ex.AccessToken)).Execute()
	var card string
	for _, a := range items.Accounts {
		if a.Type == plaid.ACCOUNTTYPE_CREDIT {
			card = a.AccountId
		}
	}
	narrowed := e.conforms(t, doc, "/transactions/recurring/get", map[string]any{"access_token": ex.AccessToken, "account_ids": []string{card}})
	for _, s := range append(narrowed["inflow_streams"].([]any), narrowed["outflow_streams"].([]any)...) {
		if s.(map[string]any)["account_id"] != card {
			t.Errorf("a stream of another account: %v", s)
		}
	}
	e.fails(t, doc, "an account of no Item", "/transactions/recurring/get", map[string]any{"access_token": ex.AccessToken, "account_ids": []string{"nope"}}, "INVALID_ACCOUNT_ID")

	removed, broken := e.removedAndBroken(t, "transactions")
	e.commonErrors(t, doc, "/transactions/recurring/get", func(a string) map[string]any { return map[string]any{"access_token": a} }, removed, broken)
	auth := e.linkedItem(t, []plaid.Products{plaid.PRODUCTS_AUTH}, "Plaid Checking")
	_, _, err = e.plaid.TransactionsRecurringGet(ctx).TransactionsRecurringGetRequest(*plaid.NewTransactionsRecurringGetRequest(auth.AccessToken, nil)).Execute()
	wantPlaidError(t, "an Item without Transactions", err, "PRODUCTS_NOT_SUPPORTED")
}

// TestInvestmentsRefresh refreshes an Item's investments with plaid-go: a
// reinvested dividend on each investment account, in
// /investments/transactions/get and the holdings, and the webhooks
// INVESTMENTS_TRANSACTIONS and HOLDINGS DEFAULT_UPDATE; and the errors.
func TestInvestmentsRefresh(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	access, itemID := e.hookedItem(t, "/investments", "investments")
	before, _, err := e.plaid.InvestmentsHoldingsGet(ctx).InvestmentsHoldingsGetRequest(*plaid.NewInvestmentsHoldingsGetRequest(access)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := e.plaid.InvestmentsRefresh(ctx).InvestmentsRefreshRequest(*plaid.NewInvestmentsRefreshRequest(access)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	checkRequestID(t, "/investments/refresh", out.RequestId)
	today := e.today(t).Format(time.DateOnly)
	txs, _, err := e.plaid.InvestmentsTransactionsGet(ctx).InvestmentsTransactionsGetRequest(*plaid.NewInvestmentsTransactionsGetRequest(access, today, today)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	reinvested := 0
	for _, tr := range txs.InvestmentTransactions {
		if tr.Subtype == plaid.INVESTMENTTRANSACTIONSUBTYPE_DIVIDEND_REINVESTMENT && tr.Type == plaid.INVESTMENTTRANSACTIONTYPE_BUY {
			reinvested++
		}
	}
	if reinvested != 2 {
		t.Errorf("today's investment transactions %+v, want a reinvested dividend on each investment account", txs.InvestmentTransactions)
	}
	after, _, err := e.plaid.InvestmentsHoldingsGet(ctx).InvestmentsHoldingsGetRequest(*plaid.NewInvestmentsHoldingsGetRequest(access)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	grew := 0
	for i, h := range after.Holdings {
		if h.Quantity > before.Holdings[i].Quantity {
			grew++
		}
	}
	if grew != 2 {
		t.Errorf("%d holdings grew, want one on each investment account", grew)
	}
	inv := e.hooks.WaitFor(t, 1, "INVESTMENTS_TRANSACTIONS", "DEFAULT_UPDATE")
	hold := e.hooks.WaitFor(t, 1, "HOLDINGS", "DEFAULT_UPDATE")
	if inv[0].Webhook["new_investments_transactions"] != 2.0 || hold[0].Webhook["updated_holdings"] != 2.0 || hold[0].Webhook["item_id"] != itemID {
		t.Errorf("webhooks %v %v", inv[0].Webhook, hold[0].Webhook)
	}
	hooksMatchTheSpec(t, doc, append(inv, hold...))
	e.conforms(t, doc, "/investments/refresh", map[string]any{"access_token": access})

	removed, broken := e.removedAndBroken(t, "investments")
	e.commonErrors(t, doc, "/investments/refresh", func(a string) map[string]any { return map[string]any{"access_token": a} }, removed, broken)
	bank, _ := e.hookedItem(t, "/bank", "transactions")
	_, _, err = e.plaid.InvestmentsRefresh(ctx).InvestmentsRefreshRequest(*plaid.NewInvestmentsRefreshRequest(bank)).Execute()
	wantPlaidError(t, "an Item without Investments", err, "PRODUCTS_NOT_SUPPORTED")
}

// TestInvestmentsAuth reads an Item's investment accounts with plaid-go
// for Investments Move: their ACATS and 401k numbers, owners and
// holdings; and the errors.
func TestInvestmentsAuth(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	access, _ := e.hookedItem(t, "/move", "investments_auth")
	got, _, err := e.plaid.InvestmentsAuthGet(ctx).InvestmentsAuthGetRequest(*plaid.NewInvestmentsAuthGetRequest(access)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	checkRequestID(t, "/investments/auth/get", got.RequestId)
	acats := got.Numbers.GetAcats()
	if len(got.Accounts) != 2 || len(acats) != 2 || acats[0].AccountId != got.Accounts[0].AccountId || acats[0].Account != "888877775555" ||
		len(acats[0].DtcNumbers) == 0 || len(got.Owners) != 2 || got.Owners[1].GetNames()[0] != "Alberta Bobbeth Charleson" ||
		len(got.Holdings) == 0 || len(got.Securities) == 0 || !slices.Contains(got.Item.GetProducts(), "investments_auth") {
		t.Errorf("/investments/auth/get %+v", got)
	}
	full := e.conforms(t, doc, "/investments/auth/get", map[string]any{"access_token": access})
	if k := full["numbers"].(map[string]any)["retirement_401k"].([]any); len(k) != 1 || k[0].(map[string]any)["plan"] != "4016666" {
		t.Errorf("401k numbers %v", k)
	}
	req := plaid.NewInvestmentsAuthGetRequest(access)
	opts := plaid.NewInvestmentsAuthGetRequestOptions()
	opts.SetAccountIds([]string{got.Accounts[1].AccountId})
	req.SetOptions(*opts)
	one, _, err := e.plaid.InvestmentsAuthGet(ctx).InvestmentsAuthGetRequest(*req).Execute()
	if err != nil || len(one.Accounts) != 1 || len(one.Numbers.GetAcats()) != 1 || len(one.Owners) != 1 {
		t.Errorf("one account: %+v %v", one, err)
	}
	e.fails(t, doc, "an account of no Item", "/investments/auth/get", map[string]any{"access_token": access, "options": map[string]any{"account_ids": []string{"nope"}}}, "INVALID_ACCOUNT_ID")

	removed, broken := e.removedAndBroken(t, "investments_auth")
	e.commonErrors(t, doc, "/investments/auth/get", func(a string) map[string]any { return map[string]any{"access_token": a} }, removed, broken)
	bank := e.linkedItem(t, []plaid.Products{plaid.PRODUCTS_AUTH}, "Plaid Checking")
	_, _, err = e.plaid.InvestmentsAuthGet(ctx).InvestmentsAuthGetRequest(*plaid.NewInvestmentsAuthGetRequest(bank.AccessToken)).Execute()
	wantPlaidError(t, "an Item the user gave no consent to Investments Move for", err, "ADDITIONAL_CONSENT_REQUIRED")
	if status, _ := e.post(t, "/investments/auth/get", map[string]any{"access_token": access}, true); status != http.StatusBadRequest {
		t.Errorf("without credentials: %d", status)
	}
}
