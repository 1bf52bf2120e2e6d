//go:build worker

// The tests in this file run against linkharness on Cloudflare Workers
// under `wrangler dev`, not against the in-process server of the other
// e2e tests: `make test-worker` starts the worker and runs them with
//
//	go test -tags worker -run '^TestWorker' ./e2e
//
// The build tag keeps them out of a plain `go test ./e2e`, which neither
// runs nor skips them. The worker is named by the environment:
//
//	LINKHARNESS_TEST_URL          the worker, as http://127.0.0.1:PORT
//	LINKHARNESS_TEST_CLIENT_ID    client A, from the worker's LINKHARNESS_CLIENTS
//	LINKHARNESS_TEST_SECRET       (its secret)
//	LINKHARNESS_TEST_PUBLIC_KEY   (its public key)
//	LINKHARNESS_TEST_CLIENT_B_ID  client B, another tenant of the same worker
//	LINKHARNESS_TEST_SECRET_B
//	LINKHARNESS_TEST_PUBLIC_KEY_B
//
// wrangler dev must run with --test-scheduled, so that GET /__scheduled
// runs the cron trigger. The tests reset client A's and B's data: no other
// test may use those clients meanwhile.
package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/linkharness/linkharness/bridge"
	"github.com/linkharness/linkharness/internal/apiload"
	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/web"
	"github.com/linkharness/linkharness/web/assets"
)

// edge is the worker under test.
type edge struct {
	url  string
	a, b web.Client
}

// theWorker reads the worker from the environment, or fails the test: with
// the worker tag, a missing worker is a broken setup, not a reason to skip.
func theWorker(tb testing.TB) edge {
	tb.Helper()
	w := edge{
		url: strings.TrimSuffix(os.Getenv("LINKHARNESS_TEST_URL"), "/"),
		a:   web.Client{ClientID: os.Getenv("LINKHARNESS_TEST_CLIENT_ID"), Secret: os.Getenv("LINKHARNESS_TEST_SECRET"), PublicKey: os.Getenv("LINKHARNESS_TEST_PUBLIC_KEY")},
		b:   web.Client{ClientID: os.Getenv("LINKHARNESS_TEST_CLIENT_B_ID"), Secret: os.Getenv("LINKHARNESS_TEST_SECRET_B"), PublicKey: os.Getenv("LINKHARNESS_TEST_PUBLIC_KEY_B")},
	}
	if w.url == "" || w.a.Secret == "" || w.b.Secret == "" || w.a.PublicKey == "" {
		tb.Fatal("the worker tests need LINKHARNESS_TEST_URL and two clients (LINKHARNESS_TEST_CLIENT_ID, _SECRET, _PUBLIC_KEY, _CLIENT_B_ID, _SECRET_B): run them with `make test-worker`")
	}
	tb.Logf("worker under test: %s (clients %s and %s)", w.url, w.a.ClientID, w.b.ClientID)
	return w
}

// call POSTs body to the worker as client c (none when c is the zero
// Client) and returns the HTTP status and the decoded answer.
func (w edge) call(tb testing.TB, c web.Client, path string, body map[string]any) (int, map[string]any) {
	tb.Helper()
	return testkit.New(w.url, c.ClientID, c.Secret).Call(tb, path, body)
}

// ok is call that fails the test unless the worker answers 200.
func (w edge) ok(tb testing.TB, c web.Client, path string, body map[string]any) map[string]any {
	tb.Helper()
	status, out := w.call(tb, c, path, body)
	if status != http.StatusOK {
		tb.Fatalf("%s as %s: %d %v", path, c.ClientID, status, out)
	}
	return out
}

// refused checks that the worker answers path with a Plaid error of code.
func (w edge) refused(tb testing.TB, c web.Client, path string, body map[string]any, code string) {
	tb.Helper()
	status, out := w.call(tb, c, path, body)
	if status == http.StatusOK || out["error_code"] != code {
		tb.Errorf("%s as %q: %d %v, want error %s", path, c.ClientID, status, out, code)
	}
}

