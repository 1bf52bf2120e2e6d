package sandboxdata_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/payment"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/sandboxdata"
)

var created = time.Date(2024, 5, 10, 9, 30, 0, 0, time.UTC)

// item is a sandbox Item with every default sandbox account, or those
// with the given masks.
func item(id string, masks ...string) sandboxdata.Item {
	it := sandboxdata.Item{ID: id, CreatedAt: created}
	for _, a := range sandbox.Accounts {
		if len(masks) == 0 || slices.Contains(masks, a.Mask) {
			it.Accounts = append(it.Accounts, sandboxdata.ItemAccount{ID: id + "-" + a.Mask, Name: a.Name, Mask: a.Mask, Type: a.Type, Subtype: a.Subtype})
		}
	}
	return it
}

func TestAccountKinds(t *testing.T) {
	// auth, investment, liability per default sandbox account, by mask.
	want := map[string][3]bool{
		"0000": {true, false, false},  // checking
		"1111": {true, false, false},  // savings
		"2222": {false, false, false}, // cd
		"3333": {false, false, true},  // credit card
		"4444": {false, false, false}, // money market
		"5555": {false, true, false},  // ira
		"6666": {false, true, false},  // 401k
		"7777": {false, false, true},  // student loan
		"8888": {false, false, true},  // mortgage
	}
	for _, a := range item("i").Accounts {
		got := [3]bool{a.HasAuthNumbers(), a.IsInvestment(), a.HasLiability()}
		if got != want[a.Mask] {
			t.Errorf("%s: auth, investment, liability = %v, want %v", a.Name, got, want[a.Mask])
		}
	}
	if (sandboxdata.ItemAccount{Type: "loan", Subtype: "auto"}).HasLiability() {
		t.Error("an auto loan has liability details")
	}
}

// generators are the per-Item generators, as the IDs of what they make
// and the accounts they make it on.
var generators = map[string]func(sandboxdata.Item) (ids, accounts []string){
	"transactions": func(it sandboxdata.Item) (ids, accounts []string) {
		for _, tr := range sandboxdata.Transactions(it) {
			ids, accounts = append(ids, tr.ID), append(accounts, tr.AccountID)
		}
		return ids, accounts
	},
	"holdings": func(it sandboxdata.Item) (ids, accounts []string) {
		for _, h := range sandboxdata.Holdings(it) {
			ids, accounts = append(ids, h.AccountID+"/"+h.SecurityID), append(accounts, h.AccountID)
		}
		return ids, accounts
	},
	"investment transactions": func(it sandboxdata.Item) (ids, accounts []string) {
		for _, tr := range sandboxdata.InvestmentTransactions(it) {
			ids, accounts = append(ids, tr.ID), append(accounts, tr.AccountID)
		}
		return ids, accounts
	},
	"liabilities": func(it sandboxdata.Item) (ids, accounts []string) {
		l := sandboxdata.ItemLiabilities(it)
		for _, c := range l.Credit {
			ids = append(ids, c.AccountID)
		}
		for _, m := range l.Mortgage {
			ids = append(ids, m.AccountID+"/"+m.AccountNumber)
		}
		for _, s := range l.Student {
			ids = append(ids, s.AccountID+"/"+s.AccountNumber)
		}
		return ids, ids
	},
}

func TestGeneratedDataIsDeterministic(t *testing.T) {
	a, b := item("item-a"), item("item-a")
	if !reflect.DeepEqual(sandboxdata.Transactions(a), sandboxdata.Transactions(b)) ||
		!reflect.DeepEqual(sandboxdata.Holdings(a), sandboxdata.Holdings(b)) ||
		!reflect.DeepEqual(sandboxdata.InvestmentTransactions(a), sandboxdata.InvestmentTransactions(b)) ||
		!reflect.DeepEqual(sandboxdata.ItemLiabilities(a), sandboxdata.ItemLiabilities(b)) {
		t.Fatal("the same Item has different data")
	}
	for name, gen := range generators {
		ids, _ := gen(a)
		if len(ids) == 0 {
			t.Errorf("%s: none", name)
		}
	}
}

func TestDifferentItemsHaveDifferentIDs(t *testing.T) {
	a, b := sandboxdata.Transactions(item("item-a")), sandboxdata.Transactions(item("item-b"))
	for _, ta := range a {
		if slices.ContainsFunc(b, func(tb sandboxdata.Transaction) bool { return tb.ID == ta.ID }) {
			t.Fatalf("transaction %s is on both Items", ta.ID)
		}
	}
	ia, ib := sandboxdata.InvestmentTransactions(item("item-a")), sandboxdata.InvestmentTransactions(item("item-b"))
	for _, ta := range ia {
		if slices.ContainsFunc(ib, func(tb sandboxdata.InvestmentTransaction) bool { return tb.ID == ta.ID }) {
			t.Fatalf("investment transaction %s is on both Items", ta.ID)
		}
	}
	if reflect.DeepEqual(sandboxdata.Holdings(item("item-a")), sandboxdata.Holdings(item("item-b"))) {
		t.Error("two Items hold the same")
	}
}

