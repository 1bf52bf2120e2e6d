package referenceapi

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/web/internal/httpapi"

	"github.com/linkharness/linkharness/internal/sandbox"
)

// institutionRoutes are the Institutions endpoints.
func (s *API) institutionRoutes() []httpapi.Route {
	return []httpapi.Route{
		{Method: "POST", Path: "/institutions/get_by_id", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.institutionsGetByID), Doc: "one sandbox institution; `options.include_status` (from the institution's health), `include_auth_metadata`, `include_payment_initiation_metadata`, `include_optional_metadata`"},
		{Method: "POST", Path: "/institutions/search", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.institutionsSearch), Doc: "sandbox institutions whose name holds every word of the query, by country and products (`balance` and every Auth method match); `options.oauth`, `include_optional_metadata`, `include_auth_metadata`, `include_payment_initiation_metadata`"},
		{Method: "POST", Path: "/institutions/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.institutionsGet), Doc: "the sandbox institutions of the `country_codes`, `count` (1 to 500) from `offset`, with `total`; filtered by `options.products` (`auth`: Instant Auth only), `oauth` and `routing_numbers`; `include_optional_metadata`, `include_auth_metadata`, `include_payment_initiation_metadata`"},
	}
}

// institutionJSON is an institution as the API shows it. Status, auth
// and Payment Initiation metadata are there only when asked for, and
// null then where they do not apply.
type institutionJSON struct {
	InstitutionID             string          `json:"institution_id"`
	Name                      string          `json:"name"`
	Products                  []string        `json:"products"`
	CountryCodes              []string        `json:"country_codes"`
	URL                       *string         `json:"url,omitempty"`
	PrimaryColor              *string         `json:"primary_color,omitempty"`
	Logo                      *string         `json:"logo,omitempty"`
	RoutingNumbers            []string        `json:"routing_numbers"`
	DTCNumbers                []string        `json:"dtc_numbers"`
	OAuth                     bool            `json:"oauth"`
	Status                    json.RawMessage `json:"status,omitempty"`
	AuthMetadata              json.RawMessage `json:"auth_metadata,omitempty"`
	PaymentInitiationMetadata json.RawMessage `json:"payment_initiation_metadata,omitempty"`
}

// institutionOptions are the include_* options of the Institutions
// endpoints.
type institutionOptions struct {
	IncludeOptionalMetadata          bool  `json:"include_optional_metadata"`
	IncludeStatus                    bool  `json:"include_status"`
	IncludeAuthMetadata              *bool `json:"include_auth_metadata"`
	IncludePaymentInitiationMetadata *bool `json:"include_payment_initiation_metadata"`
}

// show is what the options ask to show of each institution, with the
// tenant's now, which a status speaks of.
func (o *institutionOptions) show(now time.Time) institutionShow {
	if o == nil {
		return institutionShow{}
	}
	return institutionShow{optional: o.IncludeOptionalMetadata, status: o.IncludeStatus, now: now,
		auth: o.IncludeAuthMetadata != nil && *o.IncludeAuthMetadata, payment: o.IncludePaymentInitiationMetadata != nil && *o.IncludePaymentInitiationMetadata}
}

// institutionShow is what to show of an institution beyond its
// required fields.
type institutionShow struct {
	optional, status, auth, payment bool
	now                             time.Time
}

// institutionOut shows a sandbox institution: with optional metadata it
// has a url and a primary_color (the sandbox has no logos); its status,
// auth and Payment Initiation metadata when asked for.
func institutionOut(in sandbox.Institution, show institutionShow) institutionJSON {
	out := institutionJSON{InstitutionID: in.ID, Name: in.Name, Products: in.APIProducts(), CountryCodes: httpapi.NonNil(in.Countries),
		RoutingNumbers: []string{}, DTCNumbers: []string{}, OAuth: in.OAuth}
	if show.optional {
		url, color := "https://plaid.com", "#1f1f1f"
		out.URL, out.PrimaryColor = &url, &color
	}
	if show.status {
		out.Status = jsonOf(statusOut(in, show.now))
	}
	if show.auth {
		out.AuthMetadata = jsonOrNull(authMetadataOut(in))
	}
	if show.payment {
		out.PaymentInitiationMetadata = jsonOrNull(paymentMetadataOut(in))
	}
	return out
}

