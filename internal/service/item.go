package service

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// CreateItem logs the user in at an institution for the session: with
// sandbox credentials and the MFA answers so far (the next MFA round, or
// an Item with every sandbox account to choose from), or at an OAuth
// institution with the login the bank approved. In update mode it repairs
// the session's Item instead.
func (s *Service) CreateItem(ctx context.Context, requestID string, req protocol.ItemCreateRequest) (protocol.ItemCreateResponse, *plaid.Error) {
	c, e := s.LinkCaller(ctx, req.PublicKey, req.LinkToken, false)
	if e != nil {
		return protocol.ItemCreateResponse{}, e
	}
	in, ok := sandbox.InstitutionByID(req.InstitutionID)
	if !ok {
		return protocol.ItemCreateResponse{}, plaid.InvalidInstitution()
	}
	if e := InstitutionDown(in); e != nil {
		return protocol.ItemCreateResponse{}, e
	}
	cfg, e := s.SessionConfig(ctx, c, req.LinkSessionID, linkconfig.Config{Products: req.Products, Webhook: req.Webhook})
	if e != nil {
		return protocol.ItemCreateResponse{}, e
	}
	if cfg.UpdateMode() {
		old, e := s.updateItem(ctx, c, cfg)
		if e != nil {
			return protocol.ItemCreateResponse{}, e
		}
		return s.repairItem(ctx, requestID, c, old, in, req)
	}
	plan, e := s.plan(ctx, c, cfg)
	if e != nil {
		return protocol.ItemCreateResponse{}, e
	}
	it := store.Item{
		ID:            plaid.NewOpaqueID(),
		ClientID:      c.ClientID,
		InstitutionID: in.ID,
		Webhook:       cfg.Webhook,
		LinkSessionID: req.LinkSessionID,
		LinkToken:     cfg.LinkToken,
		CreatedAt:     c.Now,
		Accounts:      newSandboxAccounts(),
	}
	if !in.Supports(plan.Products) {
		return protocol.ItemCreateResponse{}, plaid.ProductsNotSupported(fmt.Sprintf("%s does not support the products %v", in.Name, plan.Products))
	}
	var withheld []string
	if in.OAuth {
		// No credentials at an OAuth institution: the user logged in at
		// the bank, which approved the state, maybe for some products
		// only.
		st, e := s.UseOAuthState(ctx, c, req.LinkSessionID, in.ID, req.OAuthStateID)
		if e != nil {
			return protocol.ItemCreateResponse{}, e
		}
		if withheld, e = oauthWithheld(st, plan, in, it.Accounts); e != nil {
			return protocol.ItemCreateResponse{}, e
		}
	} else {
		challenge, e := LogIn(in, req.Username, req.Password, req.MFA)
		if e != nil {
			return protocol.ItemCreateResponse{}, e
		}
		if challenge != nil {
			return protocol.ItemCreateResponse{RequestID: requestID, MFA: mfaChallenge(challenge)}, nil
		}
	}
	// The Item's products are decided when the user has chosen the
	// accounts (ConnectItem); until then it holds the required ones.
	it.Products, it.ConsentedProducts = nonNil(plan.Products), linkconfig.Consented(plan, withheld)
	if err := s.store.CreateItem(ctx, it); err != nil {
		return protocol.ItemCreateResponse{}, plaid.Internal("could not store the item: " + err.Error())
	}
	return protocol.ItemCreateResponse{RequestID: requestID, ItemID: it.ID, Accounts: linkAccounts(it.Accounts)}, nil
}

