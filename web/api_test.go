package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store/sqlite"
	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/web"
)

// Two tenants.
var (
	alice = web.Client{ClientID: "alice", Secret: "alice-secret", PublicKey: "alice-key", RedirectURIs: []string{aliceRedirect, "https://*.alice.example/back"}}
	bob   = web.Client{ClientID: "bob", Secret: "bob-secret", PublicKey: "bob-key"}
)

// aliceRedirect is alice's allowed OAuth redirect URI.
const aliceRedirect = "https://app.example/oauth-return"

// fastWebhooks retry quickly, for tests.
var fastWebhooks = web.WebhookOptions{Backoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, MaxAttempts: 10}

// newAPI starts a server with alice and bob on o's store (a fresh one in
// memory when nil).
func newAPI(t *testing.T, o web.Options) *httptest.Server {
	t.Helper()
	o.Clients = []web.Client{alice, bob}
	if o.Webhooks == (web.WebhookOptions{}) {
		o.Webhooks = fastWebhooks
	}
	s := web.New(o)
	srv := httptest.NewServer(s)
	t.Cleanup(func() { srv.Close(); s.Close() })
	return srv
}

// call POSTs body as c (nil c sends no credentials) and decodes the
// answer.
func call(t *testing.T, srv *httptest.Server, c *web.Client, path string, body map[string]any) (int, map[string]any) {
	t.Helper()
	return send(t, as(srv, c), path, body)
}

// as is a testkit Client of srv as c (nil: with no credentials).
func as(srv *httptest.Server, c *web.Client) *testkit.Client {
	if c == nil {
		return testkit.New(srv.URL, "", "")
	}
	return testkit.New(srv.URL, c.ClientID, c.Secret)
}

// must is call that fails the test unless the answer is 200.
func must(t *testing.T, srv *httptest.Server, c *web.Client, path string, body map[string]any) map[string]any {
	t.Helper()
	status, out := call(t, srv, c, path, body)
	if status != http.StatusOK {
		t.Fatalf("%s: %d %v", path, status, out)
	}
	return out
}

func linkToken(t *testing.T, srv *httptest.Server, c *web.Client, extra map[string]any) string {
	t.Helper()
	body := map[string]any{"client_name": "Test App", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "user-1"}, "products": []string{"transactions"}}
	for k, v := range extra {
		body[k] = v
	}
	return must(t, srv, c, "/link/token/create", body)["link_token"].(string)
}

// linkFlow runs what the engine does in a successful link-token session
// and returns the session ID and public token.
func linkFlow(t *testing.T, srv *httptest.Server, token string) (string, string) {
	t.Helper()
	session := "ls-" + token[len(token)-8:]
	if status, out := post(t, srv, protocol.PathSessionOpen, protocol.SessionOpenRequest{LinkToken: token, LinkSessionID: session}); status != 200 {
		t.Fatalf("open: %d %v", status, out)
	}
	status, created := post(t, srv, protocol.PathItemCreate, protocol.ItemCreateRequest{LinkToken: token, LinkSessionID: session,
		InstitutionID: "ins_109508", Username: "user_good", Password: "pass_good"})
	if status != 200 {
		t.Fatalf("item create: %d %v", status, created)
	}
	first := created["accounts"].([]any)[0].(map[string]any)["id"].(string)
	status, connected := post(t, srv, protocol.PathItemConnect, protocol.ItemConnectRequest{LinkToken: token, LinkSessionID: session,
		ItemID: created["item_id"].(string), AccountIDs: []string{first}})
	if status != 200 {
		t.Fatalf("item connect: %d %v", status, connected)
	}
	pt := connected["public_token"].(string)
	record := protocol.SessionRecordRequest{LinkToken: token, LinkSessionID: session,
		Events: []protocol.RecordedEvent{
			{EventName: "OPEN", EventMetadata: json.RawMessage(`{"view_name":"CONSENT"}`), Timestamp: "2026-01-01T00:00:00Z"},
			{EventName: "HANDOFF", EventMetadata: json.RawMessage(`{}`), Timestamp: "2026-01-01T00:00:01Z"},
		},
		Success: &protocol.RecordedSuccess{PublicToken: pt, Metadata: json.RawMessage(`{"link_session_id":"` + session + `"}`)},
	}
	if status, out := post(t, srv, protocol.PathSessionRecord, record); status != 200 {
		t.Fatalf("record: %d %v", status, out)
	}
	return session, pt
}

