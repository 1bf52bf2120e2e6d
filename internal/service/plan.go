package service

import (
	"fmt"
	"slices"

	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/product"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
)

// AccountsServe reports whether any of the accounts can serve product.
func AccountsServe(accounts []store.Account, name string) bool {
	return slices.ContainsFunc(accounts, func(a store.Account) bool {
		return product.Fits(a.Type, a.Subtype, []string{name})
	})
}

// RequiredWithheld are the products an OAuth consent withheld that the
// Item cannot do without: those of products, and those of
// required_if_supported_products the institution supports for an account
// the bank shares (the accounts that fit products).
func RequiredWithheld(plan linkconfig.Plan, in sandbox.Institution, shared []store.Account, withheld []string) []string {
	var out []string
	for _, p := range withheld {
		switch plan.Origin(p) {
		case linkconfig.FieldProducts:
			out = append(out, p)
		case linkconfig.FieldRequiredIfSupported:
			if in.Supports([]string{p}) && AccountsServe(shared, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// ItemProducts are the products an Item gets when it is created.
type ItemProducts struct {
	Products, Billed []string
	// Billing are the ledger entries of the billed products, less their
	// IDs, Item and time.
	Billing []store.BillingEvent
}

// Resolve decides an Item's products at its creation
// (https://plaid.com/docs/link/initializing-products/): every product of products; a product of
// required_if_supported_products when the institution supports it and a
// chosen account is compatible; an optional product likewise, best effort
// (Auth only through Instant Auth); additional consented products never.
// Each must be consented. Products billed per Item are billed now, except
// Auth, Identity and Signal as optional products; Investments starts the
// Investments Holdings subscription only.
func Resolve(plan linkconfig.Plan, in sandbox.Institution, chosen []store.Account, consented []string) ItemProducts {
	out := ItemProducts{Products: []string{}, Billed: []string{}}
	for _, a := range plan.Arrays()[:3] {
		for _, p := range a.List {
			if slices.Contains(out.Products, p) {
				continue
			}
			if a.Field != linkconfig.FieldProducts {
				if !slices.Contains(consented, p) || !in.Supports([]string{p}) || !AccountsServe(chosen, p) {
					continue
				}
				if a.Field == linkconfig.FieldOptional && p == "auth" && in.NoInstantAuth {
					continue
				}
			}
			out.Products = append(out.Products, p)
			if a.Field == linkconfig.FieldOptional && product.Is(func(r product.Product) bool { return r.BilledOnUseWhenOptional })(p) {
				continue
			}
			row, _ := product.Lookup(p)
			if len(row.Billables) == 0 {
				continue
			}
			billable, fee := row.Billables[0].Name, row.Billables[0].Fee
			out.Billed = append(out.Billed, p)
			out.Billing = append(out.Billing, store.BillingEvent{Product: p, Billable: billable, FeeModel: fee,
				Reason: fmt.Sprintf("initialized in %s: billed at Item creation", a.Field)})
		}
	}
	return out
}
