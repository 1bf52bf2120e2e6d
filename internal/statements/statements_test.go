package statements

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/pdf"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/store"
)

// TestMonths pins which months have statements for refreshes of
// various ranges.
func TestMonths(t *testing.T) {
	now := time.Date(2026, 5, 17, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		ranges []Range
		want   string
		at     time.Time
	}{
		{"none", nil, "2026-02 2026-03 2026-04", now},
		{"a range inside the default", []Range{{"2026-03-05", "2026-03-06"}}, "2026-02 2026-03 2026-04", now},
		{"older months", []Range{{"2025-11-20", "2026-01-01"}}, "2025-11 2025-12 2026-01 2026-02 2026-03 2026-04", now},
		{"the current month is incomplete", []Range{{"2026-05-01", "2026-05-16"}}, "2026-02 2026-03 2026-04", now},
		{"beyond two years", []Range{{"2020-01-01", "2024-06-01"}}, "2024-05 2024-06 2026-02 2026-03 2026-04", now},
		{"a range that does not read", []Range{{"x", "2026-01-01"}}, "2026-02 2026-03 2026-04", now},
		{"last month's is not posted on the second", nil, "2026-01 2026-02 2026-03", time.Date(2026, 5, 2, 23, 59, 0, 0, time.UTC)},
		{"nor refreshed before it is", []Range{{"2026-04-01", "2026-04-30"}}, "2026-01 2026-02 2026-03", time.Date(2026, 5, 2, 23, 59, 0, 0, time.UTC)},
		{"last month's is posted on the third", nil, "2026-02 2026-03 2026-04", time.Date(2026, 5, 3, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, m := range Months(tc.at, tc.ranges) {
				got = append(got, m.Format("2006-01"))
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("months %v, want %s", got, tc.want)
			}
		})
	}
}

// TestRender writes statements of no, a few and many transactions and
// finds the account, the period and the transactions in them, on as
// many pages as they take.
func TestRender(t *testing.T) {
	st := Statement{ID: "stmt_1", Year: 2026, Month: 2, Posted: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)}
	acc := Account{Account: store.Account{ID: "a", Name: "Plaid Checking", Mask: "0000"}, OfficialName: "Plaid Gold Standard 0% Interest Checking"}
	for _, n := range []int{0, 3, 100} {
		var txs []sandboxdata.Transaction
		for i := range n {
			txs = append(txs, sandboxdata.Transaction{Date: "2026-02-10", Name: "Shop (number " + string(rune('A'+i%26)) + ")", Amount: 12.34})
		}
		b := Render(Document{Institution: "First Platypus Bank", Account: acc, Statement: st, Currency: "USD", Transactions: txs})
		for _, want := range []string{"(First Platypus Bank)", "(Account: Plaid Checking)", "ending in 0000",
			"(Statement period: February 1, 2026 - February 28, 2026)", "Transactions: "} {
			if !bytes.Contains(b, []byte(want)) {
				t.Errorf("%d transactions: %q is missing", n, want)
			}
		}
		if n > 0 && bytes.Count(b, []byte(`Shop \(number A\))`)) != (n+25)/26 {
			t.Errorf("%d transactions: the rows are not all there", n)
		}
		if again := Render(Document{Institution: "First Platypus Bank", Account: acc, Statement: st, Currency: "USD", Transactions: txs}); !bytes.Equal(again, b) {
			t.Errorf("%d transactions: the same statement rendered different bytes", n)
		}
		lines := 11 + max(n, 1) // the heading's lines, then a row a transaction (or the line that says none)
		pages := (lines + pdf.LinesPerPage - 1) / pdf.LinesPerPage
		if !bytes.Contains(b, []byte("/Count "+string(rune('0'+pages)))) {
			t.Errorf("%d transactions: want %d pages", n, pages)
		}
	}
}
