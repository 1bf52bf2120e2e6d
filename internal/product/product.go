// Package product is the product registry: one row per Plaid product, with
// everything the emulator knows about it (its label, the accounts it fits,
// how it is billed, how it may be initialized and added, its webhooks and
// the error of an Item it cannot serve). The Link engine and the server
// both read it, so adding a product is one row here plus its endpoint
// file. It is pure data and functions over it.
//
// Plaid's product initialization rules are at
// https://plaid.com/docs/link/initializing-products/, billing at
// https://plaid.com/docs/account/billing/.
package product

import (
	"slices"
	"strings"

	"github.com/linkharness/linkharness/internal/plaid"
)

// Fee models, as Plaid's billing docs name them.
const (
	// OneTime is billed once per Item.
	OneTime = "one_time"
	// Subscription is billed monthly per Item.
	Subscription = "subscription"
	// PerRequest is billed on every successful call of an endpoint (the
	// per-request flat fee).
	PerRequest = "per_request"
)

// Billable is what is billed on an Item for a product.
type Billable struct {
	// Name is what the billing ledger calls it: the product, or for
	// Investments investments_holdings or investments_transactions.
	Name string
	// Fee is OneTime or Subscription.
	Fee string
	// FirstCall, when set, is the endpoint whose first call starts the
	// billable (Investments Transactions); otherwise the product's
	// initialization or first use does.
	FirstCall string
}

// Product is one row of the registry.
type Product struct {
	// Name is the product as the API names it (products arrays,
	// billed_products, ...).
	Name string
	// Label names it for people, on the bank's consent page.
	Label string
	// AccountTypes are the account types it can use; nil means any.
	AccountTypes []string
	// Subtypes, when set, are the only account subtypes it can use (Auth
	// and Transfer need checking or savings).
	Subtypes []string
	// Billables are what is billed per Item; none means the product is
	// billed per request (BilledCalls) or not at all, never at Item
	// creation.
	Billables []Billable
	// BilledCalls are the endpoints of the product whose every successful
	// call is billed (PerRequest), whatever the Item's products: Balance's
	// /accounts/balance/get.
	BilledCalls []string
	// BilledOnUseWhenOptional says that as an optional product it is billed
	// only when its endpoints are first called.
	BilledOnUseWhenOptional bool
	// Alone says it cannot be initialized with any other product, nor
	// added to an Item after Link.
	Alone bool
	// UpdateModeOnly says it can be added to an existing Item only through
	// Link's update mode, not by calling its endpoint.
	UpdateModeOnly bool
	// MultiItem says Multi-Item Link works with it.
	MultiItem bool
	// PlaidCheck says it is a Plaid Check (Consumer Report) product.
	PlaidCheck bool
	// NotInitialized says it must not appear in a product array (Balance
	// needs no initialization).
	NotInitialized bool
	// Webhooks are the webhook types it sends (webhook_type).
	Webhooks []string
	// NoAccountsCode is the error code of an Item without an account it
	// fits; empty means PRODUCTS_NOT_SUPPORTED.
	NoAccountsCode string
}

var (
	anyAccount     = []string{"depository", "credit", "investment", "loan"}
	checkingSaving = []string{"checking", "savings"}
)

