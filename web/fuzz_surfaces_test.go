package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/web"
)

// controlPaths are the control API's endpoints, in the order the fuzz
// targets pick them by a byte.
var controlPaths = []string{"/linkharness/clock/get", "/linkharness/clock/advance", "/linkharness/session/get",
	"/linkharness/session/complete", "/linkharness/webhooks/list", "/linkharness/webhooks/resend",
	"/linkharness/billing/list", "/linkharness/reset"}

// enginePaths are the engine's endpoints, which take no credentials.
var enginePaths = []string{protocol.PathSessionOpen, protocol.PathItemCreate, protocol.PathItemConnect,
	protocol.PathSessionRecord, protocol.PathOAuthStart, protocol.PathOAuthStatus, protocol.PathPaymentExecute}

// fuzzServer returns a function that gives a fuzz target its server, made
// on its first call (in each fuzzing process), with a link token, a
// session of it and a public key of alice's for the bodies' placeholders
// $LINK, $SESSION and $KEY.
func fuzzServer(f *testing.F) func(t *testing.T) (*web.Server, *strings.Replacer) {
	var (
		once sync.Once
		s    *web.Server
		fill *strings.Replacer
	)
	f.Cleanup(func() {
		if s != nil {
			s.Close()
		}
	})
	return func(t *testing.T) (*web.Server, *strings.Replacer) {
		once.Do(func() {
			s = web.New(web.Options{Clients: []web.Client{alice, bob}, Webhooks: fastWebhooks})
			srv := httptest.NewServer(s)
			defer srv.Close()
			token := linkToken(t, srv, &alice, map[string]any{"webhook": "http://127.0.0.1:1/hook"})
			session, _ := linkFlow(t, srv, token)
			fill = strings.NewReplacer("$LINK", token, "$SESSION", session, "$KEY", alice.PublicKey)
		})
		if fill == nil {
			t.Fatal("the fuzz server's link flow failed")
		}
		return s, fill
	}
}

// serveFuzz sends body to path on s as who (0: no credentials, 1: alice,
// 2: bob) and fails unless the answer is JSON: a 200 with a request_id,
// or an error in Plaid's shape, a 5xx only as API_ERROR.
func serveFuzz(t *testing.T, s *web.Server, path string, who uint8, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if c := []*web.Client{nil, &alice, &bob}[who%3]; c != nil {
		req.Header.Set("PLAID-CLIENT-ID", c.ClientID)
		req.Header.Set("PLAID-SECRET", c.Secret)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s %q: %d, not a JSON object: %s", path, body, w.Code, w.Body.Bytes())
	}
	if id, _ := out["request_id"].(string); id == "" {
		t.Fatalf("%s %q: %d without a request_id: %v", path, body, w.Code, out)
	}
	if w.Code == http.StatusOK {
		return w.Code, out
	}
	for _, k := range []string{"error_type", "error_code", "error_message"} {
		if v, _ := out[k].(string); v == "" {
			t.Fatalf("%s %q: %d without %s: %v", path, body, w.Code, k, out)
		}
	}
	if _, ok := out["display_message"]; !ok {
		t.Fatalf("%s %q: %d without display_message: %v", path, body, w.Code, out)
	}
	if w.Code >= 500 && out["error_type"] != "API_ERROR" {
		t.Fatalf("%s %q: %d is %v", path, body, w.Code, out)
	}
	return w.Code, out
}

// FuzzControl sends arbitrary bodies to the control API's endpoints as
// alice, bob or nobody, with alice's link token and session for $LINK and
// $SESSION. No answer is a panic or anything but a 200 with a request_id
// or an error in Plaid's shape; nobody gets anything but an error; and
// the server still answers alice's clock afterwards.
func FuzzControl(f *testing.F) {
	for i := range controlPaths {
		f.Add(uint8(i), uint8(1), `{}`)
		f.Add(uint8(i), uint8(2), `{"link_session_id":"$SESSION","link_token":"$LINK","item_id":1}`)
	}
	f.Add(uint8(1), uint8(1), `{"seconds":-1,"duration":"-5h"}`)
	f.Add(uint8(1), uint8(1), `{"duration":"9999999h"}`)
	f.Add(uint8(3), uint8(1), `{"link_token":"$LINK","institution_id":"ins_109508","username":"user_good","password":"mfa_device","accounts":["x"]}`)
	f.Add(uint8(3), uint8(1), `{"products":["nope"],"webhook":"ftp://x"}`)
	f.Add(uint8(5), uint8(1), `{"webhook_id":"$SESSION"}`)
	server := fuzzServer(f)
	f.Fuzz(func(t *testing.T, which, who uint8, body string) {
		s, fill := server(t)
		path := controlPaths[int(which)%len(controlPaths)]
		status, out := serveFuzz(t, s, path, who, fill.Replace(body))
		if who%3 == 0 && status == http.StatusOK && !strings.Contains(body, "secret") {
			t.Fatalf("%s %q: 200 without credentials: %v", path, body, out)
		}
		if status, out := serveFuzz(t, s, "/linkharness/clock/get", 1, `{}`); status != http.StatusOK {
			t.Fatalf("after %s %q: clock/get %d %v", path, body, status, out)
		}
	})
}

