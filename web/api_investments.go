package web

import (
	"context"
	"slices"

	"github.com/linkharness/linkharness/internal/plaid"

	"github.com/linkharness/linkharness/internal/store"
)

// security is a security of Plaid's sandbox.
type security struct {
	SecurityID             string  `json:"security_id"`
	ISIN                   *string `json:"isin"`
	CUSIP                  *string `json:"cusip"`
	SEDOL                  *string `json:"sedol"`
	InstitutionSecurityID  *string `json:"institution_security_id"`
	InstitutionID          *string `json:"institution_id"`
	ProxySecurityID        *string `json:"proxy_security_id"`
	Name                   string  `json:"name"`
	TickerSymbol           *string `json:"ticker_symbol"`
	IsCashEquivalent       bool    `json:"is_cash_equivalent"`
	Type                   string  `json:"type"`
	ClosePrice             float64 `json:"close_price"`
	ClosePriceAsOf         *string `json:"close_price_as_of"`
	IsoCurrencyCode        string  `json:"iso_currency_code"`
	UnofficialCurrencyCode *string `json:"unofficial_currency_code"`
	MarketIdentifierCode   *string `json:"market_identifier_code"`
}

func sec(id, name, ticker, typ string, price float64, cash bool) security {
	return security{SecurityID: id, Name: name, TickerSymbol: optString(ticker), Type: typ, ClosePrice: price,
		IsCashEquivalent: cash, IsoCurrencyCode: "USD"}
}

// securities are the securities sandbox investment accounts hold.
var securities = []security{
	sec("JDdP7XPMklt5vwPmDN45t3KAoWAPmjtpaW7DP", "Achillion Pharmaceuticals Inc.", "ACHN", "equity", 2.86, false),
	sec("NDVQrXQoqzt5v3bAe8qRt4A7mK7wvZCLEBBJk", "Cambiar International Equity Instl", "CAMYX", "mutual fund", 24.94, false),
	sec("d6ePmbPxgWCWmMVv66q9iPV94n91vMtov5Are", "Matthews Pacific Tiger Fund Insti Class", "MIPTX", "mutual fund", 27, false),
	sec("8E4L9XLl6MudjEpwPAAgivmdZRdBPJuvMPlPb", "Southside Bancshares Inc.", "SBSI", "equity", 34.68, false),
	sec("xnL3QM3Ax4fP9dnzGZKBt9WDxR5ooWCaR9Vyr", "Trp Equity Income", "PRFDX", "mutual fund", 33.87, false),
	sec("EDRxkXxj7mtj8EzBBxllUqpy7KyNDBugoZrMX", "U S Dollar", "CUR:USD", "cash", 1, true),
}

type holding struct {
	AccountID              string   `json:"account_id"`
	SecurityID             string   `json:"security_id"`
	InstitutionPrice       float64  `json:"institution_price"`
	InstitutionPriceAsOf   *string  `json:"institution_price_as_of"`
	InstitutionValue       float64  `json:"institution_value"`
	CostBasis              *float64 `json:"cost_basis"`
	Quantity               float64  `json:"quantity"`
	IsoCurrencyCode        string   `json:"iso_currency_code"`
	UnofficialCurrencyCode *string  `json:"unofficial_currency_code"`
}

// sandboxHoldings are the holdings of the Item's investment accounts:
// three securities each, in quantities drawn for the Item.
func sandboxHoldings(it store.Item) []holding {
	var out []holding
	for _, a := range it.Accounts {
		if a.Type != "investment" {
			continue
		}
		r := seeded("holdings", it.ID, a.ID)
		for _, i := range r.Perm(len(securities))[:3] {
			s := securities[i]
			qty := cents(1 + r.Float64()*200)
			basis := cents(s.ClosePrice * qty * (0.8 + r.Float64()*0.4))
			out = append(out, holding{AccountID: a.ID, SecurityID: s.SecurityID, InstitutionPrice: s.ClosePrice,
				InstitutionPriceAsOf: optString(day(it.CreatedAt)), InstitutionValue: cents(s.ClosePrice * qty), CostBasis: &basis,
				Quantity: qty, IsoCurrencyCode: "USD"})
		}
	}
	return out
}

// heldSecurities are the securities the holdings or transactions name.
func heldSecurities(ids []string) []security {
	out := []security{}
	for _, s := range securities {
		if slices.Contains(ids, s.SecurityID) {
			out = append(out, s)
		}
	}
	return out
}

type investmentsHoldingsGetResponse struct {
	Accounts   []accountJSON `json:"accounts"`
	Holdings   []holding     `json:"holdings"`
	Securities []security    `json:"securities"`
	Item       itemJSON      `json:"item"`
	RequestID  string        `json:"request_id"`
}

func investmentAccount(a store.Account) bool { return a.Type == "investment" }

// investmentsHoldingsGet returns the holdings of the Item's investment
// accounts; its first call on an Item without Investments adds it and
// starts the Investments Holdings subscription.
func (s *Server) investmentsHoldingsGet(ctx context.Context, c *call, req *productRequest) (investmentsHoldingsGetResponse, *plaid.Error) {
	it, e := s.svc.UseProduct(ctx, c.tenant(), req.AccessToken, "investments", "/investments/holdings/get")
	if e != nil {
		return investmentsHoldingsGetResponse{}, e
	}
	accounts, e := pickAccounts(it, req.accountIDs(), investmentAccount)
	if e != nil {
		return investmentsHoldingsGetResponse{}, e
	}
	resp := investmentsHoldingsGetResponse{Accounts: accountsOut(accounts), Holdings: []holding{}, Item: itemOut(it), RequestID: c.requestID}
	var ids []string
	for _, h := range sandboxHoldings(it) {
		if slices.ContainsFunc(accounts, func(a store.Account) bool { return a.ID == h.AccountID }) {
			resp.Holdings = append(resp.Holdings, h)
			ids = append(ids, h.SecurityID)
		}
	}
	resp.Securities = heldSecurities(ids)
	return resp, nil
}