// item makes an Item of client c through the sandbox and returns its
// access token and item_id.
func (w edge) item(tb testing.TB, c web.Client, products []string, webhook string) (access, itemID string) {
	tb.Helper()
	body := map[string]any{"institution_id": "ins_109508", "initial_products": products}
	if webhook != "" {
		body["options"] = map[string]any{"webhook": webhook}
	}
	pt := w.ok(tb, c, "/sandbox/public_token/create", body)["public_token"].(string)
	ex := w.ok(tb, c, "/item/public_token/exchange", map[string]any{"public_token": pt})
	return ex["access_token"].(string), ex["item_id"].(string)
}

// TestWorkerSharedState shows that state lives in D1, as it must: each
// Workers isolate runs a Go program of its own (worker.mjs starts one per
// isolate), so two consecutive requests may land on different programs,
// and each step below uses what the one before it made. (wrangler dev
// runs one isolate, so there the steps share a program.)
func TestWorkerSharedState(t *testing.T) {
	w := theWorker(t)
	a := w.a

	// A link token made by one instance is read by the next.
	lt := w.ok(t, a, "/link/token/create", map[string]any{
		"client_name": "Edge Shop", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "edge-user"}, "products": []string{"auth"},
	})["link_token"].(string)
	got := w.ok(t, a, "/link/token/get", map[string]any{"link_token": lt})
	if got["link_token"] != lt || got["metadata"].(map[string]any)["client_name"] != "Edge Shop" {
		t.Errorf("/link/token/get on the next instance: %v", got)
	}

	// A session completed on one instance gives a public token that the
	// next exchanges, and the third reads the Item's accounts.
	done := w.ok(t, a, "/linkharness/session/complete", map[string]any{"link_token": lt, "accounts": []string{"Plaid Checking"}})
	ex := w.ok(t, a, "/item/public_token/exchange", map[string]any{"public_token": done["public_token"]})
	accounts := w.ok(t, a, "/accounts/get", map[string]any{"access_token": ex["access_token"]})
	if as := accounts["accounts"].([]any); len(as) != 1 || as[0].(map[string]any)["name"] != "Plaid Checking" ||
		accounts["item"].(map[string]any)["item_id"] != ex["item_id"] {
		t.Errorf("/accounts/get on the next instance: %v", accounts)
	}

	// The sandbox path: create, exchange, read, each on its own instance.
	pt := w.ok(t, a, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": []string{"auth"}})["public_token"]
	ex = w.ok(t, a, "/item/public_token/exchange", map[string]any{"public_token": pt})
	if as := w.ok(t, a, "/accounts/get", map[string]any{"access_token": ex["access_token"]})["accounts"].([]any); len(as) == 0 {
		t.Error("/accounts/get: no accounts on the sandbox Item")
	}
	// A public token is exchanged once, whichever instance asks again.
	w.refused(t, a, "/item/public_token/exchange", map[string]any{"public_token": pt}, "INVALID_PUBLIC_TOKEN")
}

