package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/web"
	"github.com/linkharness/linkharness/web/assets"
)

// badCase is one bad input and the error the server must answer it with.
type badCase struct {
	name   string
	method string // POST when empty
	path   string
	// body is sent as it is, after its placeholders are filled in
	// ($LINK, $ACCESS, ...: see TestBadInput).
	body string
	// who sends it: its credentials go in the PLAID-CLIENT-ID and
	// PLAID-SECRET headers; nil sends none.
	who *web.Client
	// status and code are the answer's HTTP status and error_code;
	// errType, when set, its error_type.
	status  int
	code    string
	errType string
	// message, when set, is the answer's error_message.
	message string
	// page says the answer is an HTML page (the emulated bank's), not
	// JSON: only its status is checked, and its Content-Type.
	page bool
	// redirect, when set, is where the server sends the request first
	// (307: a path it cleans of dot segments and double slashes); status
	// and code are then those of the cleaned path.
	redirect string
}

// plaidRoutes, controlRoutes and engineRoutes are the routes of each family
// the generic bad bodies go to, with the credentials each takes.
var (
	plaidRoutes = []string{"/item/get", "/accounts/get", "/auth/get", "/transactions/sync", "/identity/get",
		"/link/token/create", "/item/public_token/exchange", "/item/remove", "/institutions/get_by_id",
		"/sandbox/public_token/create", "/processor/token/create", "/accounts/balance/get",
		// Spec-shaped: answered from Plaid's spec, checked the same.
		"/identity_verification/create", "/beacon/user/create"}
	controlRoutes = controlPaths
	engineRoutes  = enginePaths
)

// genericBad are bodies every JSON route refuses as INVALID_BODY (400;
// 413 for a body beyond httpapi.MaxBody).
var genericBad = []struct {
	name, body string
	status     int
	message    string
}{
	{"empty", ``, 400, ""},
	{"open brace", `{`, 400, ""},
	{"truncated key", `{"access_token":`, 400, ""},
	{"truncated string", `{"access_token":"acc`, 400, ""},
	{"unquoted key", `{access_token:"x"}`, 400, ""},
	{"single quotes", `{'access_token':'x'}`, 400, ""},
	{"bad literal", `{"a":tru}`, 400, ""},
	{"trailing garbage", `{}x`, 400, ""},
	{"two objects", `{}{}`, 400, ""},
	{"trailing comma", `{"a":1,}`, 400, ""},
	{"array", `[]`, 400, "body must be a JSON object, not an array"},
	{"string", `"x"`, 400, "body must be a JSON object, not a string"},
	{"number", `42`, 400, "body must be a JSON object, not an integer"},
	{"boolean", `true`, 400, "body must be a JSON object, not a boolean"},
	{"raw NUL in a string", "{\"access_token\":\"a\x00b\"}", 400, ""},
	{"raw NUL outside", "{\x00}", 400, ""},
	{"invalid UTF-8 outside strings", "{\xff:1}", 400, ""},
	{"deep nesting", `{"a":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`, 400, ""},
	{"beyond MaxBody", `{"access_token":"` + strings.Repeat("a", 1<<20) + `"}`, 413, ""},
}