// repairItem logs in again at the Item's institution. Success clears the
// Item's error (ITEM_LOGIN_REQUIRED after /sandbox/item/reset_login) and
// answers with the Item as it is.
func (s *Service) repairItem(ctx context.Context, requestID string, c Caller, it store.Item, in sandbox.Institution, req protocol.ItemCreateRequest) (protocol.ItemCreateResponse, *plaid.Error) {
	if in.ID != it.InstitutionID {
		return protocol.ItemCreateResponse{}, plaid.InvalidField("update mode logs in at the Item's own institution, " + it.InstitutionID)
	}
	if in.OAuth {
		if _, e := s.UseOAuthState(ctx, c, req.LinkSessionID, in.ID, req.OAuthStateID); e != nil {
			return protocol.ItemCreateResponse{}, e
		}
	} else {
		if req.Username != sandbox.Username {
			return protocol.ItemCreateResponse{}, plaid.Raise("INVALID_UPDATED_USERNAME")
		}
		challenge, e := LogIn(in, req.Username, req.Password, req.MFA)
		if e != nil {
			return protocol.ItemCreateResponse{}, e
		}
		if challenge != nil {
			return protocol.ItemCreateResponse{RequestID: requestID, MFA: mfaChallenge(challenge)}, nil
		}
	}
	it, err := s.store.SetItemError(ctx, c.ClientID, it.ID, nil)
	if err != nil {
		return protocol.ItemCreateResponse{}, StoreError(err)
	}
	return protocol.ItemCreateResponse{RequestID: requestID, ItemID: it.ID, Accounts: linkAccounts(it.Accounts)}, nil
}

// ConnectItem finishes an Item's creation with the accounts the user
// chose: the Item's products are resolved for them, billed, and a public
// token is issued. In update mode it issues a new public token for the
// repaired Item, whose accounts and access token do not change.
func (s *Service) ConnectItem(ctx context.Context, requestID string, req protocol.ItemConnectRequest) (protocol.ItemConnectResponse, *plaid.Error) {
	c, e := s.LinkCaller(ctx, req.PublicKey, req.LinkToken, false)
	if e != nil {
		return protocol.ItemConnectResponse{}, e
	}
	it, err := s.store.Item(ctx, c.ClientID, req.ItemID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return protocol.ItemConnectResponse{}, StoreError(err)
	}
	cfg, e := s.SessionConfig(ctx, c, req.LinkSessionID, linkconfig.Config{Products: it.Products})
	if e != nil {
		return protocol.ItemConnectResponse{}, e
	}
	if cfg.UpdateMode() {
		old, e := s.updateItem(ctx, c, cfg)
		if e != nil {
			return protocol.ItemConnectResponse{}, e
		}
		return s.reissueToken(ctx, requestID, c, old, req)
	}
	if errors.Is(err, store.ErrNotFound) || it.LinkSessionID != req.LinkSessionID {
		return protocol.ItemConnectResponse{}, plaid.InvalidField("item_id does not belong to this Link session")
	}
	if len(req.AccountIDs) == 0 {
		return protocol.ItemConnectResponse{}, plaid.New("MISSING_FIELDS", "account_ids must name at least one account")
	}
	if e := accountsOf(it, req.AccountIDs); e != nil {
		return protocol.ItemConnectResponse{}, e
	}
	plan, e := s.plan(ctx, c, cfg)
	if e != nil {
		return protocol.ItemConnectResponse{}, e
	}
	pt := NewPublicToken(c.Tenant, it.ID, req.LinkSessionID)
	conn := s.connection(it, plan, req.AccountIDs, pt, c.Tenant, "link", cfg.MultiItem)
	err = s.Commit(func() error { return s.store.ConnectItem(ctx, c.ClientID, it.ID, conn) })
	if errors.Is(err, store.ErrConnected) {
		return protocol.ItemConnectResponse{}, plaid.InvalidField("the item's accounts were chosen already")
	}
	if err != nil {
		return protocol.ItemConnectResponse{}, plaid.Internal("could not store the item: " + err.Error())
	}
	return protocol.ItemConnectResponse{RequestID: requestID, PublicToken: pt.Token}, nil
}

// reissueToken ends an update-mode login: a new public token for the same
// Item, whose accounts and access token do not change.
func (s *Service) reissueToken(ctx context.Context, requestID string, c Caller, it store.Item, req protocol.ItemConnectRequest) (protocol.ItemConnectResponse, *plaid.Error) {
	if req.ItemID != it.ID {
		return protocol.ItemConnectResponse{}, plaid.InvalidField("item_id is not the Item this update-mode session repairs")
	}
	if e := accountsOf(it, req.AccountIDs); e != nil {
		return protocol.ItemConnectResponse{}, e
	}
	pt := NewPublicToken(c.Tenant, it.ID, req.LinkSessionID)
	if err := s.store.CreatePublicToken(ctx, pt); err != nil {
		return protocol.ItemConnectResponse{}, StoreError(err)
	}
	return protocol.ItemConnectResponse{RequestID: requestID, PublicToken: pt.Token}, nil
}

