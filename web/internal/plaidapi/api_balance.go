package plaidapi

import (
	"context"

	"github.com/linkharness/linkharness/internal/dataservice"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// balanceRoutes are Balance's endpoints.
func (s *API) balanceRoutes() []httpapi.Route {
	return []httpapi.Route{
		{Method: "POST", Path: dataservice.BalanceEndpoint, Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.accountsBalanceGet), Doc: "real-time balances of the Item's accounts, the same as `/accounts/get` shows, narrowed by `options.account_ids`; each successful call is billed per request (Balance); fails for an Item in an error state"},
	}
}

// accountsBalanceGetRequest is /accounts/balance/get's body.
type accountsBalanceGetRequest struct {
	httpapi.Credentials
	AccessToken string `json:"access_token"`
	Options     *struct {
		AccountIDs             []string `json:"account_ids"`
		MinLastUpdatedDatetime string   `json:"min_last_updated_datetime"`
	} `json:"options"`
}

type accountsBalanceGetResponse struct {
	Accounts  []balanceAccountJSON `json:"accounts"`
	Item      itemJSON             `json:"item"`
	RequestID string               `json:"request_id"`
}

// balanceAccountJSON is an account with its real-time balances.
type balanceAccountJSON struct {
	accountJSON
	// Balances shadows accountJSON's.
	Balances realtimeBalances `json:"balances"`
}

// realtimeBalances are an account's balances as Balance reads them:
// last_updated_datetime is null, as Plaid gives it only at the one
// institution whose balances are not all real-time (none of the
// sandbox's).
type realtimeBalances struct {
	balances
	LastUpdatedDatetime *string `json:"last_updated_datetime"`
}

// accountsBalanceGet returns the real-time balances of the Item's
// accounts (service.Balance), and bills the call.
func (s *API) accountsBalanceGet(ctx context.Context, c *httpapi.Call, req *accountsBalanceGetRequest) (accountsBalanceGetResponse, *plaid.Error) {
	q := dataservice.BalanceQuery{AccessToken: req.AccessToken, RequestID: c.RequestID}
	if req.Options != nil {
		q.AccountIDs, q.MinLastUpdated = req.Options.AccountIDs, req.Options.MinLastUpdatedDatetime
	}
	d, e := s.Data.Balance(ctx, c.Tenant, q)
	if e != nil {
		return accountsBalanceGetResponse{}, e
	}
	resp := accountsBalanceGetResponse{Accounts: []balanceAccountJSON{}, Item: itemOut(d.Item), RequestID: c.RequestID}
	for _, a := range accountsOut(d.Item, d.Accounts) {
		resp.Accounts = append(resp.Accounts, balanceAccountJSON{accountJSON: a, Balances: realtimeBalances{balances: a.Balances}})
	}
	return resp, nil
}