func TestLinkTokenMode(t *testing.T) {
	srv := newAPI(t, web.Options{})
	token := linkToken(t, srv, &alice, map[string]any{"webhook": "https://example.test/hook",
		"account_filters": map[string]any{"depository": map[string]any{"account_subtypes": []string{"checking"}}}})
	if !strings.HasPrefix(token, "link-sandbox-") {
		t.Fatalf("link token %q", token)
	}
	status, opened := post(t, srv, protocol.PathSessionOpen, protocol.SessionOpenRequest{LinkToken: token, LinkSessionID: "x"})
	cfg, _ := opened["config"].(map[string]any)
	if status != 200 || cfg["client_name"] != "Test App" || cfg["language"] != "en" || cfg["webhook"] != "https://example.test/hook" {
		t.Fatalf("open: %d %v", status, opened)
	}
	session, pt := linkFlow(t, srv, token)
	got := must(t, srv, &alice, "/link/token/get", map[string]any{"link_token": token})
	sessions := got["link_sessions"].([]any)
	var s map[string]any
	for _, v := range sessions {
		if v.(map[string]any)["link_session_id"] == session {
			s = v.(map[string]any)
		}
	}
	if s == nil {
		t.Fatalf("session %s not in %v", session, sessions)
	}
	if events := s["events"].([]any); len(events) != 2 || events[0].(map[string]any)["event_name"] != "OPEN" || events[0].(map[string]any)["event_id"] == "" {
		t.Errorf("events %v", s["events"])
	}
	if s["on_success"].(map[string]any)["public_token"] != pt || s["finished_at"] == nil {
		t.Errorf("on_success %v, finished_at %v", s["on_success"], s["finished_at"])
	}
	results := s["results"].(map[string]any)["item_add_results"].([]any)
	if len(results) != 1 || results[0].(map[string]any)["public_token"] != pt ||
		results[0].(map[string]any)["institution"].(map[string]any)["institution_id"] != "ins_109508" ||
		len(results[0].(map[string]any)["accounts"].([]any)) != 1 {
		t.Errorf("item_add_results %v", results)
	}
	if md := got["metadata"].(map[string]any); md["client_name"] != "Test App" || md["webhook"] != "https://example.test/hook" {
		t.Errorf("metadata %v", md)
	}
	ctl := must(t, srv, &alice, "/linkharness/session/get", map[string]any{"link_session_id": session})["session"].(map[string]any)
	var names []string
	for _, cb := range ctl["callbacks"].([]any) {
		names = append(names, cb.(map[string]any)["name"].(string))
	}
	if strings.Join(names, ",") != "onEvent,onEvent,onSuccess" {
		t.Errorf("callbacks %v", names)
	}
	if hooks := ctl["webhooks"].([]any); len(hooks) != 1 || hooks[0].(map[string]any)["webhook_code"] != "SYNC_UPDATES_AVAILABLE" {
		t.Errorf("session webhooks %v", hooks)
	}
	ex := must(t, srv, &alice, "/item/public_token/exchange", map[string]any{"public_token": pt})
	if !strings.HasPrefix(ex["access_token"].(string), "access-sandbox-") {
		t.Fatalf("exchange %v", ex)
	}
}

func TestMFAPassThrough(t *testing.T) {
	srv := newAPI(t, web.Options{})
	token := linkToken(t, srv, &alice, nil)
	req := protocol.ItemCreateRequest{LinkToken: token, LinkSessionID: "s", InstitutionID: "ins_109508", Username: "user_good", Password: "mfa_device"}
	steps := []struct {
		name    string
		mfa     [][]string
		want    string // MFA type asked, or "" for an Item
		errCode string
	}{
		{"device round", nil, "device", ""},
		{"code round", [][]string{{"Phone: xxx-xxx-5309"}}, "code", ""},
		{"wrong code", [][]string{{"Phone: xxx-xxx-5309"}, {"0000"}}, "", "INVALID_MFA"},
		{"logged in", [][]string{{"Phone: xxx-xxx-5309"}, {"1234"}}, "", ""},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			req.MFA = st.mfa
			status, out := post(t, srv, protocol.PathItemCreate, req)
			switch {
			case st.errCode != "":
				if status != 400 || out["error_code"] != st.errCode {
					t.Fatalf("%d %v, want %s", status, out, st.errCode)
				}
			case st.want != "":
				if mfa, _ := out["mfa"].(map[string]any); status != 200 || mfa["type"] != st.want {
					t.Fatalf("%d %v, want MFA %s", status, out, st.want)
				}
			default:
				if status != 200 || out["item_id"] == nil {
					t.Fatalf("%d %v, want an Item", status, out)
				}
			}
		})
	}
}

