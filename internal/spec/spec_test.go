package spec_test

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/spec"
)

func TestShape(t *testing.T) {
	s := spec.Load()
	methods := map[string]int{}
	for _, o := range s.Operations {
		methods[o.Method]++
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"paths", len(s.Paths), 339},
		{"operations", len(s.Operations), 329},
		{"POST operations", methods["POST"], 326},
		{"GET operations", methods["GET"], 3},
		{"webhook schemas", len(s.Webhooks), 92},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
		}
	}
	if !strings.HasPrefix(s.Version, "2020-09-14_") {
		t.Errorf("version %q", s.Version)
	}
}

// TestPathsWithoutOperations pins the spec's paths that declare no
// operation at all (`/path: {}`).
func TestPathsWithoutOperations(t *testing.T) {
	s := spec.Load()
	var empty []string
	for _, p := range s.Paths {
		if !slices.ContainsFunc(s.Operations, func(o spec.Operation) bool { return o.Path == p }) {
			empty = append(empty, p)
		}
	}
	want := []string{
		"/transactions/recurring/deactivate",
		"/idv_classic/identity_assessments",
		"/idv_classic/identity_searches/:id",
		"/idv_classic/identity_searches",
		"/idv_classic/profiles/:id/identity_searches",
		"/idv_classic/profiles/:id",
		"/idv_classic/profiles",
		"/idv_classic/identity_searches/jobs/:id",
		"/idv_classic/identity_assessments/:id",
		"/items/transactions/notify",
	}
	if !slices.Equal(empty, want) {
		t.Errorf("paths without operations:\n got %q\nwant %q", empty, want)
	}
}

// TestRequestsAndResponses checks that every POST names its request
// schema, every GET takes its input in parameters, and every 200 response
// names its schema but the binary ones and one without a body.
func TestRequestsAndResponses(t *testing.T) {
	s := spec.Load()
	notJSON := map[string]string{}
	for _, o := range s.Operations {
		switch o.Method {
		case "POST":
			if _, ok := s.Schema(o.Request); !ok {
				t.Errorf("%s %s: request schema %q", o.Method, o.Path, o.Request)
			}
		case "GET":
			if o.Request != "" {
				t.Errorf("%s %s has a request body", o.Method, o.Path)
			}
		}
		if o.ResponseType != "application/json" {
			notJSON[o.Path] = o.ResponseType
			if o.Response != "" {
				t.Errorf("%s %s: a %q response with a schema", o.Method, o.Path, o.ResponseType)
			}
			continue
		}
		if _, ok := s.Schema(o.Response); !ok {
			t.Errorf("%s %s: response schema %q", o.Method, o.Path, o.Response)
		}
	}
	want := map[string]string{
		"/asset_report/pdf/get":                   "application/pdf",
		"/asset_report/audit_copy/pdf/get":        "application/pdf",
		"/cra/check_report/pdf/get":               "application/pdf",
		"/cra/check_report/verification/pdf/get":  "application/pdf",
		"/consumer_report/pdf/get":                "application/pdf",
		"/statements/download":                    "application/pdf",
		"/income/verification/documents/download": "application/zip",
		"/credit/bank_income/pdf/get":             "application/pdf",
		"/credit/relay/pdf/get":                   "application/pdf",
		"/fdx/notifications":                      "",
	}
	if !reflect.DeepEqual(notJSON, want) {
		t.Errorf("responses that are not JSON:\n got %v\nwant %v", notJSON, want)
	}
}

func TestLinkTokenCreate(t *testing.T) {
	s := spec.Load()
	o, ok := s.Operation("POST", "/link/token/create")
	if !ok {
		t.Fatal("no POST /link/token/create")
	}
	if o.Request != "LinkTokenCreateRequest" || o.Response != "LinkTokenCreateResponse" {
		t.Fatalf("request %q, response %q", o.Request, o.Response)
	}
	req, _ := s.Schema(o.Request)
	for _, f := range []string{"client_name", "language", "country_codes"} {
		if !slices.Contains(req.Required, f) {
			t.Errorf("%s is not required (required: %v)", f, req.Required)
		}
	}
	for _, c := range []struct {
		field     string
		minLength *int
		maxLength *int
		minItems  *int
	}{
		// Plaid's docs give client_name a maximum of 30 characters, but
		// as prose, and what happens past it is that Link shows "This
		// Application": the spec has no maxLength.
		{field: "client_name", minLength: ptr(1)},
		{field: "country_codes", minItems: ptr(1)},
		{field: "access_token", minLength: ptr(1)},
	} {
		p := req.Properties[c.field]
		if p == nil {
			t.Errorf("no field %s", c.field)
			continue
		}
		if !reflect.DeepEqual(p.MinLength, c.minLength) || !reflect.DeepEqual(p.MaxLength, c.maxLength) || !reflect.DeepEqual(p.MinItems, c.minItems) {
			t.Errorf("%s: minLength %v maxLength %v minItems %v", c.field, deref(p.MinLength), deref(p.MaxLength), deref(p.MinItems))
		}
	}
	if cc := s.Resolve(req.Properties["country_codes"].Items); cc == nil || !slices.Contains(cc.Enum, any("US")) {
		t.Errorf("country_codes' items: %+v", cc)
	}
}

