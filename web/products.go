package web

import (
	"fmt"
	"slices"
	"strings"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/product"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
)

// The four product arrays of /link/token/create, as error messages and
// billing reasons name them.
const (
	fieldProducts            = "products"
	fieldRequiredIfSupported = "required_if_supported_products"
	fieldOptional            = "optional_products"
	fieldAdditionalConsented = "additional_consented_products"
)

// productPlan is what a link token asks of the products of each Item
// made with it: the four arrays of /link/token/create. A public-key
// session and /sandbox/public_token/create have products only.
type productPlan struct {
	Products            []string
	RequiredIfSupported []string
	Optional            []string
	AdditionalConsented []string
}

// planOf is the plan of a link token's configuration.
func planOf(cfg linkTokenCreateRequest) productPlan {
	return productPlan{Products: cfg.Products, RequiredIfSupported: cfg.RequiredIfSupportedProducts,
		Optional: cfg.OptionalProducts, AdditionalConsented: cfg.AdditionalConsentedProducts}
}

// arrays are the plan's arrays with their field names, in order.
func (p productPlan) arrays() []struct {
	field string
	list  []string
} {
	return []struct {
		field string
		list  []string
	}{{fieldProducts, p.Products}, {fieldRequiredIfSupported, p.RequiredIfSupported}, {fieldOptional, p.Optional}, {fieldAdditionalConsented, p.AdditionalConsented}}
}

// all is every product of the plan, once each, in the arrays' order.
func (p productPlan) all() []string {
	var out []string
	for _, a := range p.arrays() {
		for _, prod := range a.list {
			if !slices.Contains(out, prod) {
				out = append(out, prod)
			}
		}
	}
	return out
}

// origin is the array product is in, or "".
func (p productPlan) origin(product string) string {
	for _, a := range p.arrays() {
		if slices.Contains(a.list, product) {
			return a.field
		}
	}
	return ""
}

// validateProductPlan checks the product arrays of /link/token/create as
// Plaid does, answering INVALID_FIELD for what the docs forbid
// (product-initialization.txt, "Special cases"; multi-item-link.txt).
func validateProductPlan(req *linkTokenCreateRequest, updateMode bool) *plaid.Error {
	plan := planOf(*req)
	for _, a := range plan.arrays() {
		if e := checkAll(a.field, a.list, product.Names(nil)); e != nil {
			return e
		}
		if slices.Contains(a.list, "balance") {
			return plaid.InvalidField(a.field + " must not contain balance: Balance needs no initialization and is available with any other product")
		}
	}
	if len(req.Products) == 0 && !updateMode {
		return plaid.InvalidField("products must name at least one product unless access_token is set (update mode); " +
			"required_if_supported_products, optional_products and additional_consented_products add to it")
	}
	// No product in two arrays.
	seen := map[string]string{}
	for _, a := range plan.arrays() {
		for _, p := range a.list {
			if other, ok := seen[p]; ok && other != a.field {
				return plaid.InvalidField(fmt.Sprintf("%s appears in both %s and %s: a product may be in one product array only", p, other, a.field))
			}
			seen[p] = a.field
		}
	}
	all := plan.all()
	for _, p := range product.Names(func(p product.Product) bool { return p.Alone }) {
		if slices.Contains(all, p) && len(all) > 1 {
			return plaid.InvalidField(fmt.Sprintf("%s cannot be initialized alongside any other product: launch Link a second time for the others", p))
		}
		if f := plan.origin(p); f != "" && f != fieldProducts {
			return plaid.InvalidField(fmt.Sprintf("%s can only be in products: it cannot be added post-Link", p))
		}
	}
	if check := slices.DeleteFunc(slices.Clone(all), func(p string) bool { return !product.Is(func(r product.Product) bool { return r.PlaidCheck })(p) }); len(check) > 0 {
		if slices.Contains(all, "assets") || slices.Contains(all, "income_verification") {
			return plaid.InvalidField(fmt.Sprintf("Plaid Check products (%s) cannot be initialized in the same Link session as assets or income_verification", strings.Join(check, ", ")))
		}
		if req.UserToken == "" {
			return plaid.MissingFields("user_token")
		}
	}
	if slices.Contains(all, "income_verification") && len(all) > 1 && !bankIncomeOnly(req) {
		return plaid.InvalidField("income_verification can be initialized alongside other products only for Bank Income: set income_verification.income_source_types to [\"bank\"]; Payroll and Document Income must be alone")
	}
	if req.Auth != nil && req.Auth.SameDayMicrodepositsEnabled && !slices.Equal(all, []string{"auth"}) {
		return plaid.InvalidField("auth.same_day_microdeposits_enabled requires auth to be the only product Link is initialized with")
	}
	if req.EnableMultiItemLink {
		if req.UserToken == "" {
			return plaid.MissingFields("user_token")
		}
		if updateMode {
			return plaid.InvalidField("enable_multi_item_link cannot be used in update mode (with access_token)")
		}
		for _, p := range req.Products {
			if !product.Is(func(r product.Product) bool { return r.MultiItem })(p) {
				return plaid.InvalidField(fmt.Sprintf("Multi-Item Link does not support %s in products; it works with auth, transactions, liabilities, investments, income_verification, assets and Plaid Check products", p))
			}
		}
	}
	return nil
}

