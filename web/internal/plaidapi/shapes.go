package plaidapi

import (
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/store"
)

// The shapes the other Plaid API packages share with the Item's
// endpoints: an account, its numbers, its owners and its transactions
// (processorapi), the Item, investment accounts, holdings and securities
// (transactionsapi, investmentsapi) are the same JSON whichever endpoint
// shows them.

// Account is an account as the API shows it (the spec's AccountBase).
type Account = accountJSON

// AccountOut is the account, its balances in currency.
func AccountOut(a store.Account, currency string) Account { return accountOut(a, currency) }

// Numbers are account numbers by scheme, as /auth/get shows them.
type Numbers = authNumbers

// The numbers of one account in each scheme.
type (
	ACHNumbers           = achNumbers
	EFTNumbers           = eftNumbers
	InternationalNumbers = internationalNumbers
	BACSNumbers          = bacsNumbers
)

// NumbersOut shows account numbers by scheme.
func NumbersOut(n sandboxdata.Numbers) Numbers { return numbersOut(n) }

// IdentityAccount is an account with its owners (the spec's
// AccountIdentity).
type IdentityAccount = identityAccount

// IdentityAccountOut is the account with its owners, its balances in
// currency.
func IdentityAccountOut(a store.Account, owners []sandboxdata.Owner, currency string) IdentityAccount {
	return identityAccountOut(a, owners, currency)
}

// Transaction is a transaction as /transactions/sync shows it.
type Transaction = transactionJSON

// TransactionsOut shows transactions; never nil.
func TransactionsOut(ts []sandboxdata.Transaction) []Transaction { return transactionsOut(ts) }

// The shapes the transactions and investments packages answer with, so
// that an Item, an investment account, a holding and a security look the
// same from every endpoint.
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
