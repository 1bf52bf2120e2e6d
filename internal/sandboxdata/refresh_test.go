package sandboxdata_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/linkharness/linkharness/internal/sandboxdata"
)

func TestRefreshTransactions(t *testing.T) {
	day := created.AddDate(0, 0, 3)
	it := item("refreshed")
	got := sandboxdata.RefreshTransactions(it, day, 0)
	// One on each depository and credit account: checking, savings, CD,
	// credit card and money market.
	var accounts []string
	for _, tr := range got {
		accounts = append(accounts, tr.AccountID)
		if tr.Date != "2024-05-13" || tr.AuthorizedDate != tr.Date || tr.ID != "" || tr.Name == "" || tr.Amount == 0 || tr.Currency != "USD" || tr.Pending {
			t.Errorf("refreshed transaction %+v", tr)
		}
	}
	if want := []string{"refreshed-0000", "refreshed-1111", "refreshed-2222", "refreshed-3333", "refreshed-4444"}; !slices.Equal(accounts, want) {
		t.Errorf("accounts %v, want %v", accounts, want)
	}
	if again := sandboxdata.RefreshTransactions(it, day, 0); !reflect.DeepEqual(again, got) {
		t.Error("the same refresh found something else")
	}
	if next := sandboxdata.RefreshTransactions(it, day, len(got)); reflect.DeepEqual(next, got) {
		t.Error("the next refresh of the day found the same")
	}
	if other := sandboxdata.RefreshTransactions(it, day.AddDate(0, 0, 1), 0); reflect.DeepEqual(other, got) {
		t.Error("a refresh on another day found the same")
	}
	if none := sandboxdata.RefreshTransactions(item("ira only", "5555"), day, 0); len(none) != 0 {
		t.Errorf("an Item without bank accounts: %v", none)
	}
}

func TestRefreshInvestments(t *testing.T) {
	day := created.AddDate(0, 0, 1)
	it := item("invested")
	holdings := sandboxdata.Holdings(it)
	got := sandboxdata.RefreshInvestments(it, holdings, day, 0)
	if len(got) != 2 || got[0].AccountID != "invested-5555" || got[1].AccountID != "invested-6666" {
		t.Fatalf("refreshed investment transactions %+v, want one on each investment account", got)
	}
	for _, tr := range got {
		s := sandboxdata.SecuritiesByID([]string{tr.SecurityID})
		if len(s) != 1 || s[0].IsCashEquivalent || tr.Type != "buy" || tr.Subtype != "dividend reinvestment" || tr.Date != "2024-05-11" ||
			tr.Quantity <= 0 || tr.Price != s[0].ClosePrice || tr.Amount <= 0 || !slices.ContainsFunc(holdings, func(h sandboxdata.Holding) bool {
			return h.AccountID == tr.AccountID && h.SecurityID == tr.SecurityID
		}) {
			t.Errorf("refreshed investment transaction %+v", tr)
		}
	}
	if again := sandboxdata.RefreshInvestments(it, holdings, day, 0); !reflect.DeepEqual(again, got) {
		t.Error("the same refresh found something else")
	}
	if none := sandboxdata.RefreshInvestments(item("bank only", "0000"), nil, day, 0); len(none) != 0 {
		t.Errorf("an Item without investment accounts: %v", none)
	}
}

func TestApplyTrades(t *testing.T) {
	holdings := []sandboxdata.Holding{
		{AccountID: "ira", SecurityID: "a", InstitutionPrice: 10, InstitutionValue: 20, CostBasis: 18, Quantity: 2},
		{AccountID: "ira", SecurityID: "b", InstitutionPrice: 5, InstitutionValue: 5, CostBasis: 4, Quantity: 1},
	}
	tests := []struct {
		name   string
		trades []sandboxdata.InvestmentTransaction
		// want are the quantities, values and cost bases of a and b.
		want [2][3]float64
	}{
		{"none", nil, [2][3]float64{{2, 20, 18}, {1, 5, 4}}},
		{"a buy", []sandboxdata.InvestmentTransaction{{AccountID: "ira", SecurityID: "a", Type: "buy", Quantity: 0.5, Amount: 5.1}},
			[2][3]float64{{2.5, 25, 23.1}, {1, 5, 4}}},
		{"two buys", []sandboxdata.InvestmentTransaction{{AccountID: "ira", SecurityID: "b", Type: "buy", Quantity: 1, Amount: 5},
			{AccountID: "ira", SecurityID: "b", Type: "buy", Quantity: 0.25, Amount: 1.25}}, [2][3]float64{{2, 20, 18}, {2.25, 11.25, 10.25}}},
		{"another account", []sandboxdata.InvestmentTransaction{{AccountID: "401k", SecurityID: "a", Type: "buy", Quantity: 1, Amount: 10}},
			[2][3]float64{{2, 20, 18}, {1, 5, 4}}},
		{"not a buy", []sandboxdata.InvestmentTransaction{{AccountID: "ira", SecurityID: "a", Type: "cash", Subtype: "dividend", Amount: -3}},
			[2][3]float64{{2, 20, 18}, {1, 5, 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sandboxdata.ApplyTrades(holdings, tt.trades)
			for i, h := range got {
				if g := [3]float64{h.Quantity, h.InstitutionValue, h.CostBasis}; g != tt.want[i] {
					t.Errorf("holding %s: %v, want %v", h.SecurityID, g, tt.want[i])
				}
			}
			if holdings[0].Quantity != 2 || holdings[1].Quantity != 1 {
				t.Error("ApplyTrades changed the holdings it was given")
			}
		})
	}
}

func TestInvestmentAuthNumbers(t *testing.T) {
	accounts := item("moved").Accounts
	us := sandboxdata.InvestmentAuthNumbers("US", accounts)
	if len(us.ACATS) != 2 || us.ACATS[0].AccountID != "moved-5555" || us.ACATS[0].Account != "888877775555" || len(us.ACATS[0].DTCNumbers) == 0 ||
		len(us.ATON) != 0 || len(us.Retirement401k) != 1 || us.Retirement401k[0].AccountID != "moved-6666" || us.Retirement401k[0].Plan != "4016666" {
		t.Errorf("US numbers %+v", us)
	}
	ca := sandboxdata.InvestmentAuthNumbers("CA", accounts)
	if len(ca.ACATS) != 0 || len(ca.ATON) != 2 || ca.ATON[1].Account != "888877776666" {
		t.Errorf("Canadian numbers %+v", ca)
	}
	none := sandboxdata.InvestmentAuthNumbers("US", item("bank", "0000").Accounts)
	if none.ACATS == nil || none.ATON == nil || none.Retirement401k == nil || len(none.ACATS) != 0 {
		t.Errorf("numbers of an Item without investment accounts %+v", none)
	}
}