func ptr(i int) *int { return &i }

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestExamples checks that every response example is an object with a
// request_id, but those of the five operations whose examples have none.
func TestExamples(t *testing.T) {
	s := spec.Load()
	var noRequestID, none []string
	for _, o := range s.Operations {
		if o.ResponseType == "application/json" && len(o.Examples) == 0 {
			none = append(none, o.Path)
		}
		for _, e := range o.Examples {
			var body map[string]any
			if err := json.Unmarshal(e.Value, &body); err != nil {
				t.Errorf("%s %s: example %q is not an object: %v", o.Method, o.Path, e.Name, err)
				continue
			}
			if _, ok := body["request_id"]; !ok && !slices.Contains(noRequestID, o.Path) {
				noRequestID = append(noRequestID, o.Path)
			}
		}
	}
	for _, c := range []struct {
		what      string
		got, want []string
	}{
		{"examples without request_id", noRequestID, []string{
			"/beta/transactions/v1/enhance",
			"/beta/transactions/user_insights/v1/get",
			"/fdx/recipients",
			"/fdx/consents/{consentId}",
			"/fdx/recipient/{recipientId}",
		}},
		{"JSON responses without an example", none, []string{
			"/asset_report/audit_copy/get",
			"/item/application/list",
			"/item/application/scopes/update",
			"/application/get",
			"/processor/apex/processor_token/create",
			"/sandbox/oauth/select_accounts",
		}},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s:\n got %q\nwant %q", c.what, c.got, c.want)
		}
	}
	o, _ := s.Operation("POST", "/link/token/create")
	if !bytes.HasPrefix(o.Example(), []byte(`{"link_token":"link-sandbox-`)) {
		t.Errorf("/link/token/create's example, in the spec's order of fields: %s", o.Example())
	}
}

// TestClosed checks that every reference names a schema the file holds.
func TestClosed(t *testing.T) {
	s := spec.Load()
	var walk func(at string, sc *spec.Schema)
	walk = func(at string, sc *spec.Schema) {
		if sc == nil {
			return
		}
		if sc.Ref != "" {
			if _, ok := s.Schema(sc.Ref); !ok {
				t.Errorf("%s: reference to %q, which is not in the file", at, sc.Ref)
			}
		}
		for name, p := range sc.Properties {
			walk(at+"."+name, p)
		}
		walk(at+"[]", sc.Items)
		walk(at+".not", sc.Not)
		if sc.AdditionalProperties != nil {
			walk(at+".additionalProperties", sc.AdditionalProperties.Schema)
		}
		for _, list := range [][]*spec.Schema{sc.AllOf, sc.OneOf, sc.AnyOf} {
			for _, e := range list {
				walk(at, e)
			}
		}
	}
	for name, sc := range s.Schemas {
		walk(name, sc)
	}
	for _, o := range s.Operations {
		for _, p := range o.Parameters {
			walk(o.Path+" "+p.Name, p.Schema)
		}
	}
}

func TestPlaidErrorAndWebhooks(t *testing.T) {
	s := spec.Load()
	e := s.PlaidError()
	for _, f := range []string{"error_type", "error_code", "error_message", "display_message"} {
		if !slices.Contains(e.Required, f) {
			t.Errorf("PlaidError does not require %s", f)
		}
	}
	if et := s.Resolve(e.Properties["error_type"]); et == nil || !slices.Contains(et.Enum, any("INVALID_REQUEST")) {
		t.Errorf("PlaidError's error_type: %+v", et)
	}
	for _, name := range s.Webhooks {
		sc, _ := s.Schema(name)
		if sc.Properties["webhook_type"] == nil || sc.Properties["webhook_code"] == nil {
			t.Errorf("webhook %s has no webhook_type or webhook_code", name)
		}
	}
	for _, name := range []string{"DefaultUpdateWebhook", "ItemErrorWebhook", "ProcessorTokenWebhookUpdate", "BankTransfersEventsUpdateWebhookForAuth"} {
		if !slices.Contains(s.Webhooks, name) {
			t.Errorf("%s is not a webhook", name)
		}
	}
}

// TestNullableAllOf checks that OpenAPI 3.0's "this object or null" is
// kept as the spec writes it.
func TestNullableAllOf(t *testing.T) {
	sc, ok := spec.Load().Schema("AccountBaseNullable")
	if !ok || !sc.Nullable || len(sc.AllOf) == 0 || sc.AllOf[0].Ref != "AccountBase" {
		t.Errorf("AccountBaseNullable: %+v", sc)
	}
}

// TestDecodeIsDeterministic decodes the embedded file twice and encodes it
// again: the same value both times, and the same bytes as the file, so
// the file holds nothing the types drop.
func TestDecodeIsDeterministic(t *testing.T) {
	gz, err := os.ReadFile("spec.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	a, err := spec.Decode(gz)
	if err != nil {
		t.Fatal(err)
	}
	b, err := spec.Decode(gz)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("two decodings differ")
	}
	again, err := spec.Encode(a)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, gz) {
		want, _ := spec.Gunzip(gz)
		got, _ := spec.Gunzip(again)
		t.Errorf("encoding the decoded spec gives other bytes: %d bytes of JSON, want %d", len(got), len(want))
	}
}

func TestDecodeTime(t *testing.T) {
	gz, err := os.ReadFile("spec.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := spec.Decode(gz); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("decoding took %v", d)
	} else {
		t.Logf("decoding took %v", d)
	}
}

func BenchmarkDecode(b *testing.B) {
	gz, err := os.ReadFile("spec.json.gz")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := spec.Decode(gz); err != nil {
			b.Fatal(err)
		}
	}
}
