package service

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/linkharness/linkharness/internal/customuser"
	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
)

// NewItem is an Item that AddItem creates without Link's screens.
type NewItem struct {
	InstitutionID string
	Webhook       string
	// LinkSessionID and LinkToken are set for an Item of a Link session.
	LinkSessionID string
	LinkToken     string
	// Plan decides the Item's products; every product is consented.
	Plan linkconfig.Plan
	// Keep chooses the sandbox accounts the Item keeps; nil keeps all.
	Keep func(store.Account) bool
	// Endpoint is the call that creates it, as billing names it.
	Endpoint string
	// MultiItem says it belongs to a Multi-Item Link session.
	MultiItem bool
	// Custom is the configuration of the custom sandbox user who logged
	// in, nil for the sandbox's other users.
	Custom *customuser.Config
}

// AddItem stores a connected Item made without Link's screens, with the
// sandbox accounts (or the custom user's) Keep chooses, the products its plan resolves to, its
// public token, its billing and the webhooks a new Item causes
// (ITEM_ADD_RESULT too in a Multi-Item Link session), and returns the
// token.
func (s *Service) AddItem(ctx context.Context, t Tenant, n NewItem) (store.PublicToken, *plaid.Error) {
	it := store.Item{ID: ids.NewOpaqueID(), ClientID: t.ClientID, InstitutionID: n.InstitutionID, Webhook: n.Webhook,
		LinkSessionID: n.LinkSessionID, LinkToken: n.LinkToken, CreatedAt: t.Now, Custom: CustomItem(n.Custom)}
	it.Products, it.ConsentedProducts = nonNil(n.Plan.Products), linkconfig.Consented(n.Plan, nil)
	all := NewAccounts(n.Custom)
	var chosen []string
	for _, a := range all {
		if n.Keep == nil || n.Keep(a) {
			chosen = append(chosen, a.ID)
		}
	}
	if len(chosen) == 0 {
		return store.PublicToken{}, plaid.InvalidField("no sandbox account matches the accounts asked for")
	}
	it.Accounts = all
	pt := NewPublicToken(t, it.ID, it.LinkSessionID)
	if err := s.store.CreateItem(ctx, it); err != nil {
		return store.PublicToken{}, StoreError(err)
	}
	if err := s.Commit(func() error {
		return s.store.ConnectItem(ctx, t.ClientID, it.ID, Connection(it, n.Plan, chosen, pt, t, n.Endpoint, n.MultiItem))
	}); err != nil {
		return store.PublicToken{}, StoreError(err)
	}
	return pt, nil
}

// Connection is what finishing the creation of it stores: the chosen
// accounts, the products resolved for them, what that bills (endpoint
// names the call that created the Item), the public token and the
// webhooks: TRANSACTIONS SYNC_UPDATES_AVAILABLE for an Item with
// transactions, and LINK ITEM_ADD_RESULT in a Multi-Item Link session.
func Connection(it store.Item, plan linkconfig.Plan, accountIDs []string, pt store.PublicToken, t Tenant, endpoint string, multiItem bool) store.Connection {
	in, _ := sandbox.InstitutionByID(it.InstitutionID)
	var chosen []store.Account
	for _, a := range it.Accounts {
		if slices.Contains(accountIDs, a.ID) {
			chosen = append(chosen, a)
		}
	}
	resolved := Resolve(plan, in, chosen, it.ConsentedProducts)
	for i := range resolved.Billing {
		b := &resolved.Billing[i]
		b.ID, b.ClientID, b.ItemID, b.Endpoint, b.BilledAt = ids.NewUUID(), it.ClientID, it.ID, endpoint, t.Now
	}
	it.Products = resolved.Products
	outbox := ItemAddedWebhooks(it)
	if multiItem && it.Webhook != "" {
		outbox = append(outbox, itemAddResultWebhook(it, pt.Token))
	}
	return store.Connection{AccountIDs: accountIDs, Products: resolved.Products, BilledProducts: resolved.Billed,
		PublicToken: pt, Billing: resolved.Billing, Outbox: outbox}
}

// NewAccounts are fresh accounts of a new Item: the sandbox's, or those a
// custom user configured (custom is nil for the sandbox's other users),
// each with its configuration.
func NewAccounts(custom *customuser.Config) []store.Account {
	var out []store.Account
	if custom != nil {
		for _, a := range custom.Accounts {
			doc, err := json.Marshal(a)
			if err != nil {
				panic("service: a custom account does not marshal: " + err.Error())
			}
			out = append(out, store.Account{ID: ids.NewOpaqueID(), Name: a.Meta.Name, Mask: a.Meta.Mask, Type: a.Type, Subtype: a.Subtype, Custom: doc})
		}
		return out
	}
	for _, a := range sandbox.Accounts {
		out = append(out, store.Account{ID: ids.NewOpaqueID(), Name: a.Name, Mask: a.Mask, Type: a.Type, Subtype: a.Subtype})
	}
	return out
}

// CustomItem is what an Item keeps of a custom user's configuration
// (its accounts keep theirs): nil for the sandbox's other users.
func CustomItem(custom *customuser.Config) json.RawMessage {
	if custom == nil {
		return nil
	}
	c := *custom
	c.Accounts = nil
	doc, err := json.Marshal(c)
	if err != nil {
		panic("service: a custom configuration does not marshal: " + err.Error())
	}
	return doc
}