func TestAPIErrors(t *testing.T) {
	srv := newAPI(t, web.Options{})
	token := linkToken(t, srv, &alice, nil)
	pt := must(t, srv, &alice, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": []string{"auth"}})["public_token"].(string)
	must(t, srv, &alice, "/item/public_token/exchange", map[string]any{"public_token": pt})
	huge := `{"client_id":"alice","secret":"alice-secret","client_user_id":"` + strings.Repeat("u", 1<<20) + `"}`
	tests := []struct {
		name   string
		path   string
		body   any
		status int
		code   string
		msg    string // a part of error_message
	}{
		{"malformed JSON", "/link/token/create", `{"client_id":`, 400, "INVALID_BODY", ""},
		{"wrong type", "/user/create", `{"client_id":"alice","secret":"alice-secret","client_user_id":7}`, 400, "INVALID_FIELD", "client_user_id"},
		{"nested wrong type", "/link/token/create", `{"client_id":"alice","secret":"alice-secret","user":{"client_user_id":[]}}`, 400, "INVALID_FIELD", "user.client_user_id"},
		{"body over 1 MiB", "/user/create", huge, 413, "INVALID_BODY", ""},
		{"no credentials", "/user/create", map[string]any{"client_user_id": "u"}, 400, "MISSING_FIELDS", "client_id, secret"},
		{"wrong secret", "/user/create", map[string]any{"client_id": "alice", "secret": "nope", "client_user_id": "u"}, 400, "INVALID_API_KEYS", ""},
		{"unknown client", "/user/create", map[string]any{"client_id": "carol", "secret": "alice-secret", "client_user_id": "u"}, 400, "INVALID_API_KEYS", ""},
		{"missing field", "/user/create", map[string]any{"client_id": "alice", "secret": "alice-secret"}, 400, "MISSING_FIELDS", "client_user_id"},
		{"missing fields", "/link/token/create", map[string]any{"client_id": "alice", "secret": "alice-secret", "user": map[string]any{"client_user_id": "u"}}, 400, "MISSING_FIELDS", "client_name, language, country_codes"},
		{"bad product", "/link/token/create", map[string]any{"client_id": "alice", "secret": "alice-secret", "client_name": "A", "language": "en", "country_codes": []string{"US"}, "user": map[string]any{"client_user_id": "u"}, "products": []string{"nope"}}, 400, "INVALID_FIELD", "products"},
		{"unknown link token", "/link/token/get", map[string]any{"client_id": "alice", "secret": "alice-secret", "link_token": "link-sandbox-nope"}, 400, "INVALID_LINK_TOKEN", ""},
		{"another client's link token", "/link/token/get", map[string]any{"client_id": "bob", "secret": "bob-secret", "link_token": token}, 400, "INVALID_LINK_TOKEN", ""},
		{"unknown public token", "/item/public_token/exchange", map[string]any{"client_id": "alice", "secret": "alice-secret", "public_token": "public-sandbox-nope"}, 400, "INVALID_PUBLIC_TOKEN", ""},
		{"public token exchanged twice", "/item/public_token/exchange", map[string]any{"client_id": "alice", "secret": "alice-secret", "public_token": pt}, 400, "INVALID_PUBLIC_TOKEN", "already"},
		{"unknown access token", "/item/get", map[string]any{"client_id": "alice", "secret": "alice-secret", "access_token": "access-sandbox-nope"}, 400, "INVALID_ACCESS_TOKEN", ""},
		{"institution down", "/sandbox/public_token/create", map[string]any{"client_id": "alice", "secret": "alice-secret", "institution_id": "ins_900002", "initial_products": []string{"auth"}}, 500, "INSTITUTION_DOWN", ""},
		{"unknown institution", "/institutions/get_by_id", map[string]any{"client_id": "alice", "secret": "alice-secret", "institution_id": "ins_0", "country_codes": []string{"US"}}, 400, "INVALID_INSTITUTION", ""},
		{"unknown key id", "/webhook_verification_key/get", map[string]any{"client_id": "alice", "secret": "alice-secret", "key_id": "nope"}, 400, "INVALID_WEBHOOK_VERIFICATION_KEY_ID", ""},
		{"GET on the API", "/item/get", nil, 404, "NOT_FOUND", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var status int
			var body map[string]any
			if tt.body == nil {
				resp, err := http.Get(srv.URL + tt.path)
				if err != nil {
					t.Fatal(err)
				}
				json.NewDecoder(resp.Body).Decode(&body)
				resp.Body.Close()
				status = resp.StatusCode
			} else {
				status, body = post(t, srv, tt.path, tt.body)
			}
			if status != tt.status || body["error_code"] != tt.code {
				t.Fatalf("got %d %v, want %d %s", status, body, tt.status, tt.code)
			}
			if msg, _ := body["error_message"].(string); !strings.Contains(msg, tt.msg) {
				t.Errorf("error_message %q does not name %q", msg, tt.msg)
			}
			for _, k := range []string{"error_type", "error_code", "error_message", "display_message", "request_id"} {
				if _, ok := body[k]; !ok {
					t.Errorf("error lacks %s: %v", k, body)
				}
			}
		})
	}
}

