package web

import (
	"context"
	"strings"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/product"

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
	out := institutionJSON{InstitutionID: in.ID, Name: in.Name, Products: nonNil(in.Products), CountryCodes: nonNil(in.Countries),
		RoutingNumbers: []string{}, DTCNumbers: []string{}, OAuth: in.OAuth}
	if optional {
		url, color := "https://plaid.com", "#1f1f1f"
		out.URL, out.PrimaryColor = &url, &color
	}
	return out
}

// institutionsGetByIDRequest is /institutions/get_by_id's body.
type institutionsGetByIDRequest struct {
	credentials
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

func (s *Server) institutionsGetByID(_ context.Context, c *call, req *institutionsGetByIDRequest) (institutionsGetByIDResponse, *plaid.Error) {
	if e := plaid.Required("institution_id", req.InstitutionID, "country_codes", req.CountryCodes); e != nil {
		return institutionsGetByIDResponse{}, e
	}
	if e := plaid.CheckAll("country_codes", req.CountryCodes, countryCodes); e != nil {
		return institutionsGetByIDResponse{}, e
	}
	in, ok := sandbox.InstitutionByID(req.InstitutionID)
	if !ok || !in.InCountry(req.CountryCodes) {
		return institutionsGetByIDResponse{}, plaid.InvalidInstitution()
	}
	optional := req.Options != nil && req.Options.IncludeOptionalMetadata
	return institutionsGetByIDResponse{Institution: institutionOut(in, optional), RequestID: c.requestID}, nil
}

// institutionsSearchRequest is /institutions/search's body.
type institutionsSearchRequest struct {
	credentials
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

// institutionsSearch finds the sandbox institutions whose name contains
// every word of the query, in the countries and with the products asked.
func (s *Server) institutionsSearch(_ context.Context, c *call, req *institutionsSearchRequest) (institutionsSearchResponse, *plaid.Error) {
	if e := plaid.Required("query", req.Query, "country_codes", req.CountryCodes); e != nil {
		return institutionsSearchResponse{}, e
	}
	if e := plaid.CheckAll("country_codes", req.CountryCodes, countryCodes); e != nil {
		return institutionsSearchResponse{}, e
	}
	if e := plaid.CheckAll("products", req.Products, product.Names(nil)); e != nil {
		return institutionsSearchResponse{}, e
	}
	resp := institutionsSearchResponse{Institutions: []institutionJSON{}, RequestID: c.requestID}
	words := strings.Fields(strings.ToLower(req.Query))
	for _, in := range sandbox.Institutions {
		if !in.InCountry(req.CountryCodes) || !in.Supports(req.Products) {
			continue
		}
		if req.Options != nil && req.Options.OAuth != nil && *req.Options.OAuth != in.OAuth {
			continue
		}
		name := strings.ToLower(in.Name)
		match := true
		for _, w := range words {
			match = match && strings.Contains(name, w)
		}
		if match || strings.EqualFold(req.Query, in.ID) {
			resp.Institutions = append(resp.Institutions, institutionOut(in, req.Options != nil && req.Options.IncludeOptionalMetadata))
		}
	}
	return resp, nil
}
