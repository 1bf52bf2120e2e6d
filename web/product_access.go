package web

import (
	"context"
	"fmt"
	"slices"

	"github.com/linkharness/linkharness/internal/plaid"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
)

// itemError is the Plaid error an Item is in (ITEM_LOGIN_REQUIRED after
// /sandbox/item/reset_login), or nil.
func itemError(it store.Item) *plaid.Error {
	return plaid.ItemError(it.Error)
}

// useProduct is how a product endpoint (/auth/get, /transactions/sync,
// ...) gets the caller's Item: the product is served when it is on the
// Item; otherwise the call adds it post-Link, which works only when the
// user consented to it (Data Transparency Messaging: it was in one of the
// token's product arrays and not withheld at the bank), the institution
// supports it (Auth through Instant Auth only) and it is not one that
// only update mode (Assets, Statements, Bank Income) or nothing
// (Identity Verification, Payment Initiation) can add. An Item without an
// account the product applies to fails, unbilled. The first use bills
// what was not billed yet: the product added post-Link, an optional
// Auth, Identity or Signal, or the Investments Transactions subscription
// (billable investments_transactions, started by
// /investments/transactions/get only).
func (s *Server) useProduct(ctx context.Context, c *call, accessToken, product, endpoint string) (store.Item, *plaid.Error) {
	it, e := s.itemOf(ctx, c, accessToken)
	if e != nil {
		return it, e
	}
	if e := itemError(it); e != nil {
		return it, e
	}
	in, _ := sandbox.InstitutionByID(it.InstitutionID)
	added := !slices.Contains(it.Products, product)
	if added {
		switch {
		case slices.Contains(aloneProducts, product):
			return it, plaid.InvalidProduct(product + " cannot be added to an Item post-Link")
		case slices.Contains(updateModeOnlyProducts, product):
			return it, plaid.AdditionalConsentRequired(product + " can be added to an existing Item only through Link's update mode: create a link token with the Item's access_token and products [\"" + product + "\"]")
		case !slices.Contains(it.ConsentedProducts, product):
			return it, plaid.AdditionalConsentRequired(fmt.Sprintf("the user has not consented to %s for this Item: put it in additional_consented_products when creating the link token, or send the user through update mode to grant it", product))
		case !in.Supports([]string{product}) || product == "auth" && in.NoInstantAuth:
			return it, plaid.ProductsNotSupported(fmt.Sprintf("%s cannot add %s to this Item post-Link", in.Name, product))
		}
	}
	if !accountsServe(it.Accounts, product) {
		return it, errNoAccountsFor(product)
	}
	billing, err := s.billingOnUse(ctx, it, product, endpoint, added, c)
	if err != nil {
		return it, storeError(err)
	}
	if !added && len(billing) == 0 {
		return it, nil
	}
	it, err = s.store.AddItemProduct(ctx, c.client.ClientID, it.ID, product, billing)
	if err != nil {
		return it, storeError(err)
	}
	return it, nil
}

// billingOnUse is what the call of endpoint bills on the Item that was not
// billed before.
func (s *Server) billingOnUse(ctx context.Context, it store.Item, product, endpoint string, added bool, c *call) ([]store.BillingEvent, error) {
	billables := []string{product}
	if product == "investments" {
		billables = []string{"investments_holdings"}
		if endpoint == "/investments/transactions/get" {
			billables = append(billables, "investments_transactions")
		}
	}
	var ledger []store.BillingEvent
	if slices.Contains(billables, "investments_transactions") {
		var err error
		if ledger, err = s.store.BillingEvents(ctx, c.client.ClientID, it.ID); err != nil {
			return nil, err
		}
	}
	var out []store.BillingEvent
	for _, b := range billables {
		fee, ok := feeModels[b]
		if !ok {
			continue
		}
		billed := slices.Contains(it.BilledProducts, product)
		if b == "investments_transactions" {
			billed = slices.ContainsFunc(ledger, func(e store.BillingEvent) bool { return e.Billable == b })
		}
		if billed {
			continue
		}
		reason := "first call of " + endpoint + ": "
		switch {
		case added:
			reason += "the product was added post-Link"
		case b == "investments_transactions":
			reason += "the Investments Transactions subscription starts on first use"
		default:
			reason += "an optional " + product + " product is billed on first use"
		}
		out = append(out, store.BillingEvent{ID: plaid.NewUUID(), ClientID: c.client.ClientID, ItemID: it.ID, Product: product,
			Billable: b, FeeModel: fee, Reason: reason, Endpoint: endpoint, BilledAt: c.now})
	}
	return out, nil
}

// errNoAccountsFor is Plaid's error for an Item without an account the
// product applies to.
func errNoAccountsFor(product string) *plaid.Error {
	switch product {
	case "auth":
		return plaid.New("NO_AUTH_ACCOUNTS", "There are no valid checking or savings account(s) associated with this Item")
	case "investments":
		return plaid.New("NO_INVESTMENT_ACCOUNTS", "There are no investment account(s) associated with this Item")
	case "liabilities":
		return plaid.New("NO_LIABILITY_ACCOUNTS", "There are no liability account(s) associated with this Item")
	}
	return plaid.ProductsNotSupported("the Item has no account that " + product + " applies to")
}
