package plaidapi

import (
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/store"
)

// The shapes other Plaid API packages answer with, so that an Item, an
// investment account, a holding and a security look the same from every
// endpoint.
type (
	// Item is the Item as the product endpoints show it.
	Item = itemJSON
	// InvestmentAccount is an account as the investments endpoints show
	// it.
	InvestmentAccount = investmentAccountJSON
	// Holding is a holding of an investment account.
	Holding = holding
	// Security is a security holdings hold.
	Security = security
)

// ItemOut shows the Item.
func ItemOut(it store.Item) Item { return itemOut(it) }

// InvestmentAccountsOut shows the Item's accounts as the investments
// endpoints do; never nil.
func InvestmentAccountsOut(it store.Item, accounts []store.Account) []InvestmentAccount {
	return investmentAccountsOut(it, accounts)
}

// HoldingsOut shows holdings; never nil.
func HoldingsOut(hs []sandboxdata.Holding) []Holding { return holdingsOut(hs) }

// SecuritiesOut shows securities; never nil.
func SecuritiesOut(ss []sandboxdata.Security) []Security { return securitiesOut(ss) }
