package apitest

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/internal/spec"
)

// TestRequestValidation walks every operation of Plaid's spec that takes
// a JSON body, stateful or spec-shaped alike: a request built from its
// schema that lacks one required field gets 400 INVALID_REQUEST /
// MISSING_FIELDS naming it, and one that gives a field a value of another
// type gets 400 INVALID_REQUEST / INVALID_FIELD naming it, before any
// handler runs. In process it leaves out every required field and
// mistypes every typed field in turn; against a server elsewhere (the
// Worker under wrangler dev, some 10 ms a request) it does the first of
// each, for every operation.
func TestRequestValidation(t *testing.T) {
	e := newEmulator(t)
	s := spec.Load()
	expect := func(t *testing.T, path, what string, body map[string]any, code, names string) {
		t.Helper()
		status, out := e.post(t, path, body, false)
		msg, _ := out["error_message"].(string)
		if status != http.StatusBadRequest || out["error_type"] != "INVALID_REQUEST" || out["error_code"] != code || !strings.Contains(msg, names) {
			t.Errorf("%s: %d %v %v %q, want 400 INVALID_REQUEST %s naming %q", what, status, out["error_type"], out["error_code"], msg, code, names)
		}
	}
	walked, missing, mistyped := 0, 0, 0
	for _, op := range s.Operations {
		if op.Method != http.MethodPost || op.Request == "" || strings.Contains(op.Path, "{") {
			continue
		}
		walked++
		sc, _ := s.Schema(op.Request)
		obj := s.Resolve(sc)
		t.Run(op.Path, func(t *testing.T) {
			body, ok := request(s, sc, "access-sandbox-unknown").(map[string]any)
			if !ok {
				t.Fatalf("the request built from %s is not an object", op.Request)
			}
			for _, field := range obj.Required {
				if field == "client_id" || field == "secret" {
					continue // they travel in the headers
				}
				expect(t, op.Path, "without "+field, without(body, field), "MISSING_FIELDS", field)
				missing++
				if externalURL != "" {
					break
				}
			}
			for _, field := range slices.Sorted(maps.Keys(obj.Properties)) {
				wrong, ok := s.Wrong(obj.Properties[field])
				if !ok || field == "client_id" || field == "secret" {
					continue
				}
				expect(t, op.Path, field+" mistyped", with(body, field, wrong), "INVALID_FIELD", field+" must be")
				mistyped++
				if externalURL != "" {
					break
				}
			}
		})
	}
	t.Logf("%d operations: %d requests without a required field, %d with a field of the wrong type", walked, missing, mistyped)
	if walked < 300 || missing < 250 || mistyped < 300 {
		t.Errorf("only %d operations, %d and %d requests: the spec was not walked", walked, missing, mistyped)
	}
}

// without is a copy of body less field.
func without(body map[string]any, field string) map[string]any {
	out := with(body, field, nil)
	delete(out, field)
	return out
}

// with is a copy of body with field set to v.
func with(body map[string]any, field string, v any) map[string]any {
	out := make(map[string]any, len(body)+1)
	for k, x := range body {
		out[k] = x
	}
	out[field] = v
	return out
}
