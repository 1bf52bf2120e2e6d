package service

import (
	"slices"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/store"
)

func TestRangeQueryRules(t *testing.T) {
	tests := []struct {
		name string
		q    RangeQuery
		// want is the error code, or "" with the count the query ends with.
		want  string
		count int
	}{
		{"default count", RangeQuery{StartDate: "2024-01-01", EndDate: "2024-02-01"}, "", 100},
		{"one day", RangeQuery{StartDate: "2024-01-01", EndDate: "2024-01-01", Count: 500}, "", 500},
		{"no dates", RangeQuery{StartDate: " ", Count: 1000}, "MISSING_FIELDS", 0},
		{"not a date", RangeQuery{StartDate: "2024-1-1", EndDate: "2024-02-01"}, "INVALID_FIELD", 0},
		{"backwards", RangeQuery{StartDate: "2024-02-02", EndDate: "2024-02-01"}, "INVALID_FIELD", 0},
		{"count too big", RangeQuery{StartDate: "2024-01-01", EndDate: "2024-02-01", Count: 501}, "INVALID_FIELD", 0},
		{"negative count", RangeQuery{StartDate: "2024-01-01", EndDate: "2024-02-01", Count: -1}, "INVALID_FIELD", 0},
		{"negative offset", RangeQuery{StartDate: "2024-01-01", EndDate: "2024-02-01", Offset: -1}, "INVALID_FIELD", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			e := q.check()
			switch {
			case tt.want == "" && (e != nil || q.Count != tt.count):
				t.Errorf("check = %v, count %d; want nil, count %d", e, q.Count, tt.count)
			case tt.want != "" && (e == nil || e.ErrorCode != tt.want):
				t.Errorf("check = %v, want %s", e, tt.want)
			}
		})
	}
}

func TestPage(t *testing.T) {
	all := []int{0, 1, 2, 3, 4}
	tests := []struct {
		count, offset int
		want          []int
	}{
		{2, 0, []int{0, 1}}, {2, 4, []int{4}}, {10, 0, all}, {1, 5, nil}, {1, 100, nil},
	}
	for _, tt := range tests {
		if got := page(RangeQuery{Count: tt.count, Offset: tt.offset}, all); !slices.Equal(got, tt.want) {
			t.Errorf("page(%d, %d) = %v, want %v", tt.count, tt.offset, got, tt.want)
		}
	}
}

func TestPickAccounts(t *testing.T) {
	it := store.Item{Accounts: []store.Account{
		{ID: "chk", Type: "depository", Subtype: "checking"},
		{ID: "cc", Type: "credit", Subtype: "credit card"},
		{ID: "ira", Type: "investment", Subtype: "ira"},
	}}
	tests := []struct {
		name string
		want []string
		keep func(sandboxdata.ItemAccount) bool
		// got are the IDs picked, or the error code.
		got string
	}{
		{"all", nil, nil, "chk cc ira"},
		{"named, in the Item's order", []string{"ira", "chk"}, nil, "chk ira"},
		{"kept", nil, sandboxdata.ItemAccount.IsInvestment, "ira"},
		{"named but not kept", []string{"cc"}, sandboxdata.ItemAccount.IsInvestment, ""},
		{"unknown", []string{"chk", "nope"}, nil, "INVALID_ACCOUNT_ID"},
		{"unknown, whatever keep says", []string{"nope"}, func(sandboxdata.ItemAccount) bool { return false }, "INVALID_ACCOUNT_ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			accounts, e := PickAccounts(it, tt.want, tt.keep)
			var got []string
			if e != nil {
				got = []string{e.ErrorCode}
			}
			for _, a := range accounts {
				got = append(got, a.ID)
			}
			if s := strings.Join(got, " "); s != tt.got {
				t.Errorf("PickAccounts = %q, want %q", s, tt.got)
			}
		})
	}
}

// TestAccountBalancesMoved checks that what settled transfers moved into
// an account moves its available and current balances, and a missing
// balance stays missing.
func TestAccountBalancesMoved(t *testing.T) {
	for _, tt := range []struct {
		name               string
		account            store.Account
		available, current float64
		nullAvailable      bool
	}{
		{"nothing moved", store.Account{ID: "a", Mask: "0000", Type: "depository", Subtype: "checking"}, 100, 110, false},
		{"a debit settled", store.Account{ID: "a", Mask: "0000", Type: "depository", Subtype: "checking", Moved: -25.5}, 74.5, 84.5, false},
		{"a credit settled", store.Account{ID: "a", Mask: "0000", Type: "depository", Subtype: "checking", Moved: 0.1}, 100.1, 110.1, false},
		{"no available balance", store.Account{ID: "a", Mask: "2222", Type: "depository", Subtype: "cd", Moved: 10}, 0, 1010, true},
	} {
		b := AccountBalances(tt.account, "USD")
		if tt.nullAvailable != (b.Available == nil) || b.Available != nil && *b.Available != tt.available || b.Current == nil || *b.Current != tt.current {
			t.Errorf("%s: available %v, current %v", tt.name, b.Available, b.Current)
		}
	}
	// The sandbox's own balances stay as they were.
	if b := AccountBalances(store.Account{ID: "a", Mask: "0000", Type: "depository", Subtype: "checking"}, "USD"); *b.Available != 100 {
		t.Errorf("the sandbox balance moved: %v", *b.Available)
	}
}
