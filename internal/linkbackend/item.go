package linkbackend

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// CreateItem logs the user in at an institution for the session: with
// sandbox credentials and the MFA answers so far (the next MFA round, or
// an Item with every sandbox account, or a custom user's, to choose
// from), or at an OAuth
// institution with the login the bank approved. In update mode it repairs
// the session's Item instead.
func (s *Backend) CreateItem(ctx context.Context, requestID string, req protocol.ItemCreateRequest) (protocol.ItemCreateResponse, *plaid.Error) {
	c, e := s.LinkCaller(ctx, req.PublicKey, req.LinkToken, false)
	if e != nil {
		return protocol.ItemCreateResponse{}, e
	}
	in, ok := sandbox.InstitutionByID(req.InstitutionID)
	if !ok {
		return protocol.ItemCreateResponse{}, plaid.InvalidInstitution()
	}
	st, e := s.settings.Get(ctx, c.ClientID, c.linkToken())
	if e != nil {
		return protocol.ItemCreateResponse{}, e
	}
	in.Health = st.Health(in) // the client may have made it another
	if e := service.InstitutionDown(in); e != nil {
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
		ID:            ids.NewOpaqueID(),
		ClientID:      c.ClientID,
		InstitutionID: in.ID,
		Webhook:       cfg.Webhook,
		LinkSessionID: req.LinkSessionID,
		LinkToken:     cfg.LinkToken,
		CreatedAt:     c.Now,
		Accounts:      service.NewAccounts(nil),
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
		challenge, custom, e := service.LogIn(in, req.Username, req.Password, req.MFA)
		if e != nil {
			return protocol.ItemCreateResponse{}, e
		}
		if challenge != nil {
			return protocol.ItemCreateResponse{RequestID: requestID, MFA: mfaChallenge(challenge)}, nil
		}
		// A custom user's Item has the accounts it configured.
		it.Accounts, it.Custom = service.NewAccounts(custom), service.CustomItem(custom)
	}
	// The Item's products are decided when the user has chosen the
	// accounts (ConnectItem); until then it holds the required ones.
	it.Products, it.ConsentedProducts = nonNil(plan.Products), linkconfig.Consented(plan, withheld)
	if err := s.store.CreateItem(ctx, it); err != nil {
		return protocol.ItemCreateResponse{}, plaid.Internal("could not store the item: " + err.Error())
	}
	return protocol.ItemCreateResponse{RequestID: requestID, ItemID: it.ID, Accounts: service.LinkAccounts(it.Accounts)}, nil
}

// repairItem logs in again at the Item's institution. Success clears the
// Item's error (ITEM_LOGIN_REQUIRED after /sandbox/item/reset_login) and
// answers with the Item as it is.
func (s *Backend) repairItem(ctx context.Context, requestID string, c Caller, it store.Item, in sandbox.Institution, req protocol.ItemCreateRequest) (protocol.ItemCreateResponse, *plaid.Error) {
	if in.ID != it.InstitutionID {
		return protocol.ItemCreateResponse{}, plaid.InvalidField("update mode logs in at the Item's own institution, " + it.InstitutionID)
	}
	if in.OAuth {
		if _, e := s.UseOAuthState(ctx, c, req.LinkSessionID, in.ID, req.OAuthStateID); e != nil {
			return protocol.ItemCreateResponse{}, e
		}
	} else {
		if req.Username != service.ItemUsername(it) {
			return protocol.ItemCreateResponse{}, plaid.Raise("INVALID_UPDATED_USERNAME")
		}
		// A custom user logs in again with a configuration, whose MFA and
		// errors apply; the Item keeps the accounts and data it has.
		challenge, _, e := service.LogIn(in, req.Username, req.Password, req.MFA)
		if e != nil {
			return protocol.ItemCreateResponse{}, e
		}
		if challenge != nil {
			return protocol.ItemCreateResponse{RequestID: requestID, MFA: mfaChallenge(challenge)}, nil
		}
	}
	it, err := s.store.SetItemError(ctx, c.ClientID, it.ID, nil)
	if err != nil {
		return protocol.ItemCreateResponse{}, service.StoreError(err)
	}
	return protocol.ItemCreateResponse{RequestID: requestID, ItemID: it.ID, Accounts: service.LinkAccounts(it.Accounts)}, nil
}

// ConnectItem finishes an Item's creation with the accounts the user
// chose: the Item's products are resolved for them, billed, and a public
// token is issued. In update mode it issues a new public token for the
// repaired Item, whose accounts and access token do not change.
func (s *Backend) ConnectItem(ctx context.Context, requestID string, req protocol.ItemConnectRequest) (protocol.ItemConnectResponse, *plaid.Error) {
	c, e := s.LinkCaller(ctx, req.PublicKey, req.LinkToken, false)
	if e != nil {
		return protocol.ItemConnectResponse{}, e
	}
	it, err := s.store.Item(ctx, c.ClientID, req.ItemID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return protocol.ItemConnectResponse{}, service.StoreError(err)
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
	pt := service.NewPublicToken(c.Tenant, it.ID, req.LinkSessionID)
	conn := service.Connection(it, plan, req.AccountIDs, pt, c.Tenant, "link", cfg.MultiItem)
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
func (s *Backend) reissueToken(ctx context.Context, requestID string, c Caller, it store.Item, req protocol.ItemConnectRequest) (protocol.ItemConnectResponse, *plaid.Error) {
	if req.ItemID != it.ID {
		return protocol.ItemConnectResponse{}, plaid.InvalidField("item_id is not the Item this update-mode session repairs")
	}
	if e := accountsOf(it, req.AccountIDs); e != nil {
		return protocol.ItemConnectResponse{}, e
	}
	pt := service.NewPublicToken(c.Tenant, it.ID, req.LinkSessionID)
	if err := s.store.CreatePublicToken(ctx, pt); err != nil {
		return protocol.ItemConnectResponse{}, service.StoreError(err)
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

func mfaChallenge(c *sandbox.Challenge) *protocol.MFAChallenge {
	out := &protocol.MFAChallenge{Type: c.Type, Round: c.Round, Devices: c.Devices}
	for _, q := range c.Questions {
		out.Questions = append(out.Questions, protocol.MFAQuestion{Options: q.Options})
	}
	return out
}
