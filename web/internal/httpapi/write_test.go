package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// encoderJSON is what WriteJSON wrote before indent: json.Encoder's
// indented bytes of v.
func encoderJSON(t testing.TB, v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestWriteJSON checks that WriteJSON writes json.Encoder's indented bytes,
// for answers of every shape: empty and nested objects and arrays, strings
// with escapes, brackets, colons and commas, HTML and U+2028, numbers and
// raw JSON that holds whitespace.
func TestWriteJSON(t *testing.T) {
	deep := any("x")
	for range 40 {
		deep = []any{deep, map[string]any{}}
	}
	tests := []struct {
		name string
		v    any
	}{
		{"scalars", []any{nil, true, false, 0, -1.5e-7, 12345678901234567890.0, "s"}},
		{"empty ones stay on one line", map[string]any{"a": []any{}, "o": map[string]any{}, "n": []any{[]any{}, map[string]any{}}}},
		{"strings that look like JSON", map[string]any{`{"k":[1,2]}`: `a\"b\\`, "q": `"`, "e": `\`, "c": `],[:{},`}},
		{"escaped by Marshal", map[string]any{"html": "<a href='x'>&</a>", "sep": "\u2028\u2029", "ctl": "\x00\t\n", "utf8": "é日本"}},
		{"raw JSON with whitespace", map[string]json.RawMessage{"raw": json.RawMessage(" { \"a\" : [ 1 , 2 ] , \"b\" : { } } ")}},
		{"a Plaid error", plaidErrorLike()},
		{"deeper than the indent's spaces", deep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			WriteJSON(w, 201, tt.v)
			if want := encoderJSON(t, tt.v); w.Body.String() != want || w.Code != 201 || w.Header().Get("Content-Type") != "application/json" {
				t.Errorf("%d %q\n%s\nwant 201 application/json\n%s", w.Code, w.Header().Get("Content-Type"), w.Body, want)
			}
		})
	}
	w := httptest.NewRecorder()
	WriteJSON(w, 200, map[string]any{"f": func() {}})
	if w.Body.Len() != 0 {
		t.Errorf("a value json cannot encode wrote %q, want nothing, as json.Encoder", w.Body)
	}
}

// plaidErrorLike is an answer of the shape of Plaid's errors, with nulls.
func plaidErrorLike() any {
	return map[string]any{"display_message": nil, "error_code": "INVALID_BODY", "error_message": "body could not be parsed as JSON: unexpected end",
		"error_type": "INVALID_REQUEST", "request_id": "r", "causes": []any{}, "status": 400, "documentation_url": "https://plaid.com/docs/errors/"}
}

// FuzzIndent checks indent against json.Indent on any valid JSON, compacted
// as json.Marshal writes it.
func FuzzIndent(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a":[1,{"b":"c\"]"},[]],"d":{}}`, `"\\"`, `[null,true,-0.5e10]`, `{"":{"":[[[]]]}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var compact bytes.Buffer
		if json.Compact(&compact, []byte(s)) != nil {
			return
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		if got := indent(nil, compact.Bytes()); string(got) != want.String() {
			t.Errorf("indent(%s)\n%s\nwant\n%s", compact.Bytes(), got, strings.TrimSpace(want.String()))
		}
	})
}

// BenchmarkWriteJSON compares WriteJSON with the json.Encoder it stands
// for, on an answer of /item/get's size.
func BenchmarkWriteJSON(b *testing.B) {
	v := map[string]any{"item": map[string]any{"item_id": "eVBnVMp7zdTJLkRNr33Rs6zr7KNJqBFL9DrE6", "institution_id": "ins_109508",
		"webhook": "https://app.example/hook", "error": nil, "available_products": []string{"assets", "balance", "identity", "investments"},
		"billed_products": []string{"auth", "transactions"}, "products": []string{"auth", "transactions"}, "consented_products": []string{},
		"consent_expiration_time": nil, "update_type": "background"}, "status": map[string]any{"investments": nil,
		"transactions": map[string]any{"last_successful_update": "2026-12-02T14:00:00Z", "last_failed_update": nil}, "last_webhook": nil},
		"request_id": "HNTDNrA8F1shFEW"}
	b.Run("encoder", func(b *testing.B) {
		for b.Loop() {
			w := httptest.NewRecorder()
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			enc.Encode(v)
		}
	})
	b.Run("WriteJSON", func(b *testing.B) {
		for b.Loop() {
			WriteJSON(httptest.NewRecorder(), 200, v)
		}
	})
}
