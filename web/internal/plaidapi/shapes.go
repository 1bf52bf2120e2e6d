package plaidapi

import (
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/store"
)

// The shapes that the processor partner endpoints (package processorapi)
// share with the Item's endpoints: an account, its numbers, its owners
// and its transactions are the same JSON whichever token reads them.

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
