package assetsapi

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/assets"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/store"
)

func sample(clientReportID string, user json.RawMessage) assets.Report {
	a := store.Account{ID: "it-0000", Name: "Plaid Checking", Mask: "0000", Type: "depository", Subtype: "checking"}
	return assets.Report{ID: "rep", ClientReportID: clientReportID, DaysRequested: 30, User: user,
		Generated: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC),
		Items: []assets.ReportItem{{Item: store.Item{ID: "it", InstitutionID: "ins_109508"}, InstitutionName: "First Platypus Bank",
			Accounts: []assets.ReportAccount{{Account: a, Currency: "USD", Owners: []sandboxdata.Owner{sandboxdata.AccountHolder},
				Transactions:       []sandboxdata.Transaction{{ID: "t1", AccountID: a.ID, Amount: 12.5, Currency: "USD", Date: "2025-02-20", Name: "Platypus (Coffee)"}},
				HistoricalBalances: []assets.HistoricalBalance{{Date: "2025-03-01", Current: 110}}}}}}}
}

// TestReportOut checks the JSON of a report: nulls and defaults where
// the report has nothing, and the fields the spec requires.
func TestReportOut(t *testing.T) {
	for _, tc := range []struct {
		name           string
		clientReportID string
		user           json.RawMessage
		insights       bool
		want, not      []string
	}{
		{"bare", "", nil, false, []string{`"client_report_id":null`, `"user":{}`, `"transaction_type":"place"`, `"margin_loan_amount":null`,
			`"date_generated":"2025-03-01T12:00:00Z"`, `"historical_balances":[{"date":"2025-03-01","current":110,"iso_currency_code":"USD","unofficial_currency_code":null}]`},
			[]string{`"name":"Platypus`, `"category"`, `"merchant_name"`}},
		{"with options", "loan-1", json.RawMessage(`{"client_user_id":"u"}`), false, []string{`"client_report_id":"loan-1"`, `"user":{"client_user_id":"u"}`,
			`"original_description":"Platypus (Coffee)"`, `"owners":[{`}, nil},
		{"with insights", "", nil, true, []string{`"name":"Platypus (Coffee)"`, `"category":[`, `"merchant_name":`, `"category_id":`}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := json.Marshal(reportOut(sample(tc.clientReportID, tc.user), tc.insights))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(raw), w) {
					t.Errorf("no %s in %s", w, raw)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(string(raw), w) {
					t.Errorf("%s in %s", w, raw)
				}
			}
			if strings.Count(string(raw), `"balances"`) != 1 {
				t.Errorf("the account's balances appear more than once: %s", raw)
			}
		})
	}
}

// TestPDF checks that the PDF names the institution, the account and its
// transactions, escaped as PDF strings.
func TestPDF(t *testing.T) {
	doc := string(PDF(sample("loan-1", nil)))
	for _, w := range []string{"%PDF-1.4", "(First Platypus Bank \\(Item it\\)) Tj", "Plaid Checking \\(depository checking, mask 0000\\)",
		"Platypus \\(Coffee\\)", "Client report ID: loan-1"} {
		if !strings.Contains(doc, w) {
			t.Errorf("the PDF has no %q", w)
		}
	}
}
