package e2e

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/plaidtest/linkdriver"
	"github.com/linkharness/linkharness/web"
	"github.com/linkharness/linkharness/web/assets"
)

// screenshot is where TestInspector writes a PNG of the inspector showing
// the finished session (the README's, docs/inspector.png):
//
//	go test ./e2e -run '^TestInspector$' -screenshot ../docs/inspector.png
var screenshot = flag.String("screenshot", "", "write a PNG of the session inspector to this file (TestInspector)")

// The inspector test's own server and client: its webhooks retry fast, so
// that a delivery that fails once has its second attempt within the test.
const (
	inspectorClientID = "inspector-client"
	inspectorSecret   = "inspector-secret"
)

// violations records the page's Content-Security-Policy violations, from
// before its own scripts run.
const violations = `window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) { window.__violations.push(e.violatedDirective + ' ' + e.blockedURI); });`

// openInspector opens the session inspector of the server at origin in a
// new tab that records its CSP violations.
func openInspector(t *testing.T, origin string) inspectorTab {
	t.Helper()
	requireBrowser(t)
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: violations}); err != nil {
		t.Fatal(err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, tabTimeout)
	t.Cleanup(cancelTimeout)
	insp := inspectorTab{t: t, ctx: ctx}
	insp.do("opening the inspector", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(origin+assets.InspectorPath))
	return insp
}

// signIn fills in the client's credentials (the client_id only when
// given) and waits for the lists.
func (p inspectorTab) signIn(clientID, secret string) {
	p.t.Helper()
	if clientID != "" {
		p.fill("client_id", clientID)
	}
	p.fill("secret", secret)
	p.press("Sign in")
	p.do("waiting for the lists", chromedp.WaitVisible(chromedp.Search(`//h2[normalize-space(.)='Link sessions']`)))
}

// noViolations fails the test if the page broke its CSP.
func (p inspectorTab) noViolations() {
	p.t.Helper()
	if v := eval[[]string](p, `window.__violations`); len(v) != 0 {
		p.t.Errorf("the inspector broke its Content-Security-Policy: %q", v)
	}
}

// inspectorTab is a tab showing the session inspector.
type inspectorTab struct {
	t   *testing.T
	ctx context.Context
}

func (p inspectorTab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("inspector: %s: %v\n%s", what, err, p.describe())
	}
}

// press clicks the page's button called name.
func (p inspectorTab) press(name string) {
	p.t.Helper()
	p.do("pressing "+name, chromedp.Click(chromedp.Search(linkdriver.PageButton(name)+"[not(@disabled)]"), chromedp.NodeVisible))
}

// fill types value into the field labelled label.
func (p inspectorTab) fill(label, value string) {
	p.t.Helper()
	field := fmt.Sprintf("//input[@id=//label[normalize-space(.)=%s]/@for]", linkdriver.Quote(label))
	p.do("filling "+label, chromedp.SendKeys(chromedp.Search(field), value, chromedp.NodeVisible))
}

// eval runs js and returns its result.
func eval[T any](p inspectorTab, js string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		p.t.Fatalf("inspector: %s: %v", js, err)
	}
	return v
}

// until waits until the JavaScript expression is truthy.
func (p inspectorTab) until(what, expr string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		p.t.Fatalf("inspector: waiting for %s: %v\n%s", what, err, p.describe())
	}
}

// rowsJS lists the timeline's rows, each as "kind name".
const rowsJS = `Array.from(document.querySelectorAll('ol[aria-label="Timeline"] > li')).map(function (li) {
	return li.querySelector('.kind').textContent + ' ' + li.querySelector('.name').textContent; })`

// describe says what the inspector shows, for a failure.
func (p inspectorTab) describe() string {
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	defer cancel()
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	return fmt.Sprintf("timeline rows: %q\npage:\n%s", p.rows(), text)
}

func (p inspectorTab) rows() []string {
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	v, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](rowsJS))
	return v
}

