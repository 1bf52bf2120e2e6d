package service

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"

	"github.com/linkharness/linkharness/internal/customuser"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/store"
)

// The product-data calls: each uses its product on the Item (UseProduct),
// narrows the Item's accounts to those the request names and the product
// applies to, and returns the Item's generated sandbox data on them.

// Paging limits of /transactions/sync, /transactions/get and
// /investments/transactions/get.
const (
	DefaultCount = 100
	MaxCount     = 500
)

// SandboxItem is the Item as the sandbox's data generators take it.
func SandboxItem(it store.Item) sandboxdata.Item {
	return sandboxdata.Item{ID: it.ID, Accounts: sandboxAccounts(it.Accounts), CreatedAt: it.CreatedAt, Currency: Currency(it)}
}

func sandboxAccounts(accounts []store.Account) []sandboxdata.ItemAccount {
	out := make([]sandboxdata.ItemAccount, len(accounts))
	for i, a := range accounts {
		out[i] = SandboxAccount(a)
	}
	return out
}

// SandboxAccount is the account as the generators take it, with the
// configuration a custom user gave it. The service wrote that
// configuration (NewAccounts); one that no longer reads leaves the
// account a sandbox account.
func SandboxAccount(a store.Account) sandboxdata.ItemAccount {
	out := sandboxdata.ItemAccount{ID: a.ID, Name: a.Name, Mask: a.Mask, Type: a.Type, Subtype: a.Subtype}
	if a.Custom != nil {
		var c customuser.Account
		if json.Unmarshal(a.Custom, &c) == nil {
			out.Custom = &c
		}
	}
	return out
}

// AccountBalances are the account's official name and balances, in
// currency (the Item's) unless a custom user configured another, with
// what settled transfers moved added to its available and current
// balances (linkharness's choice: Plaid's Sandbox moves no money).
func AccountBalances(a store.Account, currency string) sandboxdata.Balances {
	b := sandboxdata.AccountBalances(SandboxAccount(a), currency)
	if a.Moved != 0 {
		for _, f := range []**float64{&b.Available, &b.Current} {
			if *f != nil {
				v := math.Round((**f+a.Moved)*100) / 100
				*f = &v
			}
		}
	}
	return b
}

// PickAccounts are the Item's accounts, in its order, that want names
// (all when empty) and keep accepts (all when nil), or INVALID_ACCOUNT_ID
// for an ID in want that is not one of the Item's accounts, whether keep
// would accept it or not.
func PickAccounts(it store.Item, want []string, keep func(sandboxdata.ItemAccount) bool) ([]store.Account, *plaid.Error) {
	for _, id := range want {
		if !slices.ContainsFunc(it.Accounts, func(a store.Account) bool { return a.ID == id }) {
			return nil, plaid.InvalidAccountID(id)
		}
	}
	var out []store.Account
	for _, a := range it.Accounts {
		if (len(want) == 0 || slices.Contains(want, a.ID)) && (keep == nil || keep(SandboxAccount(a))) {
			out = append(out, a)
		}
	}
	return out, nil
}

// onAccounts reports whether accountID is one of accounts.
func onAccounts(accounts []store.Account, accountID string) bool {
	return slices.ContainsFunc(accounts, func(a store.Account) bool { return a.ID == accountID })
}

// useOn is UseProduct, then PickAccounts of the Item.
func (s *Service) useOn(ctx context.Context, t Tenant, accessToken, product, endpoint string, want []string, keep func(sandboxdata.ItemAccount) bool) (store.Item, []store.Account, *plaid.Error) {
	it, e := s.UseProduct(ctx, t, accessToken, product, endpoint)
	if e != nil {
		return it, nil, e
	}
	accounts, e := PickAccounts(it, want, keep)
	return it, accounts, e
}

// AuthData is what /auth/get returns: the Item, its accounts with ACH
// numbers among those asked for, and their numbers.
type AuthData struct {
	Item     store.Item
	Accounts []store.Account
	Numbers  sandboxdata.Numbers
}

