// Package dataservice is the part of the Plaid API's product-data
// operations that package service has no room for: Balance
// (/accounts/balance/get, billed per call), Identity Match
// (/identity/match), the on-demand refreshes (/transactions/refresh,
// /investments/refresh), the sandbox's transactions
// (/sandbox/transactions/create), recurring streams
// (/transactions/recurring/get) and Investments Move
// (/investments/auth/get). It works on package service's Items, through
// its commit path, and keeps what an Item gains with package itemdata,
// which the data endpoints of package service read too.
package dataservice

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
)

// Service is the operations over one service and its store.
type Service struct {
	svc   *service.Service
	store *store.DB
}

// New returns the operations of svc, whose store it shares.
func New(svc *service.Service, st *store.DB) *Service { return &Service{svc: svc, store: st} }

// itemWithProduct is the tenant's Item with the access token, for an
// endpoint that serves only Items that have the product already (Plaid's
// refreshes and recurring streams): an Item in an error state fails with
// its error, one without the product with PRODUCTS_NOT_SUPPORTED. Nothing
// is added or billed.
func (s *Service) itemWithProduct(ctx context.Context, t service.Tenant, accessToken, product, endpoint string) (store.Item, *plaid.Error) {
	it, e := s.svc.ItemByAccessToken(ctx, t, accessToken)
	if e != nil {
		return it, e
	}
	if e := plaid.ItemError(it.Error); e != nil {
		return it, e
	}
	if !slices.Contains(it.Products, product) {
		return it, plaid.ProductsNotSupported(fmt.Sprintf("%s serves only an Item that has %s: initialize the Item with it, or add it by calling one of its endpoints first", endpoint, product))
	}
	return it, nil
}

// transactionsFoundWebhooks are the webhooks of n new transactions on the
// Item: SYNC_UPDATES_AVAILABLE, as the emulator sends it whether or not
// /transactions/sync was called, and DEFAULT_UPDATE, which Plaid keeps
// sending to Items on /transactions/sync too; none without a webhook or
// new transactions.
func transactionsFoundWebhooks(it store.Item, n int) []store.Webhook {
	if it.Webhook == "" || n == 0 {
		return nil
	}
	return []store.Webhook{service.NewWebhook(it, it.Webhook, plaid.SyncUpdatesAvailable()),
		service.NewWebhook(it, it.Webhook, plaid.TransactionsDefaultUpdate(n))}
}

// removedMeanwhile is the error of a write on an Item that may have been
// removed since it was read: INVALID_ACCESS_TOKEN then, as for a removed
// Item's token.
func removedMeanwhile(err error) *plaid.Error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return plaid.InvalidAccessToken()
	}
	return service.StoreError(err)
}

// onAccounts reports whether accountID is one of accounts.
func onAccounts(accounts []store.Account, accountID string) bool {
	return slices.ContainsFunc(accounts, func(a store.Account) bool { return a.ID == accountID })
}
