package linkconfig

import (
	"fmt"
	"slices"
	"strings"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/internal/sandbox"
)

// The four product arrays of /link/token/create, as error messages and
// billing reasons name them.
const (
	FieldProducts            = "products"
	FieldRequiredIfSupported = "required_if_supported_products"
	FieldOptional            = "optional_products"
	FieldAdditionalConsented = "additional_consented_products"
)

// Plan is what a link token asks of the products of each Item
// made with it: the four arrays of /link/token/create. A public-key
// session and /sandbox/public_token/create have products only.
type Plan struct {
	Products            []string
	RequiredIfSupported []string
	Optional            []string
	AdditionalConsented []string
}

// Array is one of a plan's product arrays, with its field name.
type Array struct {
	Field string
	List  []string
}

// Arrays are the plan's arrays with their field names, in order.
func (p Plan) Arrays() []Array {
	return []Array{{FieldProducts, p.Products}, {FieldRequiredIfSupported, p.RequiredIfSupported}, {FieldOptional, p.Optional}, {FieldAdditionalConsented, p.AdditionalConsented}}
}

// All is every product of the plan, once each, in the arrays' order.
func (p Plan) All() []string {
	var out []string
	for _, a := range p.Arrays() {
		for _, prod := range a.List {
			if !slices.Contains(out, prod) {
				out = append(out, prod)
			}
		}
	}
	return out
}

// Origin is the array product is in, or "".
func (p Plan) Origin(product string) string {
	for _, a := range p.Arrays() {
		if slices.Contains(a.List, product) {
			return a.Field
		}
	}
	return ""
}

// PlanRules is what the rules of product initialization look at in a
// /link/token/create request: the plan and the options that bear on it.
type PlanRules struct {
	Plan Plan
	// UpdateMode says the token is for an existing Item (access_token).
	UpdateMode bool
	// UserToken says user_token is set.
	UserToken bool
	// IncomeSourceTypes are income_verification.income_source_types.
	IncomeSourceTypes []string
	// SameDayMicrodeposits is auth.same_day_microdeposits_enabled.
	SameDayMicrodeposits bool
	// MultiItem is enable_multi_item_link.
	MultiItem bool
}

// Validate checks the product arrays of /link/token/create as Plaid does,
// answering INVALID_FIELD for what Plaid's docs forbid
// (https://plaid.com/docs/link/initializing-products/,
// https://plaid.com/docs/link/multi-item-link/).
func (r PlanRules) Validate() *plaid.Error {
	plan, updateMode := r.Plan, r.UpdateMode
	for _, a := range plan.Arrays() {
		if e := plaid.CheckAll(a.Field, a.List, product.Names(nil)); e != nil {
			return e
		}
		if slices.Contains(a.List, "balance") {
			return plaid.InvalidField(a.Field + " must not contain balance: Balance needs no initialization and is available with any other product")
		}
	}
	if len(plan.Products) == 0 && !updateMode {
		return plaid.InvalidField("products must name at least one product unless access_token is set (update mode); " +
			"required_if_supported_products, optional_products and additional_consented_products add to it")
	}
	// No product in two arrays.
	seen := map[string]string{}
	for _, a := range plan.Arrays() {
		for _, p := range a.List {
			if other, ok := seen[p]; ok && other != a.Field {
				return plaid.InvalidField(fmt.Sprintf("%s appears in both %s and %s: a product may be in one product array only", p, other, a.Field))
			}
			seen[p] = a.Field
		}
	}
	all := plan.All()
	for _, p := range product.Names(func(p product.Product) bool { return p.Alone }) {
		if slices.Contains(all, p) && len(all) > 1 {
			return plaid.InvalidField(fmt.Sprintf("%s cannot be initialized alongside any other product: launch Link a second time for the others", p))
		}
		if f := plan.Origin(p); f != "" && f != FieldProducts {
			return plaid.InvalidField(fmt.Sprintf("%s can only be in products: it cannot be added post-Link", p))
		}
	}
	if check := slices.DeleteFunc(slices.Clone(all), func(p string) bool { return !product.Is(func(r product.Product) bool { return r.PlaidCheck })(p) }); len(check) > 0 {
		if slices.Contains(all, "assets") || slices.Contains(all, "income_verification") {
			return plaid.InvalidField(fmt.Sprintf("Plaid Check products (%s) cannot be initialized in the same Link session as assets or income_verification", strings.Join(check, ", ")))
		}
		if !r.UserToken {
			return plaid.MissingFields("user_token")
		}
	}
	if slices.Contains(all, "income_verification") && len(all) > 1 && !bankIncomeOnly(r.IncomeSourceTypes) {
		return plaid.InvalidField("income_verification can be initialized alongside other products only for Bank Income: set income_verification.income_source_types to [\"bank\"]; Payroll and Document Income must be alone")
	}
	if r.SameDayMicrodeposits && !slices.Equal(all, []string{"auth"}) {
		return plaid.InvalidField("auth.same_day_microdeposits_enabled requires auth to be the only product Link is initialized with")
	}
	if r.MultiItem {
		if !r.UserToken {
			return plaid.MissingFields("user_token")
		}
		if updateMode {
			return plaid.InvalidField("enable_multi_item_link cannot be used in update mode (with access_token)")
		}
		for _, p := range plan.Products {
			if !product.Is(func(r product.Product) bool { return r.MultiItem })(p) {
				return plaid.InvalidField(fmt.Sprintf("Multi-Item Link does not support %s in products; it works with auth, transactions, liabilities, investments, income_verification, assets and Plaid Check products", p))
			}
		}
	}
	return nil
}

// bankIncomeOnly says the token's Income is Bank Income (income
// verification without income_source_types is taken as Bank Income).
func bankIncomeOnly(sourceTypes []string) bool {
	return len(sourceTypes) == 0 || slices.Equal(sourceTypes, []string{"bank"})
}

// Consented are the products the user consents to for an Item:
// every product of the plan (Data Transparency Messaging asks for all of
// them) less those withheld at a bank with product-level OAuth consent.
func Consented(plan Plan, withheld []string) []string {
	out := []string{}
	for _, p := range plan.All() {
		if !slices.Contains(withheld, p) {
			out = append(out, p)
		}
	}
	return out
}

// OAuthConsentProducts are the products a bank with product-level consent
// asks the user about: those of the plan it supports.
func OAuthConsentProducts(plan Plan, in sandbox.Institution) []string {
	out := []string{}
	for _, p := range plan.All() {
		if in.Supports([]string{p}) {
			out = append(out, p)
		}
	}
	return out
}
