// Package investmentsapi is the HTTP side of the Investments endpoints
// that package dataservice serves: /investments/refresh and Investments
// Move's /investments/auth/get.
package investmentsapi

import (
	"context"

	"github.com/linkharness/linkharness/internal/dataservice"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/web/internal/httpapi"
	"github.com/linkharness/linkharness/web/internal/plaidapi"
)

// API is the endpoints' handlers, over the operations of Deps.Data.
type API struct{ httpapi.Deps }

// New returns the handlers over d.
func New(d httpapi.Deps) *API { return &API{d} }

// Routes are the endpoints, in the route table's order.
func (s *API) Routes() []httpapi.Route {
	return []httpapi.Route{
		{Method: "POST", Path: dataservice.InvestmentsRefreshEndpoint, Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.investmentsRefresh),
			Doc: "finds a dividend reinvested today (the client's clock) on each investment account, which `/investments/transactions/get` lists and `/investments/holdings/get` adds to the holding; sends INVESTMENTS_TRANSACTIONS and HOLDINGS DEFAULT_UPDATE; needs Investments on the Item"},
		{Method: "POST", Path: dataservice.InvestmentsAuthEndpoint, Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.investmentsAuthGet),
			Doc: "the Item's investment accounts (`options.account_ids`) with their transfer numbers (ACATS and a 401k's plan in the US), owners, holdings and securities (Investments Move, product `investments_auth`)"},
	}
}

// accessTokenRequest is the body of an endpoint that takes only an
// access token.
type accessTokenRequest = httpapi.AccessTokenRequest

func (s *API) investmentsRefresh(ctx context.Context, c *httpapi.Call, req *accessTokenRequest) (httpapi.RequestIDResponse, *plaid.Error) {
	if e := s.Data.InvestmentsRefresh(ctx, c.Tenant, req.AccessToken); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	return httpapi.RequestIDResponse{RequestID: c.RequestID}, nil
}

// investmentsAuthGetRequest is /investments/auth/get's body.
type investmentsAuthGetRequest struct {
	httpapi.Credentials
	AccessToken string `json:"access_token"`
	Options     *struct {
		AccountIDs []string `json:"account_ids"`
	} `json:"options"`
}

type investmentsAuthGetResponse struct {
	Accounts    []plaidapi.InvestmentAccount `json:"accounts"`
	Holdings    []plaidapi.Holding           `json:"holdings"`
	Securities  []plaidapi.Security          `json:"securities"`
	Item        plaidapi.Item                `json:"item"`
	Numbers     numbersJSON                  `json:"numbers"`
	Owners      []ownerJSON                  `json:"owners"`
	DataSources dataSources                  `json:"data_sources"`
	RequestID   string                       `json:"request_id"`
}

// numbersJSON are the transfer numbers of investment accounts.
type numbersJSON struct {
	ACATS          []acatsJSON          `json:"acats"`
	ATON           []atonJSON           `json:"aton"`
	Retirement401k []retirement401kJSON `json:"retirement_401k"`
}

type acatsJSON struct {
	AccountID  string   `json:"account_id"`
	Account    string   `json:"account"`
	DTCNumbers []string `json:"dtc_numbers"`
}

type atonJSON struct {
	AccountID string `json:"account_id"`
	Account   string `json:"account"`
}

type retirement401kJSON struct {
	AccountID string `json:"account_id"`
	Plan      string `json:"plan"`
	Account   string `json:"account"`
}

// ownerJSON are the names of an account's owners.
type ownerJSON struct {
	AccountID string   `json:"account_id"`
	Names     []string `json:"names"`
}

// dataSources say where numbers, owners and holdings came from: the
// sandbox's institution, for all three.
type dataSources struct {
	Numbers  string `json:"numbers"`
	Owners   string `json:"owners"`
	Holdings string `json:"holdings"`
}

func numbersOut(n sandboxdata.InvestmentNumbers) numbersJSON {
	out := numbersJSON{ACATS: []acatsJSON{}, ATON: []atonJSON{}, Retirement401k: []retirement401kJSON{}}
	for _, a := range n.ACATS {
		out.ACATS = append(out.ACATS, acatsJSON{AccountID: a.AccountID, Account: a.Account, DTCNumbers: a.DTCNumbers})
	}
	for _, a := range n.ATON {
		out.ATON = append(out.ATON, atonJSON(a))
	}
	for _, a := range n.Retirement401k {
		out.Retirement401k = append(out.Retirement401k, retirement401kJSON(a))
	}
	return out
}

// investmentsAuthGet answers the Item's investment accounts with what
// moving them to another broker needs.
func (s *API) investmentsAuthGet(ctx context.Context, c *httpapi.Call, req *investmentsAuthGetRequest) (investmentsAuthGetResponse, *plaid.Error) {
	var want []string
	if req.Options != nil {
		want = req.Options.AccountIDs
	}
	d, e := s.Data.InvestmentsAuth(ctx, c.Tenant, req.AccessToken, want)
	if e != nil {
		return investmentsAuthGetResponse{}, e
	}
	resp := investmentsAuthGetResponse{Holdings: plaidapi.HoldingsOut(d.Holdings), Securities: plaidapi.SecuritiesOut(d.Securities),
		Item: plaidapi.ItemOut(d.Item), Numbers: numbersOut(d.Numbers), Owners: []ownerJSON{},
		DataSources: dataSources{Numbers: "INSTITUTION", Owners: "INSTITUTION", Holdings: "INSTITUTION"}, RequestID: c.RequestID}
	var accounts []store.Account
	for _, a := range d.Accounts {
		accounts = append(accounts, a.Account)
		var names []string
		for _, o := range a.Owners {
			names = append(names, o.Names...)
		}
		resp.Owners = append(resp.Owners, ownerJSON{AccountID: a.Account.ID, Names: httpapi.NonNil(names)})
	}
	resp.Accounts = plaidapi.InvestmentAccountsOut(d.Item, accounts)
	return resp, nil
}
