package dataservice

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/itemdata"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
)

// Rules of /sandbox/transactions/create
// (https://plaid.com/docs/api/sandbox/#sandboxtransactionscreate).
const (
	// MaxSandboxTransactions is how many transactions one call may make.
	MaxSandboxTransactions = 10
	// SandboxTransactionDays is how many days back from today a
	// transaction's dates may go.
	SandboxTransactionDays = 14
)

// SandboxTransaction is a transaction /sandbox/transactions/create is
// asked to make.
type SandboxTransaction struct {
	// DateTransacted and DatePosted are YYYY-MM-DD.
	DateTransacted, DatePosted string
	// Amount is positive for money out of the account.
	Amount      float64
	Description string
	// Currency is an ISO 4217 code; "" is USD.
	Currency string
}

// checkSandboxTransactions applies Plaid's rules to what
// /sandbox/transactions/create is asked to make on today (YYYY-MM-DD):
// one to MaxSandboxTransactions transactions, each with a description,
// dated today or in the SandboxTransactionDays before, posted no earlier
// than transacted, in a currency of three capital letters. It returns
// the transactions with their currency set.
func checkSandboxTransactions(txs []SandboxTransaction, today time.Time) ([]SandboxTransaction, *plaid.Error) {
	if len(txs) == 0 {
		return nil, plaid.MissingFields("transactions")
	}
	if len(txs) > MaxSandboxTransactions {
		return nil, plaid.InvalidField(fmt.Sprintf("transactions holds %d transactions: at most %d can be created at a time", len(txs), MaxSandboxTransactions))
	}
	last := plaid.Date(today)
	first := plaid.Date(today.AddDate(0, 0, -SandboxTransactionDays))
	out := slices.Clone(txs)
	for i := range out {
		tx := &out[i]
		at := fmt.Sprintf("transactions[%d]", i)
		if strings.TrimSpace(tx.Description) == "" {
			return nil, plaid.MissingFields(at + ".description")
		}
		for _, d := range []struct{ field, date string }{{"date_transacted", tx.DateTransacted}, {"date_posted", tx.DatePosted}} {
			if _, err := plaid.ParseDate(d.date); err != nil {
				return nil, plaid.InvalidField(fmt.Sprintf("%s.%s must be a date in the form YYYY-MM-DD", at, d.field))
			}
			if d.date < first || d.date > last {
				return nil, plaid.InvalidField(fmt.Sprintf("%s.%s is %s: a sandbox transaction's dates must be from %s to today, %s", at, d.field, d.date, first, last))
			}
		}
		if tx.DatePosted < tx.DateTransacted {
			return nil, plaid.InvalidField(fmt.Sprintf("%s.date_posted is before its date_transacted", at))
		}
		if tx.Currency == "" {
			tx.Currency = "USD"
		}
		if len(tx.Currency) != 3 || strings.Trim(tx.Currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			return nil, plaid.InvalidField(fmt.Sprintf("%s.iso_currency_code must be an ISO 4217 currency code such as USD", at))
		}
	}
	return out, nil
}

// SandboxTransactionsCreate is /sandbox/transactions/create: it adds the
// transactions, posted, to the Item's first account that Transactions
// applies to, and the Item's webhook gets TRANSACTIONS
// SYNC_UPDATES_AVAILABLE and DEFAULT_UPDATE. Plaid allows it only on Items
// of its user_transactions_dynamic; linkharness, which has no such user,
// allows it on any Item with Transactions (else
// SANDBOX_PRODUCT_NOT_ENABLED), also one in an error state: the bank
// has the transactions, and the Item's data endpoints show them once it
// is repaired. The request's rules are checked before its access token.
func (s *Service) SandboxTransactionsCreate(ctx context.Context, t service.Tenant, accessToken string, txs []SandboxTransaction) *plaid.Error {
	txs, e := checkSandboxTransactions(txs, t.Now)
	if e != nil {
		return e
	}
	it, e := s.svc.ItemByAccessToken(ctx, t, accessToken)
	if e != nil {
		return e
	}
	i := slices.IndexFunc(it.Accounts, func(a store.Account) bool { return product.Fits(a.Type, a.Subtype, []string{"transactions"}) })
	if !slices.Contains(it.Products, "transactions") || i < 0 {
		return plaid.New("SANDBOX_PRODUCT_NOT_ENABLED", "the Item does not have Transactions, which sandbox transactions are made for")
	}
	var made []sandboxdata.Transaction
	for _, tx := range txs {
		made = append(made, sandboxdata.Transaction{ID: ids.NewOpaqueID(), AccountID: it.Accounts[i].ID, Amount: tx.Amount, Currency: tx.Currency,
			Date: tx.DatePosted, AuthorizedDate: tx.DateTransacted, Name: tx.Description, PaymentChannel: "other", Type: "unresolved"})
	}
	return removedMeanwhile(s.svc.Commit(func() error {
		return itemdata.AddTransactions(ctx, s.store, t.ClientID, it.ID, itemdata.KindSandbox, made, t.Now, transactionsFoundWebhooks(it, len(made))...)
	}))
}
