package transfer

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/signal"
)

func ptr(f float64) *float64 { return &f }

// TestDecide checks the sandbox's decision rules of
// /transfer/authorization/create.
func TestDecide(t *testing.T) {
	loginRequired := plaid.Raise("ITEM_LOGIN_REQUIRED")
	for _, tt := range []struct {
		name      string
		typ       string
		amount    Cents
		balance   *float64
		itemErr   *plaid.Error
		decision  string
		rationale string
	}{
		{"a debit below the balance", Debit, 1000, ptr(100), nil, Approved, ""},
		{"a debit of the whole balance", Debit, 10000, ptr(100), nil, Approved, ""},
		{"a debit a cent above the balance", Debit, 10001, ptr(100), nil, Declined, "NSF"},
		{"a debit from an empty account", Debit, 1, ptr(0), nil, Declined, "RISK"},
		{"a debit from an overdrawn account", Debit, 1, ptr(-5), nil, Declined, "NSF"},
		{"a debit from an unknown balance", Debit, 1, nil, nil, Approved, "ERROR"},
		{"a credit to an empty account", Credit, 100000, ptr(0), nil, Approved, ""},
		{"an Item whose login is required", Debit, 1, ptr(100), loginRequired, UserActionRequired, "ITEM_LOGIN_REQUIRED"},
		{"an Item in another error", Credit, 1, ptr(100), plaid.Raise("ITEM_LOCKED"), UserActionRequired, "ERROR"},
	} {
		decision, rationale := Decide(tt.typ, tt.amount, tt.balance, tt.itemErr)
		code := ""
		if rationale != nil {
			code = rationale.Code
			if rationale.Description == "" {
				t.Errorf("%s: a rationale without a description", tt.name)
			}
		}
		if decision != tt.decision || code != tt.rationale {
			t.Errorf("%s: %s %q, want %s %q", tt.name, decision, code, tt.decision, tt.rationale)
		}
	}
}

// TestCanSimulate checks the transitions /sandbox/transfer/simulate
// allows, and that every other is refused.
func TestCanSimulate(t *testing.T) {
	allowed := map[string]bool{
		"debit pending posted": true, "debit pending failed": true, "debit posted settled": true, "debit posted returned": true,
		"debit settled funds_available": true,
		"credit pending posted":         true, "credit pending failed": true, "credit posted settled": true, "credit posted returned": true,
	}
	for _, typ := range []string{Debit, Credit} {
		for _, status := range []string{Pending, Posted, Settled, FundsAvailable, Cancelled, Failed, Returned} {
			for _, ev := range SimulatedEvents {
				key := typ + " " + status + " " + ev
				if got := CanSimulate(status, typ, ev); got != allowed[key] {
					t.Errorf("%s: %v, want %v", key, got, allowed[key])
				}
			}
		}
	}
}

// TestSweeping checks what a sweep does to each transfer.
func TestSweeping(t *testing.T) {
	for _, tt := range []struct{ status, sweep, want string }{
		{Pending, Unswept, Swept},
		{Posted, Unswept, Swept},
		{Settled, Unswept, ""},
		{Posted, Swept, SweptSettled},
		{Settled, Swept, SweptSettled},
		{Returned, Swept, ReturnSwept},
		{Returned, "", ""},
		{Cancelled, "", ""},
		{Settled, SweptSettled, ""},
		{Returned, ReturnSwept, ""},
	} {
		if got := Sweeping(tt.status, tt.sweep); got != tt.want {
			t.Errorf("%s and %q: %q, want %q", tt.status, tt.sweep, got, tt.want)
		}
	}
}

// TestAmounts checks the decimal strings amounts are read from and
// written as.
func TestAmounts(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Cents
		ok   bool
	}{
		{"10.00", 1000, true}, {"0.01", 1, true}, {"123456.78", 12345678, true},
		{"10", 0, false}, {"10.0", 0, false}, {"10.000", 0, false}, {"-1.00", 0, false}, {"0.00", 0, false},
		{"1e3", 0, false}, {"", 0, false}, {" 1.00", 0, false},
	} {
		got, e := ParseAmount("amount", tt.in)
		if (e == nil) != tt.ok || got != tt.want {
			t.Errorf("%q: %v %v, want %v (ok %v)", tt.in, got, e, tt.want, tt.ok)
		}
		if e != nil && e.ErrorCode != "INVALID_FIELD" {
			t.Errorf("%q: %s", tt.in, e.ErrorCode)
		}
	}
	b, _ := json.Marshal(struct {
		A, B Cents
	}{1005, -250})
	if string(b) != `{"A":"10.05","B":"-2.50"}` {
		t.Errorf("marshalled %s", b)
	}
	var back struct{ A, B Cents }
	if err := json.Unmarshal(b, &back); err != nil || back.A != 1005 || back.B != -250 {
		t.Errorf("unmarshalled %+v %v", back, err)
	}
}

// TestMovedAndRisk checks what a settlement moves and the risk levels
// of Signal's scores.
func TestMovedAndRisk(t *testing.T) {
	debit, credit := Transfer{Type: Debit, Amount: 1250}, Transfer{Type: Credit, Amount: 1250}
	if Moved(debit, Settled) != -12.5 || Moved(credit, Settled) != 12.5 || Moved(debit, Posted) != 0 || Moved(credit, Returned) != 0 {
		t.Errorf("moved %v %v %v", Moved(debit, Settled), Moved(credit, Settled), Moved(debit, Posted))
	}
	small := signal.Score("item", "acc", 1, ptr(100))
	large := signal.Score("item", "acc", 10000, ptr(100))
	if RiskLevel(small) != "LOW_RISK" || RiskLevel(large) != "HIGH_RISK" {
		t.Errorf("risk levels %s (%+v), %s (%+v)", RiskLevel(small), small, RiskLevel(large), large)
	}
	if bankingDay(time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)).Weekday() != time.Monday ||
		bankingDay(time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)).Day() != 4 {
		t.Error("banking days")
	}
	if id := FundingAccountID("c"); len(id) != 36 || id != FundingAccountID("c") || id == FundingAccountID("d") {
		t.Errorf("funding account %q", id)
	}
}
