package apitest

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/plaid/plaid-go/v20/plaid"

	"github.com/linkharness/linkharness/internal/spec"
	"github.com/linkharness/linkharness/internal/statements"
)

// readPDF parses b with pdfcpu, validating it (pdfText), and returns its
// page count and its text, the pages' lines one a line.
func readPDF(t *testing.T, b []byte) (int, string) {
	t.Helper()
	pages := pdfText(t, b)
	return len(pages), strings.Join(pages, "\n")
}

// TestStatements lists an Item's statements with plaid-go, downloads one
// and reads the PDF back, refreshes older months and gets the webhook,
// and checks the errors.
func TestStatements(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	access, itemID := e.hookedItem(t, "/statements", "transactions", "statements")
	list, _, err := e.plaid.StatementsList(ctx).StatementsListRequest(*plaid.NewStatementsListRequest(access)).Execute()
	if err != nil {
		t.Fatalf("/statements/list: %+v", plaidErr(t, err))
	}
	checkRequestID(t, "/statements/list", list.RequestId)
	if list.ItemId != itemID || list.InstitutionId != "ins_109508" || list.InstitutionName == "" || len(list.Accounts) == 0 {
		t.Fatalf("/statements/list %+v", list)
	}
	today := e.today(t)
	for _, a := range list.Accounts {
		if a.AccountType != "depository" || len(a.Statements) != 3 {
			t.Errorf("account %+v", a)
		}
		// The last statement is of the latest month whose statement is
		// posted (on the third of the next month), never after today.
		last := a.Statements[len(a.Statements)-1]
		posted := today.AddDate(0, 0, -statements.PostDays)
		if prev := posted.AddDate(0, -1, 1-posted.Day()); last.Year != int32(prev.Year()) || last.Month != int32(prev.Month()) {
			t.Errorf("the last statement is of %d-%d on %s, want %s's", last.Year, last.Month, today.Format("2006-01-02"), prev.Format("2006-01"))
		}
	}
	for _, a := range e.kit.Must(t, "/statements/list", map[string]any{"access_token": access})["accounts"].([]any) {
		for _, st := range a.(map[string]any)["statements"].([]any) {
			if posted := st.(map[string]any)["date_posted"].(string); posted > today.Format("2006-01-02") {
				t.Errorf("a statement is posted on %s, after today %s", posted, today.Format("2006-01-02"))
			}
		}
	}
	e.conforms(t, doc, "/statements/list", map[string]any{"access_token": access})

	// The PDF of a statement with a transaction in it: the first posted
	// transaction of a depository account in the statements' months.
	first := acctStatements(list)[0]
	all := e.kit.Must(t, "/transactions/get", map[string]any{"access_token": access, "start_date": fmt.Sprintf("%04d-%02d-01", first.Year, first.Month),
		"end_date": today.AddDate(0, 0, -today.Day()).Format("2006-01-02"), "options": map[string]any{"count": 500}})["transactions"].([]any)
	var acc plaid.StatementsAccount
	var st plaid.StatementsStatement
	var tx map[string]any
	for _, x := range all {
		x := x.(map[string]any)
		for _, a := range list.Accounts {
			for _, s := range a.Statements {
				if tx == nil && !x["pending"].(bool) && x["account_id"] == a.AccountId && strings.HasPrefix(x["date"].(string), fmt.Sprintf("%04d-%02d-", s.Year, s.Month)) {
					acc, st, tx = a, s, x
				}
			}
		}
	}
	if tx == nil {
		t.Fatalf("no posted transaction of a depository account in the statements' months (%d transactions)", len(all))
	}
	f, _, err := e.plaid.StatementsDownload(ctx).StatementsDownloadRequest(*plaid.NewStatementsDownloadRequest(access, st.StatementId)).Execute()
	if err != nil {
		t.Fatalf("/statements/download: %+v", plaidErr(t, err))
	}
	defer os.Remove(f.Name())
	b, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	pages, text := readPDF(t, b)
	period := fmt.Sprintf("Statement period: %s 1, %d", monthName(int(st.Month)), st.Year)
	for _, want := range []string{"Account: " + acc.AccountName, "ending in " + acc.AccountMask, period} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	if name := prefix(tx["name"].(string), 30); !strings.Contains(text, tx["date"].(string)) || !strings.Contains(text, name) {
		t.Errorf("the PDF lacks the transaction of %s %q:\n%s", tx["date"], name, text)
	}
	if pages < 1 {
		t.Errorf("%d pages", pages)
	}
	e.fails(t, doc, "a statement of no Item", "/statements/download", map[string]any{"access_token": access, "statement_id": "stmt_nope"}, "INVALID_FIELD")

	// A refresh of older months: the list has them, and the webhook came.
	start := today.AddDate(0, -6, 1-today.Day())
	ref, _, err := e.plaid.StatementsRefresh(ctx).StatementsRefreshRequest(*plaid.NewStatementsRefreshRequest(access,
		start.Format("2006-01-02"), start.AddDate(0, 1, 5).Format("2006-01-02"))).Execute()
	if err != nil {
		t.Fatalf("/statements/refresh: %+v", plaidErr(t, err))
	}
	checkRequestID(t, "/statements/refresh", ref.RequestId)
	hooks := e.hooks.WaitFor(t, 1, "STATEMENTS", "STATEMENTS_REFRESH_COMPLETE")
	hooksMatchTheSpec(t, doc, hooks)
	if hooks[0].Webhook["item_id"] != itemID || hooks[0].Webhook["result"] != "SUCCESS" {
		t.Errorf("webhook %v", hooks[0].Webhook)
	}
	after := e.conforms(t, doc, "/statements/list", map[string]any{"access_token": access})["accounts"].([]any)[0].(map[string]any)["statements"].([]any)
	if len(after) != 5 || after[0].(map[string]any)["month"] != float64(start.Month()) {
		t.Errorf("statements after the refresh %v", after)
	}
	for _, tc := range []struct{ name, start, end string }{
		{"start after end", "2025-03-01", "2025-02-01"},
		{"an end in the future", today.Format("2006-01-02"), today.AddDate(0, 0, 2).Format("2006-01-02")},
		{"a start beyond two years", today.AddDate(-3, 0, 0).Format("2006-01-02"), today.Format("2006-01-02")},
	} {
		e.fails(t, doc, tc.name, "/statements/refresh", map[string]any{"access_token": access, "start_date": tc.start, "end_date": tc.end}, "INVALID_FIELD")
	}

	// Errors: bad tokens, an Item in error, a removed one, an Item
	// without Statements.
	removed, broken := e.removedAndBroken(t, "statements")
	e.commonErrors(t, doc, "/statements/list", func(a string) map[string]any { return map[string]any{"access_token": a} }, removed, broken)
	e.commonErrors(t, doc, "/statements/download", func(a string) map[string]any {
		return map[string]any{"access_token": a, "statement_id": st.StatementId}
	}, removed, broken)
	e.commonErrors(t, doc, "/statements/refresh", func(a string) map[string]any {
		return map[string]any{"access_token": a, "start_date": start.Format("2006-01-02"), "end_date": start.Format("2006-01-02")}
	}, removed, broken)
	bare, _ := e.hookedItem(t, "/bare", "auth")
	_, _, err = e.plaid.StatementsList(ctx).StatementsListRequest(*plaid.NewStatementsListRequest(bare)).Execute()
	wantPlaidError(t, "an Item without Statements", err, "ADDITIONAL_CONSENT_REQUIRED")
}

// acctStatements are the statements of the list's first account.
func acctStatements(l plaid.StatementsListResponse) []plaid.StatementsStatement {
	return l.Accounts[0].Statements
}

// prefix is s's first n characters at most (the PDF shortens long
// descriptions).
func prefix(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

func monthName(m int) string {
	return [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}[m-1]
}
