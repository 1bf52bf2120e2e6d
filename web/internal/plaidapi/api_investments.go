package plaidapi

import (
	"context"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// security is a security as the investments endpoints show it.
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
	// Sector, Industry and CFICode classify the security; OptionContract
	// and FixedIncome describe options and bonds. The sandbox's
	// securities have none: they are null, as the schema requires them.
	Sector         *string   `json:"sector"`
	Industry       *string   `json:"industry"`
	CFICode        *string   `json:"cfi_code"`
	OptionContract *struct{} `json:"option_contract"`
	FixedIncome    *struct{} `json:"fixed_income"`
}

// investmentAccountJSON is an account as the investments endpoints show
// it: its balances add margin_loan_amount, null for the sandbox's
// accounts, which borrow nothing.
type investmentAccountJSON struct {
	accountJSON
	Balances investmentBalances `json:"balances"`
}

type investmentBalances struct {
	balances
	MarginLoanAmount *float64 `json:"margin_loan_amount"`
}

// investmentAccountsOut shows accounts for the investments endpoints;
// never nil.
func investmentAccountsOut(it store.Item, accounts []store.Account) []investmentAccountJSON {
	currency := service.Currency(it)
	out := []investmentAccountJSON{}
	for _, a := range accounts {
		j := accountOut(a, currency)
		out = append(out, investmentAccountJSON{accountJSON: j, Balances: investmentBalances{balances: j.Balances}})
	}
	return out
}

// securitiesOut shows securities; never nil.
func securitiesOut(ss []sandboxdata.Security) []security {
	out := []security{}
	for _, s := range ss {
		out = append(out, security{SecurityID: s.ID, ISIN: httpapi.OptString(s.ISIN), CUSIP: httpapi.OptString(s.CUSIP), Name: s.Name,
			TickerSymbol: httpapi.OptString(s.Ticker), Type: s.Type, ClosePrice: s.ClosePrice,
			IsCashEquivalent: s.IsCashEquivalent, IsoCurrencyCode: s.Currency})
	}
	return out
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

// holdingsOut shows holdings; never nil.
func holdingsOut(hs []sandboxdata.Holding) []holding {
	out := []holding{}
	for _, h := range hs {
		out = append(out, holding{AccountID: h.AccountID, SecurityID: h.SecurityID, InstitutionPrice: h.InstitutionPrice,
			InstitutionPriceAsOf: httpapi.OptString(h.InstitutionPriceAsOf), InstitutionValue: h.InstitutionValue, CostBasis: &h.CostBasis,
			Quantity: h.Quantity, IsoCurrencyCode: h.Currency})
	}
	return out
}

type investmentsHoldingsGetResponse struct {
	Accounts   []investmentAccountJSON `json:"accounts"`
	Holdings   []holding               `json:"holdings"`
	Securities []security              `json:"securities"`
	Item       itemJSON                `json:"item"`
	RequestID  string                  `json:"request_id"`
}

// investmentsHoldingsGet returns the holdings of the Item's investment
// accounts and the securities they hold.
func (s *API) investmentsHoldingsGet(ctx context.Context, c *httpapi.Call, req *productRequest) (investmentsHoldingsGetResponse, *plaid.Error) {
	d, e := s.Svc.InvestmentsHoldings(ctx, c.Tenant, req.AccessToken, req.accountIDs())
	if e != nil {
		return investmentsHoldingsGetResponse{}, e
	}
	return investmentsHoldingsGetResponse{Accounts: investmentAccountsOut(d.Item, d.Accounts), Holdings: holdingsOut(d.Holdings),
		Securities: securitiesOut(d.Securities), Item: itemOut(d.Item), RequestID: c.RequestID}, nil
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

// investmentTransactionsOut shows investment transactions; never nil.
func investmentTransactionsOut(ts []sandboxdata.InvestmentTransaction) []investmentTransaction {
	out := []investmentTransaction{}
	for _, t := range ts {
		out = append(out, investmentTransaction{InvestmentTransactionID: t.ID, AccountID: t.AccountID, SecurityID: httpapi.OptString(t.SecurityID),
			Date: t.Date, Name: t.Name, Quantity: t.Quantity, Amount: t.Amount, Price: t.Price, Fees: &t.Fees, Type: t.Type,
			Subtype: t.Subtype, IsoCurrencyCode: t.Currency})
	}
	return out
}

// investmentsTransactionsGetRequest is /investments/transactions/get's
// body.
type investmentsTransactionsGetRequest struct {
	httpapi.Credentials
	AccessToken string       `json:"access_token"`
	StartDate   string       `json:"start_date"`
	EndDate     string       `json:"end_date"`
	Options     *pageOptions `json:"options"`
}

type investmentsTransactionsGetResponse struct {
	Item                        itemJSON                `json:"item"`
	Accounts                    []investmentAccountJSON `json:"accounts"`
	Securities                  []security              `json:"securities"`
	InvestmentTransactions      []investmentTransaction `json:"investment_transactions"`
	TotalInvestmentTransactions int                     `json:"total_investment_transactions"`
	RequestID                   string                  `json:"request_id"`
}

// investmentsTransactionsGet returns a page of the Item's investment
// transactions between two dates, newest first, and the securities they
// name.
func (s *API) investmentsTransactionsGet(ctx context.Context, c *httpapi.Call, req *investmentsTransactionsGetRequest) (investmentsTransactionsGetResponse, *plaid.Error) {
	p, e := s.Svc.InvestmentTransactions(ctx, c.Tenant, req.AccessToken, rangeQuery(req.StartDate, req.EndDate, req.Options))
	if e != nil {
		return investmentsTransactionsGetResponse{}, e
	}
	return investmentsTransactionsGetResponse{Item: itemOut(p.Item), Accounts: investmentAccountsOut(p.Item, p.Accounts), Securities: securitiesOut(p.Securities),
		InvestmentTransactions: investmentTransactionsOut(p.Transactions), TotalInvestmentTransactions: p.Total, RequestID: c.RequestID}, nil
}
