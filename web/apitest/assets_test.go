package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/plaid/plaid-go/v20/plaid"

	"github.com/linkharness/linkharness/internal/spec"
	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/web"
)

// validAs validates v, a plaid-go answer, against the spec's schema name
// with kin-openapi, by its JSON.
func validAs(t *testing.T, doc *openapi3.T, name string, v any) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var body any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatal(err)
	}
	if err := doc.Components.Schemas[name].Value.VisitJSON(body, openapi3.VisitAsResponse()); err != nil {
		t.Errorf("%s does not validate: %v", name, err)
	}
}

// pdfText is the text that the PDF document shows, page by page, read
// back with pdfcpu after validating the document.
func pdfText(t *testing.T, doc []byte) []string {
	t.Helper()
	api.DisableConfigDir()
	ctx, err := api.ReadContext(bytes.NewReader(doc), model.NewDefaultConfiguration())
	if err != nil {
		t.Fatalf("pdfcpu cannot read the PDF: %v", err)
	}
	if err := api.ValidateContext(ctx); err != nil {
		t.Fatalf("the PDF does not validate: %v", err)
	}
	show := regexp.MustCompile(`\(((?:[^()\\]|\\.)*)\) Tj`)
	unescape := regexp.MustCompile(`\\([0-7]{3}|.)`)
	var pages []string
	for p := 1; p <= ctx.PageCount; p++ {
		r, err := pdfcpu.ExtractPageContent(ctx, p)
		if err != nil {
			t.Fatalf("page %d: %v", p, err)
		}
		content, _ := io.ReadAll(r)
		var lines []string
		for _, m := range show.FindAllStringSubmatch(string(content), -1) {
			lines = append(lines, unescape.ReplaceAllStringFunc(m[1], func(s string) string {
				if n, err := strconv.ParseUint(s[1:], 8, 8); err == nil && len(s) == 4 {
					return string(rune(n))
				}
				return s[1:]
			}))
		}
		pages = append(pages, strings.Join(lines, "\n"))
	}
	return pages
}

