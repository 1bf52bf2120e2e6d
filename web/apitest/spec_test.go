package apitest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/linkharness/linkharness/internal/spec"
	"github.com/linkharness/linkharness/web"
)

// openAPI is the embedded spec as an OpenAPI 3.0 document again, for
// kin-openapi: component schemas under their names, references as
// "$ref": "#/components/schemas/<name>".
func openAPI(t *testing.T, s *spec.Spec) *openapi3.T {
	t.Helper()
	raw, err := json.Marshal(s.Schemas)
	if err != nil {
		t.Fatal(err)
	}
	var schemas map[string]any
	json.Unmarshal(raw, &schemas)
	doc := map[string]any{
		"openapi":    "3.0.0",
		"info":       map[string]any{"title": "Plaid", "version": s.Version},
		"paths":      map[string]any{},
		"components": map[string]any{"schemas": refs(schemas)},
	}
	b, _ := json.Marshal(doc)
	loader := openapi3.NewLoader()
	t3, err := loader.LoadFromData(b)
	if err != nil {
		t.Fatalf("the embedded spec is not an OpenAPI document again: %v", err)
	}
	return t3
}

// refs rewrites the embedded spec's "ref": name into OpenAPI's $ref.
func refs(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if name, ok := v["ref"].(string); ok && len(v) == 1 {
			return map[string]any{"$ref": "#/components/schemas/" + name}
		}
		for k, x := range v {
			v[k] = refs(x)
		}
	case []any:
		for i, x := range v {
			v[i] = refs(x)
		}
	}
	return v
}

// request is a body its request schema accepts: every required field,
// with the least value of its type; access_token is the given one.
func request(s *spec.Spec, sc *spec.Schema, accessToken string, depth int) any {
	sc = s.Resolve(sc)
	if sc == nil || depth > 10 {
		return nil
	}
	if len(sc.Enum) > 0 {
		return sc.Enum[0]
	}
	if len(sc.AllOf) > 0 {
		out := map[string]any{}
		for _, part := range sc.AllOf {
			if m, ok := request(s, part, accessToken, depth+1).(map[string]any); ok {
				for k, v := range m {
					out[k] = v
				}
			}
		}
		return out
	}
	if len(sc.OneOf) > 0 {
		return request(s, sc.OneOf[0], accessToken, depth+1)
	}
	switch sc.Type {
	case "object", "":
		out := map[string]any{}
		for _, name := range sc.Required {
			if name == "client_id" || name == "secret" {
				continue
			}
			if name == "access_token" {
				out[name] = accessToken
				continue
			}
			out[name] = request(s, sc.Properties[name], accessToken, depth+1)
		}
		return out
	case "array":
		if sc.MinItems != nil && *sc.MinItems > 0 {
			return []any{request(s, sc.Items, accessToken, depth+1)}
		}
		return []any{}
	case "string":
		switch sc.Format {
		case "date":
			return "2026-01-01"
		case "date-time":
			return "2026-01-01T00:00:00Z"
		}
		if sc.MinLength != nil {
			return strings.Repeat("a", *sc.MinLength)
		}
		return "a"
	case "integer", "number":
		if sc.Minimum != nil {
			return *sc.Minimum
		}
		return 1
	case "boolean":
		return false
	}
	return nil
}

// knownBadExamples are operations whose spec example does not validate
// against the spec's own response schema (the spec's README names the
// Signal ones: they lack the required risk_tier).
var knownBadExamples = []string{"/signal/evaluate", "/processor/signal/evaluate"}

// TestSpecShapedPaths walks every operation of Plaid's spec that the
// emulator keeps no state for: a request built from its request schema,
// with the access token of a real Item, gets a 200, and a JSON answer
// validates against the spec's response schema (with kin-openapi).
func TestSpecShapedPaths(t *testing.T) {
	e := newEmulator(t)
	s := spec.Load()
	doc := openAPI(t, s)
	pt := e.kit.Must(t, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": []string{"auth"}})["public_token"].(string)
	access := e.kit.Must(t, "/item/public_token/exchange", map[string]any{"public_token": pt})["access_token"].(string)
	served := map[string]bool{}
	for _, r := range web.Routes() {
		served[r.Method+" "+r.Path] = true
	}
	shaped, validated := 0, 0
	for _, op := range s.Operations {
		if served[op.Method+" "+op.Path] {
			continue
		}
		shaped++
		op := op
		t.Run(op.Method+" "+op.Path, func(t *testing.T) {
			path := strings.NewReplacer("{", "", "}", "", ":", "").Replace(op.Path)
			var body io.Reader
			if op.Method == http.MethodPost {
				var in any = map[string]any{}
				if sc, ok := s.Schema(op.Request); ok {
					in = request(s, sc, access, 0)
				}
				b, _ := json.Marshal(in)
				body = strings.NewReader(string(b))
			}
			req, _ := http.NewRequestWithContext(context.Background(), op.Method, e.url+path, body)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("PLAID-CLIENT-ID", client.ClientID)
			req.Header.Set("PLAID-SECRET", client.Secret)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%d %s", resp.StatusCode, raw)
			}
			if op.ResponseType != "application/json" || op.Response == "" || slices.Contains(knownBadExamples, op.Path) {
				return
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("Content-Type %q", ct)
			}
			var v any
			if err := json.Unmarshal(raw, &v); err != nil {
				t.Fatalf("not JSON: %s", raw)
			}
			ref := doc.Components.Schemas[op.Response]
			if ref == nil || ref.Value == nil {
				t.Fatalf("no schema %s", op.Response)
			}
			if err := ref.Value.VisitJSON(v); err != nil {
				t.Fatalf("the answer does not validate against %s: %v\n%s", op.Response, err, raw)
			}
			validated++
		})
	}
	t.Logf("%d spec-shaped operations answered, %d of them validated against their response schema", shaped, validated)
	if shaped < 250 {
		t.Errorf("only %d spec-shaped operations: the spec was not walked", shaped)
	}
}
