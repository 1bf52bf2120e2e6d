package web

import (
	"context"
	"errors"
	"slices"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// Update mode repairs an existing Item instead of creating one: a link
// token made with an access_token, or a legacy Plaid.create({key, token})
// with a public token from /item/public_token/create. The user logs in
// again at the Item's institution with the same username; the Item's error
// clears, its access token stays, and Link gets a new public token for it.

// publicTokenItem returns the Item whose public token a legacy session
// opened with (the Item to repair, or a payment's payer), or the zero Item
// when it opened without one.
func (s *Server) publicTokenItem(ctx context.Context, lc linkCaller, publicToken string) (store.Item, *plaid.Error) {
	if publicToken == "" {
		return store.Item{}, nil
	}
	pt, err := s.store.PublicToken(ctx, lc.client.ClientID, publicToken, lc.now)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.Item{}, plaid.InvalidPublicToken("")
	case errors.Is(err, store.ErrExpired):
		return store.Item{}, plaid.InvalidPublicToken("provided public token is expired. public tokens expire 30 minutes after creation")
	case err != nil:
		return store.Item{}, service.StoreError(err)
	}
	return s.itemOfSession(ctx, lc, pt.ItemID)
}

// updateItem returns the Item an update-mode session repairs; ok is false
// for a session that creates Items.
func (s *Server) updateItem(ctx context.Context, lc linkCaller, linkSessionID string) (it store.Item, ok bool, e *plaid.Error) {
	itemID := ""
	if lc.token != nil {
		itemID = lc.token.ItemID
	} else if linkSessionID != "" {
		cfg, err := s.publicKeyConfigOf(ctx, lc.client.ClientID, linkSessionID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return store.Item{}, false, service.StoreError(err)
		}
		itemID = cfg.UpdateItemID
	}
	if itemID == "" {
		return store.Item{}, false, nil
	}
	it, e = s.itemOfSession(ctx, lc, itemID)
	return it, e == nil, e
}

func (s *Server) itemOfSession(ctx context.Context, lc linkCaller, itemID string) (store.Item, *plaid.Error) {
	it, err := s.store.Item(ctx, lc.client.ClientID, itemID)
	if errors.Is(err, store.ErrNotFound) {
		return store.Item{}, plaid.InvalidField("the Item this session is for was removed")
	}
	if err != nil {
		return store.Item{}, service.StoreError(err)
	}
	return it, nil
}

// repairItem logs in again at the Item's institution. Success clears the
// Item's error (ITEM_LOGIN_REQUIRED after /sandbox/item/reset_login) and
// answers with the Item as it is.
func (s *Server) repairItem(ctx context.Context, requestID string, lc linkCaller, it store.Item, in sandbox.Institution, req protocol.ItemCreateRequest) (protocol.ItemCreateResponse, *plaid.Error) {
	if in.ID != it.InstitutionID {
		return protocol.ItemCreateResponse{}, plaid.InvalidField("update mode logs in at the Item's own institution, " + it.InstitutionID)
	}
	if in.OAuth {
		if _, e := s.oauthItemState(ctx, lc, req); e != nil {
			return protocol.ItemCreateResponse{}, e
		}
	} else {
		if req.Username != sandbox.Username {
			return protocol.ItemCreateResponse{}, plaid.Raise("INVALID_UPDATED_USERNAME")
		}
		challenge, e := service.LogIn(in, req.Username, req.Password, req.MFA)
		if e != nil {
			return protocol.ItemCreateResponse{}, e
		}
		if challenge != nil {
			return protocol.ItemCreateResponse{RequestID: requestID, MFA: mfaChallenge(challenge)}, nil
		}
	}
	it, err := s.store.SetItemError(ctx, lc.client.ClientID, it.ID, nil)
	if err != nil {
		return protocol.ItemCreateResponse{}, service.StoreError(err)
	}
	resp := protocol.ItemCreateResponse{RequestID: requestID, ItemID: it.ID, Accounts: []protocol.Account{}}
	for _, a := range it.Accounts {
		resp.Accounts = append(resp.Accounts, linkAccount(a))
	}
	return resp, nil
}

// reissueToken ends an update-mode login: a new public token for the same
// Item, whose accounts and access token do not change.
func (s *Server) reissueToken(ctx context.Context, requestID string, lc linkCaller, it store.Item, req protocol.ItemConnectRequest) (protocol.ItemConnectResponse, *plaid.Error) {
	if req.ItemID != it.ID {
		return protocol.ItemConnectResponse{}, plaid.InvalidField("item_id is not the Item this update-mode session repairs")
	}
	for _, id := range req.AccountIDs {
		if !slices.ContainsFunc(it.Accounts, func(a store.Account) bool { return a.ID == id }) {
			return protocol.ItemConnectResponse{}, plaid.InvalidField("account_ids names an account that is not on the item: " + id)
		}
	}
	pt := service.NewPublicToken(lc.tenant(), it.ID, req.LinkSessionID)
	if err := s.store.CreatePublicToken(ctx, pt); err != nil {
		return protocol.ItemConnectResponse{}, service.StoreError(err)
	}
	return protocol.ItemConnectResponse{RequestID: requestID, PublicToken: pt.Token}, nil
}