// registry is every product the emulator accepts, in Plaid's order of the
// products enum.
var registry = []Product{
	{Name: "assets", Label: "Assets", AccountTypes: anyAccount, UpdateModeOnly: true, MultiItem: true, Webhooks: []string{"ASSETS"}},
	{Name: "auth", Label: "Auth", AccountTypes: []string{"depository"}, Subtypes: checkingSaving,
		Billables: []Billable{{Name: "auth", Fee: OneTime}}, BilledOnUseWhenOptional: true, MultiItem: true,
		Webhooks: []string{"AUTH"}, NoAccountsCode: "NO_AUTH_ACCOUNTS"},
	{Name: "balance", Label: "Balance", NotInitialized: true, BilledCalls: []string{"/accounts/balance/get"}},
	{Name: "identity", Label: "Identity", AccountTypes: anyAccount,
		Billables: []Billable{{Name: "identity", Fee: OneTime}}, BilledOnUseWhenOptional: true},
	{Name: "identity_match", Label: "Identity Match"},
	{Name: "investments", Label: "Investments", AccountTypes: []string{"investment"},
		Billables: []Billable{{Name: "investments_holdings", Fee: Subscription},
			{Name: "investments_transactions", Fee: Subscription, FirstCall: "/investments/transactions/get"}},
		MultiItem: true, Webhooks: []string{"INVESTMENTS_TRANSACTIONS", "HOLDINGS"}, NoAccountsCode: "NO_INVESTMENT_ACCOUNTS"},
	// Investments Move reads the transfer numbers of investment accounts.
	{Name: "investments_auth", Label: "Investments Auth", AccountTypes: []string{"investment"}, NoAccountsCode: "NO_INVESTMENT_ACCOUNTS"},
	{Name: "liabilities", Label: "Liabilities", AccountTypes: []string{"credit", "loan"},
		Billables: []Billable{{Name: "liabilities", Fee: Subscription}}, MultiItem: true,
		Webhooks: []string{"LIABILITIES"}, NoAccountsCode: "NO_LIABILITY_ACCOUNTS"},
	{Name: "payment_initiation", Label: "Payment Initiation", Alone: true},
	{Name: "identity_verification", Label: "Identity Verification", Alone: true},
	{Name: "transactions", Label: "Transactions", AccountTypes: []string{"depository", "credit"},
		Billables: []Billable{{Name: "transactions", Fee: Subscription}}, MultiItem: true, Webhooks: []string{"TRANSACTIONS"}},
	{Name: "credit_details", Label: "Credit Details"},
	{Name: "income", Label: "Income"},
	// Bank Income reads deposits.
	{Name: "income_verification", Label: "Income Verification", AccountTypes: []string{"depository"},
		Billables: []Billable{{Name: "income_verification", Fee: OneTime}}, UpdateModeOnly: true, MultiItem: true},
	{Name: "deposit_switch", Label: "Deposit Switch"},
	{Name: "standing_orders", Label: "Standing Orders"},
	{Name: "transfer", Label: "Transfer", AccountTypes: []string{"depository"}, Subtypes: checkingSaving, MultiItem: true},
	{Name: "employment", Label: "Employment"},
	{Name: "recurring_transactions", Label: "Recurring Transactions"},
	{Name: "signal", Label: "Signal", AccountTypes: []string{"depository"}, BilledOnUseWhenOptional: true},
	{Name: "statements", Label: "Statements", AccountTypes: []string{"depository", "credit"}, UpdateModeOnly: true},
	{Name: "cra_base_report", Label: "Cra Base Report", PlaidCheck: true, MultiItem: true},
	{Name: "cra_income_insights", Label: "Cra Income Insights", PlaidCheck: true, MultiItem: true},
	{Name: "cra_partner_insights", Label: "Cra Partner Insights", PlaidCheck: true, MultiItem: true},
	{Name: "cra_network_insights", Label: "Cra Network Insights", PlaidCheck: true, MultiItem: true},
	{Name: "cra_cashflow_insights", Label: "Cra Cashflow Insights", PlaidCheck: true, MultiItem: true},
}

// All returns every row of the registry, in order.
func All() []Product { return slices.Clone(registry) }

// Lookup returns the row of the named product.
func Lookup(name string) (Product, bool) {
	i := slices.IndexFunc(registry, func(p Product) bool { return p.Name == name })
	if i < 0 {
		return Product{}, false
	}
	return registry[i], true
}

// Names returns the names of the rows for which keep is true (every row
// for nil), in order.
func Names(keep func(Product) bool) []string {
	var out []string
	for _, p := range registry {
		if keep == nil || keep(p) {
			out = append(out, p.Name)
		}
	}
	return out
}

// Is returns a predicate that looks name up and applies f to its row; an
// unknown product is false.
func Is(f func(Product) bool) func(name string) bool {
	return func(name string) bool {
		p, ok := Lookup(name)
		return ok && f(p)
	}
}

// Fits reports whether an account of the given type and subtype can serve
// the product. A product without account rules fits any account.
func (p Product) Fits(accountType, subtype string) bool {
	if p.AccountTypes != nil && !slices.Contains(p.AccountTypes, accountType) {
		return false
	}
	return p.Subtypes == nil || slices.Contains(p.Subtypes, subtype)
}

// Fits reports whether an account of the given type and subtype can serve
// every product in products (unknown products fit any account).
func Fits(accountType, subtype string, products []string) bool {
	for _, name := range products {
		if p, ok := Lookup(name); ok && !p.Fits(accountType, subtype) {
			return false
		}
	}
	return true
}

// NoAccounts is the error of an Item with no account the product fits
// (https://plaid.com/docs/errors/item/#no_auth_accounts-or-no-depository-accounts).
func (p Product) NoAccounts() *plaid.Error {
	if p.NoAccountsCode != "" {
		return plaid.Raise(p.NoAccountsCode)
	}
	return plaid.ProductsNotSupported("the Item has no account that " + p.Name + " applies to")
}

// OfWebhook returns the product that sends webhooks of type typ.
func OfWebhook(typ string) (Product, bool) {
	for _, p := range registry {
		if slices.Contains(p.Webhooks, typ) {
			return p, true
		}
	}
	return Product{}, false
}

// Label names a product for people: its row's label, or for a name the
// registry does not hold, its words capitalised ("Income Verification" for
// income_verification).
func Label(name string) string {
	if p, ok := Lookup(name); ok && p.Label != "" {
		return p.Label
	}
	return titleWords(name)
}

func titleWords(name string) string {
	words := strings.Split(name, "_")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

// OfBilledCall returns the product whose every successful call of
// endpoint is billed (a per-request product's endpoint).
func OfBilledCall(endpoint string) (Product, bool) {
	for _, p := range registry {
		if slices.Contains(p.BilledCalls, endpoint) {
			return p, true
		}
	}
	return Product{}, false
}