// institutionsGetByIDRequest is /institutions/get_by_id's body.
type institutionsGetByIDRequest struct {
	httpapi.Credentials
	InstitutionID string              `json:"institution_id"`
	CountryCodes  []string            `json:"country_codes"`
	Options       *institutionOptions `json:"options"`
}

type institutionsGetByIDResponse struct {
	Institution institutionJSON `json:"institution"`
	RequestID   string          `json:"request_id"`
}

// institutionsGetByID returns a sandbox institution that serves one of
// the countries asked.
func (s *API) institutionsGetByID(ctx context.Context, c *httpapi.Call, req *institutionsGetByIDRequest) (institutionsGetByIDResponse, *plaid.Error) {
	if e := plaid.Required("institution_id", req.InstitutionID, "country_codes", req.CountryCodes); e != nil {
		return institutionsGetByIDResponse{}, e
	}
	if e := plaid.CheckAll("country_codes", req.CountryCodes, plaid.CountryCodes); e != nil {
		return institutionsGetByIDResponse{}, e
	}
	in, ok := sandbox.InstitutionIn(req.InstitutionID, req.CountryCodes)
	if !ok {
		return institutionsGetByIDResponse{}, plaid.InvalidInstitution()
	}
	if s.Settings != nil {
		// Its status follows the health the client's settings give it.
		st, e := s.Settings.Get(ctx, c.Tenant.ClientID, "")
		if e != nil {
			return institutionsGetByIDResponse{}, e
		}
		in.Health = st.Health(in)
	}
	return institutionsGetByIDResponse{Institution: institutionOut(in, req.Options.show(c.Tenant.Now)), RequestID: c.RequestID}, nil
}

// institutionsSearchRequest is /institutions/search's body.
type institutionsSearchRequest struct {
	httpapi.Credentials
	Query        string   `json:"query"`
	Products     []string `json:"products"`
	CountryCodes []string `json:"country_codes"`
	Options      *struct {
		institutionOptions
		OAuth *bool `json:"oauth"`
	} `json:"options"`
}

type institutionsResponse struct {
	Institutions []institutionJSON `json:"institutions"`
	RequestID    string            `json:"request_id"`
}

// institutionsSearch returns the sandbox institutions the query finds
// (sandbox.SearchInstitutions).
func (s *API) institutionsSearch(_ context.Context, c *httpapi.Call, req *institutionsSearchRequest) (institutionsResponse, *plaid.Error) {
	if e := plaid.Required("query", req.Query, "country_codes", req.CountryCodes); e != nil {
		return institutionsResponse{}, e
	}
	if e := plaid.CheckAll("country_codes", req.CountryCodes, plaid.CountryCodes); e != nil {
		return institutionsResponse{}, e
	}
	if e := plaid.CheckAll("products", req.Products, product.Names(nil)); e != nil {
		return institutionsResponse{}, e
	}
	q := sandbox.InstitutionQuery{Query: req.Query, Countries: req.CountryCodes, Products: req.Products}
	var show institutionShow
	if req.Options != nil {
		q.OAuth = req.Options.OAuth
		show = req.Options.institutionOptions.show(c.Tenant.Now)
		// /institutions/search has no include_status.
		show.status = false
	}
	resp := institutionsResponse{Institutions: []institutionJSON{}, RequestID: c.RequestID}
	for _, in := range sandbox.SearchInstitutions(q) {
		resp.Institutions = append(resp.Institutions, institutionOut(in, show))
	}
	return resp, nil
}

