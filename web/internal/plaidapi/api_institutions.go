package plaidapi

import (
	"context"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/web/internal/httpapi"

	"github.com/linkharness/linkharness/internal/sandbox"
)

// institutionJSON is an institution as the API shows it.
type institutionJSON struct {
	InstitutionID  string   `json:"institution_id"`
	Name           string   `json:"name"`
	Products       []string `json:"products"`
	CountryCodes   []string `json:"country_codes"`
	URL            *string  `json:"url,omitempty"`
	PrimaryColor   *string  `json:"primary_color,omitempty"`
	Logo           *string  `json:"logo,omitempty"`
	RoutingNumbers []string `json:"routing_numbers"`
	DTCNumbers     []string `json:"dtc_numbers"`
	OAuth          bool     `json:"oauth"`
}

// institutionOut shows a sandbox institution; with optional metadata it
// has a url and a primary_color (the sandbox has no logos).
func institutionOut(in sandbox.Institution, optional bool) institutionJSON {
	out := institutionJSON{InstitutionID: in.ID, Name: in.Name, Products: httpapi.NonNil(in.Products), CountryCodes: httpapi.NonNil(in.Countries),
		RoutingNumbers: []string{}, DTCNumbers: []string{}, OAuth: in.OAuth}
	if optional {
		url, color := "https://plaid.com", "#1f1f1f"
		out.URL, out.PrimaryColor = &url, &color
	}
	return out
}

// institutionsGetByIDRequest is /institutions/get_by_id's body.
type institutionsGetByIDRequest struct {
	httpapi.Credentials
	InstitutionID string   `json:"institution_id"`
	CountryCodes  []string `json:"country_codes"`
	Options       *struct {
		IncludeOptionalMetadata bool `json:"include_optional_metadata"`
	} `json:"options"`
}

type institutionsGetByIDResponse struct {
	Institution institutionJSON `json:"institution"`
	RequestID   string          `json:"request_id"`
}

// institutionsGetByID returns a sandbox institution that serves one of
// the countries asked.
func (s *API) institutionsGetByID(_ context.Context, c *httpapi.Call, req *institutionsGetByIDRequest) (institutionsGetByIDResponse, *plaid.Error) {
	if e := plaid.Required("institution_id", req.InstitutionID, "country_codes", req.CountryCodes); e != nil {
		return institutionsGetByIDResponse{}, e
	}
	if e := plaid.CheckAll("country_codes", req.CountryCodes, countryCodes); e != nil {
		return institutionsGetByIDResponse{}, e
	}
	in, ok := sandbox.InstitutionIn(req.InstitutionID, req.CountryCodes)
	if !ok {
		return institutionsGetByIDResponse{}, plaid.InvalidInstitution()
	}
	optional := req.Options != nil && req.Options.IncludeOptionalMetadata
	return institutionsGetByIDResponse{Institution: institutionOut(in, optional), RequestID: c.RequestID}, nil
}

// institutionsSearchRequest is /institutions/search's body.
type institutionsSearchRequest struct {
	httpapi.Credentials
	Query        string   `json:"query"`
	Products     []string `json:"products"`
	CountryCodes []string `json:"country_codes"`
	Options      *struct {
		OAuth                   *bool `json:"oauth"`
		IncludeOptionalMetadata bool  `json:"include_optional_metadata"`
	} `json:"options"`
}

type institutionsSearchResponse struct {
	Institutions []institutionJSON `json:"institutions"`
	RequestID    string            `json:"request_id"`
}

// institutionsSearch returns the sandbox institutions the query finds
// (sandbox.SearchInstitutions).
func (s *API) institutionsSearch(_ context.Context, c *httpapi.Call, req *institutionsSearchRequest) (institutionsSearchResponse, *plaid.Error) {
	if e := plaid.Required("query", req.Query, "country_codes", req.CountryCodes); e != nil {
		return institutionsSearchResponse{}, e
	}
	if e := plaid.CheckAll("country_codes", req.CountryCodes, countryCodes); e != nil {
		return institutionsSearchResponse{}, e
	}
	if e := plaid.CheckAll("products", req.Products, product.Names(nil)); e != nil {
		return institutionsSearchResponse{}, e
	}
	q := sandbox.InstitutionQuery{Query: req.Query, Countries: req.CountryCodes, Products: req.Products}
	optional := false
	if req.Options != nil {
		q.OAuth, optional = req.Options.OAuth, req.Options.IncludeOptionalMetadata
	}
	resp := institutionsSearchResponse{Institutions: []institutionJSON{}, RequestID: c.RequestID}
	for _, in := range sandbox.SearchInstitutions(q) {
		resp.Institutions = append(resp.Institutions, institutionOut(in, optional))
	}
	return resp, nil
}