// TestWorkerWebhookRetry shows that a webhook survives a receiver that is
// down: the request that queues it fails to deliver it (in its
// waitUntil), and the cron trigger, run by GET /__scheduled, delivers it
// once the receiver is up and the backoff has passed.
func TestWorkerWebhookRetry(t *testing.T) {
	w := theWorker(t)
	a := w.a
	w.ok(t, a, "/linkharness/reset", nil)

	// The receiver's address, with nothing listening on it yet.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	url := "http://" + addr + "/plaid"

	_, itemID := w.item(t, a, []string{"transactions"}, url)

	// The first attempt fails. Look often, so that the look after it
	// comes before the backoff ends: each POST also delivers what is due.
	var hook map[string]any
	for deadline := time.Now().Add(stepTimeout); hook == nil; time.Sleep(50 * time.Millisecond) {
		for _, h := range w.ok(t, a, "/linkharness/webhooks/list", map[string]any{"item_id": itemID})["webhooks"].([]any) {
			if h := h.(map[string]any); h["url"] == url && len(h["attempts"].([]any)) > 0 {
				hook = h
			}
		}
		if hook == nil && time.Now().After(deadline) {
			t.Fatal("no delivery attempt was recorded")
		}
	}
	first := hook["attempts"].([]any)[0].(map[string]any)
	if hook["status"] != "pending" || first["error"] == "" || first["status_code"].(float64) != 0 {
		t.Fatalf("after the first attempt to a receiver that is down: %v", hook)
	}
	t.Logf("attempt %v failed as it should: %v", first["attempt"], first["error"])
	next, err := time.Parse(time.RFC3339Nano, hook["next_attempt_at"].(string))
	if err != nil {
		t.Fatalf("next_attempt_at: %v", err)
	}

	// The receiver comes up on the same address.
	type delivery struct {
		body          []byte
		contentLength int64
	}
	got := make(chan delivery, 10)
	var rl net.Listener
	for i := 0; ; i++ {
		if rl, err = net.Listen("tcp", addr); err == nil {
			break
		} else if i == 50 {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	rcv := httptest.NewUnstartedServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- delivery{body, r.ContentLength}
	}))
	rcv.Listener.Close()
	rcv.Listener = rl
	rcv.Start()
	defer rcv.Close()

	// No POST until the cron has run: the retry must be the cron's.
	time.Sleep(time.Until(next) + 250*time.Millisecond)
	resp, err := http.Get(w.url + "/__scheduled?cron=*+*+*+*+*")
	if err != nil {
		t.Fatal(err)
	}
	ran, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /__scheduled: %d %s (is wrangler dev running with --test-scheduled?)", resp.StatusCode, ran)
	}
	select {
	case d := <-got:
		var h map[string]any
		json.Unmarshal(d.body, &h)
		if h["item_id"] != itemID || h["webhook_code"] != "SYNC_UPDATES_AVAILABLE" {
			t.Errorf("the cron delivered %s", d.body)
		}
		// Sent whole, as Plaid sends webhooks, not chunked.
		if d.contentLength != int64(len(d.body)) {
			t.Errorf("the webhook came with Content-Length %d (-1: chunked) and %d bytes", d.contentLength, len(d.body))
		}
	case <-time.After(stepTimeout):
		t.Fatalf("the receiver got nothing after the cron run (%s)", ran)
	}
	for _, h := range w.ok(t, a, "/linkharness/webhooks/list", map[string]any{"item_id": itemID})["webhooks"].([]any) {
		h := h.(map[string]any)
		attempts := h["attempts"].([]any)
		last := attempts[len(attempts)-1].(map[string]any)
		if h["status"] != "delivered" || len(attempts) < 2 || last["status_code"].(float64) != 200 {
			t.Errorf("after the cron run: %v", h)
		}
	}
}