// bankIncomeOnly says the token's Income is Bank Income (income
// verification without income_source_types is taken as Bank Income).
func bankIncomeOnly(req *linkTokenCreateRequest) bool {
	if req.IncomeVerification == nil || len(req.IncomeVerification.IncomeSourceTypes) == 0 {
		return true
	}
	return slices.Equal(req.IncomeVerification.IncomeSourceTypes, []string{"bank"})
}

// accountsServe reports whether any of the accounts can serve product.
func accountsServe(accounts []store.Account, name string) bool {
	return slices.ContainsFunc(accounts, func(a store.Account) bool {
		return product.Fits(a.Type, a.Subtype, []string{name})
	})
}

// consentedProducts are the products the user consents to for an Item:
// every product of the plan (Data Transparency Messaging asks for all of
// them) less those withheld at a bank with product-level OAuth consent.
func consentedProducts(plan productPlan, withheld []string) []string {
	out := []string{}
	for _, p := range plan.all() {
		if !slices.Contains(withheld, p) {
			out = append(out, p)
		}
	}
	return out
}

// requiredWithheld are the products an OAuth consent withheld that the
// Item cannot do without: those of products, and those of
// required_if_supported_products the institution supports for an account
// the bank shares (the accounts that fit products).
func requiredWithheld(plan productPlan, in sandbox.Institution, shared []store.Account, withheld []string) []string {
	var out []string
	for _, p := range withheld {
		switch plan.origin(p) {
		case fieldProducts:
			out = append(out, p)
		case fieldRequiredIfSupported:
			if in.Supports([]string{p}) && accountsServe(shared, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// oauthConsentProducts are the products a bank with product-level consent
// asks the user about: those of the plan it supports.
func oauthConsentProducts(plan productPlan, in sandbox.Institution) []string {
	out := []string{}
	for _, p := range plan.all() {
		if in.Supports([]string{p}) {
			out = append(out, p)
		}
	}
	return out
}

// itemProducts are the products an Item gets when it is created.
type itemProducts struct {
	Products, Billed []string
	// Billing are the ledger entries of the billed products, less their
	// IDs, Item and time.
	Billing []store.BillingEvent
}

// resolveProducts decides an Item's products at its creation
// (product-initialization.txt): every product of products; a product of
// required_if_supported_products when the institution supports it and a
// chosen account is compatible; an optional product likewise, best effort
// (Auth only through Instant Auth); additional consented products never.
// Each must be consented. Products billed per Item are billed now, except
// Auth, Identity and Signal as optional products; Investments starts the
// Investments Holdings subscription only.
func resolveProducts(plan productPlan, in sandbox.Institution, chosen []store.Account, consented []string) itemProducts {
	out := itemProducts{Products: []string{}, Billed: []string{}}
	for _, a := range plan.arrays()[:3] {
		for _, p := range a.list {
			if slices.Contains(out.Products, p) {
				continue
			}
			if a.field != fieldProducts {
				if !slices.Contains(consented, p) || !in.Supports([]string{p}) || !accountsServe(chosen, p) {
					continue
				}
				if a.field == fieldOptional && p == "auth" && in.NoInstantAuth {
					continue
				}
			}
			out.Products = append(out.Products, p)
			if a.field == fieldOptional && product.Is(func(r product.Product) bool { return r.BilledOnUseWhenOptional })(p) {
				continue
			}
			row, _ := product.Lookup(p)
			if len(row.Billables) == 0 {
				continue
			}
			billable, fee := row.Billables[0].Name, row.Billables[0].Fee
			out.Billed = append(out.Billed, p)
			out.Billing = append(out.Billing, store.BillingEvent{Product: p, Billable: billable, FeeModel: fee,
				Reason: fmt.Sprintf("initialized in %s: billed at Item creation", a.field)})
		}
	}
	return out
}