// FuzzEngine sends arbitrary bodies to the engine's endpoints (package
// protocol's paths), with alice's link token, session and public key for
// $LINK, $SESSION and $KEY. No answer is a panic or anything but a 200
// with a request_id or an error in Plaid's shape; a 200 of
// /link/session/open for a link token carries the token's configuration.
func FuzzEngine(f *testing.F) {
	for i := range enginePaths {
		f.Add(uint8(i), `{"link_token":"$LINK","link_session_id":"$SESSION"}`)
		f.Add(uint8(i), `{"public_key":"$KEY","link_session_id":"s"}`)
	}
	f.Add(uint8(0), `{"link_token":"$LINK","link_session_id":"x"}`)
	f.Add(uint8(1), `{"link_token":"$LINK","link_session_id":"x","institution_id":"ins_109508","username":"user_good","password":"mfa_questions_2_2","mfa":[["answer_0_0","answer_0_1"]]}`)
	f.Add(uint8(1), `{"public_key":"$KEY","link_session_id":"y","institution_id":"ins_109508","username":"user_custom","password":"{\"mfa\":{\"type\":\"device\"}}"}`)
	f.Add(uint8(2), `{"link_token":"$LINK","link_session_id":"$SESSION","item_id":"x","account_ids":[]}`)
	f.Add(uint8(3), `{"link_token":"$LINK","link_session_id":"$SESSION","events":[{"event_name":"EXIT","event_metadata":1}],"exit":{"error":[]}}`)
	f.Add(uint8(4), `{"link_token":"$LINK","link_session_id":"$SESSION","institution_id":"ins_127287"}`)
	f.Add(uint8(5), `{"oauth_state_id":"\u0000"}`)
	server := fuzzServer(f)
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		s, fill := server(t)
		path := enginePaths[int(which)%len(enginePaths)]
		body = fill.Replace(body)
		status, out := serveFuzz(t, s, path, 0, body)
		var open protocol.SessionOpenRequest
		if path == protocol.PathSessionOpen && status == http.StatusOK && json.Unmarshal([]byte(body), &open) == nil &&
			open.LinkToken != "" && out["config"] == nil {
			t.Fatalf("open %q: 200 without the token's configuration: %v", body, out)
		}
	})
}

// FuzzRedirectURIs reads arbitrary --redirect-uri values and serves a
// client with what ParseRedirectURIs accepts. Every URI it accepts is an
// absolute http or https URI, and one without a query, a fragment or a
// wildcard is then accepted as /link/token/create's redirect_uri; with a
// path added (of no other entry), it is refused as INVALID_FIELD. A value
// ParseRedirectURIs refuses is an error, never a panic.
func FuzzRedirectURIs(f *testing.F) {
	for _, v := range []string{"https://app.example/oauth-return", "https://*.alice.example/back, http://127.0.0.1:3000/cb",
		"ftp://x/y", "https://", "/relative", "https://app.example/a?b=c", "https://app.example/%zz", " , ,https://h/p"} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		uris, err := web.ParseRedirectURIs(v)
		if err != nil {
			return
		}
		if len(uris) > 4 {
			uris = uris[:4]
		}
		for _, uri := range uris {
			u, err := url.Parse(uri)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				t.Fatalf("%q accepted, but %q is not an absolute http or https URI", v, uri)
			}
		}
		c := web.Client{ClientID: "c", Secret: "s", PublicKey: "k", RedirectURIs: uris}
		s := web.New(web.Options{Clients: []web.Client{c}})
		defer s.Close()
		for _, uri := range uris {
			if strings.ContainsAny(uri, "?#*") || !utf8.ValidString(uri) {
				continue
			}
			if status, out := tokenWithRedirect(t, s, c, uri); status != http.StatusOK {
				t.Fatalf("%q: the allowed %q refused: %d %v", v, uri, status, out)
			}
			more := strings.TrimSuffix(uri, "/") + "/more-" + strings.Repeat("x", 8)
			if status, out := tokenWithRedirect(t, s, c, more); status != http.StatusBadRequest || out["error_code"] != "INVALID_FIELD" {
				t.Fatalf("%q: %q, not allowed, answered %d %v", v, more, status, out)
			}
		}
	})
}

// tokenWithRedirect asks s for a link token as c with redirect_uri.
func tokenWithRedirect(t *testing.T, s *web.Server, c web.Client, redirect string) (int, map[string]any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"client_name": "App", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "u"}, "products": []string{"auth"}, "redirect_uri": redirect})
	req := httptest.NewRequest(http.MethodPost, "/link/token/create", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("PLAID-CLIENT-ID", c.ClientID)
	req.Header.Set("PLAID-SECRET", c.Secret)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	var out map[string]any
	json.Unmarshal(w.Body.Bytes(), &out)
	return w.Code, out
}
