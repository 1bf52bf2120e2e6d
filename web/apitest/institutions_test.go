package apitest

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/plaid/plaid-go/v20/plaid"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/spec"
)

func institutionIDs(list []plaid.Institution) []string {
	var out []string
	for _, in := range list {
		out = append(out, in.InstitutionId)
	}
	return out
}

// TestInstitutionsGet pages through the sandbox institutions with
// plaid-go's /institutions/get: count and offset, total, the products,
// oauth and routing-number filters and the include options, answers
// valid against the spec.
func TestInstitutionsGet(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	get := func(count, offset int32, countries []plaid.CountryCode, opts *plaid.InstitutionsGetRequestOptions) (plaid.InstitutionsGetResponse, error) {
		req := plaid.NewInstitutionsGetRequest(count, offset, countries)
		if opts != nil {
			req.SetOptions(*opts)
		}
		out, _, err := e.plaid.InstitutionsGet(ctx).InstitutionsGetRequest(*req).Execute()
		return out, err
	}
	var us []string
	for _, in := range sandbox.Institutions {
		if slices.Contains(in.Countries, "US") {
			us = append(us, in.ID)
		}
	}
	first, err := get(3, 0, []plaid.CountryCode{"US"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rest, err := get(500, 3, []plaid.CountryCode{"US"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if int(first.Total) != len(us) || int(rest.Total) != len(us) || !slices.Equal(append(institutionIDs(first.Institutions), institutionIDs(rest.Institutions)...), us) {
		t.Errorf("pages %v + %v (total %d), want %v", institutionIDs(first.Institutions), institutionIDs(rest.Institutions), first.Total, us)
	}
	if in := first.Institutions[0]; !slices.Contains(in.Products, "balance") || !slices.Contains(in.Products, "auth") || in.Url.Get() != nil || in.Status.Get() != nil {
		t.Errorf("institution %+v", in)
	}
	checkRequestID(t, "/institutions/get", first.RequestId)
	if past, err := get(10, 100, []plaid.CountryCode{"US"}, nil); err != nil || len(past.Institutions) != 0 || int(past.Total) != len(us) {
		t.Errorf("past the end: %+v %v", past, err)
	}

	// Filters: auth means Instant Auth (not Houndstooth Bank), every
	// institution serves balance, OAuth only, and routing numbers no
	// sandbox institution has.
	opts := plaid.NewInstitutionsGetRequestOptions()
	opts.SetProducts([]plaid.Products{"auth", "balance"})
	opts.SetOauth(true)
	opts.SetIncludeOptionalMetadata(true)
	opts.SetIncludeAuthMetadata(true)
	oauth, err := get(10, 0, []plaid.CountryCode{"US"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(institutionIDs(oauth.Institutions), []string{"ins_127287", "ins_132241"}) || oauth.Total != 2 {
		t.Errorf("US OAuth institutions with auth: %v", institutionIDs(oauth.Institutions))
	}
	if in := oauth.Institutions[0]; in.Url.Get() == nil || in.AuthMetadata.Get() == nil || !in.AuthMetadata.Get().SupportedMethods.Get().InstantAuth || in.PaymentInitiationMetadata.IsSet() {
		t.Errorf("institution with metadata %+v", in)
	}
	auth := plaid.NewInstitutionsGetRequestOptions()
	auth.SetProducts([]plaid.Products{"auth"})
	if withAuth, err := get(500, 0, []plaid.CountryCode{"US"}, auth); err != nil || slices.Contains(institutionIDs(withAuth.Institutions), "ins_109512") {
		t.Errorf("Instant Auth institutions: %v %v", institutionIDs(withAuth.Institutions), err)
	}
	routing := plaid.NewInstitutionsGetRequestOptions()
	routing.SetRoutingNumbers([]string{"011401533"})
	if none, err := get(10, 0, []plaid.CountryCode{"US"}, routing); err != nil || none.Total != 0 {
		t.Errorf("by routing number: %+v %v", none, err)
	}
	body := e.conforms(t, doc, "/institutions/get", map[string]any{"count": 500, "offset": 0, "country_codes": []string{"US", "GB", "CA", "FR"},
		"options": map[string]any{"include_optional_metadata": true, "include_auth_metadata": true, "include_payment_initiation_metadata": true}})
	if n := len(body["institutions"].([]any)); n != len(sandbox.Institutions) {
		t.Errorf("%d institutions in four countries, want %d", n, len(sandbox.Institutions))
	}

	for _, tt := range []struct {
		name string
		body map[string]any
		code string
	}{
		{"no count", map[string]any{"offset": 0, "country_codes": []string{"US"}}, "MISSING_FIELDS"},
		{"no offset", map[string]any{"count": 1, "country_codes": []string{"US"}}, "MISSING_FIELDS"},
		{"no countries", map[string]any{"count": 1, "offset": 0}, "MISSING_FIELDS"},
		{"count 0", map[string]any{"count": 0, "offset": 0, "country_codes": []string{"US"}}, "INVALID_FIELD"},
		{"count 501", map[string]any{"count": 501, "offset": 0, "country_codes": []string{"US"}}, "INVALID_FIELD"},
		{"negative offset", map[string]any{"count": 1, "offset": -1, "country_codes": []string{"US"}}, "INVALID_FIELD"},
		{"unknown country", map[string]any{"count": 1, "offset": 0, "country_codes": []string{"XX"}}, "INVALID_FIELD"},
		{"unknown product", map[string]any{"count": 1, "offset": 0, "country_codes": []string{"US"}, "options": map[string]any{"products": []string{"nope"}}}, "INVALID_FIELD"},
		{"no products", map[string]any{"count": 1, "offset": 0, "country_codes": []string{"US"}, "options": map[string]any{"products": []string{}}}, "INVALID_FIELD"},
		{"only invalid routing numbers", map[string]any{"count": 1, "offset": 0, "country_codes": []string{"US"}, "options": map[string]any{"routing_numbers": []string{"123"}}}, "INVALID_FIELD"},
	} {
		if status, out := e.post(t, "/institutions/get", tt.body, false); status != http.StatusBadRequest || out["error_code"] != tt.code {
			t.Errorf("%s: %d %v, want %s", tt.name, status, out, tt.code)
		}
	}
}

// TestInstitutionIncludes asks /institutions/get_by_id and
// /institutions/search for status, auth and Payment Initiation metadata
// with plaid-go, and validates the answers against the spec.
func TestInstitutionIncludes(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	byID := func(id string, countries []plaid.CountryCode) plaid.Institution {
		t.Helper()
		req := plaid.NewInstitutionsGetByIdRequest(id, countries)
		opts := plaid.NewInstitutionsGetByIdRequestOptions()
		opts.SetIncludeStatus(true)
		opts.SetIncludeAuthMetadata(true)
		opts.SetIncludePaymentInitiationMetadata(true)
		req.SetOptions(*opts)
		out, _, err := e.plaid.InstitutionsGetById(ctx).InstitutionsGetByIdRequest(*req).Execute()
		if err != nil {
			t.Fatal(err)
		}
		return out.Institution
	}
	degraded := byID("ins_900001", []plaid.CountryCode{"US"})
	st := degraded.Status.Get()
	if st == nil || st.ItemLogins.Get() == nil || st.ItemLogins.Get().Status != "DEGRADED" || st.ItemLogins.Get().Breakdown.Success != 0.5 ||
		st.TransactionsUpdates.Get().Breakdown.GetRefreshInterval() != "DELAYED" || degraded.PaymentInitiationMetadata.Get() != nil {
		t.Errorf("Degraded Platypus Bank %+v", degraded)
	}
	if down := byID("ins_900002", []plaid.CountryCode{"US"}); down.Status.Get().Auth.Get().Status != "DOWN" {
		t.Errorf("Down Platypus Bank %+v", down.Status.Get())
	}
	hound := byID("ins_109512", []plaid.CountryCode{"US"})
	if m := hound.AuthMetadata.Get().SupportedMethods.Get(); m.InstantAuth || !m.InstantMatch || !m.AutomatedMicroDeposits || hound.Status.Get().Investments.Get() != nil {
		t.Errorf("Houndstooth Bank %+v %+v", m, hound.Status.Get())
	}
	royal := byID("ins_117650", []plaid.CountryCode{"GB"})
	pm := royal.PaymentInitiationMetadata.Get()
	if pm == nil || !pm.SupportsInternationalPayments || !pm.SupportsSepaInstant || pm.MaximumPaymentAmount["GBP"] == "" || pm.MaximumPaymentAmount["EUR"] == "" {
		t.Errorf("Royal Bank of Plaid %+v", pm)
	}
	for _, id := range []string{"ins_900001", "ins_109512", "ins_117650", "ins_116834"} {
		e.conforms(t, doc, "/institutions/get_by_id", map[string]any{"institution_id": id, "country_codes": []string{"US", "GB"},
			"options": map[string]any{"include_optional_metadata": true, "include_status": true, "include_auth_metadata": true, "include_payment_initiation_metadata": true}})
	}
	plain := e.conforms(t, doc, "/institutions/get_by_id", map[string]any{"institution_id": "ins_109508", "country_codes": []string{"US"}})
	for _, k := range []string{"status", "auth_metadata", "payment_initiation_metadata", "url"} {
		if _, ok := plain["institution"].(map[string]any)[k]; ok {
			t.Errorf("%s without asking for it: %v", k, plain["institution"])
		}
	}

	search := plaid.NewInstitutionsSearchRequest("platypus", []plaid.CountryCode{"GB"})
	search.SetProducts([]plaid.Products{"payment_initiation"})
	sopts := plaid.NewInstitutionsSearchRequestOptions()
	sopts.SetIncludePaymentInitiationMetadata(true)
	sopts.SetIncludeAuthMetadata(true)
	search.SetOptions(*sopts)
	found, _, err := e.plaid.InstitutionsSearch(ctx).InstitutionsSearchRequest(*search).Execute()
	if err != nil || len(found.Institutions) != 2 {
		t.Fatalf("/institutions/search %+v %v", found, err)
	}
	if in := found.Institutions[0]; in.PaymentInitiationMetadata.Get() == nil || in.PaymentInitiationMetadata.Get().SupportsSepaInstant ||
		in.PaymentInitiationMetadata.Get().MaximumPaymentAmount["GBP"] == "" || in.AuthMetadata.Get() == nil || in.Status.IsSet() {
		t.Errorf("searched %+v", in)
	}
	e.conforms(t, doc, "/institutions/search", map[string]any{"query": "bank", "country_codes": []string{"US", "GB", "CA"}, "products": []string{"balance"},
		"options": map[string]any{"include_optional_metadata": true, "include_auth_metadata": true, "include_payment_initiation_metadata": true}})
}

// TestCategories gets the legacy categories with plaid-go and, as Plaid
// allows, without credentials.
func TestCategories(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	got, _, err := e.plaid.CategoriesGet(ctx).Body(map[string]any{}).Execute()
	if err != nil {
		t.Fatal(err)
	}
	checkRequestID(t, "/categories/get", got.RequestId)
	i := slices.IndexFunc(got.Categories, func(c plaid.Category) bool { return c.CategoryId == "13005043" })
	if i < 0 || got.Categories[i].Group != "place" || !slices.Equal(got.Categories[i].Hierarchy, []string{"Food and Drink", "Restaurants", "Coffee Shop"}) {
		t.Errorf("categories %+v", got.Categories)
	}
	status, out := e.post(t, "/categories/get", map[string]any{}, true)
	if status != http.StatusOK || len(out["categories"].([]any)) != len(got.Categories) {
		t.Fatalf("without credentials: %d %v", status, out)
	}
	validate(t, doc, "/categories/get", out)
}