// Auth is /auth/get: the account and routing numbers of the Item's
// checking and savings accounts among accountIDs (all when empty).
func (s *Service) Auth(ctx context.Context, t Tenant, accessToken string, accountIDs []string) (AuthData, *plaid.Error) {
	it, accounts, e := s.useOn(ctx, t, accessToken, "auth", "/auth/get", accountIDs, sandboxdata.ItemAccount.HasAuthNumbers)
	if e != nil {
		return AuthData{}, e
	}
	return AuthData{Item: it, Accounts: accounts, Numbers: sandboxdata.AuthNumbers(Country(it), sandboxAccounts(accounts))}, nil
}

// IdentityAccount is an account with its owners.
type IdentityAccount struct {
	Account store.Account
	Owners  []sandboxdata.Owner
}

// IdentityData is what /identity/get returns.
type IdentityData struct {
	Item     store.Item
	Accounts []IdentityAccount
}

// Identity is /identity/get: the owners of the Item's accounts among
// accountIDs (all when empty).
func (s *Service) Identity(ctx context.Context, t Tenant, accessToken string, accountIDs []string) (IdentityData, *plaid.Error) {
	it, accounts, e := s.useOn(ctx, t, accessToken, "identity", "/identity/get", accountIDs, nil)
	if e != nil {
		return IdentityData{}, e
	}
	out := IdentityData{Item: it}
	for _, a := range accounts {
		out.Accounts = append(out.Accounts, IdentityAccount{Account: a, Owners: sandboxdata.Owners(SandboxAccount(a))})
	}
	return out, nil
}

// TransactionsUpdate is a page of /transactions/sync.
type TransactionsUpdate struct {
	Item store.Item
	// Added are the transactions after the cursor, oldest first.
	Added      []sandboxdata.Transaction
	NextCursor string
	HasMore    bool
}

// TransactionsSync is /transactions/sync: a page of the Item's feed of
// transactions (SyncFeed over TransactionsFeed: its history, then what it
// gained, which comes after every cursor given before). The product is
// used (and billed) before count and cursor are checked.
func (s *Service) TransactionsSync(ctx context.Context, t Tenant, accessToken, cursor string, count int) (TransactionsUpdate, *plaid.Error) {
	it, e := s.UseProduct(ctx, t, accessToken, "transactions", "/transactions/sync")
	if e != nil {
		return TransactionsUpdate{}, e
	}
	all, e := s.TransactionsFeed(ctx, it)
	if e != nil {
		return TransactionsUpdate{}, e
	}
	return SyncFeed(it, Feed{Key: it.ID, Name: "this Item's /transactions/sync"}, all, cursor, count)
}

// Feed names a sync feed: Key binds its cursors to it (a cursor of one
// feed is no cursor of another), Name says which it is in errors.
type Feed struct{ Key, Name string }

// SyncFeed is a page of a sync feed over all, transactions in the order
// the feed adds them (oldest first, then what the Item gained): count
// (DefaultCount when 0, at most MaxCount) of them after cursor ("" for
// the start), and the cursor after them.
func SyncFeed(it store.Item, feed Feed, all []sandboxdata.Transaction, cursor string, count int) (TransactionsUpdate, *plaid.Error) {
	if count == 0 {
		count = DefaultCount
	}
	if count < 1 || count > MaxCount {
		return TransactionsUpdate{}, plaid.InvalidField("count must be between 1 and 500")
	}
	from, ok := sandboxdata.SyncPosition(feed.Key, cursor)
	if !ok || from > len(all) {
		return TransactionsUpdate{}, plaid.InvalidField("cursor is not a cursor of " + feed.Name)
	}
	to := min(from+count, len(all))
	return TransactionsUpdate{Item: it, Added: all[from:to], NextCursor: sandboxdata.SyncCursor(feed.Key, to), HasMore: to < len(all)}, nil
}

