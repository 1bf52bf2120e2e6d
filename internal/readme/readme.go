// Package readme keeps the README's tables true: its product and
// institution tables are generated from the product registry and the
// sandbox world, and its endpoint table is checked against the server's
// route table. `go test ./internal/readme -update` rewrites the generated
// tables; without -update the test fails when they are stale.
package readme

import (
	"fmt"
	"slices"
	"strings"

	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/internal/sandbox"
)

// Products is the README's product table, from the registry.
func Products() string {
	var b strings.Builder
	b.WriteString("| product | accounts it fits | billed per Item | initialization | webhooks |\n|---|---|---|---|---|\n")
	for _, p := range product.All() {
		accounts := "any"
		if p.AccountTypes != nil {
			accounts = strings.Join(p.AccountTypes, ", ")
		}
		if p.Subtypes != nil {
			accounts += " (" + strings.Join(p.Subtypes, ", ") + " only)"
		}
		var billed []string
		for _, bl := range p.Billables {
			s := bl.Name + ": " + strings.ReplaceAll(bl.Fee, "_", "-")
			if bl.FirstCall != "" {
				s += " from the first " + bl.FirstCall
			}
			billed = append(billed, s)
		}
		if len(billed) == 0 {
			billed = []string{"no"}
		}
		var init []string
		for _, r := range []struct {
			on   bool
			what string
		}{
			{p.NotInitialized, "never in a product array"},
			{p.Alone, "alone, and never added after Link"},
			{p.UpdateModeOnly, "added later only through update mode"},
			{p.BilledOnUseWhenOptional, "as an optional product, billed on first use"},
			{p.MultiItem, "Multi-Item Link"},
			{p.PlaidCheck, "Plaid Check: needs user_token"},
		} {
			if r.on {
				init = append(init, r.what)
			}
		}
		webhooks := strings.Join(p.Webhooks, ", ")
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", p.Name, accounts, strings.Join(billed, "; "), strings.Join(init, "; "), webhooks)
	}
	return b.String()
}

// Institutions is the README's institution table, from the sandbox world.
func Institutions() string {
	common := sandbox.Institutions[0].Products
	var b strings.Builder
	b.WriteString("| id | name | countries | products | note |\n|---|---|---|---|---|\n")
	for _, in := range sandbox.Institutions {
		products := strings.Join(in.Products, ", ")
		if slices.Equal(in.Products, common) {
			products = "all US"
		}
		var notes []string
		if in.OAuth {
			notes = append(notes, "OAuth")
		}
		if in.ProductConsent {
			notes = append(notes, "product-level consent")
		}
		if in.NoInstantAuth {
			notes = append(notes, "no Instant Auth")
		}
		if in.Health != "" {
			notes = append(notes, "linkharness only: "+in.Health+" health")
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", in.ID, in.Name, strings.Join(in.Countries, ", "), products, strings.Join(notes, "; "))
	}
	fmt.Fprintf(&b, "\n\"all US\" is %s.\n", strings.Join(common, ", "))
	return b.String()
}
