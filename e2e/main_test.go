package e2e

import (
	"context"
	"embed"
	"encoding/json"
	"html/template"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/plaidtest/linkdriver"
	"github.com/linkharness/linkharness/web"
	"github.com/linkharness/linkharness/web/assets"
)

// The API client the linkharness server knows; pages use its public key.
const (
	testClientID  = "e2e-client"
	testSecret    = "e2e-secret"
	testPublicKey = "e2e-public-key"
)

// Test timeouts. A limit only matters when a test fails, so they are generous
// for slow CI machines.
const (
	tabTimeout  = 2 * time.Minute
	stepTimeout = 20 * time.Second
)

var (
	// browserCtx is the browser every test opens its tabs in; nil when
	// there is no browser (see browserErr).
	browserCtx context.Context
	// browserErr says why browserCtx is nil.
	browserErr error
	// browser is the browser of browserCtx, for linkdriver's pages.
	browser *linkdriver.Browser

	// linkURL is the linkharness server (the "CDN" and backend); pageURL is
	// the server of the test pages, on another origin.
	linkURL, pageURL string
)

//go:embed testdata/*.html testdata/*.js
var testdata embed.FS

var pages = template.Must(template.ParseFS(testdata, "testdata/*.html"))

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

// run starts the two servers and one browser (plaidtest/linkdriver's, found
// and started as it does for integrators' tests) for the whole test
// binary, as chromedp's own tests do; each test opens a fresh tab in it.
func run(m *testing.M) int {
	// The site's page at the redirect URI must be allowed before the
	// linkharness server starts, and the site's pages name that server.
	var pages http.Handler
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { pages.ServeHTTP(w, r) }))
	defer site.Close()
	pageURL = site.URL

	link := httptest.NewServer(web.New(web.Options{Clients: []web.Client{{
		ClientID:     testClientID,
		Secret:       testSecret,
		PublicKey:    testPublicKey,
		RedirectURIs: []string{redirectURI()},
	}}, Assets: assets.New()}))
	defer link.Close()
	linkURL = link.URL
	kit = testkit.New(link.URL, testClientID, testSecret)
	pages = pageHandler(link.URL, testPublicKey)

	b, err := linkdriver.StartBrowser()
	if err != nil {
		browserErr = err
		return m.Run()
	}
	defer b.Close() // waits for the browser to exit and removes its profile
	browser, browserCtx = b, b.Context()
	return m.Run()
}

// redirectURI is the test site's page that the bank sends users back to
// in the OAuth redirect flow, where Link is re-initialised.
func redirectURI() string { return pageURL + "/oauth-return.html" }

// requireBrowser stops a test that has no browser: it skips on a developer
// machine without Chromium and fails on CI, or when the browser is broken
// (linkdriver.Require, the public driver's rule).
func requireBrowser(tb testing.TB) {
	tb.Helper()
	linkdriver.Require(tb, browserErr)
}

// pageHandler serves the test pages in testdata, templated with the
// linkharness origin and public key, and their scripts as they are.
func pageHandler(origin, publicKey string) http.Handler {
	data := struct{ Origin, PublicKey string }{origin, publicKey}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := path.Base(r.URL.Path)
		switch path.Ext(name) {
		case ".html":
			if pages.Lookup(name) == nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			if name == "csp.html" && r.URL.Query().Get("csp") != "off" {
				w.Header().Set("Content-Security-Policy", strictCSP(origin))
			}
			if err := pages.ExecuteTemplate(w, name, data); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
			}
		case ".js":
			b, err := testdata.ReadFile("testdata/" + name)
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			w.Write(b)
		default:
			http.NotFound(w, r)
		}
	})
}

// tab is one browser tab showing a test page.
type tab struct {
	tb      testing.TB
	ctx     context.Context
	console *consoleLog
	// site is the origin of the test pages it navigates to.
	site string
	// redirectFlow says OAuth logins send the whole tab to the bank, and
	// resumed that Link was re-initialised on the redirect page.
	redirectFlow, resumed bool
}

