package dataservice

import (
	"context"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/itemdata"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
)

// Endpoints of the on-demand refreshes.
const (
	TransactionsRefreshEndpoint = "/transactions/refresh"
	InvestmentsRefreshEndpoint  = "/investments/refresh"
)

// TransactionsRefresh is /transactions/refresh: the Item, which must have
// Transactions already, finds new transactions at the bank
// (sandboxdata.RefreshTransactions: one dated today on each of its
// depository and credit accounts), keeps them, and its webhook gets
// TRANSACTIONS SYNC_UPDATES_AVAILABLE and DEFAULT_UPDATE. /transactions/sync
// adds them after every cursor given before; /transactions/get lists
// them by their date.
func (s *Service) TransactionsRefresh(ctx context.Context, t service.Tenant, accessToken string) *plaid.Error {
	it, e := s.itemWithProduct(ctx, t, accessToken, "transactions", TransactionsRefreshEndpoint)
	if e != nil {
		return e
	}
	added, e := s.svc.Added(ctx, it)
	if e != nil {
		return e
	}
	found := sandboxdata.RefreshTransactions(service.SandboxItem(it), t.Now, added.Refreshed)
	for i := range found {
		found[i].ID = ids.NewOpaqueID()
	}
	return removedMeanwhile(s.svc.Commit(func() error {
		return itemdata.AddTransactions(ctx, s.store, t.ClientID, it.ID, itemdata.KindRefreshed, found, t.Now, transactionsFoundWebhooks(it, len(found))...)
	}))
}

// InvestmentsRefresh is /investments/refresh: the Item, which must have
// Investments already, finds new investment transactions at the bank
// (sandboxdata.RefreshInvestments: a dividend reinvested today on each
// investment account), keeps them, and its webhook gets
// INVESTMENTS_TRANSACTIONS DEFAULT_UPDATE for them and HOLDINGS
// DEFAULT_UPDATE for the holdings they added to.
func (s *Service) InvestmentsRefresh(ctx context.Context, t service.Tenant, accessToken string) *plaid.Error {
	it, e := s.itemWithProduct(ctx, t, accessToken, "investments", InvestmentsRefreshEndpoint)
	if e != nil {
		return e
	}
	added, e := s.svc.Added(ctx, it)
	if e != nil {
		return e
	}
	holdings, e := s.svc.ItemHoldings(ctx, it)
	if e != nil {
		return e
	}
	found := sandboxdata.RefreshInvestments(service.SandboxItem(it), holdings, t.Now, len(added.Trades))
	changed := map[[2]string]bool{}
	for i := range found {
		found[i].ID = ids.NewOpaqueID()
		changed[[2]string{found[i].AccountID, found[i].SecurityID}] = true
	}
	var outbox []store.Webhook
	if it.Webhook != "" && len(found) > 0 {
		outbox = []store.Webhook{service.NewWebhook(it, it.Webhook, plaid.InvestmentsTransactionsDefaultUpdate(len(found), 0)),
			service.NewWebhook(it, it.Webhook, plaid.HoldingsDefaultUpdate(0, len(changed)))}
	}
	return removedMeanwhile(s.svc.Commit(func() error {
		return itemdata.AddTrades(ctx, s.store, t.ClientID, it.ID, found, t.Now, outbox...)
	}))
}
