package service

import (
	"context"
	"fmt"
	"slices"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/product"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
)

// UseProduct is how a product endpoint (/auth/get, /transactions/sync,
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
func (s *Service) UseProduct(ctx context.Context, t Tenant, accessToken, name, endpoint string) (store.Item, *plaid.Error) {
	it, e := s.ItemByAccessToken(ctx, t, accessToken)
	if e != nil {
		return it, e
	}
	return s.UseProductOn(ctx, t, it, name, endpoint)
}

// UseProductOn is UseProduct on an Item the caller found already (the
// processor endpoints find it by processor token).
func (s *Service) UseProductOn(ctx context.Context, t Tenant, it store.Item, name, endpoint string) (store.Item, *plaid.Error) {
	if e := plaid.ItemError(it.Error); e != nil {
		return it, e
	}
	in, _ := sandbox.InstitutionByID(it.InstitutionID)
	row, _ := product.Lookup(name)
	added := !slices.Contains(it.Products, name)
	if added {
		switch {
		case row.Alone:
			return it, plaid.InvalidProduct(name + " cannot be added to an Item post-Link")
		case row.UpdateModeOnly:
			return it, plaid.AdditionalConsentRequired(name + " can be added to an existing Item only through Link's update mode: create a link token with the Item's access_token and products [\"" + name + "\"]")
		case !slices.Contains(it.ConsentedProducts, name):
			return it, plaid.AdditionalConsentRequired(fmt.Sprintf("the user has not consented to %s for this Item: put it in additional_consented_products when creating the link token, or send the user through update mode to grant it", name))
		case !in.Supports([]string{name}) || name == "auth" && in.NoInstantAuth:
			return it, plaid.ProductsNotSupported(fmt.Sprintf("%s cannot add %s to this Item post-Link", in.Name, name))
		}
	}
	if !AccountsServe(it.Accounts, name) {
		return it, row.NoAccounts()
	}
	billing, err := s.billingOnUse(ctx, t, it, row, endpoint, added)
	if err != nil {
		return it, StoreError(err)
	}
	if !added && len(billing) == 0 {
		return it, nil
	}
	it, err = s.store.AddItemProduct(ctx, t.ClientID, it.ID, name, billing)
	if err != nil {
		return it, StoreError(err)
	}
	return it, nil
}

// billingOnUse is what the call of endpoint bills on the Item that was not
// billed before: the product's billables, those that start on the first
// call of one endpoint only when it is this one.
func (s *Service) billingOnUse(ctx context.Context, t Tenant, it store.Item, row product.Product, endpoint string, added bool) ([]store.BillingEvent, error) {
	var ledger []store.BillingEvent
	var out []store.BillingEvent
	for _, b := range row.Billables {
		if b.FirstCall != "" && b.FirstCall != endpoint {
			continue
		}
		billed := slices.Contains(it.BilledProducts, row.Name)
		if b.FirstCall != "" {
			if ledger == nil {
				var err error
				if ledger, err = s.store.BillingEvents(ctx, t.ClientID, it.ID); err != nil {
					return nil, err
				}
			}
			billed = slices.ContainsFunc(ledger, func(e store.BillingEvent) bool { return e.Billable == b.Name })
		}
		if billed {
			continue
		}
		reason := "first call of " + endpoint + ": "
		switch {
		case added:
			reason += "the product was added post-Link"
		case b.FirstCall != "":
			reason += "the " + product.Label(b.Name) + " subscription starts on first use"
		default:
			reason += "an optional " + row.Name + " product is billed on first use"
		}
		out = append(out, store.BillingEvent{ID: ids.NewUUID(), ClientID: t.ClientID, ItemID: it.ID, Product: row.Name,
			Billable: b.Name, FeeModel: b.Fee, Reason: reason, Endpoint: endpoint, BilledAt: t.Now})
	}
	return out, nil
}
