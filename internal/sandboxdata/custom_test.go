package sandboxdata_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/linkharness/linkharness/internal/customuser"
	"github.com/linkharness/linkharness/internal/sandboxdata"
)

// customItem is the Item a custom user with the configuration makes.
func customItem(t *testing.T, id, config string) sandboxdata.Item {
	t.Helper()
	c, err := customuser.Parse(config)
	if err != nil {
		t.Fatal(err)
	}
	it := sandboxdata.Item{ID: id, CreatedAt: created, Currency: "USD"}
	for i, a := range c.Accounts {
		a := a
		it.Accounts = append(it.Accounts, sandboxdata.ItemAccount{ID: fmt.Sprintf("%s-%d", id, i), Name: a.Meta.Name, Mask: a.Meta.Mask,
			Type: a.Type, Subtype: a.Subtype, Custom: &a})
	}
	return it
}

const customConfig = `{"override_accounts": [
  {"type": "depository", "subtype": "checking", "starting_balance": 500, "currency": "CAD",
   "meta": {"name": "Mine", "official_name": "My Checking", "mask": "77"},
   "numbers": {"account": "12345678", "ach_routing": "011401533"},
   "transactions": [{"date_transacted": "2024-05-01", "date_posted": "2024-05-02", "amount": 9.99, "description": "Tea"},
                    {"date_transacted": "2024-05-10", "date_posted": "2024-05-12", "amount": -20, "description": "Refund", "currency": "USD"}],
   "identity": {"names": ["Ann Example"], "emails": [{"data": "ann@example.com", "primary": true, "type": "primary"}]}},
  {"type": "credit", "starting_balance": 400, "meta": {"limit": 1000},
   "liability": {"type": "credit", "purchase_apr": 24, "minimum_payment_amount": 35},
   "inflow_model": {"type": "monthly-balance-payment", "payment_day_of_month": 5, "statement_day_of_month": 1, "transaction_name": "Card payment"},
   "transactions": []},
  {"type": "investment", "subtype": "brokerage",
   "holdings": [{"institution_price": 12.5, "quantity": 4, "currency": "USD", "security": {"ticker_symbol": "XYZ", "name": "XYZ Corp", "currency": "USD"}}],
   "investment_transactions": [{"date": "2024-04-01", "name": "BUY XYZ", "quantity": 4, "price": 12, "fees": 1, "type": "buy", "currency": "USD",
     "security": {"ticker_symbol": "XYZ", "currency": "USD"}}]},
  {"type": "loan", "subtype": "student", "has_null_available_balance": true,
   "liability": {"type": "student", "principal": 30000, "nominal_apr": 3.5, "loan_name": "Mine", "loan_status": {"type": "deferment"}}},
  {"type": "depository", "subtype": "savings", "force_available_balance": 1,
   "numbers": {"international_iban": "GB33BUKB20201555555555", "international_bic": "BUKBGB22", "bacs_sort_code": "202015"}}
]}`