// TestInspector runs a Link session in one tab while the inspector
// follows it in another: signed in with the client's credentials, it
// lists the session, shows its timeline and, without a reload, the
// events the session reports as it runs; once Link is done, the events in
// the order the page got them, onSuccess, the engine's requests and the
// webhook whose first delivery failed, with its two attempts. Then
// "Advance clock" moves the clock, "Resend" makes a third attempt, and
// "Reset client" empties the lists. The page runs under its own CSP and
// breaks no directive of it.
func TestInspector(t *testing.T) {
	requireBrowser(t)
	s := web.New(web.Options{Clients: []web.Client{{ClientID: inspectorClientID, Secret: inspectorSecret, PublicKey: "inspector-key"}},
		Assets: assets.New(), Webhooks: web.WebhookOptions{Backoff: 300 * time.Millisecond, MaxAttempts: 10}})
	srv := httptest.NewServer(s)
	t.Cleanup(func() { srv.Close(); s.Close() })
	api := testkit.New(srv.URL, inspectorClientID, inspectorSecret)
	rcv := testkit.NewReceiver(t, api, testkit.FailFirst(1), testkit.WaitTimeout(stepTimeout))
	var created struct {
		LinkToken string `json:"link_token"`
	}
	api.MustDecode(t, "/link/token/create", map[string]any{
		"client_name": "Inspected Shop", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "user-1"}, "products": []string{"transactions"}, "webhook": rcv.URL,
	}, &created)

	// The inspector, signed in after a refusal.
	insp := openInspector(t, srv.URL)
	insp.fill("client_id", inspectorClientID)
	insp.fill("secret", "wrong")
	insp.press("Sign in")
	insp.until("the refusal", `document.getElementById('error').textContent.indexOf('INVALID_API_KEYS') >= 0`)
	eval[string](insp, `document.getElementById('secret').value = ''`)
	insp.signIn("", inspectorSecret)
	insp.do("waiting for the empty list", chromedp.WaitVisible(chromedp.Search(`//p[normalize-space(.)='No Link sessions yet.']`)))
	eval[bool](insp, `window.__sameDocument = true`)

	// Link, as far as the credentials: the inspector lists the session.
	link := browser.OpenLink(t, srv.URL+assets.ScriptPath, linkdriver.Config{Token: created.LinkToken})
	link.WaitPane("CONSENT")
	link.Press("Continue")
	link.WaitPane("SELECT_INSTITUTION")
	link.Choose("First Platypus Bank")
	link.WaitPane("CREDENTIAL")
	insp.until("the session in the list", `document.querySelectorAll('#sessions button').length === 1`)
	session := eval[string](insp, `document.querySelector('#sessions button').textContent`)
	if session == "" {
		t.Fatalf("the session's button reads %q", session)
	}
	insp.press(session)
	insp.until("the session's open request", `document.querySelector('ol[aria-label="Timeline"] > li') !== null`)
	if rows := insp.rows(); len(rows) == 0 || rows[0] != "request /link/session/open" || slices.Contains(rows, "event SUBMIT_CREDENTIALS") {
		t.Errorf("timeline before the login = %q, want the open request first and no login yet", rows)
	}

	// The login: its events and request appear without a reload.
	link.Fill("Username", "user_good")
	link.Fill("Password", "pass_good")
	link.Press("Submit")
	link.WaitPane("SELECT_ACCOUNT")
	insp.until("the login's events", `(function (rows) { return rows.indexOf('event SUBMIT_CREDENTIALS') >= 0 && rows.indexOf('request /link/item/create') >= 0; })(`+rowsJS+`)`)
	if !eval[bool](insp, `window.__sameDocument === true`) {
		t.Error("the inspector reloaded to show the new events")
	}

	// The end of the session, and the webhook's second attempt.
	link.Check("Plaid Checking")
	link.Press("Continue")
	link.WaitPane("CONNECTED")
	link.Press("Continue")
	link.WaitSuccess()
	insp.until("onSuccess and a webhook delivered on its second attempt", `(function () {
		var rows = `+rowsJS+`;
		return rows.indexOf('callback onSuccess') >= 0 && Array.from(document.querySelectorAll('li[data-kind="webhook"]')).some(function (li) {
			return li.querySelectorAll('.attempts li').length === 2 && li.querySelector('.status').textContent === 'delivered'; });
	})()`)
	// The last events travel after onSuccess: wait for as many as the page got.
	want := link.Events()
	insp.until("every event", fmt.Sprintf(`document.querySelectorAll('li[data-kind="event"]').length === %d`, len(want)))

	rows := insp.rows()
	var events, requests []string
	for _, r := range rows {
		kind, name, _ := strings.Cut(r, " ")
		switch kind {
		case "event":
			events = append(events, name)
		case "request":
			requests = append(requests, name)
		}
	}
	if !slices.Equal(events, want) {
		t.Errorf("timeline's events = %q, want the page's, in order: %q", events, want)
	}
	// The events travel in the requests they led up to; a record tells
	// the end of the visit as onSuccess fires, another the events after
	// it once Link closes.
	if want := []string{"/link/session/open", "/link/item/create", "/link/item/connect", "/link/session/record", "/link/session/record"}; !slices.Equal(requests, want) {
		t.Errorf("timeline's requests %q, want %q", requests, want)
	}
	if connect, success, record := slices.Index(rows, "request /link/item/connect"), slices.Index(rows, "callback onSuccess"),
		slices.Index(rows, "request /link/session/record"); connect < 1 || rows[connect-1] != "event TRANSITION_VIEW" || success < connect || record < success {
		t.Errorf("timeline = %q: want the view the accounts were chosen on before /link/item/connect, then onSuccess in the record", rows)
	}
	if n := strings.Count(strings.Join(rows, "\n"), "callback onSuccess"); n != 1 {
		t.Errorf("timeline has %d onSuccess rows: %q", n, rows)
	}
	if open, first := slices.Index(rows, "request /link/session/open"), slices.Index(rows, "event "+want[0]); open != 0 || first < open {
		t.Errorf("timeline = %q: the open request should come first, before the events", rows)
	}
	if login, create := slices.Index(rows, "event SUBMIT_CREDENTIALS"), slices.Index(rows, "request /link/item/create"); login < 0 || login > create {
		t.Errorf("timeline = %q: the login's event should come before the request it led to", rows)
	}
	attempts := eval[[]string](insp, `(function () {
		var li = Array.from(document.querySelectorAll('li[data-kind="webhook"]')).filter(function (li) {
			return li.querySelectorAll('.attempts li').length === 2; })[0];
		return Array.from(li.querySelectorAll('.attempts li')).map(function (a) { return a.textContent; });
	})()`)
	if len(attempts) != 2 || !strings.HasPrefix(attempts[0], "Attempt 1: HTTP 503") || !strings.HasPrefix(attempts[1], "Attempt 2: HTTP 200") {
		t.Errorf("the webhook's attempts = %q, want HTTP 503 then HTTP 200", attempts)
	}
	if *screenshot != "" {
		png, err := chromedp.Run(insp.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("taking the screenshot: %v", err)
		}
		if err := os.WriteFile(*screenshot, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Advance clock: the clock's offset moves on by the seconds given.
	if offset := eval[string](insp, `document.getElementById('offset').textContent`); offset != "+0 s" {
		t.Errorf("offset before the advance = %q", offset)
	}
	insp.press("Advance clock")
	insp.until("the clock moved on", `document.getElementById('offset').textContent === '+3600 s'`)

	// Resend: the webhook that took two attempts gets a third.
	resend := eval[string](insp, `Array.from(document.querySelectorAll('li[data-kind="webhook"]')).filter(function (li) {
		return li.querySelectorAll('.attempts li').length === 2; })[0].querySelector('button').getAttribute('aria-label')`)
	insp.press(resend)
	insp.until("the third attempt", `Array.from(document.querySelectorAll('li[data-kind="webhook"]')).some(function (li) {
		return li.querySelectorAll('.attempts li').length === 3 && li.querySelector('.status').textContent === 'delivered'; })`)

	// Reset client: nothing is left to show.
	insp.press("Reset client")
	insp.do("waiting for the empty lists", chromedp.WaitVisible(chromedp.Search(`//p[normalize-space(.)='No Link sessions yet.']`)),
		chromedp.WaitVisible(chromedp.Search(`//p[normalize-space(.)='No Items yet.']`)))
	insp.until("the timeline hidden", `document.getElementById('session').hidden`)
	var left struct {
		Sessions []any `json:"sessions"`
	}
	api.MustDecode(t, "/linkharness/sessions/list", map[string]any{}, &left)
	if len(left.Sessions) != 0 {
		t.Errorf("after Reset client the server still has %d sessions", len(left.Sessions))
	}
	insp.noViolations()
}