// Paging limits of /institutions/get.
const maxInstitutionsCount = 500

// institutionsGetRequest is /institutions/get's body.
type institutionsGetRequest struct {
	httpapi.Credentials
	Count        *int     `json:"count"`
	Offset       *int     `json:"offset"`
	CountryCodes []string `json:"country_codes"`
	Options      *struct {
		institutionOptions
		Products       []string `json:"products"`
		RoutingNumbers []string `json:"routing_numbers"`
		OAuth          *bool    `json:"oauth"`
	} `json:"options"`
}

type institutionsGetResponse struct {
	Institutions []institutionJSON `json:"institutions"`
	// Total is how many institutions match, on all pages.
	Total     int    `json:"total"`
	RequestID string `json:"request_id"`
}

// institutionsGet pages through the sandbox institutions of the
// countries asked, in the sandbox's order. Filtering on auth keeps the
// institutions with Instant Auth only; routing numbers that cannot be
// routing numbers are dropped (INVALID_FIELD when none is left), and the
// sandbox's institutions are known by none.
func (s *API) institutionsGet(_ context.Context, c *httpapi.Call, req *institutionsGetRequest) (institutionsGetResponse, *plaid.Error) {
	var missing []string
	if req.Count == nil {
		missing = append(missing, "count")
	}
	if req.Offset == nil {
		missing = append(missing, "offset")
	}
	if len(req.CountryCodes) == 0 {
		missing = append(missing, "country_codes")
	}
	if len(missing) > 0 {
		return institutionsGetResponse{}, plaid.MissingFields(missing...)
	}
	if *req.Count < 1 || *req.Count > maxInstitutionsCount || *req.Offset < 0 {
		return institutionsGetResponse{}, plaid.InvalidField(fmt.Sprintf("count must be between 1 and %d and offset not negative", maxInstitutionsCount))
	}
	if e := plaid.CheckAll("country_codes", req.CountryCodes, plaid.CountryCodes); e != nil {
		return institutionsGetResponse{}, e
	}
	q := sandbox.InstitutionQuery{Countries: req.CountryCodes, InstantAuth: true}
	var show institutionShow
	if o := req.Options; o != nil {
		if o.Products != nil && len(o.Products) == 0 {
			return institutionsGetResponse{}, plaid.InvalidField("options.products must name at least one product, or be null")
		}
		if e := plaid.CheckAll("options.products", o.Products, product.Names(nil)); e != nil {
			return institutionsGetResponse{}, e
		}
		for _, n := range o.RoutingNumbers {
			if routingNumber(n) {
				q.RoutingNumbers = append(q.RoutingNumbers, n)
			}
		}
		if len(o.RoutingNumbers) > 0 && len(q.RoutingNumbers) == 0 {
			return institutionsGetResponse{}, plaid.InvalidField("options.routing_numbers holds no valid routing number (9 digits with a valid checksum)")
		}
		q.Products, q.OAuth = o.Products, o.OAuth
		show = o.institutionOptions.show(c.Tenant.Now)
		// /institutions/get has no include_status.
		show.status = false
	}
	match := sandbox.SearchInstitutions(q)
	resp := institutionsGetResponse{Institutions: []institutionJSON{}, Total: len(match), RequestID: c.RequestID}
	for i := *req.Offset; i < len(match) && i < *req.Offset+*req.Count; i++ {
		resp.Institutions = append(resp.Institutions, institutionOut(match[i], show))
	}
	return resp, nil
}

// routingNumber reports whether s can be an ABA routing number: nine
// digits whose weighted sum (3, 7, 1) is a multiple of 10.
func routingNumber(s string) bool {
	if len(s) != 9 {
		return false
	}
	sum := 0
	for i, r := range s {
		if r < '0' || r > '9' {
			return false
		}
		sum += int(r-'0') * [3]int{3, 7, 1}[i%3]
	}
	return sum%10 == 0
}