func TestCustomData(t *testing.T) {
	it := customItem(t, "cust", customConfig)
	check, credit, invest, loan, savings := it.Accounts[0], it.Accounts[1], it.Accounts[2], it.Accounts[3], it.Accounts[4]

	b := sandboxdata.AccountBalances(check, "USD")
	if *b.Current != 500 || *b.Available != 500 || b.Currency != "CAD" || b.OfficialName != "My Checking" || b.Limit != nil {
		t.Errorf("checking balances %+v", b)
	}
	if b := sandboxdata.AccountBalances(credit, "USD"); *b.Current != 400 || *b.Available != 600 || *b.Limit != 1000 {
		t.Errorf("credit balances %+v", b)
	}
	if b := sandboxdata.AccountBalances(loan, "USD"); b.Available != nil || b.Current == nil {
		t.Errorf("loan balances %+v", b)
	}
	if b := sandboxdata.AccountBalances(savings, "USD"); *b.Available != 1 {
		t.Errorf("savings balances %+v", b)
	}

	var tea, refund *sandboxdata.Transaction
	var payments int
	for _, tr := range sandboxdata.Transactions(it) {
		switch {
		case tr.Name == "Tea":
			tea = &tr
		case tr.Name == "Refund":
			refund = &tr
		case tr.AccountID == credit.ID:
			payments++
			if tr.Name != "Card payment" || tr.Amount != -400 || tr.Date[8:] != "05" {
				t.Errorf("inflow transaction %+v", tr)
			}
		case tr.AccountID == check.ID:
			t.Errorf("checking has a transaction it did not configure: %+v", tr)
		}
	}
	if tea == nil || tea.Date != "2024-05-02" || tea.AuthorizedDate != "2024-05-01" || tea.Amount != 9.99 || tea.Currency != "CAD" || tea.Pending {
		t.Errorf("Tea %+v", tea)
	}
	if refund == nil || !refund.Pending || refund.Currency != "USD" {
		t.Errorf("Refund, posted after the Item was created, %+v", refund)
	}
	if payments != 3 {
		t.Errorf("%d monthly payments in %d days, want 3", payments, sandboxdata.HistoryDays)
	}

	n := sandboxdata.AuthNumbers("US", it.Accounts)
	if len(n.ACH) != 1 || n.ACH[0].Account != "12345678" || n.ACH[0].Routing != "011401533" || n.ACH[0].WireRouting != "" ||
		len(n.International) != 1 || n.International[0].BIC != "BUKBGB22" || len(n.BACS) != 1 ||
		n.BACS[0].Account != "GB33BUKB20201555555555" || len(n.EFT) != 0 {
		t.Errorf("numbers %+v", n)
	}

	owners := sandboxdata.Owners(check)
	if owners[0].Names[0] != "Ann Example" || owners[0].Emails[0].Data != "ann@example.com" ||
		!reflect.DeepEqual(owners[0].Addresses, sandboxdata.AccountHolder.Addresses) {
		t.Errorf("owners %+v", owners)
	}
	if o := sandboxdata.Owners(credit); o[0].Names[0] != "Ann Example" {
		t.Errorf("the Item's other accounts have the names the first one configured: %+v", o)
	}

	hs := sandboxdata.Holdings(it)
	if len(hs) != 1 || hs[0].AccountID != invest.ID || hs[0].InstitutionValue != 50 || hs[0].CostBasis != 50 {
		t.Fatalf("holdings %+v", hs)
	}
	its := sandboxdata.InvestmentTransactions(it)
	if len(its) != 1 || its[0].Amount != 49 || its[0].SecurityID != hs[0].SecurityID || its[0].Subtype != "buy" {
		t.Errorf("investment transactions %+v", its)
	}
	secs := sandboxdata.ItemSecurities(it, []string{hs[0].SecurityID})
	if len(secs) != 1 || secs[0].Name != "XYZ Corp" || secs[0].Ticker != "XYZ" || secs[0].ClosePrice != 12.5 {
		t.Errorf("securities %+v", secs)
	}

	l := sandboxdata.ItemLiabilities(it)
	if len(l.Credit) != 1 || len(l.Credit[0].APRs) != 1 || l.Credit[0].APRs[0].Percentage != 24 || l.Credit[0].MinimumPaymentAmount != 35 ||
		l.Credit[0].APRs[0].InterestChargeAmount != 8 {
		t.Errorf("credit liability %+v", l.Credit)
	}
	if len(l.Student) != 1 || l.Student[0].OriginationPrincipalAmount != 30000 || l.Student[0].LoanStatusType != "deferment" ||
		l.Student[0].LoanName != "Mine" || l.Student[0].Guarantor != "DEPT OF ED" {
		t.Errorf("student liability %+v", l.Student)
	}
}

// TestCustomDefaults checks that a custom account that configures no
// data gets it drawn: transactions, holdings, the country's numbers.
func TestCustomDefaults(t *testing.T) {
	it := customItem(t, "cust", `{"override_accounts": [{"type": "depository"}, {"type": "investment"}]}`)
	if got := len(sandboxdata.Transactions(it)); got != sandboxdata.TransactionsPerAccount {
		t.Errorf("%d transactions, want %d drawn for the checking account", got, sandboxdata.TransactionsPerAccount)
	}
	if got := len(sandboxdata.Holdings(it)); got != sandboxdata.HoldingsPerAccount {
		t.Errorf("%d holdings, want %d drawn", got, sandboxdata.HoldingsPerAccount)
	}
	if n := sandboxdata.AuthNumbers("CA", it.Accounts); len(n.EFT) != 1 || n.EFT[0].Account != "111122220000" {
		t.Errorf("numbers in Canada %+v", n)
	}
}

// TestCustomSeed checks that the same seed draws the same data on
// different Items, and no seed draws it per Item.
func TestCustomSeed(t *testing.T) {
	amounts := func(id, config string) []float64 {
		var out []float64
		for _, tr := range sandboxdata.Transactions(customItem(t, id, config)) {
			out = append(out, tr.Amount)
		}
		return append(out, *sandboxdata.AccountBalances(customItem(t, id, config).Accounts[0], "USD").Current)
	}
	seeded := `{"seed": "abc", "override_accounts": [{"type": "credit"}]}`
	if a, b := amounts("one", seeded), amounts("two", seeded); !reflect.DeepEqual(a, b) {
		t.Errorf("same seed, different data: %v, %v", a, b)
	}
	unseeded := `{"override_accounts": [{"type": "credit"}]}`
	if a, b := amounts("one", unseeded), amounts("two", unseeded); reflect.DeepEqual(a, b) {
		t.Errorf("no seed, same data on two Items: %v", a)
	}
}
