package reqschema

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/spec"
)

func TestCheck(t *testing.T) {
	long := strings.Repeat("a", 31)
	hundred := make([]string, 100)
	for i := range hundred {
		hundred[i] = "access-sandbox-x"
	}
	linkToken := map[string]any{"client_name": "App", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "u1"}}
	tests := []struct {
		name, path string
		body       any
		code       string // "" for a body that conforms
		names      string // what the message must name
	}{
		{"conforms", "/link/token/create", linkToken, "", ""},
		{"unknown fields are accepted", "/link/token/create", mutate(linkToken, "not_plaid", 1), "", ""},
		{"an optional null is absent", "/transactions/get", map[string]any{"access_token": "a", "start_date": "2026-01-01", "end_date": "2026-02-01", "options": nil}, "", ""},
		{"credentials may come in headers", "/application/get", map[string]any{"application_id": "a"}, "", ""},
		{"operation without a body schema", "/no/such/path", map[string]any{"x": 1}, "", ""},
		{"every missing field", "/link/token/create", map[string]any{}, "MISSING_FIELDS", "client_name, language, country_codes"},
		{"nested missing field", "/link/token/create", mutate(linkToken, "user", map[string]any{}), "MISSING_FIELDS", "user.client_user_id"},
		{"blank required string", "/accounts/get", map[string]any{"access_token": "  "}, "MISSING_FIELDS", "access_token"},
		{"empty required array", "/link/token/create", mutate(linkToken, "country_codes", []string{}), "MISSING_FIELDS", "country_codes"},
		{"an empty array that means all", "/processor/token/permissions/set", map[string]any{"processor_token": "p", "products": []string{}}, "", ""},
		{"a null that does not", "/processor/token/permissions/set", map[string]any{"processor_token": "p", "products": nil}, "MISSING_FIELDS", "products"},
		{"required null", "/accounts/get", map[string]any{"access_token": nil}, "MISSING_FIELDS", "access_token"},
		{"wrong type", "/accounts/get", map[string]any{"access_token": 7}, "INVALID_FIELD", "access_token must be a string, not an integer"},
		{"wrong type before missing", "/link/token/create", map[string]any{"user": map[string]any{"client_user_id": []string{}}}, "INVALID_FIELD", "user.client_user_id must be a string, not an array"},
		{"array item", "/link/token/create", mutate(linkToken, "country_codes", []any{"US", 1}), "INVALID_FIELD", "country_codes[1] must be a string"},
		{"enum", "/link/token/create", mutate(linkToken, "country_codes", []string{"XX"}), "INVALID_FIELD", "country_codes[0] must be one of"},
		{"client_name over 30 characters", "/link/token/create", mutate(linkToken, "client_name", long), "INVALID_FIELD", "client_name must be at most 30 characters"},
		{"client_name of 30 characters", "/link/token/create", mutate(linkToken, "client_name", long[:30]), "", ""},
		{"bad date", "/transactions/get", map[string]any{"access_token": "a", "start_date": "2026-13-01", "end_date": "2026-02-01"}, "INVALID_FIELD", "start_date must be a date"},
		{"bad date-time", "/accounts/balance/get", map[string]any{"access_token": "a", "options": map[string]any{"min_last_updated_datetime": "yesterday"}}, "INVALID_FIELD", "options.min_last_updated_datetime must be an RFC 3339 date-time"},
		{"good date-time", "/accounts/balance/get", map[string]any{"access_token": "a", "options": map[string]any{"min_last_updated_datetime": "2026-01-02T03:04:05.123Z"}}, "", ""},
		{"too many items", "/asset_report/create", map[string]any{"access_tokens": hundred, "days_requested": 30}, "INVALID_FIELD", "access_tokens must have at most 99 items"},
		{"not an integer", "/transactions/get", map[string]any{"access_token": "a", "start_date": "2026-01-01", "end_date": "2026-02-01", "options": map[string]any{"count": 1.5}}, "INVALID_FIELD", "options.count must be an integer, not a number"},
		{"under the minimum", "/transactions/get", map[string]any{"access_token": "a", "start_date": "2026-01-01", "end_date": "2026-02-01", "options": map[string]any{"count": 0}}, "INVALID_FIELD", "options.count must be at least 1"},
		{"over the maximum", "/transactions/get", map[string]any{"access_token": "a", "start_date": "2026-01-01", "end_date": "2026-02-01", "options": map[string]any{"count": 501}}, "INVALID_FIELD", "options.count must be at most 500"},
		{"not an object", "/accounts/get", []string{"a"}, "INVALID_BODY", "body must be a JSON object, not an array"},
		{"null body", "/accounts/get", nil, "INVALID_BODY", "not null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, _ := json.Marshal(tt.body)
			checkAnswer(t, Check("POST", tt.path, raw), tt.code, tt.names)
		})
	}
	for _, raw := range []string{``, `{"access_token":`, `{} {}`, `{"a":1}x`} {
		checkAnswer(t, Check("POST", "/accounts/get", []byte(raw)), "INVALID_BODY", "")
	}
}

