package service

import (
	"context"

	"github.com/linkharness/linkharness/internal/itemdata"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/store"
)

// An Item's product data is its generated history and what it gained
// after it was created (package itemdata): the data endpoints here and in
// package dataservice read them joined.

// Added is what the Item gained after it was created.
func (s *Service) Added(ctx context.Context, it store.Item) (itemdata.Added, *plaid.Error) {
	a, err := itemdata.Read(ctx, s.store, it.ClientID, it.ID)
	if err != nil {
		return itemdata.Added{}, StoreError(err)
	}
	return a, nil
}

// TransactionsFeed is the Item's transactions in the order
// /transactions/sync adds them (itemdata.Feed).
func (s *Service) TransactionsFeed(ctx context.Context, it store.Item) ([]sandboxdata.Transaction, *plaid.Error) {
	a, e := s.Added(ctx, it)
	if e != nil {
		return nil, e
	}
	return itemdata.Feed(sandboxdata.Transactions(SandboxItem(it)), a), nil
}

// ItemTransactions are the Item's transactions, newest first.
func (s *Service) ItemTransactions(ctx context.Context, it store.Item) ([]sandboxdata.Transaction, *plaid.Error) {
	a, e := s.Added(ctx, it)
	if e != nil {
		return nil, e
	}
	return itemdata.Transactions(sandboxdata.Transactions(SandboxItem(it)), a), nil
}

// ItemHoldings are the Item's holdings, with what its refreshes
// reinvested in them.
func (s *Service) ItemHoldings(ctx context.Context, it store.Item) ([]sandboxdata.Holding, *plaid.Error) {
	a, e := s.Added(ctx, it)
	if e != nil {
		return nil, e
	}
	return itemdata.Holdings(sandboxdata.Holdings(SandboxItem(it)), a), nil
}

// ItemInvestmentTransactions are the Item's investment transactions,
// newest first.
func (s *Service) ItemInvestmentTransactions(ctx context.Context, it store.Item) ([]sandboxdata.InvestmentTransaction, *plaid.Error) {
	a, e := s.Added(ctx, it)
	if e != nil {
		return nil, e
	}
	return itemdata.InvestmentTransactions(sandboxdata.InvestmentTransactions(SandboxItem(it)), a), nil
}