// TestWorkerTenants shows that on the public internet nobody gets in where
// they do not belong: the test-control API wants a client's credentials,
// the clients are those of the LINKHARNESS_CLIENTS secret only, and one
// client neither sees nor resets another's data.
func TestWorkerTenants(t *testing.T) {
	w := theWorker(t)
	a, b := w.a, w.b
	w.ok(t, a, "/linkharness/reset", nil)
	w.ok(t, b, "/linkharness/reset", nil)

	t.Run("control API needs credentials", func(t *testing.T) {
		for _, path := range []string{"/linkharness/reset", "/linkharness/webhooks/list", "/linkharness/clock/advance", "/linkharness/session/complete"} {
			w.refused(t, web.Client{}, path, map[string]any{"duration": "1h"}, "MISSING_FIELDS")
			w.refused(t, web.Client{ClientID: a.ClientID, Secret: b.Secret}, path, map[string]any{"duration": "1h"}, "INVALID_API_KEYS")
		}
	})
	t.Run("clients come from the secret only", func(t *testing.T) {
		// linkharness serve's default client, and the e2e tests' own:
		// neither is a client of the worker unless its secret says so.
		for _, c := range []web.Client{{ClientID: "linkharness", Secret: "linkharness"}, {ClientID: testClientID, Secret: testSecret}} {
			w.refused(t, c, "/link/token/create", map[string]any{"client_name": "x", "language": "en", "country_codes": []string{"US"},
				"user": map[string]any{"client_user_id": "u"}, "products": []string{"auth"}}, "INVALID_API_KEYS")
			w.refused(t, c, "/linkharness/reset", nil, "INVALID_API_KEYS")
		}
	})

	aAccess, aItem := w.item(t, a, []string{"auth"}, "")
	bAccess, bItem := w.item(t, b, []string{"auth"}, "")
	aToken := w.ok(t, a, "/link/token/create", map[string]any{"client_name": "A", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "a"}, "products": []string{"auth"}})["link_token"].(string)

	t.Run("B cannot read A's data", func(t *testing.T) {
		w.refused(t, b, "/accounts/get", map[string]any{"access_token": aAccess}, "INVALID_ACCESS_TOKEN")
		w.refused(t, b, "/item/get", map[string]any{"access_token": aAccess}, "INVALID_ACCESS_TOKEN")
		w.refused(t, b, "/link/token/get", map[string]any{"link_token": aToken}, "INVALID_LINK_TOKEN")
		status, out := w.call(t, b, "/linkharness/session/complete", map[string]any{"link_token": aToken})
		if status == http.StatusOK {
			t.Errorf("B completed a session of A's link token: %v", out)
		}
		if hooks := w.ok(t, b, "/linkharness/webhooks/list", map[string]any{"item_id": aItem})["webhooks"].([]any); len(hooks) != 0 {
			t.Errorf("B sees A's webhooks: %v", hooks)
		}
	})
	t.Run("A's reset leaves B's data", func(t *testing.T) {
		w.ok(t, a, "/linkharness/reset", nil)
		w.refused(t, a, "/item/get", map[string]any{"access_token": aAccess}, "INVALID_ACCESS_TOKEN")
		if it := w.ok(t, b, "/item/get", map[string]any{"access_token": bAccess})["item"].(map[string]any); it["item_id"] != bItem {
			t.Errorf("B's Item after A's reset: %v", it)
		}
	})
	t.Run("A's clock is A's", func(t *testing.T) {
		w.ok(t, a, "/linkharness/clock/advance", map[string]any{"duration": "2h"})
		if off := w.ok(t, b, "/linkharness/clock/get", nil)["offset_seconds"].(float64); off != 0 {
			t.Errorf("B's clock moved with A's: offset %v s", off)
		}
		w.ok(t, a, "/linkharness/reset", nil)
	})
}

// TestWorkerLink completes Link in Chromium with link-initialize.js and
// link.wasm loaded from the worker (Workers static assets), on a page of
// another origin, in legacy public-key mode, and exchanges the public
// token with the worker.
func TestWorkerLink(t *testing.T) {
	w := theWorker(t)
	site := httptest.NewServer(pageHandler(w.url, w.a.PublicKey))
	defer site.Close()

	tb := newTab(t)
	tb.site = site.URL
	tb.navigate("link.html")
	tb.successFlow()

	success := only(tb.calls("main"), "onSuccess")
	if len(success) != 1 {
		t.Fatalf("%d onSuccess calls", len(success))
	}
	var publicToken string
	decodeArg(t, success[0], 0, &publicToken)
	ex := w.ok(t, w.a, "/item/public_token/exchange", map[string]any{"public_token": publicToken})
	accounts := w.ok(t, w.a, "/accounts/get", map[string]any{"access_token": ex["access_token"]})["accounts"].([]any)
	if len(accounts) != 1 || accounts[0].(map[string]any)["name"] != "Plaid Checking" {
		t.Errorf("/accounts/get after Link: %v", accounts)
	}

	// Where the SDK came from: the worker, not the in-process server.
	var loaded []string
	if err := tb.evalInto(`performance.getEntriesByType('resource').map(function (e) { return e.name; })`, &loaded); err != nil {
		t.Fatal(err)
	}
	// link.wasm is asked for at its versioned address.
	for _, asset := range []string{assets.ScriptPath, assets.WasmPath + "?v=" + assets.WasmVersion} {
		if !slices.Contains(loaded, w.url+asset) {
			t.Errorf("the page did not load %s from the worker; it loaded %q", asset, loaded)
		}
	}
	t.Logf("Link completed with %s from %s", strings.Join([]string{assets.ScriptPath, assets.WasmPath}, " and "), w.url)
}