func checkAnswer(t *testing.T, e *plaid.Error, code, names string) {
	t.Helper()
	if code == "" {
		if e != nil {
			t.Fatalf("refused: %s %s", e.ErrorCode, e.ErrorMessage)
		}
		return
	}
	if e == nil {
		t.Fatalf("accepted, want %s", code)
	}
	if e.ErrorType != plaid.TypeInvalidRequest || e.ErrorCode != code || e.Status != 400 {
		t.Fatalf("%s / %s (%d), want INVALID_REQUEST / %s (400): %s", e.ErrorType, e.ErrorCode, e.Status, code, e.ErrorMessage)
	}
	if !strings.Contains(e.ErrorMessage, names) {
		t.Fatalf("%q does not name %q", e.ErrorMessage, names)
	}
}

// TestLeastRequestsConform sends every operation's least request
// (spec.Least, which the conformance walk sends too) through the check,
// and then each of its required fields left out, and each typed field
// given the wrong type.
func TestLeastRequestsConform(t *testing.T) {
	s := spec.Load()
	checked := 0
	for _, key := range Operations() {
		method, path, _ := strings.Cut(key, " ")
		op, ok := s.Operation(method, path)
		if !ok {
			t.Fatalf("%s is not an operation of the spec", key)
		}
		sc, _ := s.Schema(op.Request)
		body, ok := s.Least(sc).(map[string]any)
		if !ok {
			t.Fatalf("%s: the least request is not an object", key)
		}
		raw, _ := json.Marshal(body)
		if e := Check(method, path, raw); e != nil {
			t.Errorf("%s: the least request is refused: %s", key, e.ErrorMessage)
			continue
		}
		for _, field := range s.Resolve(sc).Required {
			if field == "client_id" || field == "secret" {
				continue
			}
			without := mutate(body, field, nil)
			raw, _ := json.Marshal(without)
			checkAnswer(t, Check(method, path, raw), "MISSING_FIELDS", field)
			checked++
		}
		for field, prop := range s.Resolve(sc).Properties {
			wrong, ok := s.Wrong(prop)
			if !ok {
				continue
			}
			raw, _ := json.Marshal(mutate(body, field, wrong))
			checkAnswer(t, Check(method, path, raw), "INVALID_FIELD", field+" must be")
			checked++
		}
	}
	t.Logf("%d operations, %d mutated requests checked", len(Operations()), checked)
	if checked < 1000 {
		t.Errorf("only %d mutated requests checked", checked)
	}
}

// mutate is a copy of body with field set to v, or left out for nil.
func mutate(body map[string]any, field string, v any) map[string]any {
	out := make(map[string]any, len(body))
	for k, x := range body {
		out[k] = x
	}
	if v == nil {
		delete(out, field)
	} else {
		out[field] = v
	}
	return out
}

// FuzzCheck feeds arbitrary bodies to the check of any operation: it
// never panics, and it refuses only with INVALID_BODY, MISSING_FIELDS or
// INVALID_FIELD, in Plaid's shape.
func FuzzCheck(f *testing.F) {
	f.Add(uint16(0), []byte(`{}`))
	f.Add(uint16(150), []byte(`{"client_name":"App","language":"en","country_codes":["US"],"user":{"client_user_id":"u"}}`))
	f.Add(uint16(240), []byte(`{"access_token":"a","start_date":"2026-01-01","end_date":"x","options":{"count":1e400}}`))
	f.Add(uint16(16), []byte(`{"access_tokens":[null,[],{}],"days_requested":-1,"options":null}`))
	ops := Operations()
	f.Fuzz(func(t *testing.T, op uint16, body []byte) {
		method, path, _ := strings.Cut(ops[int(op)%len(ops)], " ")
		e := Check(method, path, body)
		if e == nil {
			return
		}
		switch e.ErrorCode {
		case "INVALID_BODY", "MISSING_FIELDS", "INVALID_FIELD":
		default:
			t.Fatalf("%s %s: %s", method, path, e.ErrorCode)
		}
		if e.ErrorType != plaid.TypeInvalidRequest || e.Status != 400 || e.ErrorMessage == "" {
			t.Fatalf("not Plaid-shaped: %+v", e)
		}
	})
}
