package web

import (
	"context"
	_ "embed"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"

	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/internal/service"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// oauthStart begins an OAuth login: a pending state and the bank's page
// that decides it.
func (s *Server) oauthStart(ctx context.Context, requestID string, req protocol.OAuthStartRequest) (protocol.OAuthStartResponse, *plaid.Error) {
	lc, e := s.linkCaller(ctx, req.PublicKey, req.LinkToken, false)
	if e != nil {
		return protocol.OAuthStartResponse{}, e
	}
	// A payment is authorised at the bank's own page, whatever the bank.
	paymentID := s.paymentOfSession(ctx, lc, req.LinkSessionID)
	in, ok := sandbox.InstitutionByID(req.InstitutionID)
	if !ok || !in.OAuth && (paymentID == "" || !in.Supports([]string{"payment_initiation"})) {
		return protocol.OAuthStartResponse{}, plaid.InvalidInstitution()
	}
	st := store.OAuthState{
		ID:            plaid.NewUUID(),
		ClientID:      lc.client.ClientID,
		LinkSessionID: req.LinkSessionID,
		InstitutionID: in.ID,
		ClientName:    req.ClientName,
		Status:        protocol.OAuthPending,
		CreatedAt:     lc.now,
		ExpiresAt:     lc.now.Add(plaid.OAuthStateLifetime),
		PaymentID:     paymentID,
	}
	if lc.token != nil {
		cfg, plan, e := s.tokenPlan(ctx, *lc.token)
		if e != nil {
			return protocol.OAuthStartResponse{}, e
		}
		st.ClientName = cfg.ClientName
		if in.ProductConsent {
			st.Products = linkconfig.OAuthConsentProducts(plan, in)
		}
		if cfg.RedirectURI != "" {
			st.RedirectURI, st.LinkToken = cfg.RedirectURI, lc.token.Token
		}
	} else {
		// The redirect options the session opened with, checked then.
		cfg, err := s.publicKeyConfigOf(ctx, lc.client.ClientID, req.LinkSessionID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return protocol.OAuthStartResponse{}, service.StoreError(err)
		}
		st.RedirectURI, st.Nonce = cfg.OAuthRedirectURI, cfg.OAuthNonce
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

// oauthStatus tells the engine what the user decided at the bank.
func (s *Server) oauthStatus(ctx context.Context, requestID string, req protocol.OAuthStatusRequest) (protocol.OAuthStatusResponse, *plaid.Error) {
	lc, e := s.linkCaller(ctx, req.PublicKey, req.LinkToken, false)
	if e != nil {
		return protocol.OAuthStatusResponse{}, e
	}
	st, err := s.store.OAuthState(ctx, req.OAuthStateID)
	if errors.Is(err, store.ErrNotFound) || err == nil && (st.ClientID != lc.client.ClientID || st.LinkSessionID != req.LinkSessionID) {
		return protocol.OAuthStatusResponse{}, plaid.InvalidField("oauth_state_id does not belong to this Link session")
	}
	if err != nil {
		return protocol.OAuthStatusResponse{}, service.StoreError(err)
	}
	return protocol.OAuthStatusResponse{RequestID: requestID, Status: st.Status}, nil
}

// oauthItemState checks the approved OAuth state that stands for the
// credentials of an Item at an OAuth institution, and uses it up.
func (s *Server) oauthItemState(ctx context.Context, lc linkCaller, req protocol.ItemCreateRequest) (store.OAuthState, *plaid.Error) {
	st, err := s.store.UseOAuthState(ctx, lc.client.ClientID, req.OAuthStateID)
	switch {
	case errors.Is(err, store.ErrUsed):
		return st, plaid.InvalidField("oauth_state_id was used already: an OAuth login creates one Item")
	case errors.Is(err, store.ErrNotFound) || err == nil && (st.LinkSessionID != req.LinkSessionID || st.InstitutionID != req.InstitutionID):
		return st, plaid.InvalidField("oauth_state_id is not an approved OAuth login of this Link session and institution")
	case err != nil:
		return st, service.StoreError(err)
	case !lc.now.Before(st.ExpiresAt):
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
		if sandbox.AccountFits(a.Type, a.Subtype, plan.Products) {
			shared = append(shared, a)
		}
	}
	if missing := service.RequiredWithheld(plan, in, shared, withheld); len(missing) > 0 {
		return nil, plaid.AccessNotGranted(missing)
	}
	return withheld, nil
}

//go:embed oauth.html
var oauthHTML string

var oauthPage = template.Must(template.New("oauth").Parse(oauthHTML))

// oauthPageData fills the bank's page.
type oauthPageData struct {
	Institution, ClientName, StateID string
	// Products are the products a bank with product-level consent lets
	// the user grant or withhold, all ticked at first.
	Products []oauthProduct
	// Payment describes the payment the user authorises, in a Payment
	// Initiation session.
	Payment string
	// Redirect says the bank sends the user back to the app's redirect
	// URI rather than closing its window; the user may then also cancel.
	Redirect bool
	// Done says the user decided: the page thanks them and closes.
	Done bool
	// Problem explains why there is nothing to decide.
	Problem string
}

// oauthAuthorize is the OAuth institution's own page, in the window Link
// opened: the user allows or denies access (POST), and the page closes.
func (s *Server) oauthAuthorize(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("oauth_state_id")
	data := oauthPageData{StateID: id}
	status := http.StatusOK
	st, err := s.store.OAuthState(r.Context(), id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		status, data.Problem = http.StatusNotFound, "This login link is not valid. Start again from the app."
	case err != nil:
		status, data.Problem = http.StatusInternalServerError, "The bank cannot answer right now: "+err.Error()
	default:
		in, _ := sandbox.InstitutionByID(st.InstitutionID)
		data.Institution, data.ClientName, data.Redirect = in.Name, st.ClientName, st.RedirectURI != ""
		if data.ClientName == "" {
			data.ClientName = "This app"
		}
		for _, p := range st.Products {
			data.Products = append(data.Products, oauthProduct{ID: p, Label: product.Label(p)})
		}
		if st.PaymentID != "" {
			data.Payment = s.describePayment(r.Context(), st.ClientID, st.PaymentID)
		}
	}
	if err == nil && r.Method == http.MethodPost && data.Redirect && r.FormValue("decision") == "cancel" {
		// Back to the app without an answer: Link finds the login
		// pending, as when a popup is closed.
		http.Redirect(w, r, redirectBack(st), http.StatusSeeOther)
		return
	}
	if err == nil && r.Method == http.MethodPost {
		decision := protocol.OAuthDenied
		if r.FormValue("decision") == "allow" {
			decision = protocol.OAuthApproved
		}
		// A form without the product checkboxes (an older page, or a
		// test's plain POST) grants every product.
		var granted []string
		if r.FormValue("product_consent") != "" {
			granted = []string{}
			for _, p := range r.Form["product"] {
				if slices.Contains(st.Products, p) && !slices.Contains(granted, p) {
					granted = append(granted, p)
				}
			}
		}
		switch err := s.store.DecideOAuthState(r.Context(), id, decision, granted); {
		case errors.Is(err, store.ErrUsed):
			status, data.Problem = http.StatusConflict, "You already answered this request."
		case err != nil:
			status, data.Problem = http.StatusInternalServerError, "The bank cannot answer right now: "+err.Error()
		case data.Redirect:
			http.Redirect(w, r, redirectBack(st), http.StatusSeeOther)
			return
		default:
			data.Done = true
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	oauthPage.Execute(w, data)
}

// oauthProduct is a checkbox of the bank's page.
type oauthProduct struct{ ID, Label string }