func TestGeneratorsKeepToTheirAccounts(t *testing.T) {
	tests := []struct {
		name  string
		masks []string
		// want is how many of each per account with data, by mask.
		want map[string]int
	}{
		{"transactions", nil, map[string]int{"0000": 12, "1111": 12, "2222": 12, "3333": 12, "4444": 12}},
		{"transactions", []string{"5555", "8888"}, map[string]int{}},
		{"holdings", nil, map[string]int{"5555": 3, "6666": 3}},
		{"holdings", []string{"0000", "3333"}, map[string]int{}},
		{"liabilities", nil, map[string]int{"3333": 1, "7777": 1, "8888": 1}},
		{"liabilities", []string{"0000", "5555"}, map[string]int{}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.name, tt.masks), func(t *testing.T) {
			it := item("i", tt.masks...)
			_, accounts := generators[tt.name](it)
			got := map[string]int{}
			for _, id := range accounts {
				got[id[len("i-"):len("i-")+4]]++
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("per account %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTransactions(t *testing.T) {
	it := item("item-a")
	all := sandboxdata.Transactions(it)
	oldest := plaid.Date(created.AddDate(0, 0, -sandboxdata.HistoryDays+1))
	for i, tr := range all {
		if len(tr.ID) != 37 || tr.Date < oldest || tr.Date > plaid.Date(created) || tr.AuthorizedDate != tr.Date || tr.Currency != "USD" || len(tr.Category) == 0 {
			t.Errorf("transaction %+v", tr)
		}
		if i > 0 && (all[i-1].Date < tr.Date || all[i-1].Date == tr.Date && all[i-1].ID > tr.ID) {
			t.Errorf("transaction %d is not newest first", i)
		}
	}
	// Another account set changes nothing on the accounts both Items have.
	checking := sandboxdata.Transactions(item("item-a", "0000"))
	if got := slices.DeleteFunc(slices.Clone(all), func(tr sandboxdata.Transaction) bool { return tr.AccountID != "item-a-0000" }); !reflect.DeepEqual(got, checking) {
		t.Error("the checking account's transactions depend on the other accounts")
	}
}

func TestHoldingsAndInvestmentTransactions(t *testing.T) {
	it := item("item-a")
	holdings := sandboxdata.Holdings(it)
	perAccount := map[string][]string{}
	for _, h := range holdings {
		s := sandboxdata.SecuritiesByID([]string{h.SecurityID})
		if len(s) != 1 || h.InstitutionPrice != s[0].ClosePrice || h.InstitutionPriceAsOf != plaid.Date(created) || h.Quantity < 1 || h.Quantity > 201 {
			t.Errorf("holding %+v", h)
		}
		if slices.Contains(perAccount[h.AccountID], h.SecurityID) {
			t.Errorf("%s holds %s twice", h.AccountID, h.SecurityID)
		}
		perAccount[h.AccountID] = append(perAccount[h.AccountID], h.SecurityID)
	}
	buys, dividends := 0, 0
	for _, tr := range sandboxdata.InvestmentTransactions(it) {
		switch tr.Subtype {
		case "buy":
			buys++
		case "dividend":
			dividends++
			if s := sandboxdata.SecuritiesByID([]string{tr.SecurityID}); s[0].IsCashEquivalent || tr.Amount >= 0 {
				t.Errorf("dividend %+v", tr)
			}
		}
	}
	cash := 0
	for _, h := range holdings {
		if h.SecurityID == sandboxdata.Securities[len(sandboxdata.Securities)-1].ID {
			cash++
		}
	}
	if buys != len(holdings) || dividends != len(holdings)-cash {
		t.Errorf("%d buys, %d dividends of %d holdings (%d cash)", buys, dividends, len(holdings), cash)
	}
}

func TestSecuritiesByID(t *testing.T) {
	s := sandboxdata.Securities
	got := sandboxdata.SecuritiesByID([]string{s[3].ID, s[0].ID, s[3].ID, "nope"})
	if len(got) != 2 || got[0].ID != s[0].ID || got[1].ID != s[3].ID {
		t.Errorf("SecuritiesByID = %+v", got)
	}
	if got := sandboxdata.SecuritiesByID(nil); got == nil || len(got) != 0 {
		t.Errorf("SecuritiesByID(nil) = %#v", got)
	}
}

func TestLiabilities(t *testing.T) {
	l := sandboxdata.ItemLiabilities(item("item-a"))
	if len(l.Credit) != 1 || len(l.Mortgage) != 1 || len(l.Student) != 1 ||
		l.Credit[0].NextPaymentDueDate != "2024-05-20" || l.Mortgage[0].OriginationDate != "2019-05-10" || len(l.Student[0].AccountNumber) != 10 {
		t.Fatalf("liabilities %+v", l)
	}
	only := l.OnAccounts(func(id string) bool { return id == "item-a-8888" })
	if len(only.Credit) != 0 || len(only.Student) != 0 || len(only.Mortgage) != 1 || only.Credit == nil {
		t.Errorf("OnAccounts = %+v", only)
	}
	if none := sandboxdata.ItemLiabilities(item("item-a", "0000")); none.Credit == nil || len(none.Credit)+len(none.Mortgage)+len(none.Student) != 0 {
		t.Errorf("a checking account's liabilities %+v", none)
	}
}

func TestAuthNumbersAndOwners(t *testing.T) {
	it := item("item-a")
	got := sandboxdata.AuthNumbers("US", it.Accounts).ACH
	if len(got) != 2 || got[0] != (sandboxdata.ACHNumbers{AccountID: "item-a-0000", Account: "1111222233330000", Routing: "011401533", WireRouting: "021000021"}) ||
		got[1].AccountID != "item-a-1111" {
		t.Errorf("AuthNumbers = %+v", got)
	}
	if got := sandboxdata.AuthNumbers("US", item("x", "3333").Accounts).ACH; got == nil || len(got) != 0 {
		t.Errorf("AuthNumbers of a credit card = %#v", got)
	}
	if o := sandboxdata.Owners(it.Accounts[0]); len(o) != 1 || o[0].Names[0] != "Alberta Bobbeth Charleson" || !o[0].Addresses[0].Primary {
		t.Errorf("Owners = %+v", o)
	}
}

func TestSyncCursor(t *testing.T) {
	tests := []struct {
		name   string
		cursor string
		want   int
		ok     bool
	}{
		{"none", "", 0, true},
		{"start", sandboxdata.SyncCursor("item-a", 0), 0, true},
		{"after 7", sandboxdata.SyncCursor("item-a", 7), 7, true},
		{"another Item's", sandboxdata.SyncCursor("item-b", 7), 0, false},
		{"garbage", "garbage", 0, false},
		{"not hex", sandboxdata.SyncCursor("item-a", 7)[:12] + "zzzzzzzzzzzzzzzz", 0, false},
		{"too long", sandboxdata.SyncCursor("item-a", 7) + "00", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, ok := sandboxdata.SyncPosition("item-a", tt.cursor)
			if n != tt.want || ok != tt.ok {
				t.Errorf("SyncPosition(%q) = %d, %v; want %d, %v", tt.cursor, n, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestAuthNumbersByCountry gives each country its own schemes: EFT in
// Canada, BACS and an IBAN in the UK, an IBAN in the euro countries, ACH
// in the US, and every IBAN passes the mod-97 check.
func TestAuthNumbersByCountry(t *testing.T) {
	accounts := item("item-a").Accounts
	tests := []struct {
		country                       string
		ach, eft, bacs, international int
		currency                      string
	}{
		{"US", 2, 0, 0, 0, "USD"},
		{"CA", 0, 2, 0, 0, "CAD"},
		{"GB", 0, 0, 2, 2, "GBP"},
		{"FR", 0, 0, 0, 2, "EUR"},
		{"NL", 0, 0, 0, 2, "EUR"},
	}
	for _, tt := range tests {
		t.Run(tt.country, func(t *testing.T) {
			n := sandboxdata.AuthNumbers(tt.country, accounts)
			if len(n.ACH) != tt.ach || len(n.EFT) != tt.eft || len(n.BACS) != tt.bacs || len(n.International) != tt.international {
				t.Fatalf("numbers %+v", n)
			}
			if got := sandboxdata.Currency(tt.country); got != tt.currency {
				t.Errorf("currency %s, want %s", got, tt.currency)
			}
			for _, i := range n.International {
				if _, valid := payment.NormalIBAN(i.IBAN); i.IBAN[:2] != tt.country || !valid {
					t.Errorf("IBAN %s fails the mod-97 check", i.IBAN)
				}
			}
			for _, b := range n.BACS {
				if len(b.Account) != 8 || len(b.SortCode) != 6 {
					t.Errorf("BACS %+v", b)
				}
			}
		})
	}
	if got := payment.IBAN("GB", "NWBK60161331926819"); got != "GB29NWBK60161331926819" {
		t.Errorf("IBAN of Plaid's example = %s", got)
	}
}