// RangeQuery is what the date-range endpoints (/transactions/get,
// /investments/transactions/get) ask for: the days from StartDate to
// EndDate (YYYY-MM-DD, both included), on AccountIDs (all when none),
// Count of them (DefaultCount when 0, at most MaxCount) from Offset.
type RangeQuery struct {
	StartDate, EndDate string
	AccountIDs         []string
	Count, Offset      int
}

// check applies Plaid's rules to the query, and sets the default count.
func (q *RangeQuery) check() *plaid.Error {
	var missing []string
	if strings.TrimSpace(q.StartDate) == "" {
		missing = append(missing, "start_date")
	}
	if strings.TrimSpace(q.EndDate) == "" {
		missing = append(missing, "end_date")
	}
	if len(missing) > 0 {
		return plaid.MissingFields(missing...)
	}
	start, err1 := plaid.ParseDate(q.StartDate)
	end, err2 := plaid.ParseDate(q.EndDate)
	if err1 != nil || err2 != nil {
		return plaid.InvalidField("start_date and end_date must be dates in the form YYYY-MM-DD")
	}
	if start.After(end) {
		return plaid.InvalidField("start_date must not be after end_date")
	}
	if q.Count == 0 {
		q.Count = DefaultCount
	}
	if q.Count < 1 || q.Count > MaxCount || q.Offset < 0 {
		return plaid.InvalidField("options.count must be between 1 and 500 and options.offset not negative")
	}
	return nil
}

// inRange reports whether a YYYY-MM-DD date is in the query's range.
func (q *RangeQuery) inRange(date string) bool { return date >= q.StartDate && date <= q.EndDate }

// page is the query's page of match.
func page[T any](q RangeQuery, match []T) []T {
	if q.Offset >= len(match) {
		return nil
	}
	return match[q.Offset:min(q.Offset+q.Count, len(match))]
}

// TransactionsPage is what /transactions/get returns.
type TransactionsPage struct {
	Item         store.Item
	Accounts     []store.Account
	Transactions []sandboxdata.Transaction
	// Total is how many transactions match, on all pages.
	Total int
}

// TransactionsGet is /transactions/get: the Item's transactions in the
// query's range and accounts, newest first, a page of them. The query is
// checked before the product is used.
func (s *Service) TransactionsGet(ctx context.Context, t Tenant, accessToken string, q RangeQuery) (TransactionsPage, *plaid.Error) {
	if e := q.check(); e != nil {
		return TransactionsPage{}, e
	}
	it, accounts, e := s.useOn(ctx, t, accessToken, "transactions", "/transactions/get", q.AccountIDs, nil)
	if e != nil {
		return TransactionsPage{}, e
	}
	all, e := s.ItemTransactions(ctx, it)
	if e != nil {
		return TransactionsPage{}, e
	}
	var match []sandboxdata.Transaction
	for _, tr := range all {
		if q.inRange(tr.Date) && onAccounts(accounts, tr.AccountID) {
			match = append(match, tr)
		}
	}
	return TransactionsPage{Item: it, Accounts: accounts, Transactions: page(q, match), Total: len(match)}, nil
}

// HoldingsData is what /investments/holdings/get returns.
type HoldingsData struct {
	Item     store.Item
	Accounts []store.Account
	Holdings []sandboxdata.Holding
	// Securities are those the holdings hold.
	Securities []sandboxdata.Security
}

