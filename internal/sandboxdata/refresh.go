package sandboxdata

import (
	"slices"
	"strconv"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
)

// What an on-demand refresh finds at the sandbox's bank. The bank's new
// activity is drawn, like the Item's history, from a generator seeded by
// the Item and its account, and also by the day of the refresh and how
// many the Item's refreshes found before it: the same Item refreshed on
// the same days finds the same activity, and each refresh finds some.
// What a refresh finds has no IDs yet: whoever keeps it gives them.

// RefreshTransactions are the transactions /transactions/refresh finds
// on the Item on day, after its refreshes found n before: one posted
// transaction on each of its depository and credit accounts, in their
// order, dated day, at a merchant the sandbox has for the account's type.
func RefreshTransactions(it Item, day time.Time, n int) []Transaction {
	date := plaid.Date(day)
	var out []Transaction
	for _, a := range it.Accounts {
		kinds := merchants[a.Type]
		if len(kinds) == 0 {
			continue
		}
		r := seeded("refresh", it.ID, a.ID, date, strconv.Itoa(n))
		m := kinds[r.IntN(len(kinds))]
		out = append(out, Transaction{AccountID: a.ID, Amount: cents(m.min + r.Float64()*(m.max-m.min)), Currency: "USD",
			Category: slices.Clone(m.category), CategoryID: m.categoryID, Date: date, AuthorizedDate: date, Name: m.name,
			MerchantName: m.merchant, PaymentChannel: m.channel, Type: "place"})
	}
	return out
}

// RefreshInvestments are the investment transactions /investments/refresh
// finds on the Item on day, after its refreshes found n before: on each
// of its investment accounts, in their order, a dividend of one of the
// account's holdings that are not cash, reinvested in it (a "buy" of
// subtype "dividend reinvestment" at the security's close), dated day.
// holdings are the Item's holdings as they stand.
func RefreshInvestments(it Item, holdings []Holding, day time.Time, n int) []InvestmentTransaction {
	date := plaid.Date(day)
	var out []InvestmentTransaction
	for _, a := range it.Accounts {
		var held []Security
		for _, h := range holdings {
			if s := SecuritiesByID([]string{h.SecurityID}); h.AccountID == a.ID && len(s) == 1 && !s[0].IsCashEquivalent {
				held = append(held, s[0])
			}
		}
		if len(held) == 0 {
			continue
		}
		r := seeded("investments refresh", it.ID, a.ID, date, strconv.Itoa(n))
		s := held[r.IntN(len(held))]
		qty := cents(0.05 + r.Float64()*1.95)
		out = append(out, InvestmentTransaction{AccountID: a.ID, SecurityID: s.ID, Date: date, Name: "DIVIDEND REINVESTMENT " + s.Name,
			Quantity: qty, Amount: cents(qty * s.ClosePrice), Price: s.ClosePrice, Type: "buy", Subtype: "dividend reinvestment", Currency: s.Currency})
	}
	return out
}

// ApplyTrades are holdings after the buys among trades (other trades
// change nothing): a buy adds its quantity to the account's holding of
// its security and its amount to the holding's cost basis, and the
// holding is valued at its price again. The holdings keep their order;
// a buy of a security the account does not hold is not counted.
func ApplyTrades(holdings []Holding, trades []InvestmentTransaction) []Holding {
	out := slices.Clone(holdings)
	for _, tr := range trades {
		if tr.Type != "buy" {
			continue
		}
		for i := range out {
			if h := &out[i]; h.AccountID == tr.AccountID && h.SecurityID == tr.SecurityID {
				h.Quantity = cents(h.Quantity + tr.Quantity)
				h.CostBasis = cents(h.CostBasis + tr.Amount)
				h.InstitutionValue = cents(h.InstitutionPrice * h.Quantity)
			}
		}
	}
	return out
}
