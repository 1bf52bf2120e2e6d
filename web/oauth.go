package web

import (
	_ "embed"
	"errors"
	"html"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/linkharness/linkharness/internal/linkbackend"
	"github.com/linkharness/linkharness/internal/product"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
)

//go:embed oauth.html
var oauthHTML string

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
	id := formValue(r, "oauth_state_id")
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
	if err == nil && r.Method == http.MethodPost && data.Redirect && formValue(r, "decision") == "cancel" {
		// Back to the app without an answer: Link finds the login
		// pending, as when a popup is closed.
		http.Redirect(w, r, linkbackend.RedirectBack(st), http.StatusSeeOther)
		return
	}
	if err == nil && r.Method == http.MethodPost {
		// A form without the product checkboxes (an older page, or a
		// test's plain POST) grants every product.
		var granted []string
		if formValue(r, "product_consent") != "" {
			granted = []string{}
			for _, p := range r.Form["product"] {
				if slices.Contains(st.Products, p) && !slices.Contains(granted, p) {
					granted = append(granted, p)
				}
			}
		}
		switch err := s.link.DecideOAuth(r.Context(), id, formValue(r, "decision") == "allow", granted); {
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
	io.WriteString(w, data.page())
}

// page is the bank's page for d: oauth.html with its title and main
// filled, every string escaped as HTML text. It is written by hand, not
// by html/template, because html/template's reflection makes the linker
// keep every exported method of every type (about 1 MB of the Worker's
// gzipped wasm).
func (d oauthPageData) page() string {
	var b strings.Builder
	text := html.EscapeString
	switch {
	case d.Problem != "":
		b.WriteString("  <h1>" + text(d.Problem) + "</h1>\n")
	case d.Done:
		b.WriteString("  <h1>" + text(d.Institution) + "</h1>\n")
		b.WriteString("  <p>Thank you. You can close this window and return to " + text(d.ClientName) + ".</p>\n")
		b.WriteString("  <script>window.close();</script>\n")
	default:
		b.WriteString("  <h1>" + text(d.Institution) + "</h1>\n")
		if d.Payment != "" {
			b.WriteString("  <p>" + text(d.ClientName) + " asks you to authorise a payment through Plaid: " + text(d.Payment) + ".</p>\n")
		} else {
			b.WriteString("  <p>" + text(d.ClientName) + " wants to access your accounts at " + text(d.Institution) + " through Plaid.</p>\n")
		}
		b.WriteString("  <p class=\"note\">This page stands in for the bank's own site: linkharness emulates the OAuth login.</p>\n")
		b.WriteString("  <form method=\"post\">\n")
		b.WriteString("    <input type=\"hidden\" name=\"oauth_state_id\" value=\"" + text(d.StateID) + "\">\n")
		if len(d.Products) > 0 {
			b.WriteString("    <fieldset>\n      <legend>Data to share with " + text(d.ClientName) + "</legend>\n")
			b.WriteString("      <input type=\"hidden\" name=\"product_consent\" value=\"1\">\n")
			for _, p := range d.Products {
				b.WriteString("      <label><input type=\"checkbox\" name=\"product\" value=\"" + text(p.ID) + "\" checked> " + text(p.Label) + "</label>\n")
			}
			b.WriteString("    </fieldset>\n")
		}
		if d.Redirect {
			b.WriteString("    <button type=\"submit\" name=\"decision\" value=\"cancel\">Cancel</button>\n")
		}
		b.WriteString("    <button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n")
		b.WriteString("    <button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>\n")
		b.WriteString("  </form>\n")
	}
	title := d.Institution
	if title == "" {
		title = "Bank"
	}
	return strings.NewReplacer("{{title}}", text(title), "{{main}}", b.String()).Replace(oauthHTML)
}

// oauthProduct is a checkbox of the bank's page.
type oauthProduct struct{ ID, Label string }

// formValue is r.FormValue for the page's URL-encoded form (the query and
// a POST body) without FormValue's multipart parsing, which the page's
// form never sends and which would link mime/multipart into the Worker.
func formValue(r *http.Request, key string) string {
	if r.Form == nil {
		r.ParseForm() // as FormValue, a malformed form reads as empty
	}
	return r.Form.Get(key)
}