// InvestmentsHoldings is /investments/holdings/get: the holdings of the
// Item's investment accounts among accountIDs (all when empty). Its first
// call on an Item without Investments adds it and starts the Investments
// Holdings subscription.
func (s *Service) InvestmentsHoldings(ctx context.Context, t Tenant, accessToken string, accountIDs []string) (HoldingsData, *plaid.Error) {
	it, accounts, e := s.useOn(ctx, t, accessToken, "investments", "/investments/holdings/get", accountIDs, sandboxdata.ItemAccount.IsInvestment)
	if e != nil {
		return HoldingsData{}, e
	}
	holdings, e := s.ItemHoldings(ctx, it)
	if e != nil {
		return HoldingsData{}, e
	}
	out := HoldingsData{Item: it, Accounts: accounts}
	var ids []string
	for _, h := range holdings {
		if onAccounts(accounts, h.AccountID) {
			out.Holdings = append(out.Holdings, h)
			ids = append(ids, h.SecurityID)
		}
	}
	out.Securities = sandboxdata.ItemSecurities(SandboxItem(it), ids)
	return out, nil
}

// InvestmentTransactionsPage is what /investments/transactions/get
// returns.
type InvestmentTransactionsPage struct {
	Item         store.Item
	Accounts     []store.Account
	Transactions []sandboxdata.InvestmentTransaction
	// Securities are those the page's transactions name.
	Securities []sandboxdata.Security
	// Total is how many transactions match, on all pages.
	Total int
}

// InvestmentTransactions is /investments/transactions/get: the
// investment transactions of the Item's investment accounts in the
// query's range and accounts, newest first, a page of them. The query is
// checked before the product is used; the first call starts the
// Investments Transactions subscription (and, on an Item without
// Investments, adds it).
func (s *Service) InvestmentTransactions(ctx context.Context, t Tenant, accessToken string, q RangeQuery) (InvestmentTransactionsPage, *plaid.Error) {
	if e := q.check(); e != nil {
		return InvestmentTransactionsPage{}, e
	}
	it, accounts, e := s.useOn(ctx, t, accessToken, "investments", "/investments/transactions/get", q.AccountIDs, sandboxdata.ItemAccount.IsInvestment)
	if e != nil {
		return InvestmentTransactionsPage{}, e
	}
	all, e := s.ItemInvestmentTransactions(ctx, it)
	if e != nil {
		return InvestmentTransactionsPage{}, e
	}
	var match []sandboxdata.InvestmentTransaction
	for _, tr := range all {
		if q.inRange(tr.Date) && onAccounts(accounts, tr.AccountID) {
			match = append(match, tr)
		}
	}
	out := InvestmentTransactionsPage{Item: it, Accounts: accounts, Transactions: page(q, match), Total: len(match)}
	var ids []string
	for _, tr := range out.Transactions {
		ids = append(ids, tr.SecurityID)
	}
	out.Securities = sandboxdata.ItemSecurities(SandboxItem(it), ids)
	return out, nil
}

// LiabilitiesData is what /liabilities/get returns: the Item, its
// accounts with liabilities among those asked for, and their liabilities.
type LiabilitiesData struct {
	Item        store.Item
	Accounts    []store.Account
	Liabilities sandboxdata.Liabilities
}

// Liabilities is /liabilities/get: the credit card, mortgage and student
// loan details of the Item's accounts among accountIDs (all when empty).
func (s *Service) Liabilities(ctx context.Context, t Tenant, accessToken string, accountIDs []string) (LiabilitiesData, *plaid.Error) {
	it, accounts, e := s.useOn(ctx, t, accessToken, "liabilities", "/liabilities/get", accountIDs, sandboxdata.ItemAccount.HasLiability)
	if e != nil {
		return LiabilitiesData{}, e
	}
	l := sandboxdata.ItemLiabilities(SandboxItem(it)).OnAccounts(func(id string) bool { return onAccounts(accounts, id) })
	return LiabilitiesData{Item: it, Accounts: accounts, Liabilities: l}, nil
}

// Country is the country of the Item's institution (its first), which its
// accounts' numbers and currency follow.
func Country(it store.Item) string {
	if in, ok := sandbox.InstitutionByID(it.InstitutionID); ok && len(in.Countries) > 0 {
		return in.Countries[0]
	}
	return "US"
}

// Currency is the currency of the Item's accounts.
func Currency(it store.Item) string { return sandboxdata.Currency(Country(it)) }