func TestCredentialsInHeaders(t *testing.T) {
	srv := newAPI(t, web.Options{})
	req, _ := http.NewRequest("POST", srv.URL+"/user/create", strings.NewReader(`{"client_user_id":"u"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("PLAID-CLIENT-ID", alice.ClientID)
	req.Header.Set("PLAID-SECRET", alice.Secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("the Plaid API answers cross-origin requests")
	}
}

// TestTenants checks that one client's tokens, Items, sessions and
// webhooks are unknown to another.
func TestTenants(t *testing.T) {
	srv := newAPI(t, web.Options{})
	token := linkToken(t, srv, &alice, map[string]any{"webhook": "http://127.0.0.1:1/hook"})
	session, pt := linkFlow(t, srv, token)
	tests := []struct {
		name, path string
		body       map[string]any
		code       string
	}{
		{"link token", "/link/token/get", map[string]any{"link_token": token}, "INVALID_LINK_TOKEN"},
		{"public token", "/item/public_token/exchange", map[string]any{"public_token": pt}, "INVALID_PUBLIC_TOKEN"},
		{"session", "/linkharness/session/get", map[string]any{"link_session_id": session}, "INVALID_FIELD"},
		{"session by token", "/linkharness/session/get", map[string]any{"link_token": token}, "INVALID_LINK_TOKEN"},
		{"completing with the token", "/linkharness/session/complete", map[string]any{"link_token": token}, "INVALID_LINK_TOKEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if status, out := call(t, srv, &bob, tt.path, tt.body); status != 400 || out["error_code"] != tt.code {
				t.Fatalf("bob: %d %v, want %s", status, out, tt.code)
			}
		})
	}
	access := must(t, srv, &alice, "/item/public_token/exchange", map[string]any{"public_token": pt})["access_token"].(string)
	for _, path := range []string{"/item/get", "/accounts/get", "/item/remove", "/item/public_token/create", "/sandbox/item/reset_login"} {
		if status, out := call(t, srv, &bob, path, map[string]any{"access_token": access}); status != 400 || out["error_code"] != "INVALID_ACCESS_TOKEN" {
			t.Errorf("bob %s: %d %v", path, status, out)
		}
	}
	if hooks := must(t, srv, &bob, "/linkharness/webhooks/list", nil)["webhooks"].([]any); len(hooks) != 0 {
		t.Errorf("bob sees alice's webhooks: %v", hooks)
	}
	must(t, srv, &bob, "/linkharness/reset", nil)
	must(t, srv, &alice, "/item/get", map[string]any{"access_token": access})
	must(t, srv, &alice, "/linkharness/reset", nil)
	if status, out := call(t, srv, &alice, "/item/get", map[string]any{"access_token": access}); status != 400 || out["error_code"] != "INVALID_ACCESS_TOKEN" {
		t.Errorf("after reset: %d %v", status, out)
	}
}

// TestClock checks that advancing a client's clock expires its tokens,
// and only its own.
func TestClock(t *testing.T) {
	srv := newAPI(t, web.Options{})
	token := linkToken(t, srv, &alice, nil)
	bobToken := linkToken(t, srv, &bob, nil)
	update := func(c *web.Client) string {
		pt := must(t, srv, c, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": []string{"transactions"}})["public_token"].(string)
		access := must(t, srv, c, "/item/public_token/exchange", map[string]any{"public_token": pt})["access_token"].(string)
		return linkToken(t, srv, c, map[string]any{"access_token": access})
	}
	updateToken := update(&alice)
	pt := must(t, srv, &alice, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": []string{"auth"}})["public_token"].(string)
	open := func(tok string) (int, string) {
		status, out := post(t, srv, protocol.PathSessionOpen, protocol.SessionOpenRequest{LinkToken: tok, LinkSessionID: "s-" + tok})
		code, _ := out["error_code"].(string)
		return status, code
	}
	if status, code := open(updateToken); status != 200 {
		t.Fatalf("fresh update-mode token: %d %s", status, code)
	}
	must(t, srv, &alice, "/linkharness/clock/advance", map[string]any{"duration": "30m"})
	if status, code := open(updateToken); status != 400 || code != "INVALID_LINK_TOKEN" {
		t.Errorf("update-mode token after 30 min: %d %s", status, code)
	}
	if status, code := open(token); status != 200 {
		t.Errorf("link token after 30 min: %d %s", status, code)
	}
	if status, out := call(t, srv, &alice, "/item/public_token/exchange", map[string]any{"public_token": pt}); status != 400 || out["error_code"] != "INVALID_PUBLIC_TOKEN" {
		t.Errorf("public token after 30 min: %d %v", status, out)
	}
	clock := must(t, srv, &alice, "/linkharness/clock/advance", map[string]any{"seconds": 3.5 * 3600})
	if clock["offset_seconds"].(float64) != 4*3600 {
		t.Errorf("clock %v", clock)
	}
	if status, code := open(token); status != 400 || code != "INVALID_LINK_TOKEN" {
		t.Errorf("link token after 4 h: %d %s", status, code)
	}
	if status, code := open(bobToken); status != 200 {
		t.Errorf("bob's link token after alice's 4 h: %d %s", status, code)
	}
	// The finished session's data stays 6 hours after it ended.
	fresh := linkToken(t, srv, &alice, nil)
	linkFlow(t, srv, fresh)
	must(t, srv, &alice, "/linkharness/clock/advance", map[string]any{"duration": "5h"})
	if got := must(t, srv, &alice, "/link/token/get", map[string]any{"link_token": fresh}); len(got["link_sessions"].([]any)) != 1 {
		t.Errorf("session data 5 h after the end: %v", got["link_sessions"])
	}
	must(t, srv, &alice, "/linkharness/clock/advance", map[string]any{"duration": "1h"})
	if status, out := call(t, srv, &alice, "/link/token/get", map[string]any{"link_token": fresh}); status != 400 || out["error_code"] != "INVALID_LINK_TOKEN" {
		t.Errorf("session data 6 h after the end: %d %v", status, out)
	}
}

// TestClockLimit checks that the clock moves only forward and at most 100
// years ahead, whatever it is asked: an advance past the limit is refused
// with INVALID_FIELD naming it and changes nothing, so the clock never
// wraps around into the past (as summing 9e9 seconds twice once did).
func TestClockLimit(t *testing.T) {
	srv := newAPI(t, web.Options{})
	refused := func(what string, body map[string]any, want string) {
		t.Helper()
		status, out := call(t, srv, &alice, "/linkharness/clock/advance", body)
		msg, _ := out["error_message"].(string)
		if status != 400 || out["error_code"] != "INVALID_FIELD" || !strings.Contains(msg, want) {
			t.Errorf("%s: %d %v, want INVALID_FIELD saying %q", what, status, out, want)
		}
	}
	offset := func() float64 {
		t.Helper()
		return must(t, srv, &alice, "/linkharness/clock/get", nil)["offset_seconds"].(float64)
	}
	for _, tc := range []struct {
		name string
		body map[string]any
		want string
	}{
		{"9e9 seconds", map[string]any{"seconds": 9000000000}, "100 years"},
		{"1e300 seconds", map[string]any{"seconds": 1e300}, "100 years"},
		{"a duration past the limit", map[string]any{"duration": "900000h"}, "100 years"},
		{"two halves past the limit", map[string]any{"seconds": 2e9, "duration": "500000h"}, "100 years"},
		{"backwards", map[string]any{"seconds": -5}, "only moves forward"},
		{"nothing", map[string]any{}, "only moves forward"},
	} {
		refused(tc.name, tc.body, tc.want)
	}
	if off := offset(); off != 0 {
		t.Fatalf("the refused advances moved the clock by %v s", off)
	}
	// Up to the limit in two steps, then not one second more.
	must(t, srv, &alice, "/linkharness/clock/advance", map[string]any{"seconds": 9e8})
	must(t, srv, &alice, "/linkharness/clock/advance", map[string]any{"seconds": 100*365*24*3600 - 9e8})
	refused("one second past the limit", map[string]any{"seconds": 1}, "3153600000 seconds")
	if off := offset(); off != 100*365*24*3600 {
		t.Errorf("offset %v s at the limit", off)
	}
	// A link token made at the limit is not born expired.
	tok := linkToken(t, srv, &alice, nil)
	got := must(t, srv, &alice, "/link/token/get", map[string]any{"link_token": tok})
	created, _ := time.Parse(time.RFC3339, got["created_at"].(string))
	expires, _ := time.Parse(time.RFC3339, got["expiration"].(string))
	if !expires.After(created) || created.Year() < time.Now().Year()+99 {
		t.Errorf("a link token at the limit: created %v, expires %v", created, expires)
	}
}

func TestWebhookRetries(t *testing.T) {
	srv := newAPI(t, web.Options{})
	rcv := testkit.NewReceiver(t, as(srv, &alice), testkit.FailFirst(3))
	pt := must(t, srv, &alice, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508",
		"initial_products": []string{"transactions"}, "options": map[string]any{"webhook": rcv.URL + "/hook"}})["public_token"].(string)
	itemID := must(t, srv, &alice, "/item/public_token/exchange", map[string]any{"public_token": pt})["item_id"].(string)
	testkit.Eventually(t, testkit.Timeout, "the delivery", func() bool { return rcv.Count() == 1 })
	time.Sleep(300 * time.Millisecond) // longer than the backoff: no second delivery
	if n := rcv.Count(); n != 1 {
		t.Fatalf("the receiver got %d 2xx deliveries, want exactly 1", n)
	}
	var body map[string]any
	json.Unmarshal(rcv.Deliveries()[0].Body, &body)
	if body["webhook_type"] != "TRANSACTIONS" || body["webhook_code"] != "SYNC_UPDATES_AVAILABLE" || body["item_id"] != itemID || body["environment"] != "sandbox" {
		t.Errorf("webhook body %v", body)
	}
	var hooks []any
	testkit.Eventually(t, testkit.Timeout, "the attempts to be recorded", func() bool {
		hooks = must(t, srv, &alice, "/linkharness/webhooks/list", map[string]any{"item_id": itemID})["webhooks"].([]any)
		return len(hooks) == 1 && hooks[0].(map[string]any)["status"] == "delivered"
	})
	var codes []int
	for _, a := range hooks[0].(map[string]any)["attempts"].([]any) {
		codes = append(codes, int(a.(map[string]any)["status_code"].(float64)))
	}
	if len(codes) != 4 || codes[0] != 503 || codes[1] != 503 || codes[2] != 503 || codes[3] != 200 {
		t.Errorf("attempts %v, want 503 503 503 200", codes)
	}
}

// TestWebhookGivesUp checks that delivery stops after MaxAttempts.
func TestWebhookGivesUp(t *testing.T) {
	srv := newAPI(t, web.Options{Webhooks: web.WebhookOptions{Backoff: 10 * time.Millisecond, MaxAttempts: 3}})
	rcv := testkit.NewReceiver(t, as(srv, &alice), testkit.FailFirst(100))
	must(t, srv, &alice, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508",
		"initial_products": []string{"transactions"}, "options": map[string]any{"webhook": rcv.URL}})
	testkit.Eventually(t, testkit.Timeout, "the webhook to fail", func() bool {
		hooks := must(t, srv, &alice, "/linkharness/webhooks/list", nil)["webhooks"].([]any)
		return len(hooks) == 1 && hooks[0].(map[string]any)["status"] == "failed"
	})
	if n := rcv.Attempts(); n != 3 {
		t.Errorf("%d tries, want 3", n)
	}

	// The control API resends it: the receiver, up again, gets it, and the
	// list shows the fourth attempt after the three failed ones.
	rcv.FailNext(0)
	hook := must(t, srv, &alice, "/linkharness/webhooks/list", nil)["webhooks"].([]any)[0].(map[string]any)
	id := hook["webhook_id"].(string)
	must(t, srv, &alice, "/linkharness/webhooks/resend", map[string]any{"webhook_id": id})
	rcv.Wait(t, 1)
	testkit.Eventually(t, testkit.Timeout, "the resent webhook to be delivered", func() bool {
		hooks := must(t, srv, &alice, "/linkharness/webhooks/list", nil)["webhooks"].([]any)
		h := hooks[0].(map[string]any)
		return h["status"] == "delivered" && len(h["attempts"].([]any)) == 4
	})
	for _, tc := range []struct {
		name   string
		client *web.Client
		id     string
		code   string
	}{
		{"an unknown webhook", &alice, "nope", "INVALID_FIELD"},
		{"another client's", &bob, id, "INVALID_FIELD"},
		{"no webhook_id", &alice, "", "MISSING_FIELDS"},
	} {
		if status, out := call(t, srv, tc.client, "/linkharness/webhooks/resend", map[string]any{"webhook_id": tc.id}); status != 400 || out["error_code"] != tc.code {
			t.Errorf("resend %s: %d %v, want %s", tc.name, status, out, tc.code)
		}
	}
}

// TestResendPending checks that a webhook still being retried is not
// resent: it is already due.
func TestResendPending(t *testing.T) {
	srv := newAPI(t, web.Options{Webhooks: web.WebhookOptions{Backoff: time.Hour}})
	rcv := testkit.NewReceiver(t, as(srv, &alice), testkit.FailFirst(100))
	must(t, srv, &alice, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508",
		"initial_products": []string{"transactions"}, "options": map[string]any{"webhook": rcv.URL}})
	testkit.Eventually(t, testkit.Timeout, "a failed attempt", func() bool { return rcv.Attempts() == 1 })
	id := must(t, srv, &alice, "/linkharness/webhooks/list", nil)["webhooks"].([]any)[0].(map[string]any)["webhook_id"].(string)
	status, out := call(t, srv, &alice, "/linkharness/webhooks/resend", map[string]any{"webhook_id": id})
	if msg, _ := out["error_message"].(string); status != 400 || out["error_code"] != "INVALID_FIELD" || !strings.Contains(msg, "pending") {
		t.Errorf("resend of a pending webhook: %d %v", status, out)
	}
}

// TestRestart checks that two servers on one SQLite file keep link tokens,
// Items, sessions and pending webhooks.
func TestRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	ctx := context.Background()

	st1, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s1 := web.New(web.Options{Clients: []web.Client{alice}, Store: st1, Webhooks: web.WebhookOptions{Backoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, MaxAttempts: 1000}})
	srv1 := httptest.NewServer(s1)
	// The receiver is down until the restart.
	rcv := testkit.NewReceiver(t, as(srv1, &alice), testkit.FailFirst(math.MaxInt))
	token := linkToken(t, srv1, &alice, map[string]any{"webhook": rcv.URL})
	session, pt := linkFlow(t, srv1, token)
	access := must(t, srv1, &alice, "/item/public_token/exchange", map[string]any{"public_token": pt})["access_token"].(string)
	testkit.Eventually(t, testkit.Timeout, "a failed attempt", func() bool {
		hooks := must(t, srv1, &alice, "/linkharness/webhooks/list", nil)["webhooks"].([]any)
		return len(hooks) == 1 && len(hooks[0].(map[string]any)["attempts"].([]any)) > 0
	})
	srv1.Close()
	s1.Close()
	st1.Close()

	st2, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	srv2 := newAPI(t, web.Options{Store: st2})
	rcv.VerifyWith(t, as(srv2, &alice).API()) // the same key, in the same store
	// Up only now: a delivery srv2 makes before would be checked against
	// srv1's key endpoint, which is gone.
	rcv.FailNext(0)
	got2 := must(t, srv2, &alice, "/link/token/get", map[string]any{"link_token": token})
	if ls := got2["link_sessions"].([]any); len(ls) != 1 || ls[0].(map[string]any)["link_session_id"] != session {
		t.Errorf("sessions after restart: %v", ls)
	}
	if item := must(t, srv2, &alice, "/item/get", map[string]any{"access_token": access})["item"].(map[string]any); item["webhook"] != rcv.URL {
		t.Errorf("item after restart: %v", item)
	}
	if status, _ := post(t, srv2, protocol.PathSessionOpen, protocol.SessionOpenRequest{LinkToken: token, LinkSessionID: "again"}); status != 200 {
		t.Errorf("link token after restart: %d", status)
	}
	testkit.Eventually(t, testkit.Timeout, "the pending webhook after the restart", func() bool {
		hooks := must(t, srv2, &alice, "/linkharness/session/get", map[string]any{"link_session_id": session})["session"].(map[string]any)["webhooks"].([]any)
		return len(hooks) == 1 && hooks[0].(map[string]any)["status"] == "delivered"
	})
	if n := rcv.Count(); n != 1 {
		t.Errorf("the receiver got the webhook %d times, want once", n)
	}
}

func TestSessionComplete(t *testing.T) {
	srv := newAPI(t, web.Options{})
	token := linkToken(t, srv, &alice, map[string]any{"products": []string{"auth"}})
	done := must(t, srv, &alice, "/linkharness/session/complete", map[string]any{"link_token": token})
	accounts := done["accounts"].([]any)
	if len(accounts) != 2 { // auth: checking and savings
		t.Errorf("accounts %v, want checking and savings", accounts)
	}
	ex := must(t, srv, &alice, "/item/public_token/exchange", map[string]any{"public_token": done["public_token"]})
	got := must(t, srv, &alice, "/accounts/get", map[string]any{"access_token": ex["access_token"]})
	if len(got["accounts"].([]any)) != 2 {
		t.Errorf("/accounts/get %v", got["accounts"])
	}
	ls := must(t, srv, &alice, "/link/token/get", map[string]any{"link_token": token})["link_sessions"].([]any)
	if len(ls) != 1 || ls[0].(map[string]any)["on_success"].(map[string]any)["public_token"] != done["public_token"] {
		t.Errorf("link_sessions %v", ls)
	}
	picked := must(t, srv, &alice, "/linkharness/session/complete", map[string]any{"products": []string{"transactions"}, "accounts": []string{"Plaid Saving"}})
	if a := picked["accounts"].([]any); len(a) != 1 || a[0].(map[string]any)["name"] != "Plaid Saving" {
		t.Errorf("picked accounts %v", a)
	}
	if status, out := call(t, srv, &alice, "/linkharness/session/complete", map[string]any{"password": "error_ITEM_LOCKED", "username": "user_good"}); status != 400 || out["error_code"] != "ITEM_LOCKED" {
		t.Errorf("failing login: %d %v", status, out)
	}
}

func TestEngineSeesNoSecrets(t *testing.T) {
	srv := newAPI(t, web.Options{})
	token := linkToken(t, srv, &alice, nil)
	for _, path := range []string{protocol.PathSessionOpen, protocol.PathItemCreate, protocol.PathItemConnect, protocol.PathSessionRecord} {
		var b bytes.Buffer
		json.NewEncoder(&b).Encode(map[string]any{"link_token": token, "link_session_id": "s", "institution_id": "ins_109508",
			"username": "user_good", "password": "pass_good", "item_id": "x", "account_ids": []string{"y"}})
		resp, err := http.Post(srv.URL+path, "application/json", &b)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if bytes.Contains(raw, []byte("access-sandbox-")) || bytes.Contains(raw, []byte(alice.Secret)) {
			t.Errorf("%s answered with a secret: %s", path, raw)
		}
	}
}