// TestBadInput sends the server bad inputs of every kind, to every family
// of routes: the Plaid API (spec-shaped paths too), the control API, the
// engine's endpoints, the SDK's assets and the emulated bank's page. Each
// must be refused with its HTTP status and its error code in Plaid's
// shape (error_type, error_code, error_message, display_message,
// request_id), the bank's page with its status and a page, and the server
// must still serve a normal call after them all.
func TestBadInput(t *testing.T) {
	srv := newAPI(t, web.Options{Assets: assets.New()})
	// Tokens to be misused: alice's and bob's, one exchanged already,
	// and bob's, expired by his clock.
	aliceLink := linkToken(t, srv, &alice, nil)
	aliceDone := must(t, srv, &alice, "/linkharness/session/complete", map[string]any{"link_token": aliceLink})
	alicePublic := aliceDone["public_token"].(string)
	aliceAccess := must(t, srv, &alice, "/item/public_token/exchange", map[string]any{"public_token": alicePublic})["access_token"].(string)
	aliceFresh := must(t, srv, &alice, "/linkharness/session/complete", map[string]any{})["public_token"].(string)
	bobLink := linkToken(t, srv, &bob, nil)
	bobPublic := must(t, srv, &bob, "/linkharness/session/complete", map[string]any{"link_token": bobLink})["public_token"].(string)
	bobAccess := must(t, srv, &bob, "/item/public_token/exchange", map[string]any{"public_token": bobPublic})["access_token"].(string)
	bobExpiring := must(t, srv, &bob, "/linkharness/session/complete", map[string]any{})["public_token"].(string)
	bobOldLink := linkToken(t, srv, &bob, nil)
	must(t, srv, &bob, "/linkharness/clock/advance", map[string]any{"duration": "5h"})
	bobNewLink := linkToken(t, srv, &bob, nil)
	fill := strings.NewReplacer("$ALINK", aliceLink, "$APUBLIC", alicePublic, "$AACCESS", aliceAccess, "$AFRESH", aliceFresh,
		"$BLINK", bobLink, "$BACCESS", bobAccess, "$BEXPIRED", bobExpiring, "$BOLDLINK", bobOldLink, "$BNEWLINK", bobNewLink,
		"$ASESSION", aliceDone["link_session_id"].(string), "$KEY", alice.PublicKey)

	var cases []badCase
	// Every route of every family, every generic bad body.
	for _, family := range []struct {
		routes []string
		who    *web.Client
	}{{plaidRoutes, &alice}, {controlRoutes, &alice}, {engineRoutes, nil}} {
		for _, path := range family.routes {
			for _, b := range genericBad {
				cases = append(cases, badCase{name: b.name, path: path, body: b.body, who: family.who, status: b.status, code: "INVALID_BODY", errType: "INVALID_REQUEST", message: b.message})
			}
			for _, m := range []string{"GET", "PUT", "DELETE", "PATCH"} {
				cases = append(cases, badCase{name: "method " + m, method: m, path: path, body: `{}`, who: family.who, status: 404, code: "NOT_FOUND", errType: "INVALID_REQUEST"})
			}
		}
	}
	// Credentials: none, a wrong secret, another client's secret, for
	// every control route and a Plaid route whose body is otherwise good.
	wrong := &web.Client{ClientID: alice.ClientID, Secret: "wrong"}
	crossed := &web.Client{ClientID: bob.ClientID, Secret: alice.Secret}
	nobody := &web.Client{ClientID: "nobody", Secret: "nothing"}
	for _, path := range append(controlRoutes, "/item/get", "/accounts/get", "/item/remove") {
		body := `{"access_token":"$AACCESS"}`
		cases = append(cases,
			badCase{name: "no credentials", path: path, body: body, status: 400, code: "MISSING_FIELDS", errType: "INVALID_REQUEST"},
			badCase{name: "wrong secret", path: path, body: body, who: wrong, status: 400, code: "INVALID_API_KEYS", errType: "INVALID_INPUT"},
			badCase{name: "another client's secret", path: path, body: body, who: crossed, status: 400, code: "INVALID_API_KEYS", errType: "INVALID_INPUT"},
			badCase{name: "unknown client", path: path, body: body, who: nobody, status: 400, code: "INVALID_API_KEYS", errType: "INVALID_INPUT"},
			badCase{name: "credentials in the body, wrong", path: path, body: `{"client_id":"alice","secret":"x","access_token":"$AACCESS"}`, status: 400, code: "INVALID_API_KEYS", errType: "INVALID_INPUT"},
			badCase{name: "client_id of the wrong type", path: path, body: `{"client_id":7,"secret":"alice-secret"}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		)
	}
	// Access tokens: wrong, another tenant's, malformed, of the wrong
	// type, for every route that takes one.
	for _, path := range []string{"/item/get", "/accounts/get", "/auth/get", "/identity/get", "/accounts/balance/get", "/item/remove", "/transactions/sync"} {
		for _, tc := range []struct{ name, token string }{
			{"unknown access token", "access-sandbox-00000000-0000-0000-0000-000000000000"},
			{"another tenant's access token", "$BACCESS"},
			{"a public token as access token", "$AFRESH"},
			{"a link token as access token", "$ALINK"},
			{"enormous access token", "access-sandbox-" + strings.Repeat("x", 512<<10)},
			{"access token with invalid UTF-8", "access-sandbox-\xff\xfe"},
			{"access token with an escaped NUL", `access-sandbox-\u0000`},
		} {
			cases = append(cases, badCase{name: tc.name, path: path, body: `{"access_token":"` + tc.token + `"}`, who: &alice, status: 400, code: "INVALID_ACCESS_TOKEN", errType: "INVALID_INPUT"})
		}
		cases = append(cases,
			badCase{name: "missing access token", path: path, body: `{}`, who: &alice, status: 400, code: "MISSING_FIELDS", errType: "INVALID_REQUEST"},
			badCase{name: "access token a number", path: path, body: `{"access_token":1}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
			badCase{name: "access token an object", path: path, body: `{"access_token":{"a":1}}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
			badCase{name: "access token null", path: path, body: `{"access_token":null}`, who: &alice, status: 400, code: "MISSING_FIELDS", errType: "INVALID_REQUEST"},
			badCase{name: "duplicate key, the last wrong", path: path, body: `{"access_token":"$AACCESS","access_token":"$BACCESS"}`, who: &alice, status: 400, code: "INVALID_ACCESS_TOKEN", errType: "INVALID_INPUT"},
		)
	}
	// Specific cases of the Plaid API.
	cases = append(cases,
		badCase{name: "reused public token", path: "/item/public_token/exchange", body: `{"public_token":"$APUBLIC"}`, who: &alice, status: 400, code: "INVALID_PUBLIC_TOKEN", errType: "INVALID_INPUT"},
		badCase{name: "another tenant's public token", path: "/item/public_token/exchange", body: `{"public_token":"$AFRESH"}`, who: &bob, status: 400, code: "INVALID_PUBLIC_TOKEN", errType: "INVALID_INPUT"},
		badCase{name: "expired public token", path: "/item/public_token/exchange", body: `{"public_token":"$BEXPIRED"}`, who: &bob, status: 400, code: "INVALID_PUBLIC_TOKEN", errType: "INVALID_INPUT"},
		badCase{name: "access token as public token", path: "/item/public_token/exchange", body: `{"public_token":"$AACCESS"}`, who: &alice, status: 400, code: "INVALID_PUBLIC_TOKEN", errType: "INVALID_INPUT"},
		badCase{name: "public token a number", path: "/item/public_token/exchange", body: `{"public_token":5}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "products not an array", path: "/link/token/create", body: `{"client_name":"A","language":"en","country_codes":["US"],"user":{"client_user_id":"u"},"products":"auth"}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "unknown product", path: "/link/token/create", body: `{"client_name":"A","language":"en","country_codes":["US"],"user":{"client_user_id":"u"},"products":["nope"]}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "user missing", path: "/link/token/create", body: `{"client_name":"A","language":"en","country_codes":["US"],"products":["auth"]}`, who: &alice, status: 400, code: "MISSING_FIELDS", errType: "INVALID_REQUEST"},
		badCase{name: "enormous country_codes", path: "/link/token/create", body: `{"client_name":"A","language":"en","country_codes":["US",` + strings.Repeat(`"ZZ",`, 100000) + `"US"],"user":{"client_user_id":"u"},"products":["auth"]}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "redirect_uri not allowed", path: "/link/token/create", body: `{"client_name":"A","language":"en","country_codes":["US"],"user":{"client_user_id":"u"},"products":["auth"],"redirect_uri":"https://evil.example/oauth-return"}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "enormous account_ids", path: "/accounts/get", body: `{"access_token":"$AACCESS","options":{"account_ids":[` + strings.Repeat(`"x",`, 100000) + `"x"]}}`, who: &alice, status: 400, code: "INVALID_ACCOUNT_ID", errType: "INVALID_INPUT"},
		badCase{name: "institution unknown", path: "/institutions/get_by_id", body: `{"institution_id":"ins_nope","country_codes":["US"]}`, who: &alice, status: 400, code: "INVALID_INSTITUTION", errType: "INVALID_INPUT"},
		badCase{name: "sandbox token of an unknown institution", path: "/sandbox/public_token/create", body: `{"institution_id":"ins_nope","initial_products":["auth"]}`, who: &alice, status: 400, code: "INVALID_INSTITUTION", errType: "INVALID_INPUT"},
		badCase{name: "unknown Plaid path", path: "/no/such/path", body: `{}`, who: &alice, status: 404, code: "NOT_FOUND", errType: "INVALID_REQUEST"},
		badCase{name: "bad Plaid-Version", path: "/item/get", body: `{"access_token":"$AACCESS"}`, who: &alice, status: 400, code: "INVALID_HEADERS", errType: "INVALID_REQUEST"},
	)
	// Specific cases of the control API.
	cases = append(cases,
		badCase{name: "clock backwards", path: "/linkharness/clock/advance", body: `{"seconds":-60}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "clock beyond 100 years", path: "/linkharness/clock/advance", body: `{"seconds":1e300}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "clock duration garbage", path: "/linkharness/clock/advance", body: `{"duration":"soon"}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "clock seconds a string", path: "/linkharness/clock/advance", body: `{"seconds":"60"}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "clock duration overflow", path: "/linkharness/clock/advance", body: `{"duration":"99999999999h"}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "clock seconds and duration overflowing together", path: "/linkharness/clock/advance", body: `{"seconds":3155760000,"duration":"2562047h"}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "clock seconds and duration beyond 100 years together", path: "/linkharness/clock/advance", body: `{"seconds":3155000000,"duration":"876000h"}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "clock seconds overflowing JSON", path: "/linkharness/clock/advance", body: `{"seconds":1e400}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "session of nothing", path: "/linkharness/session/get", body: `{}`, who: &alice, status: 400, code: "MISSING_FIELDS", errType: "INVALID_REQUEST"},
		badCase{name: "unknown session", path: "/linkharness/session/get", body: `{"link_session_id":"nope"}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "another tenant's session", path: "/linkharness/session/get", body: `{"link_session_id":"$ASESSION"}`, who: &bob, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "another tenant's link token session", path: "/linkharness/session/get", body: `{"link_token":"$ALINK"}`, who: &bob, status: 400, code: "INVALID_LINK_TOKEN", errType: "INVALID_INPUT"},
		badCase{name: "complete another tenant's link token", path: "/linkharness/session/complete", body: `{"link_token":"$ALINK"}`, who: &bob, status: 400, code: "INVALID_LINK_TOKEN", errType: "INVALID_INPUT"},
		badCase{name: "complete an expired link token", path: "/linkharness/session/complete", body: `{"link_token":"$BOLDLINK"}`, who: &bob, status: 400, code: "INVALID_LINK_TOKEN", errType: "INVALID_INPUT"},
		badCase{name: "complete with bad credentials", path: "/linkharness/session/complete", body: `{"username":"user_good","password":"nope"}`, who: &alice, status: 400, code: "INVALID_CREDENTIALS", errType: "ITEM_ERROR"},
		badCase{name: "complete at an unknown institution", path: "/linkharness/session/complete", body: `{"institution_id":"ins_nope"}`, who: &alice, status: 400, code: "INVALID_INSTITUTION", errType: "INVALID_INPUT"},
		badCase{name: "complete with a bad custom user", path: "/linkharness/session/complete", body: `{"username":"user_custom","password":"{\"override_accounts\":7}"}`, who: &alice, status: 400, code: "INVALID_CREDENTIALS", errType: "ITEM_ERROR"},
		badCase{name: "complete with accounts of the wrong type", path: "/linkharness/session/complete", body: `{"accounts":"all"}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "complete with a webhook not http", path: "/linkharness/session/complete", body: `{"webhook":"ftp://x"}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "resend nothing", path: "/linkharness/webhooks/resend", body: `{}`, who: &alice, status: 400, code: "MISSING_FIELDS", errType: "INVALID_REQUEST"},
		badCase{name: "resend unknown webhook", path: "/linkharness/webhooks/resend", body: `{"webhook_id":"nope"}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "webhooks of an item id number", path: "/linkharness/webhooks/list", body: `{"item_id":7}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "billing of an item id array", path: "/linkharness/billing/list", body: `{"item_id":[]}`, who: &alice, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "unknown control path", path: "/linkharness/nope", body: `{}`, who: &alice, status: 404, code: "NOT_FOUND", errType: "INVALID_REQUEST"},
	)
	// Specific cases of the engine's endpoints.
	cases = append(cases,
		badCase{name: "open with an unknown public key", path: "/link/session/open", body: `{"public_key":"nope","link_session_id":"s"}`, status: 400, code: "INVALID_API_KEYS", errType: "INVALID_INPUT"},
		badCase{name: "open with an unknown link token", path: "/link/session/open", body: `{"link_token":"link-sandbox-nope","link_session_id":"s"}`, status: 400, code: "INVALID_LINK_TOKEN", errType: "INVALID_INPUT"},
		badCase{name: "open with an expired link token", path: "/link/session/open", body: `{"link_token":"$BOLDLINK","link_session_id":"s"}`, status: 400, code: "INVALID_LINK_TOKEN", errType: "INVALID_INPUT"},
		badCase{name: "open with an access token", path: "/link/session/open", body: `{"link_token":"$AACCESS","link_session_id":"s"}`, status: 400, code: "INVALID_LINK_TOKEN", errType: "INVALID_INPUT"},
		badCase{name: "open with a public key of the wrong type", path: "/link/session/open", body: `{"public_key":1}`, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "create at an unknown institution", path: "/link/item/create", body: `{"public_key":"$KEY","link_session_id":"s","institution_id":"ins_nope","username":"user_good","password":"pass_good"}`, status: 400, code: "INVALID_INSTITUTION", errType: "INVALID_INPUT"},
		badCase{name: "create with bad credentials", path: "/link/item/create", body: `{"public_key":"$KEY","link_session_id":"s","institution_id":"ins_109508","username":"user_good","password":"bad"}`, status: 400, code: "INVALID_CREDENTIALS", errType: "ITEM_ERROR"},
		badCase{name: "create with mfa of the wrong type", path: "/link/item/create", body: `{"public_key":"$KEY","link_session_id":"s","institution_id":"ins_109508","username":"user_good","password":"mfa_device","mfa":"x"}`, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "create with an enormous username", path: "/link/item/create", body: `{"public_key":"$KEY","link_session_id":"s","institution_id":"ins_109508","username":"` + strings.Repeat("u", 900<<10) + `","password":"pass_good"}`, status: 400, code: "INVALID_CREDENTIALS", errType: "ITEM_ERROR"},
		badCase{name: "connect an unknown item", path: "/link/item/connect", body: `{"public_key":"$KEY","link_session_id":"s","item_id":"nope","account_ids":[]}`, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "connect with account_ids of the wrong type", path: "/link/item/connect", body: `{"public_key":"$KEY","link_session_id":"s","item_id":"x","account_ids":"all"}`, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "record with events of the wrong type", path: "/link/session/record", body: `{"public_key":"$KEY","link_session_id":"s","events":{}}`, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "oauth status of an unknown state", path: "/link/oauth/status", body: `{"public_key":"$KEY","oauth_state_id":"nope"}`, status: 400, code: "INVALID_FIELD", errType: "INVALID_REQUEST"},
		badCase{name: "payment without institution or OAuth state", path: "/link/payment/execute", body: `{"link_token":"$BNEWLINK","link_session_id":"s"}`, status: 400, code: "MISSING_FIELDS", errType: "INVALID_REQUEST"},
	)
	// The assets: traversal, encoded traversal, NUL, a directory, a
	// near-miss, another method.
	for _, path := range []string{"/link/v2/stable/..%2f..%2fgo.mod", "/link/v2/stable/%2e%2e/%2e%2e/go.mod",
		"/link/v2/stable/%2e%2e%2f%2e%2e%2fweb%2fweb.go", "/link/v2/stable/..%5c..%5cgo.mod", "/link/v2/stable/link-initialize.js%00",
		"/link/v2/stable/link.wasm%00.js", "/link/v2/stable/", "/link/v2/stable/link.js", "/link/v2/stable/link.html/..%2f..%2f",
		"/link/v2/stable/%252e%252e/go.mod", "/link/v2/stable/link.wasm;.js", "/.git/config", "/link/v2/stable/link.wasm/"} {
		cases = append(cases, badCase{name: "asset " + path, method: "GET", path: path, status: 404, code: "NOT_FOUND", errType: "INVALID_REQUEST"})
	}
	for _, tc := range [][2]string{{"/link/v2/stable/../../etc/passwd", "/link/etc/passwd"}, {"//etc/passwd", "/etc/passwd"},
		{"/link/v2/stable/./link.wasm/x", "/link/v2/stable/link.wasm/x"}, {"/link/v2/stable/link.wasm/../../../../go.mod", "/go.mod"},
		{"/link/v2/stable/link.html/..", "/link/v2/stable"}} {
		cases = append(cases, badCase{name: "asset " + tc[0], method: "GET", path: tc[0], redirect: tc[1], status: 404, code: "NOT_FOUND", errType: "INVALID_REQUEST"})
	}
	for _, path := range []string{assets.ScriptPath, assets.WasmPath, assets.WebviewPath} {
		for _, m := range []string{"POST", "PUT", "DELETE"} {
			cases = append(cases, badCase{name: "asset method " + m, method: m, path: path, body: `{}`, status: 404, code: "NOT_FOUND", errType: "INVALID_REQUEST"})
		}
	}
	// The emulated bank's page: states that are none, malformed forms.
	for _, tc := range [][3]string{{"GET", "/link/oauth/authorize", ""}, {"GET", "/link/oauth/authorize?oauth_state_id=nope", ""},
		{"GET", "/link/oauth/authorize?oauth_state_id=%ff%00", ""}, {"GET", "/link/oauth/authorize?oauth_state_id=" + strings.Repeat("x", 6000), ""},
		{"POST", "/link/oauth/authorize", "oauth_state_id=nope&decision=approve"}, {"POST", "/link/oauth/authorize", "%zz"},
		{"POST", "/link/oauth/authorize", "oauth_state_id=&decision="}, {"POST", "/link/oauth/authorize", "oauth_state_id=nope&decision=\x00"}} {
		cases = append(cases, badCase{name: "bank page " + tc[2], method: tc[0], path: tc[1], body: tc[2], status: 404, page: true})
	}
	if len(cases) < 150 {
		t.Fatalf("%d cases, want at least 150", len(cases))
	}

	for _, tc := range cases {
		t.Run(tc.path+" "+tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodPost
			}
			body, path := fill.Replace(tc.body), tc.path
			if tc.redirect != "" {
				status, loc := cleanedTo(t, srv, method, path)
				if status != http.StatusTemporaryRedirect || loc != tc.redirect {
					t.Fatalf("%s %s: %d to %q, want 307 to %q", method, path, status, loc, tc.redirect)
				}
				path = loc
			}
			if tc.page {
				status, ct := pageRequest(t, srv, method, path, body)
				if status != tc.status || !strings.HasPrefix(ct, "text/html") {
					t.Fatalf("%s %s %.80q: %d %s, want %d and a page", method, path, body, status, ct, tc.status)
				}
				return
			}
			status, out, raw := badRequest(t, srv, method, path, body, tc.who, tc.name == "bad Plaid-Version")
			if status != tc.status || out["error_code"] != tc.code || (tc.errType != "" && out["error_type"] != tc.errType) {
				t.Fatalf("%s %s %.80q: %d %s, want %d %s %s", method, tc.path, body, status, raw, tc.status, tc.errType, tc.code)
			}
			if msg, _ := out["error_message"].(string); tc.message != "" && msg != tc.message {
				t.Errorf("error_message %q, want %q", msg, tc.message)
			}
			for _, k := range []string{"error_type", "error_code", "error_message", "request_id"} {
				if v, _ := out[k].(string); v == "" {
					t.Errorf("no %s: %s", k, raw)
				}
			}
			if dm, ok := out["display_message"]; !ok {
				t.Errorf("no display_message: %s", raw)
			} else if _, isString := dm.(string); dm != nil && !isString {
				t.Errorf("display_message %v: %s", dm, raw)
			}
		})
	}

	// The server still serves, every tenant: a normal call of each
	// family.
	if got := must(t, srv, &alice, "/item/get", map[string]any{"access_token": aliceAccess}); got["item"] == nil {
		t.Fatalf("/item/get after the bad inputs: %v", got)
	}
	must(t, srv, &bob, "/accounts/get", map[string]any{"access_token": bobAccess})
	if pt := must(t, srv, &alice, "/linkharness/session/complete", map[string]any{})["public_token"]; pt == nil {
		t.Fatal("session/complete after the bad inputs: no public token")
	}
	linkFlow(t, srv, linkToken(t, srv, &alice, nil))
	resp, err := http.Get(srv.URL + assets.ScriptPath)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the SDK script after the bad inputs: %v %v", resp, err)
	}
	resp.Body.Close()
}

// cleanedTo sends a request that the server redirects and returns the
// status and Location of its answer.
func cleanedTo(t *testing.T, srv *httptest.Server, method, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.URL.Opaque = "//" + req.URL.Host + path
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

// pageRequest sends a form (or nothing) to a page and returns the status
// and Content-Type of its answer.
func pageRequest(t *testing.T, srv *httptest.Server, method, path, form string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Content-Type")
}

// noRedirects is a client that does not follow redirects.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// badRequest sends one bad request and decodes its answer, which must be
// a JSON object.
func badRequest(t *testing.T, srv *httptest.Server, method, path, body string, who *web.Client, badVersion bool) (int, map[string]any, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	// Send the path as written: no client-side cleaning of dot segments.
	req.URL.Opaque = "//" + req.URL.Host + path
	req.Header.Set("Content-Type", "application/json")
	if who != nil {
		req.Header.Set("PLAID-CLIENT-ID", who.ClientID)
		req.Header.Set("PLAID-SECRET", who.Secret)
	}
	if badVersion {
		req.Header.Set("Plaid-Version", "1999-01-01")
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s %s: %d %s, not a JSON object", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode, out, raw
}
