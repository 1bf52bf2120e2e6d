package e2e

import (
	"context"
	"html/template"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"

	"github.com/linkharness/linkharness/web"
	"github.com/linkharness/linkharness/web/assets"
)

// The examples of Plaid's legacy web SDK docs ("Plaid Link for Web" in
// https://plaid.com/docs/link/maintain-legacy-integration/) are kept
// verbatim in testdata/spec. They run as they are, with one substitution:
// the docs write "..." for "the rest of the configuration", which the page
// defines as base.

// docsPublicKey is the key the docs' examples use; the server these tests
// start accepts it.
const docsPublicKey = "PUBLIC_KEY"

// ellipsis is the docs' "..." standing for the rest of an object.
var ellipsis = regexp.MustCompile(`\.\.\.(\s*[,}])`)

var specPage = template.Must(template.New("spec").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Plaid docs example: {{.Name}}</title>
<script src="/record.js"></script>
<script src="{{.Origin}}/link/v2/stable/link-initialize.js"></script>
<script>
  // What the docs' examples take for granted on the page.
  window.reports = [];
  window.sent = [];
  var supportHandler = { report: function (r) { reports.push(JSON.parse(JSON.stringify(r))); } };
  var analytics = { send: function (name, metadata) { sent.push(name); } };
  // "..." in the docs: the rest of the configuration.
  var base = Object.assign({ clientName: 'Plaid Quickstart', env: 'sandbox', key: 'PUBLIC_KEY', product: ['transactions'] }, callbacks('main'));
</script>
<script>{{.Snippet}}</script>
</head>
<body><h1>{{.Name}}</h1></body>
</html>
`))

// specSite serves each example at /spec/NAME, against a linkharness server
// that accepts the docs' public key.
func specSite(t *testing.T) string {
	t.Helper()
	link := httptest.NewServer(web.New(web.Options{Clients: []web.Client{{ClientID: "docs", Secret: "docs-secret", PublicKey: docsPublicKey}}, Assets: assets.New()}))
	t.Cleanup(link.Close)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/record.js" {
			b, _ := testdata.ReadFile("testdata/record.js")
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			w.Write(b)
			return
		}
		name := path.Base(r.URL.Path)
		src, err := os.ReadFile("testdata/spec/" + name + ".js")
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		specPage.Execute(w, struct {
			Name, Origin string
			Snippet      template.JS
		}{name, link.URL, template.JS(ellipsis.ReplaceAllString(string(src), "...base$1"))})
	}))
	t.Cleanup(site.Close)
	return site.URL
}

// lastStatement is the example's last line of code: the call it shows.
func lastStatement(t *testing.T, name string) string {
	t.Helper()
	src, err := os.ReadFile("testdata/spec/" + name + ".js")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(src)), "\n")
	return lines[len(lines)-1]
}

func TestDocsExamples(t *testing.T) {
	site := specSite(t)
	toInstitution := func(tb *tab) {
		tb.waitPane("CONSENT")
		tb.press("Continue")
		tb.waitPane("SELECT_INSTITUTION")
	}
	link := func(tb *tab) {
		toInstitution(tb)
		tb.choose("First Platypus Bank")
		tb.waitPane("CREDENTIAL")
		tb.login("pass_good")
		tb.waitPane("SELECT_ACCOUNT")
		tb.check("Plaid Checking")
		tb.press("Continue")
		tb.waitPane("CONNECTED")
		tb.press("Continue")
		tb.waitDialogs(0)
	}
	tests := []struct {
		name string
		run  func(t *testing.T, tb *tab)
	}{
		{"create", func(t *testing.T, tb *tab) {
			// Every option of the docs' Plaid.create, then a whole flow.
			tb.eval(`handler.open()`)
			link(tb)
		}},
		{"open", func(t *testing.T, tb *tab) {
			link(tb)
			tb.waitCall("main", "onSuccess")
		}},
		{"on_success", func(t *testing.T, tb *tab) {
			posted := interceptYourServer(t, tb)
			tb.eval(`handler.open()`)
			link(tb)
			got := posted()
			if len(got) != 1 || got[0] != "POST http://yourserver.com/exchange_public_token" {
				t.Fatalf("the onSuccess example sent %q, want one POST to its exchange_public_token", got)
			}
		}},
		{"on_exit", func(t *testing.T, tb *tab) {
			tb.eval(`handler.open()`)
			toInstitution(tb)
			tb.press("Close")
			tb.waitPane("EXIT")
			tb.press("Exit")
			tb.poll("the support report", `reports.length === 1`)
			var r struct {
				Error          any    `json:"error"`
				Status         string `json:"status"`
				LinkSessionID  string `json:"link_session_id"`
				PlaidRequestID string `json:"plaid_request_id"`
			}
			if err := tb.evalInto(`reports[0]`, &r); err != nil {
				t.Fatal(err)
			}
			if r.Error != nil || r.Status != "requires_credentials" || r.LinkSessionID == "" || r.PlaidRequestID == "" {
				t.Fatalf("support report = %+v", r)
			}
		}},
		{"on_event", func(t *testing.T, tb *tab) {
			tb.eval(`handler.open()`)
			toInstitution(tb)
			tb.eval(`handler.exit({force: true})`)
			tb.waitDialogs(0)
			var sent []string
			if err := tb.evalInto(`sent`, &sent); err != nil {
				t.Fatal(err)
			}
			if want := []string{"OPEN", "TRANSITION_VIEW", "EXIT"}; !slices.Equal(sent, want) {
				t.Fatalf("analytics got %q, want %q", sent, want)
			}
		}},
		{"exit", func(t *testing.T, tb *tab) {
			// At load the example exits a Link that never opened.
			tb.waitConsole(levelWarning, "attempted to exit Link when it was not open")
			tb.eval(`handler.open()`)
			toInstitution(tb)
			tb.eval(lastStatement(t, "exit")) // graceful: Link asks first
			tb.waitPane("EXIT")
			tb.press("Exit")
			tb.waitCall("main", "onExit")
		}},
		{"exit_force", func(t *testing.T, tb *tab) {
			tb.waitConsole(levelWarning, "attempted to exit Link when it was not open")
			tb.eval(`handler.open()`)
			toInstitution(tb)
			tb.eval(lastStatement(t, "exit_force"))
			tb.waitCall("main", "onExit")
			tb.waitDialogs(0)
		}},
		{"destroy", func(t *testing.T, tb *tab) {
			// Destroyed before it loaded: no onLoad, no DOM, and a later
			// open() only warns.
			tb.eval(`handler.open()`)
			tb.waitConsole(levelWarning, "attempted to open Link after destroy() was called")
			tb.poll("no Link DOM", noLinkDOM)
			if calls := tb.calls("main"); len(calls) != 0 {
				t.Fatalf("callbacks after destroy: %v", names(calls))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := newTab(t)
			tb.site = site
			tb.navigate("spec/" + tt.name)
			tt.run(t, tb)
			for _, m := range tb.console.all() {
				if m.Level == levelError {
					t.Errorf("console error: %s", m)
				}
			}
		})
	}
}

// interceptYourServer answers the page's requests to yourserver.com, the
// integrator's backend in the docs, and returns what it received.
func interceptYourServer(t *testing.T, tb *tab) func() []string {
	t.Helper()
	var mu sync.Mutex
	var got []string
	paused := make(chan *fetch.EventRequestPaused, 8)
	if err := chromedp.Listen(tb.ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			paused <- e
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tb.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*://yourserver.com/*"}}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(tb.ctx)
	t.Cleanup(cancel)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case e := <-paused:
				mu.Lock()
				got = append(got, e.Request.Method+" "+e.Request.URL)
				mu.Unlock()
				chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
					RequestID:       e.RequestID,
					ResponseCode:    200,
					ResponseHeaders: []*fetch.HeaderEntry{{Name: "Access-Control-Allow-Origin", Value: "*"}},
					Body:            []byte("{}"),
				})
			}
		}
	}()
	// The request leaves in onSuccess; wait for it.
	return func() []string {
		deadline := time.Now().Add(stepTimeout)
		for {
			mu.Lock()
			out := slices.Clone(got)
			mu.Unlock()
			if len(out) > 0 || time.Now().After(deadline) {
				return out
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}
