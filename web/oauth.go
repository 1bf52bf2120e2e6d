package web

import (
	_ "embed"
	"errors"
	"html/template"
	"net/http"
	"slices"

	"github.com/linkharness/linkharness/internal/linkbackend"
	"github.com/linkharness/linkharness/internal/product"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
)

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
	st, err := s.link.OAuthLogin(r.Context(), id)
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
			data.Payment = s.link.DescribePayment(r.Context(), st.ClientID, st.PaymentID)
		}
	}
	if err == nil && r.Method == http.MethodPost && data.Redirect && r.FormValue("decision") == "cancel" {
		// Back to the app without an answer: Link finds the login
		// pending, as when a popup is closed.
		http.Redirect(w, r, linkbackend.RedirectBack(st), http.StatusSeeOther)
		return
	}
	if err == nil && r.Method == http.MethodPost {
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
		switch err := s.link.DecideOAuth(r.Context(), id, r.FormValue("decision") == "allow", granted); {
		case errors.Is(err, store.ErrUsed):
			status, data.Problem = http.StatusConflict, "You already answered this request."
		case err != nil:
			status, data.Problem = http.StatusInternalServerError, "The bank cannot answer right now: "+err.Error()
		case data.Redirect:
			http.Redirect(w, r, linkbackend.RedirectBack(st), http.StatusSeeOther)
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