// accountsOf is INVALID_FIELD for an account ID that is not the Item's.
func accountsOf(it store.Item, ids []string) *plaid.Error {
	for _, id := range ids {
		if !slices.ContainsFunc(it.Accounts, func(a store.Account) bool { return a.ID == id }) {
			return plaid.InvalidField("account_ids names an account that is not on the item: " + id)
		}
	}
	return nil
}

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
}

// AddItem stores a connected Item made without Link's screens, with the
// sandbox accounts Keep chooses, the products its plan resolves to, its
// public token, its billing and the webhooks a new Item causes
// (ITEM_ADD_RESULT too in a Multi-Item Link session), and returns the
// token.
func (s *Service) AddItem(ctx context.Context, t Tenant, n NewItem) (store.PublicToken, *plaid.Error) {
	it := store.Item{ID: plaid.NewOpaqueID(), ClientID: t.ClientID, InstitutionID: n.InstitutionID, Webhook: n.Webhook,
		LinkSessionID: n.LinkSessionID, LinkToken: n.LinkToken, CreatedAt: t.Now}
	it.Products, it.ConsentedProducts = nonNil(n.Plan.Products), linkconfig.Consented(n.Plan, nil)
	all := newSandboxAccounts()
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
		return s.store.ConnectItem(ctx, t.ClientID, it.ID, s.connection(it, n.Plan, chosen, pt, t, n.Endpoint, n.MultiItem))
	}); err != nil {
		return store.PublicToken{}, StoreError(err)
	}
	return pt, nil
}

// connection is what finishing the creation of it stores: the chosen
// accounts, the products resolved for them, what that bills (endpoint
// names the call that created the Item), the public token and the
// webhooks: TRANSACTIONS SYNC_UPDATES_AVAILABLE for an Item with
// transactions, and LINK ITEM_ADD_RESULT in a Multi-Item Link session.
func (s *Service) connection(it store.Item, plan linkconfig.Plan, accountIDs []string, pt store.PublicToken, t Tenant, endpoint string, multiItem bool) store.Connection {
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
		b.ID, b.ClientID, b.ItemID, b.Endpoint, b.BilledAt = plaid.NewUUID(), it.ClientID, it.ID, endpoint, t.Now
	}
	it.Products = resolved.Products
	outbox := ItemAddedWebhooks(it)
	if multiItem && it.Webhook != "" {
		outbox = append(outbox, itemAddResultWebhook(it, pt.Token))
	}
	return store.Connection{AccountIDs: accountIDs, Products: resolved.Products, BilledProducts: resolved.Billed,
		PublicToken: pt, Billing: resolved.Billing, Outbox: outbox}
}

// newSandboxAccounts are fresh accounts of a new sandbox Item.
func newSandboxAccounts() []store.Account {
	var out []store.Account
	for _, a := range sandbox.Accounts {
		out = append(out, store.Account{ID: plaid.NewOpaqueID(), Name: a.Name, Mask: a.Mask, Type: a.Type, Subtype: a.Subtype})
	}
	return out
}

func mfaChallenge(c *sandbox.Challenge) *protocol.MFAChallenge {
	out := &protocol.MFAChallenge{Type: c.Type, Round: c.Round, Devices: c.Devices}
	for _, q := range c.Questions {
		out.Questions = append(out.Questions, protocol.MFAQuestion{Options: q.Options})
	}
	return out
}

// LinkAccount is an account as Link's metadata shows it.
func LinkAccount(a store.Account) protocol.Account {
	mask := a.Mask
	return protocol.Account{ID: a.ID, Name: a.Name, Mask: &mask, Type: a.Type, Subtype: a.Subtype}
}

func linkAccounts(accounts []store.Account) []protocol.Account {
	out := []protocol.Account{}
	for _, a := range accounts {
		out = append(out, LinkAccount(a))
	}
	return out
}