// newTab opens a fresh tab that listens to the page's console. It closes
// when the test ends, after checking that the page threw nothing.
func newTab(tb testing.TB) *tab {
	tb.Helper()
	t, _ := openTab(tb)
	return t
}

// openTab is newTab with chromedp's context options (a new browser context
// gives the tab a cold cache of its own); it also returns the function
// that closes the tab before the test ends.
func openTab(tb testing.TB, opts ...chromedp.ContextOption) (*tab, context.CancelFunc) {
	tb.Helper()
	requireBrowser(tb)
	ctx, cancel := chromedp.NewContext(browserCtx, opts...)
	tb.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the tab
		tb.Fatalf("opening a tab: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, tabTimeout)
	tb.Cleanup(cancelTimeout)
	t := &tab{tb: tb, ctx: ctx, console: &consoleLog{}, site: pageURL}
	if err := chromedp.Listen(ctx, t.console.record); err != nil {
		tb.Fatalf("listening to the console: %v", err)
	}
	tb.Cleanup(t.checkNoErrors) // runs before the tab closes
	return t, func() { t.checkNoErrors(); cancel() }
}

// openPage opens a tab on the named page of testdata.
func openPage(tb testing.TB, name string) *tab {
	tb.Helper()
	t := newTab(tb)
	t.navigate(name)
	return t
}

// navigate loads the named test page in the tab.
func (t *tab) navigate(name string) {
	t.tb.Helper()
	if err := chromedp.Do(t.ctx, chromedp.Navigate(t.site+"/"+name)); err != nil {
		t.tb.Fatalf("navigating to %s: %v", name, err)
	}
}

// checkNoErrors fails the test if the page had an uncaught exception or an
// unhandled rejection.
func (t *tab) checkNoErrors() {
	for _, m := range t.console.all() {
		if m.Level == levelException {
			t.tb.Errorf("uncaught exception on the page: %s", m.Text)
		}
	}
	if t.ctx.Err() != nil {
		return
	}
	var errs []string
	if err := t.evalInto("window.__errors || []", &errs); err != nil {
		// The page may have navigated away; the console check above holds.
		return
	}
	for _, e := range errs {
		t.tb.Errorf("page error: %s", e)
	}
}

// Console levels as the protocol names them, plus uncaught exceptions.
const (
	levelLog       = "log"
	levelWarning   = "warning"
	levelError     = "error"
	levelException = "exception"
)

// consoleMessage is one console call or uncaught exception of the page.
type consoleMessage struct {
	Level string
	Text  string
}

func (m consoleMessage) String() string { return m.Level + ": " + m.Text }

// consoleLog collects a tab's console. chromedp.Listen calls record in the
// order the browser sent the events, before the command that follows them
// returns, so a test reads a complete log right after an action.
type consoleLog struct {
	mu   sync.Mutex
	msgs []consoleMessage
}

func (c *consoleLog) record(ev any) {
	var m consoleMessage
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		m = consoleMessage{Level: string(ev.Type), Text: argsText(ev.Args)}
	case *runtime.EventExceptionThrown:
		m = consoleMessage{Level: levelException, Text: exceptionText(ev.ExceptionDetails)}
	default:
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.msgs = append(c.msgs, m)
}

func (c *consoleLog) all() []consoleMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]consoleMessage(nil), c.msgs...)
}

// find returns the first message at level whose text contains substr.
func (c *consoleLog) find(level, substr string) (consoleMessage, bool) {
	for _, m := range c.all() {
		if m.Level == level && strings.Contains(m.Text, substr) {
			return m, true
		}
	}
	return consoleMessage{}, false
}

// argsText renders console arguments: strings as they are, other values by
// their JSON value or their description.
func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		var s string
		switch {
		case a.Type == runtime.RemoteObjectTypeString && json.Unmarshal(a.Value, &s) == nil:
			parts = append(parts, s)
		case a.Description != "":
			parts = append(parts, a.Description)
		case len(a.Value) > 0:
			parts = append(parts, string(a.Value))
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return ""
	}
	if d.Exception != nil && d.Exception.Description != "" {
		return d.Text + " " + d.Exception.Description
	}
	return d.Text
}
