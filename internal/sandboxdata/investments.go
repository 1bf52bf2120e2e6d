package sandboxdata

import (
	"slices"

	"github.com/linkharness/linkharness/internal/plaid"
)

// Security is a security of Plaid's sandbox
// (https://plaid.com/docs/api/products/investments/#investments-holdings-get-response-securities).
type Security struct {
	ID     string
	Name   string
	Ticker string
	// ISIN and CUSIP are empty for the sandbox's securities.
	ISIN, CUSIP string
	// Type is Plaid's security type: "equity", "mutual fund", "cash", ...
	Type             string
	ClosePrice       float64
	IsCashEquivalent bool
	// Currency is the ISO 4217 code of the price.
	Currency string
}

func security(id, name, ticker, typ string, price float64, cash bool) Security {
	return Security{ID: id, Name: name, Ticker: ticker, Type: typ, ClosePrice: price, IsCashEquivalent: cash, Currency: "USD"}
}

// Securities are the securities sandbox investment accounts hold.
var Securities = []Security{
	security("JDdP7XPMklt5vwPmDN45t3KAoWAPmjtpaW7DP", "Achillion Pharmaceuticals Inc.", "ACHN", "equity", 2.86, false),
	security("NDVQrXQoqzt5v3bAe8qRt4A7mK7wvZCLEBBJk", "Cambiar International Equity Instl", "CAMYX", "mutual fund", 24.94, false),
	security("d6ePmbPxgWCWmMVv66q9iPV94n91vMtov5Are", "Matthews Pacific Tiger Fund Insti Class", "MIPTX", "mutual fund", 27, false),
	security("8E4L9XLl6MudjEpwPAAgivmdZRdBPJuvMPlPb", "Southside Bancshares Inc.", "SBSI", "equity", 34.68, false),
	security("xnL3QM3Ax4fP9dnzGZKBt9WDxR5ooWCaR9Vyr", "Trp Equity Income", "PRFDX", "mutual fund", 33.87, false),
	security("EDRxkXxj7mtj8EzBBxllUqpy7KyNDBugoZrMX", "U S Dollar", "CUR:USD", "cash", 1, true),
}

// SecuritiesByID are the Securities with any of the IDs, in the order of
// Securities and each once; never nil.
func SecuritiesByID(ids []string) []Security {
	return securitiesByID(Securities, ids)
}

func securitiesByID(all []Security, ids []string) []Security {
	out := []Security{}
	for _, s := range all {
		if slices.Contains(ids, s.ID) {
			out = append(out, s)
		}
	}
	return out
}

// ItemSecurities are the securities of the Item's holdings and
// investment transactions with any of the IDs, each once: the
// SecuritiesByID, then those its custom user configured, in the order of
// the configuration; never nil.
func ItemSecurities(it Item, ids []string) []Security {
	return securitiesByID(append(slices.Clone(Securities), configuredSecurities(it)...), ids)
}

// HoldingsPerAccount is how many securities each investment account of a
// sandbox Item holds.
const HoldingsPerAccount = 3

// Holding is a position of an investment account in a security
// (https://plaid.com/docs/api/products/investments/#investments-holdings-get-response-holdings).
type Holding struct {
	AccountID        string
	SecurityID       string
	InstitutionPrice float64
	// InstitutionPriceAsOf is YYYY-MM-DD.
	InstitutionPriceAsOf string
	InstitutionValue     float64
	CostBasis            float64
	Quantity             float64
	// Currency is the ISO 4217 code of the price, value and cost basis.
	Currency string
}

// Holdings are the holdings of the Item's investment accounts, account by
// account: HoldingsPerAccount of the Securities each, in quantities drawn
// for the Item, priced at the close on the day it was created; or those a
// custom user's account configures.
func Holdings(it Item) []Holding {
	var out []Holding
	for _, a := range it.Accounts {
		if !a.IsInvestment() {
			continue
		}
		if a.Custom != nil && a.Custom.Holdings != nil {
			out = append(out, configuredHoldings(it, a)...)
			continue
		}
		r := a.random(it, "holdings")
		for _, i := range r.Perm(len(Securities))[:HoldingsPerAccount] {
			s := Securities[i]
			qty := cents(1 + r.Float64()*200)
			basis := cents(s.ClosePrice * qty * (0.8 + r.Float64()*0.4))
			out = append(out, Holding{AccountID: a.ID, SecurityID: s.ID, InstitutionPrice: s.ClosePrice,
				InstitutionPriceAsOf: plaid.Date(it.CreatedAt), InstitutionValue: cents(s.ClosePrice * qty), CostBasis: basis,
				Quantity: qty, Currency: "USD"})
		}
	}
	return out
}

// InvestmentTransaction is a trade or cash movement of an investment
// account
// (https://plaid.com/docs/api/products/investments/#investments-transactions-get-response-investment-transactions).
// A positive amount is money out of the account.
type InvestmentTransaction struct {
	ID         string
	AccountID  string
	SecurityID string
	// Date is YYYY-MM-DD.
	Date     string
	Name     string
	Quantity float64
	Amount   float64
	Price    float64
	Fees     float64
	// Type and Subtype are Plaid's: "buy"/"buy", "cash"/"dividend".
	Type    string
	Subtype string
	// Currency is the ISO 4217 code of the amounts.
	Currency string
}

// InvestmentTransactions are the buys of the Item's Holdings, 30 to 89
// days before it was created, and a dividend in the 30 days before that
// for each that is not cash, newest first (then by ID). A custom user's
// account has those it configures instead, and none when it configures
// its holdings but not its investment transactions.
func InvestmentTransactions(it Item) []InvestmentTransaction {
	var out []InvestmentTransaction
	configured := map[string]bool{}
	for _, a := range it.Accounts {
		if c := a.Custom; c != nil && a.IsInvestment() && (c.Holdings != nil || c.InvestmentTransactions != nil) {
			configured[a.ID] = true
			out = append(out, configuredInvestmentTransactions(it, a)...)
		}
	}
	for i, h := range Holdings(it) {
		if configured[h.AccountID] {
			continue
		}
		r := seeded("investment transactions", it.ID, h.AccountID, h.SecurityID)
		s := SecuritiesByID([]string{h.SecurityID})[0]
		buy := it.CreatedAt.AddDate(0, 0, -30-r.IntN(60))
		out = append(out, InvestmentTransaction{ID: derivedID("investment transaction", it.ID, h.AccountID, h.SecurityID, "buy"),
			AccountID: h.AccountID, SecurityID: h.SecurityID, Date: plaid.Date(buy), Name: "BUY " + s.Name, Quantity: h.Quantity,
			Amount: cents(h.Quantity * s.ClosePrice), Price: s.ClosePrice, Type: "buy", Subtype: "buy", Currency: "USD"})
		if s.IsCashEquivalent {
			continue
		}
		div := it.CreatedAt.AddDate(0, 0, -r.IntN(30))
		out = append(out, InvestmentTransaction{ID: derivedID("investment transaction", it.ID, h.AccountID, h.SecurityID, "dividend"),
			AccountID: h.AccountID, SecurityID: h.SecurityID, Date: plaid.Date(div), Name: "DIVIDEND " + s.Name,
			Amount: -cents(float64(i+1) * 1.37), Type: "cash", Subtype: "dividend", Currency: "USD"})
	}
	slices.SortStableFunc(out, func(a, b InvestmentTransaction) int { return newestFirst(a.Date, a.ID, b.Date, b.ID) })
	return out
}
