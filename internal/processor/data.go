package processor

import (
	"context"
	"fmt"
	"slices"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/service"
)

// The partner endpoints: each reads the one account of a processor token,
// from its Item, in the shapes of the Item's own endpoints. A product
// endpoint needs the token's permission for its product, then uses the
// product on the Item as the Item's endpoint would (added post-Link when
// consented, billed on first use); an account the product does not fit
// fails with the product's error, unbilled.

// permitted is INVALID_PRODUCT unless the token may reach the product:
// its permissions name it, or are empty (all).
func permitted(tok Token, name string) *plaid.Error {
	if len(tok.Permissions) == 0 || slices.Contains(tok.Permissions, name) {
		return nil
	}
	return plaid.InvalidProduct(fmt.Sprintf("the processor token is not permitted the following products: [%q]; its permissions are %q (/processor/token/permissions/set)", name, tok.Permissions))
}

// use is the token of a partner endpoint of product name: its permission,
// the Item's health, the account's fit, then the product used on the
// Item (endpoint names the call in the billing ledger).
func (b *Backend) use(ctx context.Context, t service.Tenant, token, name, endpoint string) (Token, *plaid.Error) {
	tok, e := b.Token(ctx, t, token)
	if e != nil {
		return tok, e
	}
	if e := permitted(tok, name); e != nil {
		return tok, e
	}
	if e := plaid.ItemError(tok.Item.Error); e != nil {
		return tok, e
	}
	row, _ := product.Lookup(name)
	if !row.Fits(tok.Account.Type, tok.Account.Subtype) {
		return tok, row.NoAccounts()
	}
	it, e := b.svc.UseProductOn(ctx, t, tok.Item, name, endpoint)
	if e != nil {
		return tok, e
	}
	tok.Item = it
	return tok, nil
}

// Account is /processor/account/get: the token's account, with its
// balances as the Item keeps them. It needs no product.
func (b *Backend) Account(ctx context.Context, t service.Tenant, token string) (Token, *plaid.Error) {
	tok, e := b.Token(ctx, t, token)
	if e != nil {
		return tok, e
	}
	return tok, plaid.ItemError(tok.Item.Error)
}

// Balance is /processor/balance/get: the token's account with its
// balances, for a token that may reach Balance. Balance is not billed per
// Item, and the emulator bills no request of it here.
func (b *Backend) Balance(ctx context.Context, t service.Tenant, token string) (Token, *plaid.Error) {
	tok, e := b.Token(ctx, t, token)
	if e != nil {
		return tok, e
	}
	if e := permitted(tok, "balance"); e != nil {
		return tok, e
	}
	return tok, plaid.ItemError(tok.Item.Error)
}

// Auth is /processor/auth/get: the account and routing numbers of the
// token's account, in the schemes of its bank's country (Auth).
func (b *Backend) Auth(ctx context.Context, t service.Tenant, token string) (Token, sandboxdata.Numbers, *plaid.Error) {
	tok, e := b.use(ctx, t, token, "auth", "/processor/auth/get")
	if e != nil {
		return tok, sandboxdata.Numbers{}, e
	}
	return tok, sandboxdata.AuthNumbers(service.Country(tok.Item), []sandboxdata.ItemAccount{service.SandboxAccount(tok.Account)}), nil
}

// Identity is /processor/identity/get: the owners of the token's account
// (Identity).
func (b *Backend) Identity(ctx context.Context, t service.Tenant, token string) (Token, []sandboxdata.Owner, *plaid.Error) {
	tok, e := b.use(ctx, t, token, "identity", "/processor/identity/get")
	if e != nil {
		return tok, nil, e
	}
	return tok, sandboxdata.Owners(service.SandboxAccount(tok.Account)), nil
}

// TransactionsSync is /processor/transactions/sync: a page of the token's
// account's transactions with /transactions/sync's cursor rules, on a
// feed of that account alone, so that the Item's cursors are not its
// cursors (Transactions).
func (b *Backend) TransactionsSync(ctx context.Context, t service.Tenant, token, cursor string, count int) (Token, service.TransactionsUpdate, *plaid.Error) {
	tok, e := b.use(ctx, t, token, "transactions", "/processor/transactions/sync")
	if e != nil {
		return tok, service.TransactionsUpdate{}, e
	}
	all, e := b.svc.TransactionsFeed(ctx, tok.Item)
	if e != nil {
		return tok, service.TransactionsUpdate{}, e
	}
	var feed []sandboxdata.Transaction
	for _, tr := range all {
		if tr.AccountID == tok.AccountID {
			feed = append(feed, tr)
		}
	}
	u, e := service.SyncFeed(tok.Item, service.Feed{Key: tok.ItemID + "/" + tok.AccountID, Name: "this processor token's /processor/transactions/sync"}, feed, cursor, count)
	return tok, u, e
}
