package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/web"
)

// FuzzRoutes sends arbitrary bodies to arbitrary paths of the route table
// and the spec (a Plaid API path, an engine endpoint, a control endpoint,
// a spec-shaped one, an unknown one), with and without credentials. The
// server must never panic, and every answer that is not a page must be
// JSON: a 200, or an error in Plaid's shape with its error_type,
// error_code and request_id.
func FuzzRoutes(f *testing.F) {
	paths := []string{"/link/token/create", "/item/get", "/auth/get", "/transactions/sync", "/link/session/open",
		"/link/item/create", "/linkharness/clock/advance", "/linkharness/session/complete", "/accounts/balance/get",
		"/asset_report/create", "/processor/token/create", "/no/such/path"}
	for i := range paths {
		f.Add(uint8(i), true, `{}`)
		f.Add(uint8(i), false, `{"access_token":"access-sandbox-x","SECRET":"s","options":{"account_ids":[1]}}`)
	}
	f.Add(uint8(0), true, `{"client_name":"App","language":"en","country_codes":["US"],"user":{"client_user_id":"u"},"products":["auth"]}`)
	f.Add(uint8(6), true, `{"seconds":1e300}`)
	f.Add(uint8(1), true, `[1,2`)
	s := web.New(web.Options{Clients: []web.Client{alice}})
	f.Cleanup(func() { s.Close() })
	f.Fuzz(func(t *testing.T, which uint8, creds bool, body string) {
		path := paths[int(which)%len(paths)]
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if creds {
			req.Header.Set("PLAID-CLIENT-ID", alice.ClientID)
			req.Header.Set("PLAID-SECRET", alice.Secret)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
			return
		}
		var out map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			if w.Code == http.StatusOK && !bytes.HasPrefix(w.Body.Bytes(), []byte("{")) {
				return // a file of a spec-shaped answer
			}
			t.Fatalf("%s %q: %d, not JSON: %s", path, body, w.Code, w.Body.Bytes())
		}
		if w.Code == http.StatusOK {
			return
		}
		for _, k := range []string{"error_type", "error_code", "error_message", "request_id"} {
			if v, _ := out[k].(string); v == "" && k != "error_message" {
				t.Fatalf("%s %q: %d without %s: %v", path, body, w.Code, k, out)
			}
		}
		if w.Code >= 500 && out["error_type"] != "API_ERROR" && out["error_type"] != "INSTITUTION_ERROR" {
			t.Fatalf("%s %q: %d is %v", path, body, w.Code, out)
		}
	})
}