// TestWorkerStaticPages: the demo page and link.html are the same static
// pages as the local server's, served as Workers static assets; the edge
// names no public key for the demo (a page gives ?key=), and with one the
// demo page opens Link from the worker in Chromium.
func TestWorkerStaticPages(t *testing.T) {
	w := theWorker(t)
	for _, tt := range []struct {
		path string
		want []byte
	}{
		{assets.DemoPath, assets.DemoPage},
		{assets.WebviewPath, bridge.WebviewPage},
	} {
		resp, err := http.Get(w.url + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.Equal(body, tt.want) {
			t.Errorf("GET %s: %d, %d bytes, want the static page (%d bytes)", tt.path, resp.StatusCode, len(body), len(tt.want))
		}
	}
	resp, err := http.Get(w.url + web.ControlPrefix + "demo")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("the edge names a demo key: %d", resp.StatusCode)
	}

	tb := newTab(t)
	if err := chromedp.Do(tb.ctx, chromedp.Navigate(w.url+"/?key="+w.a.PublicKey)); err != nil {
		t.Fatal(err)
	}
	tb.poll("onLoad in the demo's log", `document.getElementById('log').textContent.includes('onLoad')`)
	tb.clickPage("Link an account")
	tb.poll("Link to open from the worker", `document.querySelector('[role=dialog]') !== null && document.getElementById('log').textContent.includes('"OPEN"')`)
}

// TestWorkerInspector: the session inspector's page, script and style
// sheet are the local server's, served as Workers static assets under the
// same Content-Security-Policy; in Chromium it signs in as client A and
// shows the timeline of a session finished by session/complete, breaking
// no directive of its policy.
func TestWorkerInspector(t *testing.T) {
	w := theWorker(t)
	w.ok(t, w.a, "/linkharness/reset", nil)
	for _, tt := range []struct {
		path string
		want []byte
	}{
		{assets.InspectorPath, assets.InspectorPage},
		{assets.InspectorScript, assets.InspectorJS},
		{assets.InspectorStyle, assets.InspectorCSS},
	} {
		resp, err := http.Get(w.url + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.Equal(body, tt.want) || resp.Header.Get("Content-Security-Policy") != assets.InspectorCSP {
			t.Errorf("GET %s: %d, %d bytes, CSP %q; want the static file (%d bytes) under %q", tt.path, resp.StatusCode, len(body),
				resp.Header.Get("Content-Security-Policy"), len(tt.want), assets.InspectorCSP)
		}
	}
	session := w.ok(t, w.a, "/linkharness/session/complete", map[string]any{"products": []string{"auth"}})["link_session_id"].(string)

	insp := openInspector(t, w.url)
	insp.signIn(w.a.ClientID, w.a.Secret)
	insp.press(session)
	insp.until("the completed session's timeline", `(function (rows) {
		return rows.indexOf('callback onSuccess') >= 0 && rows.indexOf('request /linkharness/session/complete') >= 0; })(`+rowsJS+`)`)
	insp.noViolations()
	w.ok(t, w.a, "/linkharness/reset", nil)
}

// BenchmarkWorkerAPILoad is web's BenchmarkAPILoad through wrangler dev:
// requests per second and the 99th-percentile latency of
// /link/token/create and /item/public_token/exchange on loopback, each
// iteration one bounded round (run it with -benchtime 1x). wrangler dev
// runs one workerd, whose request path (and local D1) costs several
// milliseconds of CPU a request, so the rounds are smaller: 200 requests
// from 4 clients.
func BenchmarkWorkerAPILoad(b *testing.B) {
	w := theWorker(b)
	w.ok(b, w.a, "/linkharness/reset", nil)
	apiload.Run(b, w.url, w.a.ClientID, w.a.Secret, apiload.Bounds{Requests: 200, Workers: 4, Limit: 2 * time.Minute})
}