// TestAssetReportLifecycle drives an Asset Report through plaid-go: create,
// not ready, ready on the emulator clock with its webhook, the report and
// its PDF, then filter, refresh, audit copies and removal, and the errors
// of unknown, removed and other clients' tokens.
func TestAssetReportLifecycle(t *testing.T) {
	e := newEmulator(t)
	doc := openAPI(t, spec.Load())
	ctx := context.Background()
	access, itemID := e.hookedItem(t, "/item", "assets", "transactions")
	noAssets, _ := e.hookedItem(t, "/item", "transactions")

	opts := plaid.NewAssetReportCreateRequestOptions()
	opts.SetClientReportId("loan-42")
	opts.SetWebhook(e.hooks.URL + "/assets")
	user := plaid.NewAssetReportUser()
	user.SetClientUserId("borrower-1")
	user.SetFirstName("Alberta")
	opts.SetUser(*user)
	create := plaid.NewAssetReportCreateRequest(30)
	create.SetAccessTokens([]string{access})
	create.SetOptions(*opts)
	created, _, err := e.plaid.AssetReportCreate(ctx).AssetReportCreateRequest(*create).Execute()
	if err != nil {
		t.Fatal(err)
	}
	validAs(t, doc, "AssetReportCreateResponse", created)
	token := created.GetAssetReportToken()
	if !strings.HasPrefix(token, "assets-sandbox-") {
		t.Errorf("asset_report_token %q", token)
	}
	get := func(token string) (plaid.AssetReportGetResponse, error) {
		req := plaid.NewAssetReportGetRequest()
		req.SetAssetReportToken(token)
		out, _, err := e.plaid.AssetReportGet(ctx).AssetReportGetRequest(*req).Execute()
		return out, err
	}
	if _, err := get(token); plaidErr(t, err).ErrorCode != "PRODUCT_NOT_READY" {
		t.Errorf("a new report: %v, want PRODUCT_NOT_READY", err)
	} else if pe := plaidErr(t, err); pe.ErrorType != "ASSET_REPORT_ERROR" {
		t.Errorf("PRODUCT_NOT_READY of type %s", pe.ErrorType)
	}
	if len(e.hooks.Received("ASSETS", "")) != 0 {
		t.Error("an ASSETS webhook before the report was ready")
	}

	// Ready once the emulator clock moved past the delay, with the
	// webhook.
	e.kit.Must(t, "/linkharness/clock/advance", map[string]any{"seconds": 6})
	hooks := e.hooks.WaitFor(t, 1, "ASSETS", "PRODUCT_READY")
	if hooks[0].Webhook["asset_report_id"] != created.GetAssetReportId() {
		t.Errorf("PRODUCT_READY %v", hooks[0].Webhook)
	}
	if err := doc.Components.Schemas["AssetsProductReadyWebhook"].Value.VisitJSON(hooks[0].Webhook); err != nil {
		t.Errorf("PRODUCT_READY does not validate: %v", err)
	}
	got, err := get(token)
	if err != nil {
		t.Fatal(err)
	}
	validAs(t, doc, "AssetReportGetResponse", got)
	report := got.GetReport()
	if report.GetAssetReportId() != created.GetAssetReportId() || report.GetClientReportId() != "loan-42" || report.GetDaysRequested() != 30 ||
		report.User.GetClientUserId() != "borrower-1" || len(report.GetItems()) != 1 || report.GetItems()[0].GetItemId() != itemID {
		t.Fatalf("report %+v", report)
	}
	accounts := report.GetItems()[0].GetAccounts()
	if len(accounts) < 2 {
		t.Fatalf("%d accounts", len(accounts))
	}
	cutoff := e.today(t).AddDate(0, 0, -31).Format(time.DateOnly)
	var txns int
	for _, a := range accounts {
		if len(a.GetOwners()) == 0 || a.GetBalances().Current.Get() == nil {
			t.Errorf("account %s: owners %v balances %+v", a.GetAccountId(), a.GetOwners(), a.GetBalances())
		}
		for _, tr := range a.GetTransactions() {
			txns++
			if tr.GetDate() < cutoff {
				t.Errorf("transaction of %s, before the %v days requested", tr.GetDate(), report.GetDaysRequested())
			}
		}
		if n := len(a.GetHistoricalBalances()); n != 30 {
			t.Errorf("%d historical balances, want 30", n)
		}
	}
	if txns == 0 {
		t.Error("no transaction in the report")
	}

	// The PDF lists the accounts and their transactions.
	pdfReq := plaid.NewAssetReportPDFGetRequest(token)
	f, _, err := e.plaid.AssetReportPdfGet(ctx).AssetReportPDFGetRequest(*pdfReq).Execute()
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(f)
	f.Close()
	text := strings.Join(pdfText(t, raw), "\n")
	for _, a := range accounts {
		if !strings.Contains(text, a.GetName()) {
			t.Errorf("the PDF does not name account %q", a.GetName())
		}
		for _, tr := range a.GetTransactions() {
			if !strings.Contains(text, tr.GetOriginalDescription()) {
				t.Errorf("the PDF does not list transaction %q", tr.GetOriginalDescription())
			}
		}
	}

	// Insights: name, merchant_name and the categories only with
	// include_insights; days_to_include cuts the history.
	plain := e.kit.Must(t, "/asset_report/get", map[string]any{"asset_report_token": token})
	withInsights := e.kit.Must(t, "/asset_report/get", map[string]any{"asset_report_token": token, "include_insights": true})
	validAs(t, doc, "AssetReportGetResponse", plain)
	validAs(t, doc, "AssetReportGetResponse", withInsights)
	plainTx, insightTx := reportTransactions(plain), reportTransactions(withInsights)
	if len(plainTx) != txns || len(insightTx) != txns {
		t.Fatalf("%d and %d transactions with and without insights, want %d", len(plainTx), len(insightTx), txns)
	}
	for i := range plainTx {
		for _, k := range []string{"name", "merchant_name", "category", "category_id"} {
			if _, ok := plainTx[i][k]; ok {
				t.Errorf("%s in a report without insights: %v", k, plainTx[i])
			}
			if _, ok := insightTx[i][k]; !ok {
				t.Errorf("no %s in a report with insights: %v", k, insightTx[i])
			}
		}
	}
	recent := e.kit.Must(t, "/asset_report/get", map[string]any{"asset_report_token": token, "options": map[string]any{"days_to_include": 7}})
	since := e.today(t).AddDate(0, 0, -7).Format(time.DateOnly)
	var recentTxns int
	for _, tr := range reportTransactions(recent) {
		recentTxns++
		if tr["date"].(string) < since {
			t.Errorf("days_to_include 7 kept a transaction of %s", tr["date"])
		}
	}
	if recentTxns >= txns {
		t.Errorf("days_to_include 7 kept %d of %d transactions", recentTxns, txns)
	}
	for _, a := range recent["report"].(map[string]any)["items"].([]any)[0].(map[string]any)["accounts"].([]any) {
		if n := len(a.(map[string]any)["historical_balances"].([]any)); n != 7 {
			t.Errorf("days_to_include 7: %d historical balances", n)
		}
	}
	e.fails(t, doc, "fast_report of a report without fast_assets", "/asset_report/get", map[string]any{"asset_report_token": token, "fast_report": true}, "INVALID_FIELD")

	// Fast Assets: the fast version is ready first, with its own
	// webhook, and has balances but no history.
	fast := e.kit.Must(t, "/asset_report/create", map[string]any{"access_tokens": []string{access}, "days_requested": 30,
		"options": map[string]any{"add_ons": []string{"fast_assets"}, "webhook": e.hooks.URL + "/fast"}})
	fastToken := fast["asset_report_token"].(string)
	fastGet := map[string]any{"asset_report_token": fastToken, "fast_report": true}
	e.fails(t, doc, "a new fast report", "/asset_report/get", fastGet, "PRODUCT_NOT_READY")
	e.kit.Must(t, "/linkharness/clock/advance", map[string]any{"seconds": 1})
	var fastHook testkit.Delivery
	testkit.Eventually(t, 5*time.Second, "the FAST PRODUCT_READY webhook", func() bool {
		for _, d := range e.hooks.Received("ASSETS", "PRODUCT_READY") {
			if d.Path == "/fast" && d.Webhook["report_type"] == "FAST" {
				fastHook = d
				return true
			}
		}
		return false
	})
	if fastHook.Webhook["asset_report_id"] != fast["asset_report_id"] {
		t.Errorf("FAST PRODUCT_READY %v", fastHook.Webhook)
	}
	if err := doc.Components.Schemas["AssetsProductReadyWebhook"].Value.VisitJSON(fastHook.Webhook); err != nil {
		t.Errorf("FAST PRODUCT_READY does not validate: %v", err)
	}
	fastReport := e.kit.Must(t, "/asset_report/get", fastGet)
	validAs(t, doc, "AssetReportGetResponse", fastReport)
	if n := len(reportTransactions(fastReport)); n != 0 {
		t.Errorf("the fast report has %d transactions", n)
	}
	e.fails(t, doc, "the full report before it is ready", "/asset_report/get", map[string]any{"asset_report_token": fastToken}, "PRODUCT_NOT_READY")
	e.kit.Must(t, "/linkharness/clock/advance", map[string]any{"seconds": 4})
	if full := e.kit.Must(t, "/asset_report/get", map[string]any{"asset_report_token": fastToken}); len(reportTransactions(full)) == 0 {
		t.Error("the full report of a fast one has no transactions")
	}

	// Filter: a ready report without the first account.
	excluded := accounts[0].GetAccountId()
	filtered, _, err := e.plaid.AssetReportFilter(ctx).AssetReportFilterRequest(*plaid.NewAssetReportFilterRequest(token, []string{excluded})).Execute()
	if err != nil {
		t.Fatal(err)
	}
	validAs(t, doc, "AssetReportFilterResponse", filtered)
	fr, err := get(filtered.GetAssetReportToken())
	if err != nil {
		t.Fatal(err)
	}
	if n := len(fr.Report.GetItems()[0].GetAccounts()); n != len(accounts)-1 {
		t.Errorf("the filtered report has %d accounts, want %d", n, len(accounts)-1)
	}
	for _, a := range fr.Report.GetItems()[0].GetAccounts() {
		if a.GetAccountId() == excluded {
			t.Error("the filtered report keeps the excluded account")
		}
	}

	// Refresh: a new report of the same Item, not ready until the clock
	// moves, then with another PRODUCT_READY.
	refreshReq := plaid.NewAssetReportRefreshRequest(token)
	refreshReq.SetDaysRequested(10)
	refreshed, _, err := e.plaid.AssetReportRefresh(ctx).AssetReportRefreshRequest(*refreshReq).Execute()
	if err != nil {
		t.Fatal(err)
	}
	validAs(t, doc, "AssetReportRefreshResponse", refreshed)
	if refreshed.GetAssetReportId() == created.GetAssetReportId() {
		t.Error("refresh kept the report's ID")
	}
	if _, err := get(refreshed.GetAssetReportToken()); plaidErr(t, err).ErrorCode != "PRODUCT_NOT_READY" {
		t.Errorf("a refreshed report: %v", err)
	}
	e.kit.Must(t, "/linkharness/clock/advance", map[string]any{"seconds": 6})
	e.hooks.WaitFor(t, 2, "ASSETS", "PRODUCT_READY")
	rr, err := get(refreshed.GetAssetReportToken())
	if err != nil {
		t.Fatal(err)
	}
	if rr.Report.GetDaysRequested() != 10 || rr.Report.GetClientReportId() != "loan-42" {
		t.Errorf("refreshed report: %v days, client_report_id %q", rr.Report.GetDaysRequested(), rr.Report.GetClientReportId())
	}

	// Audit copies.
	copied, _, err := e.plaid.AssetReportAuditCopyCreate(ctx).AssetReportAuditCopyCreateRequest(*plaid.NewAssetReportAuditCopyCreateRequest(token)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	validAs(t, doc, "AssetReportAuditCopyCreateResponse", copied)
	audit, _, err := e.plaid.AssetReportAuditCopyGet(ctx).AssetReportAuditCopyGetRequest(*plaid.NewAssetReportAuditCopyGetRequest(copied.GetAuditCopyToken())).Execute()
	if err != nil {
		t.Fatal(err)
	}
	validAs(t, doc, "AssetReportGetResponse", audit)
	if audit.Report.GetAssetReportId() != created.GetAssetReportId() {
		t.Errorf("the audit copy is of report %s", audit.Report.GetAssetReportId())
	}
	removedCopy, _, err := e.plaid.AssetReportAuditCopyRemove(ctx).AssetReportAuditCopyRemoveRequest(*plaid.NewAssetReportAuditCopyRemoveRequest(copied.GetAuditCopyToken())).Execute()
	if err != nil || !removedCopy.GetRemoved() {
		t.Fatalf("audit copy remove: %v %v", removedCopy, err)
	}
	_, _, err = e.plaid.AssetReportAuditCopyGet(ctx).AssetReportAuditCopyGetRequest(*plaid.NewAssetReportAuditCopyGetRequest(copied.GetAuditCopyToken())).Execute()
	if pe := plaidErr(t, err); pe.ErrorCode != "INVALID_FIELD" {
		t.Errorf("a removed audit copy: %s", pe.ErrorCode)
	}

	// Removal.
	removed, _, err := e.plaid.AssetReportRemove(ctx).AssetReportRemoveRequest(*plaid.NewAssetReportRemoveRequest(token)).Execute()
	if err != nil || !removed.GetRemoved() {
		t.Fatalf("remove: %v %v", removed, err)
	}
	validAs(t, doc, "AssetReportRemoveResponse", removed)

	// Errors: removed, unknown and another client's tokens, an Item
	// without Assets, days out of the spec's range.
	for _, tc := range []struct{ name, token, code string }{
		{"removed", token, "INVALID_FIELD"},
		{"unknown", "assets-sandbox-00000000-0000-4000-8000-000000000000", "INVALID_FIELD"},
		{"not an asset report token", access, "INVALID_FIELD"},
	} {
		if _, err := get(tc.token); plaidErr(t, err).ErrorCode != tc.code {
			t.Errorf("%s token: %v, want %s", tc.name, err, tc.code)
		}
		e.fails(t, doc, tc.name, "/asset_report/pdf/get", map[string]any{"asset_report_token": tc.token}, tc.code)
		e.fails(t, doc, tc.name, "/asset_report/refresh", map[string]any{"asset_report_token": tc.token}, tc.code)
		e.fails(t, doc, tc.name, "/asset_report/filter", map[string]any{"asset_report_token": tc.token, "account_ids_to_exclude": []string{"nope"}}, tc.code)
		e.fails(t, doc, tc.name, "/asset_report/audit_copy/create", map[string]any{"asset_report_token": tc.token}, tc.code)
		e.fails(t, doc, tc.name, "/asset_report/remove", map[string]any{"asset_report_token": tc.token}, tc.code)
	}
	// An Item whose login is required makes a report that fails: ERROR
	// with DATA_UNAVAILABLE once it would have been ready.
	broken, _ := e.hookedItem(t, "/item", "assets")
	e.kit.Must(t, "/sandbox/item/reset_login", map[string]any{"access_token": broken})
	failing := e.kit.Must(t, "/asset_report/create", map[string]any{"access_tokens": []string{broken}, "days_requested": 30,
		"options": map[string]any{"webhook": e.hooks.URL + "/assets"}})
	e.fails(t, doc, "a failing report, not yet due", "/asset_report/get", map[string]any{"asset_report_token": failing["asset_report_token"]}, "PRODUCT_NOT_READY")
	e.kit.Must(t, "/linkharness/clock/advance", map[string]any{"seconds": 5})
	errHook := e.hooks.WaitFor(t, 1, "ASSETS", "ERROR")[0]
	if errHook.Webhook["asset_report_id"] != failing["asset_report_id"] {
		t.Errorf("ERROR %v", errHook.Webhook)
	}
	if err := doc.Components.Schemas["AssetsErrorWebhook"].Value.VisitJSON(errHook.Webhook); err != nil {
		t.Errorf("ERROR does not validate: %v", err)
	}
	e.fails(t, doc, "a failed report", "/asset_report/get", map[string]any{"asset_report_token": failing["asset_report_token"]}, "DATA_UNAVAILABLE")

	e.fails(t, doc, "an Item without Assets", "/asset_report/create", map[string]any{"access_tokens": []string{noAssets}, "days_requested": 30}, "PRODUCT_NOT_ENABLED")
	e.fails(t, doc, "an unknown access token", "/asset_report/create", map[string]any{"access_tokens": []string{"access-sandbox-00000000-0000-4000-8000-000000000000"}, "days_requested": 30}, "INVALID_ACCESS_TOKEN")
	e.fails(t, doc, "too many days", "/asset_report/create", map[string]any{"access_tokens": []string{access}, "days_requested": 800}, "INVALID_FIELD")
}

// TestAssetReportOtherClient checks that one client's report and audit
// copy tokens are unknown to another client, as Plaid answers an unknown
// token: on a server in the process with two clients, or on the server
// under test with its second client (otherClient).
func TestAssetReportOtherClient(t *testing.T) {
	url := externalURL
	if url == "" {
		s := web.New(web.Options{Clients: []web.Client{client, otherClient}})
		srv := httptest.NewServer(s)
		t.Cleanup(func() { srv.Close(); s.Close() })
		url = srv.URL
	}
	owner := testkit.New(url, client.ClientID, client.Secret)
	if externalURL != "" {
		owner.Must(t, "/linkharness/reset", nil)
	}
	stranger := owner.As(otherClient.ClientID, otherClient.Secret)
	pt := owner.Must(t, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": []string{"assets"}})["public_token"].(string)
	access := owner.Must(t, "/item/public_token/exchange", map[string]any{"public_token": pt})["access_token"].(string)
	token := owner.Must(t, "/asset_report/create", map[string]any{"access_tokens": []string{access}, "days_requested": 60})["asset_report_token"].(string)
	owner.Must(t, "/linkharness/clock/advance", map[string]any{"seconds": 5})
	owner.Must(t, "/asset_report/get", map[string]any{"asset_report_token": token})
	copyToken := owner.Must(t, "/asset_report/audit_copy/create", map[string]any{"asset_report_token": token})["audit_copy_token"].(string)
	for _, tc := range []struct {
		path string
		body map[string]any
		code string
	}{
		{"/asset_report/get", map[string]any{"asset_report_token": token}, "INVALID_FIELD"},
		{"/asset_report/pdf/get", map[string]any{"asset_report_token": token}, "INVALID_FIELD"},
		{"/asset_report/remove", map[string]any{"asset_report_token": token}, "INVALID_FIELD"},
		{"/asset_report/audit_copy/get", map[string]any{"audit_copy_token": copyToken}, "INVALID_FIELD"},
		{"/asset_report/audit_copy/remove", map[string]any{"audit_copy_token": copyToken}, "INVALID_FIELD"},
		{"/asset_report/create", map[string]any{"access_tokens": []string{access}, "days_requested": 60}, "INVALID_ACCESS_TOKEN"},
	} {
		if status, out := stranger.Call(t, tc.path, tc.body); status != 400 || out["error_code"] != tc.code {
			t.Errorf("another client's %s: %d %v, want %s", tc.path, status, out, tc.code)
		}
	}
	// The owner still has both.
	owner.Must(t, "/asset_report/audit_copy/get", map[string]any{"audit_copy_token": copyToken})
	owner.Must(t, "/asset_report/remove", map[string]any{"asset_report_token": token})
}

// reportTransactions are the transactions of every account of an
// /asset_report/get answer.
func reportTransactions(resp map[string]any) []map[string]any {
	var out []map[string]any
	for _, it := range resp["report"].(map[string]any)["items"].([]any) {
		for _, a := range it.(map[string]any)["accounts"].([]any) {
			for _, tr := range a.(map[string]any)["transactions"].([]any) {
				out = append(out, tr.(map[string]any))
			}
		}
	}
	return out
}
