package linkbackend

import (
	"cmp"
	"context"
	"errors"
	"net/url"
	"slices"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// StartOAuth begins an OAuth login at the bank for the session: a pending
// state, and the address of the bank's page that decides it. A bank with
// product-level consent asks about the plan's products it supports; a
// session with a redirect URI gets the user back there; a payment is
// authorised at the bank's own page, whatever the bank.
func (s *Backend) StartOAuth(ctx context.Context, requestID string, req protocol.OAuthStartRequest) (protocol.OAuthStartResponse, *plaid.Error) {
	c, e := s.LinkCaller(ctx, req.PublicKey, req.LinkToken, false)
	if e != nil {
		return protocol.OAuthStartResponse{}, e
	}
	cfg, e := s.SessionConfig(ctx, c, req.LinkSessionID, linkconfig.Config{})
	if e != nil {
		return protocol.OAuthStartResponse{}, e
	}
	in, ok := sandbox.InstitutionByID(req.InstitutionID)
	if !ok || !in.OAuth && (cfg.PaymentID == "" || !in.Supports([]string{"payment_initiation"})) {
		return protocol.OAuthStartResponse{}, plaid.InvalidInstitution()
	}
	st := store.OAuthState{
		ID:            ids.NewUUID(),
		ClientID:      c.ClientID,
		LinkSessionID: req.LinkSessionID,
		InstitutionID: in.ID,
		ClientName:    req.ClientName,
		Status:        store.OAuthPending,
		CreatedAt:     c.Now,
		ExpiresAt:     c.Now.Add(plaid.OAuthStateLifetime),
		PaymentID:     cfg.PaymentID,
		RedirectURI:   cfg.RedirectURI,
		Nonce:         cfg.OAuthNonce,
	}
	st.ClientName = cmp.Or(cfg.ClientName, req.ClientName)
	if cfg.RedirectURI != "" {
		// Link resumes a redirected login only with the token it began
		// with ("" in a legacy session, which resumes by its nonce).
		st.LinkToken = cfg.LinkToken
	}
	if in.ProductConsent && cfg.AsksProductConsent() {
		plan, e := s.plan(ctx, c, cfg)
		if e != nil {
			return protocol.OAuthStartResponse{}, e
		}
		st.Products = linkconfig.OAuthConsentProducts(plan, in)
	}
	if err := s.store.CreateOAuthState(ctx, st); err != nil {
		return protocol.OAuthStartResponse{}, service.StoreError(err)
	}
	return protocol.OAuthStartResponse{
		RequestID:    requestID,
		OAuthStateID: st.ID,
		AuthorizeURL: protocol.PathOAuthAuthorize + "?" + url.Values{"oauth_state_id": {st.ID}}.Encode(),
	}, nil
}

// OAuthStatus tells the engine what the user decided at the bank.
func (s *Backend) OAuthStatus(ctx context.Context, requestID string, req protocol.OAuthStatusRequest) (protocol.OAuthStatusResponse, *plaid.Error) {
	c, e := s.LinkCaller(ctx, req.PublicKey, req.LinkToken, false)
	if e != nil {
		return protocol.OAuthStatusResponse{}, e
	}
	st, err := s.store.OAuthState(ctx, req.OAuthStateID)
	if errors.Is(err, store.ErrNotFound) || err == nil && (st.ClientID != c.ClientID || st.LinkSessionID != req.LinkSessionID) {
		return protocol.OAuthStatusResponse{}, plaid.InvalidField("oauth_state_id does not belong to this Link session")
	}
	if err != nil {
		return protocol.OAuthStatusResponse{}, service.StoreError(err)
	}
	return protocol.OAuthStatusResponse{RequestID: requestID, Status: st.Status}, nil
}

// UseOAuthState checks the approved OAuth login of the session at the
// institution that stands for the user's credentials, and uses it up: an
// OAuth login creates one Item, or authorises one payment.
func (s *Backend) UseOAuthState(ctx context.Context, c Caller, sessionID, institutionID, stateID string) (store.OAuthState, *plaid.Error) {
	st, err := s.store.UseOAuthState(ctx, c.ClientID, stateID)
	switch {
	case errors.Is(err, store.ErrUsed):
		return st, plaid.InvalidField("oauth_state_id was used already: an OAuth login creates one Item")
	case errors.Is(err, store.ErrNotFound) || err == nil && (st.LinkSessionID != sessionID || st.InstitutionID != institutionID):
		return st, plaid.InvalidField("oauth_state_id is not an approved OAuth login of this Link session and institution")
	case err != nil:
		return st, service.StoreError(err)
	case st.Expired(c.Now):
		return st, plaid.InvalidField("oauth_state_id has expired")
	}
	return st, nil
}

// oauthWithheld are the products the user withheld at a bank with
// product-level consent. Withholding a product the Item needs (one of
// products, or of required_if_supported_products that applies to the
// accounts the bank shares: those that fit products) fails with
// ACCESS_NOT_GRANTED, and Link asks again; withholding another only drops
// it.
func oauthWithheld(st store.OAuthState, plan linkconfig.Plan, in sandbox.Institution, accounts []store.Account) ([]string, *plaid.Error) {
	if !in.ProductConsent || st.GrantedProducts == nil {
		return nil, nil
	}
	var withheld []string
	for _, p := range st.Products {
		if !slices.Contains(st.GrantedProducts, p) {
			withheld = append(withheld, p)
		}
	}
	var shared []store.Account
	for _, a := range accounts {
		if product.Fits(a.Type, a.Subtype, plan.Products) {
			shared = append(shared, a)
		}
	}
	if missing := service.RequiredWithheld(plan, in, shared, withheld); len(missing) > 0 {
		return nil, plaid.AccessNotGranted(missing)
	}
	return withheld, nil
}

// OAuthLogin is the OAuth login with the given ID, whoever's it is: the
// bank's page knows nothing else (store.ErrNotFound when there is none).
func (s *Backend) OAuthLogin(ctx context.Context, id string) (store.OAuthState, error) {
	return s.store.OAuthState(ctx, id)
}

// DecideOAuth records what the user decided at the bank's page: approved
// or denied, for the products granted (nil: all). store.ErrUsed says they
// decided before.
func (s *Backend) DecideOAuth(ctx context.Context, id string, approved bool, granted []string) error {
	status := store.OAuthDenied
	if approved {
		status = store.OAuthApproved
	}
	return s.store.DecideOAuthState(ctx, id, status, granted)
}
