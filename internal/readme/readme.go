// Package readme keeps the README's tables true: its product and
// institution tables are generated from the product registry and the
// sandbox world, and its endpoint table from the server's route table. `go test ./internal/readme -update` rewrites the generated
// tables; without -update the test fails when they are stale.
package readme

import (
	"fmt"
	"slices"
	"strings"

	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/spec"
	"github.com/linkharness/linkharness/web"
	"github.com/linkharness/linkharness/web/assets"
)

// Products is the README's product table, from the registry.
func Products() string {
	var b strings.Builder
	b.WriteString("| product | accounts it fits | billed | initialization | webhooks |\n|---|---|---|---|---|\n")
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
		for _, call := range p.BilledCalls {
			billed = append(billed, "each "+call+" (per request)")
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

// Endpoints is the README's endpoint table, from the SDK assets and the
// server's route table, in their order; one row a path.
func Endpoints() string {
	var b strings.Builder
	b.WriteString("| method | path | what it does |\n|---|---|---|\n")
	for _, a := range assets.List() {
		methods := "GET"
		if a.CORS {
			methods += ", OPTIONS"
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s |\n", methods, a.Path, a.Doc)
	}
	type row struct {
		methods []string
		doc     string
	}
	var order []string
	rows := map[string]*row{}
	for _, r := range web.Routes() {
		if rows[r.Path] == nil {
			rows[r.Path] = &row{doc: r.Doc}
			order = append(order, r.Path)
		}
		rows[r.Path].methods = append(rows[r.Path].methods, r.Method)
		if r.Group == "engine" {
			rows[r.Path].methods = append(rows[r.Path].methods, "OPTIONS")
		}
	}
	for _, p := range order {
		fmt.Fprintf(&b, "| %s | `%s` | %s |\n", strings.Join(rows[p].methods, ", "), p, rows[p].doc)
	}
	b.WriteString("| any | any other path | 404 in Plaid's error shape (INVALID_REQUEST, NOT_FOUND) |\n")
	return b.String()
}

// SpecShaped is the README's list of the spec's operations that answer
// spec-shaped: every operation of Plaid's OpenAPI spec the route table
// does not serve, in the spec's order.
func SpecShaped() string {
	served := map[string]bool{}
	for _, r := range web.Routes() {
		served[r.Method+" "+r.Path] = true
	}
	var b strings.Builder
	b.WriteString("| method | path | answer |\n|---|---|---|\n")
	for _, op := range spec.Load().Operations {
		if served[op.Method+" "+op.Path] {
			continue
		}
		answer := "spec-shaped JSON"
		switch op.ResponseType {
		case "application/pdf":
			answer = "a one-page PDF"
		case "application/zip":
			answer = "an empty ZIP archive"
		case "":
			answer = "an empty 200"
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s |\n", op.Method, op.Path, answer)
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
