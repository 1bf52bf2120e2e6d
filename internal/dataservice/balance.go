package dataservice

import (
	"context"
	"errors"
	"time"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
)

// BalanceEndpoint is the endpoint of Balance, billed per call.
const BalanceEndpoint = "/accounts/balance/get"

// BalanceQuery is what /accounts/balance/get asks for.
type BalanceQuery struct {
	AccessToken string
	// AccountIDs narrow the accounts; none means all the Item's.
	AccountIDs []string
	// MinLastUpdated is options.min_last_updated_datetime as sent ("" for
	// none): an RFC 3339 time, the oldest balance the caller accepts.
	MinLastUpdated string
	// RequestID is the call's request_id, which the billed call keeps.
	RequestID string
}

// BalanceData is what /accounts/balance/get returns: the Item and its
// accounts among those asked for.
type BalanceData struct {
	Item     store.Item
	Accounts []store.Account
}

// Balance is /accounts/balance/get: the real-time balances of the Item's
// accounts among q.AccountIDs (all when none). Balance needs no
// initialization, so it serves any Item that is not in an error state
// (ITEM_LOGIN_REQUIRED after reset_login fails as the other data
// endpoints do), and each successful call is billed (the per-request
// flat fee); a failed call is not. A sandbox balance is always read at
// the call, so min_last_updated_datetime, which Plaid reads only at an
// institution without real-time balances for some accounts (none of the
// sandbox's), is checked as a time and met.
func (s *Service) Balance(ctx context.Context, t service.Tenant, q BalanceQuery) (BalanceData, *plaid.Error) {
	if q.MinLastUpdated != "" {
		if _, err := time.Parse(time.RFC3339, q.MinLastUpdated); err != nil {
			return BalanceData{}, plaid.InvalidField("options.min_last_updated_datetime must be an ISO 8601 date-time (YYYY-MM-DDTHH:mm:ssZ)")
		}
	}
	it, e := s.svc.ItemByAccessToken(ctx, t, q.AccessToken)
	if e != nil {
		return BalanceData{}, e
	}
	if e := plaid.ItemError(it.Error); e != nil {
		return BalanceData{}, e
	}
	accounts, e := service.PickAccounts(it, q.AccountIDs, nil)
	if e != nil {
		return BalanceData{}, e
	}
	row, _ := product.OfBilledCall(BalanceEndpoint)
	err := s.store.BillRequest(ctx, store.BillingEvent{ID: ids.NewUUID(), ClientID: t.ClientID, ItemID: it.ID, Product: row.Name,
		Billable: row.Name, FeeModel: product.PerRequest, Reason: "a successful call of " + BalanceEndpoint + " is billed per request",
		Endpoint: BalanceEndpoint, RequestID: q.RequestID, BilledAt: t.Now})
	switch {
	case errors.Is(err, store.ErrNotFound):
		// Removed while the call ran.
		return BalanceData{}, plaid.InvalidAccessToken()
	case err != nil:
		return BalanceData{}, service.StoreError(err)
	}
	return BalanceData{Item: it, Accounts: accounts}, nil
}
