package sandboxdata_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/sandboxdata"
)

// series is a transaction named name on account "chk" on each of the
// days (counted from 2024-01-01) with the amounts, one each or the first
// for all.
func series(name string, days []int, amounts ...float64) []sandboxdata.Transaction {
	var out []sandboxdata.Transaction
	for i, d := range days {
		a := amounts[0]
		if i < len(amounts) {
			a = amounts[i]
		}
		date := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d)
		out = append(out, sandboxdata.Transaction{ID: fmt.Sprintf("%s-%d", name, d), AccountID: "chk", Amount: a, Currency: "USD",
			Date: date.Format(time.DateOnly), Name: name})
	}
	return out
}

// day is a day counted from 2024-01-01.
func day(d int) time.Time { return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }

func TestStreams(t *testing.T) {
	tests := []struct {
		name string
		txs  []sandboxdata.Transaction
		asOf time.Time
		// want is "" for no stream, or the stream's frequency, status,
		// whether it is active, and its predicted next date.
		want string
	}{
		{"weekly", series("Gym", []int{0, 7, 14}, 25), day(15), "WEEKLY MATURE true 2024-01-22"},
		{"weekly, a day off", series("Gym", []int{0, 6, 14}, 25), day(15), "WEEKLY MATURE true 2024-01-22"},
		{"two weeks, two of them", series("Payroll", []int{0, 14}, -1500), day(20), "BIWEEKLY EARLY_DETECTION true 2024-01-29"},
		{"semi-monthly", series("Payroll", []int{0, 14, 31, 45}, -1500), day(50), "SEMI_MONTHLY MATURE true 2024-03-01"},
		{"monthly, amounts varying", series("Power", []int{0, 31, 60, 91}, 80, 95, 70, 88), day(100), "MONTHLY MATURE true 2024-05-01"},
		{"annually", series("Membership", []int{0, 366}, 120), day(370), "ANNUALLY MATURE true 2026-01-01"},
		{"stopped, mature", series("Gym", []int{0, 7, 14}, 25), day(40), "WEEKLY MATURE false 2024-01-22"},
		{"stopped early", series("Gym", []int{0, 7}, 25), day(40), "WEEKLY TOMBSTONED false "},
		{"one", series("Gym", []int{0}, 25), day(1), ""},
		{"same day", series("Gym", []int{3, 3}, 25), day(4), ""},
		{"irregular", series("Gym", []int{0, 7, 30}, 25), day(31), ""},
		{"amounts apart", series("Shop", []int{0, 7, 14}, 10, 30, 10), day(15), ""},
		{"nothing", nil, day(0), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, out := sandboxdata.Streams("item", tt.txs, tt.asOf)
			all := append(in, out...)
			var got string
			if len(all) > 1 {
				t.Fatalf("%d streams", len(all))
			}
			if len(all) == 1 {
				s := all[0]
				got = fmt.Sprintf("%s %s %v %s", s.Frequency, s.Status, s.IsActive, s.PredictedNextDate)
				if s.Inflow != (s.LastAmount < 0) || len(in) != boolInt(s.Inflow) || len(s.TransactionIDs) != len(tt.txs) ||
					s.FirstDate != tt.txs[0].Date || s.LastDate != tt.txs[len(tt.txs)-1].Date || s.AccountID != "chk" || s.Currency != "USD" {
					t.Errorf("stream %+v", s)
				}
			}
			if got != tt.want {
				t.Errorf("stream %q, want %q", got, tt.want)
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestStreamsGroup checks what makes transactions one stream: one
// account, direction, currency and description (the merchant's name
// before the transaction's, without case); and the streams' order, IDs
// and amounts.
func TestStreamsGroup(t *testing.T) {
	txs := append(series("NETFLIX", []int{0, 30}, 15.49), series("Netflix", []int{61}, 15.99)...)
	txs = append(txs, series("Payroll", []int{0, 14, 31}, -1000, -1200, -1100)...)
	refund := series("Payroll", []int{20}, 1000)
	txs = append(txs, refund...)
	cafe := series("CAFE 123", []int{2, 9, 16}, 4.5)
	for i := range cafe {
		cafe[i].MerchantName, cafe[i].Name = "Cafe", fmt.Sprintf("CAFE #%d", i)
	}
	txs = append(txs, cafe...)
	savings := series("Netflix", []int{0, 30}, 15.49)
	for i := range savings {
		savings[i].AccountID, savings[i].ID = "sav", "sav-"+savings[i].ID
	}
	txs = append(txs, savings...)
	in, out := sandboxdata.Streams("item", txs, day(62))
	describe := func(ss []sandboxdata.Stream) string {
		var parts []string
		for _, s := range ss {
			parts = append(parts, fmt.Sprintf("%s:%s:%s:%d:%.2f/%.2f", s.AccountID, s.Description, s.Frequency, len(s.TransactionIDs), s.AverageAmount, s.LastAmount))
		}
		return strings.Join(parts, " ")
	}
	if got, want := describe(in), "chk:Payroll:SEMI_MONTHLY:3:-1100.00/-1100.00"; got != want {
		t.Errorf("inflow streams %s, want %s", got, want)
	}
	if got, want := describe(out), "chk:CAFE #2:WEEKLY:3:4.50/4.50 chk:Netflix:MONTHLY:3:15.66/15.99 sav:Netflix:MONTHLY:2:15.49/15.49"; got != want {
		t.Errorf("outflow streams %s, want %s", got, want)
	}
	if out[0].MerchantName != "Cafe" {
		t.Errorf("merchant %q", out[0].MerchantName)
	}
	in2, out2 := sandboxdata.Streams("item", reversed(txs), day(70))
	if in2[0].ID != in[0].ID || out2[1].ID != out[1].ID || out2[1].ID == out2[2].ID {
		t.Error("stream IDs change with the order of the transactions or the day, or two accounts share one")
	}
	other, _ := sandboxdata.Streams("another item", txs, day(62))
	if other[0].ID == in[0].ID {
		t.Error("two Items share a stream ID")
	}
}

func reversed(txs []sandboxdata.Transaction) []sandboxdata.Transaction {
	out := slices.Clone(txs)
	slices.Reverse(out)
	return out
}