type investmentTransaction struct {
	InvestmentTransactionID string   `json:"investment_transaction_id"`
	AccountID               string   `json:"account_id"`
	SecurityID              *string  `json:"security_id"`
	Date                    string   `json:"date"`
	Name                    string   `json:"name"`
	Quantity                float64  `json:"quantity"`
	Amount                  float64  `json:"amount"`
	Price                   float64  `json:"price"`
	Fees                    *float64 `json:"fees"`
	Type                    string   `json:"type"`
	Subtype                 string   `json:"subtype"`
	IsoCurrencyCode         string   `json:"iso_currency_code"`
	UnofficialCurrencyCode  *string  `json:"unofficial_currency_code"`
}

// sandboxInvestmentTransactions are the buys of the Item's holdings and
// a dividend for each, newest first, over the 90 days before the Item was
// created.
func sandboxInvestmentTransactions(it store.Item) []investmentTransaction {
	var out []investmentTransaction
	zero := 0.0
	for i, h := range sandboxHoldings(it) {
		r := seeded("investment transactions", it.ID, h.AccountID, h.SecurityID)
		s := heldSecurities([]string{h.SecurityID})[0]
		id := h.SecurityID
		buy := it.CreatedAt.AddDate(0, 0, -30-r.IntN(60))
		out = append(out, investmentTransaction{InvestmentTransactionID: plaid.DerivedID("investment transaction", it.ID, h.AccountID, h.SecurityID, "buy"),
			AccountID: h.AccountID, SecurityID: &id, Date: day(buy), Name: "BUY " + s.Name, Quantity: h.Quantity,
			Amount: cents(h.Quantity * s.ClosePrice), Price: s.ClosePrice, Fees: &zero, Type: "buy", Subtype: "buy", IsoCurrencyCode: "USD"})
		if s.IsCashEquivalent {
			continue
		}
		div := it.CreatedAt.AddDate(0, 0, -r.IntN(30))
		out = append(out, investmentTransaction{InvestmentTransactionID: plaid.DerivedID("investment transaction", it.ID, h.AccountID, h.SecurityID, "dividend"),
			AccountID: h.AccountID, SecurityID: &id, Date: day(div), Name: "DIVIDEND " + s.Name, Amount: -cents(float64(i+1) * 1.37),
			Fees: &zero, Type: "cash", Subtype: "dividend", IsoCurrencyCode: "USD"})
	}
	slices.SortStableFunc(out, func(a, b investmentTransaction) int {
		if a.Date != b.Date {
			return -compareStrings(a.Date, b.Date)
		}
		return compareStrings(a.InvestmentTransactionID, b.InvestmentTransactionID)
	})
	return out
}

// investmentsTransactionsGetRequest is /investments/transactions/get's
// body.
type investmentsTransactionsGetRequest struct {
	credentials
	AccessToken string       `json:"access_token"`
	StartDate   string       `json:"start_date"`
	EndDate     string       `json:"end_date"`
	Options     *pageOptions `json:"options"`
}

type investmentsTransactionsGetResponse struct {
	Item                        itemJSON                `json:"item"`
	Accounts                    []accountJSON           `json:"accounts"`
	Securities                  []security              `json:"securities"`
	InvestmentTransactions      []investmentTransaction `json:"investment_transactions"`
	TotalInvestmentTransactions int                     `json:"total_investment_transactions"`
	RequestID                   string                  `json:"request_id"`
}

// investmentsTransactionsGet returns the Item's investment transactions
// between two dates; its first call starts the Investments Transactions
// subscription (and, on an Item without Investments, adds it).
func (s *Server) investmentsTransactionsGet(ctx context.Context, c *call, req *investmentsTransactionsGetRequest) (investmentsTransactionsGetResponse, *plaid.Error) {
	if e := dateRange(req.StartDate, req.EndDate); e != nil {
		return investmentsTransactionsGetResponse{}, e
	}
	count, offset, ids, e := req.Options.resolve()
	if e != nil {
		return investmentsTransactionsGetResponse{}, e
	}
	it, e := s.svc.UseProduct(ctx, c.tenant(), req.AccessToken, "investments", "/investments/transactions/get")
	if e != nil {
		return investmentsTransactionsGetResponse{}, e
	}
	accounts, e := pickAccounts(it, ids, investmentAccount)
	if e != nil {
		return investmentsTransactionsGetResponse{}, e
	}
	var match []investmentTransaction
	var secIDs []string
	for _, t := range sandboxInvestmentTransactions(it) {
		if t.Date >= req.StartDate && t.Date <= req.EndDate && slices.ContainsFunc(accounts, func(a store.Account) bool { return a.ID == t.AccountID }) {
			match = append(match, t)
		}
	}
	page := []investmentTransaction{}
	if offset < len(match) {
		page = match[offset:min(offset+count, len(match))]
	}
	for _, t := range page {
		secIDs = append(secIDs, *t.SecurityID)
	}
	return investmentsTransactionsGetResponse{Item: itemOut(it), Accounts: accountsOut(accounts), Securities: heldSecurities(secIDs),
		InvestmentTransactions: page, TotalInvestmentTransactions: len(match), RequestID: c.requestID}, nil
}
