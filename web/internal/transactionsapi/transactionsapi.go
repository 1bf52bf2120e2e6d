// Package transactionsapi is the HTTP side of the Transactions endpoints
// that package dataservice serves: /transactions/refresh,
// /transactions/recurring/get and the sandbox's
// /sandbox/transactions/create.
package transactionsapi

import (
	"context"

	"github.com/linkharness/linkharness/internal/dataservice"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// API is the endpoints' handlers, over the operations of Deps.Data.
type API struct{ httpapi.Deps }

// New returns the handlers over d.
func New(d httpapi.Deps) *API { return &API{d} }

// Routes are the endpoints, in the route table's order.
func (s *API) Routes() []httpapi.Route {
	return []httpapi.Route{
		{Method: "POST", Path: dataservice.TransactionsRefreshEndpoint, Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.transactionsRefresh),
			Doc: "finds new transactions, one dated today (the client's clock) on each depository and credit account, which `/transactions/sync` adds after the last cursor and `/transactions/get` lists; sends TRANSACTIONS SYNC_UPDATES_AVAILABLE and DEFAULT_UPDATE; needs Transactions on the Item"},
		{Method: "POST", Path: dataservice.RecurringEndpoint, Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.transactionsRecurringGet),
			Doc: "the inflow and outflow streams of the Item's checking, savings and credit card accounts (`account_ids`): transactions of one description at a weekly, biweekly, semi-monthly, monthly or yearly cadence and amounts within a third of their mean; needs Transactions on the Item"},
		{Method: "POST", Path: "/sandbox/transactions/create", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.sandboxTransactionsCreate),
			Doc: "adds one to ten posted transactions, dated in the last 14 days, to the Item's first depository or credit account, for `/transactions/sync` and `/transactions/get`; sends TRANSACTIONS SYNC_UPDATES_AVAILABLE and DEFAULT_UPDATE; any Item with Transactions"},
	}
}

// accessTokenRequest is the body of an endpoint that takes only an
// access token.
type accessTokenRequest = httpapi.AccessTokenRequest

func (s *API) transactionsRefresh(ctx context.Context, c *httpapi.Call, req *accessTokenRequest) (httpapi.RequestIDResponse, *plaid.Error) {
	if e := s.Data.TransactionsRefresh(ctx, c.Tenant, req.AccessToken); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	return httpapi.RequestIDResponse{RequestID: c.RequestID}, nil
}

// sandboxTransactionsCreateRequest is /sandbox/transactions/create's body.
type sandboxTransactionsCreateRequest struct {
	httpapi.Credentials
	AccessToken  string `json:"access_token"`
	Transactions []struct {
		DateTransacted  string  `json:"date_transacted"`
		DatePosted      string  `json:"date_posted"`
		Amount          float64 `json:"amount"`
		Description     string  `json:"description"`
		IsoCurrencyCode string  `json:"iso_currency_code"`
	} `json:"transactions"`
}

func (s *API) sandboxTransactionsCreate(ctx context.Context, c *httpapi.Call, req *sandboxTransactionsCreateRequest) (httpapi.RequestIDResponse, *plaid.Error) {
	var txs []dataservice.SandboxTransaction
	for _, t := range req.Transactions {
		txs = append(txs, dataservice.SandboxTransaction{DateTransacted: t.DateTransacted, DatePosted: t.DatePosted, Amount: t.Amount,
			Description: t.Description, Currency: t.IsoCurrencyCode})
	}
	if e := s.Data.SandboxTransactionsCreate(ctx, c.Tenant, req.AccessToken, txs); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	return httpapi.RequestIDResponse{RequestID: c.RequestID}, nil
}
