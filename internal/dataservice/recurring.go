package dataservice

import (
	"context"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
)

// RecurringEndpoint is the endpoint of the recurring streams.
const RecurringEndpoint = "/transactions/recurring/get"

// RecurringData is what /transactions/recurring/get returns: the
// recurring streams of the Item's accounts, and when their transactions
// last changed.
type RecurringData struct {
	Item            store.Item
	Inflow, Outflow []sandboxdata.Stream
	UpdatedAt       time.Time
}

// recurringAccount reports whether Plaid finds recurring streams on the
// account: checking, savings and credit card accounts.
func recurringAccount(a sandboxdata.ItemAccount) bool {
	return a.Type == "depository" && (a.Subtype == "checking" || a.Subtype == "savings") || a.Type == "credit" && a.Subtype == "credit card"
}

// RecurringTransactions is /transactions/recurring/get: the recurring
// streams (sandboxdata.Streams) of the Item's checking, savings and
// credit card accounts among accountIDs (all when empty), as of the
// tenant's today. The Item must have Transactions already, as in Plaid.
// UpdatedAt is when the streams' transactions last changed: when the
// Item was created or last gained transactions.
func (s *Service) RecurringTransactions(ctx context.Context, t service.Tenant, accessToken string, accountIDs []string) (RecurringData, *plaid.Error) {
	it, e := s.itemWithProduct(ctx, t, accessToken, "transactions", RecurringEndpoint)
	if e != nil {
		return RecurringData{}, e
	}
	accounts, e := service.PickAccounts(it, accountIDs, recurringAccount)
	if e != nil {
		return RecurringData{}, e
	}
	added, e := s.svc.Added(ctx, it)
	if e != nil {
		return RecurringData{}, e
	}
	all, e := s.svc.ItemTransactions(ctx, it)
	if e != nil {
		return RecurringData{}, e
	}
	out := RecurringData{Item: it, UpdatedAt: it.CreatedAt}
	if added.TransactionsAt.After(out.UpdatedAt) {
		out.UpdatedAt = added.TransactionsAt
	}
	var txs []sandboxdata.Transaction
	for _, tr := range all {
		if onAccounts(accounts, tr.AccountID) {
			txs = append(txs, tr)
		}
	}
	out.Inflow, out.Outflow = sandboxdata.Streams(it.ID, txs, t.Now)
	return out, nil
}
