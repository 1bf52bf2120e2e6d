package linkdriver

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

//go:embed recorder.js
var recorder string

// Page is one browser tab. Every step of it waits up to StepTimeout and
// fails the test, with what the Link dialog showed and the callbacks so
// far, if it does not complete. A Page belongs to one test goroutine.
type Page struct {
	t   testing.TB
	ctx context.Context
	// ended counts the calls up to the last end of Link (onSuccess or
	// onExit) that a Wait returned.
	ended int
}

// newPage opens a tab that records Link's callbacks in every document it
// shows, closed when the test ends.
func (b *Browser) newPage(t testing.TB) *Page {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recorder}); err != nil {
		t.Fatalf("linkdriver: opening a tab: %v", err)
	}
	return &Page{t: t, ctx: ctx}
}

// Visit opens url in a new tab, closed when the test ends: a page of the
// test's own that loads the SDK by a script tag and calls Plaid.create.
func (b *Browser) Visit(t testing.TB, url string) *Page {
	t.Helper()
	p := b.newPage(t)
	if err := chromedp.Do(p.ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("linkdriver: navigating to %s: %v", url, err)
	}
	return p
}

// Config is Link's configuration for OpenLink: a link token, or a legacy
// public key, and any other Plaid.create options.
type Config struct {
	// Token is a link token from /link/token/create.
	Token string
	// Key is a public key, for a legacy integration; OpenLink adds the
	// options Plaid requires with it where Options lacks them: clientName,
	// env "sandbox", product ["transactions"], countryCodes ["US"] and
	// language "en".
	Key string
	// Options are further Plaid.create options, by their JavaScript
	// names, such as receivedRedirectUri. The callbacks are OpenLink's.
	Options map[string]any
}

// options is c as Plaid.create's argument, or why it cannot be.
func (c Config) options() (map[string]any, error) {
	if (c.Token == "") == (c.Key == "") {
		return nil, fmt.Errorf("linkdriver: Config needs exactly one of Token and Key")
	}
	out := map[string]any{}
	if c.Key != "" {
		out = map[string]any{"clientName": "linkdriver", "env": "sandbox", "product": []string{"transactions"},
			"countryCodes": []string{"US"}, "language": "en", "key": c.Key}
	} else {
		out["token"] = c.Token
	}
	for k, v := range c.Options {
		out[k] = v
	}
	return out, nil
}

// openPage is the page OpenLink serves: the SDK by a script tag, then
// Plaid.create with the configuration and open().
var openPage = template.Must(template.New("link").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>linkdriver</title>
<script src="{{.Script}}"></script>
</head>
<body>
<script>
  window.handler = Plaid.create({{.Config}});
  handler.open();
</script>
</body>
</html>
`))

// OpenLink serves a page of its own, on an origin apart from the SDK's as
// an integration's page is, that loads the SDK from scriptURL (such as
// plaidtest.Server.ScriptURL) and opens Link with cfg, and shows it in a
// new tab. Both close when the test ends.
func (b *Browser) OpenLink(t testing.TB, scriptURL string, cfg Config) *Page {
	t.Helper()
	if !strings.HasPrefix(scriptURL, "http://") && !strings.HasPrefix(scriptURL, "https://") {
		t.Fatalf("linkdriver: OpenLink: the script URL %q is not an http or https URL", scriptURL)
	}
	options, err := cfg.options()
	if err != nil {
		t.Fatal(err)
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		openPage.Execute(w, map[string]any{"Script": scriptURL, "Config": options})
	}))
	t.Cleanup(site.Close)
	return b.Visit(t, site.URL+"/")
}

// Context is the tab's chromedp context, for a test's own chromedp
// actions.
func (p *Page) Context() context.Context { return p.ctx }

// step runs actions within StepTimeout, failing the test with what the
// dialog showed if they do not complete.
func (p *Page) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, StepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("linkdriver: %s: %v\n%s", what, err, p.Describe())
	}
}

// Press presses the button called name in the Link dialog, once it is
// enabled and the dialog is idle.
func (p *Page) Press(name string) {
	p.t.Helper()
	p.step("pressing "+name, chromedp.Click(chromedp.Search(Button(name)), chromedp.NodeVisible))
}

// Choose picks the item called name of the dialog's list: an institution,
// an MFA device.
func (p *Page) Choose(name string) {
	p.t.Helper()
	p.step("choosing "+name, chromedp.Click(chromedp.Search(ListItem(name)), chromedp.NodeVisible))
}

// Check clicks the checkbox labelled label (an account), ticking or
// unticking it.
func (p *Page) Check(label string) {
	p.t.Helper()
	p.step("checking "+label, chromedp.Click(chromedp.Search(Checkbox(label)+Idle), chromedp.NodeVisible))
}

// ClickPage clicks the page's own button called name, outside Link (such
// as the page's "Link account").
func (p *Page) ClickPage(name string) {
	p.t.Helper()
	p.step("clicking "+name, chromedp.Click(chromedp.Search(PageButton(name)), chromedp.NodeVisible))
}

// Fill types value into the text field labelled label, replacing what it
// holds, or picks the option value of the select box labelled label,
// once the dialog is idle: FillAction.
func (p *Page) Fill(label, value string) {
	p.t.Helper()
	p.waitIdle()
	p.step("filling "+label, FillAction(label, value))
}

// FillAction is the chromedp action of Page.Fill, for a test's own
// chromedp code. In a text field it does what a person does: it clicks
// the field, selects its text, deletes it and types value. In a select
// box it picks the option whose value is value, and the page sees the
// change.
func FillAction(label, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		isSelect, err := chromedp.Evaluate[bool](fmt.Sprintf(`document.evaluate(%s, document, null, XPathResult.BOOLEAN_TYPE, null).booleanValue`,
			jsString("boolean("+Select(label)+")")))(ctx, t)
		if err != nil {
			return fmt.Errorf("looking for %s: %w", label, err)
		}
		if isSelect {
			_, err := chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(function (e) {
				e.focus(); e.value = %s; e.dispatchEvent(new Event('change', {bubbles: true}));
			})(document.evaluate(%s, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue)`,
				jsString(value), jsString(Select(label))))(ctx, t)
			return err
		}
		sel := chromedp.Search(Field(label))
		if _, err := chromedp.Click(sel, chromedp.NodeVisible)(ctx, t); err != nil {
			return fmt.Errorf("focusing %s: %w", label, err)
		}
		filled, err := chromedp.Evaluate[bool](`(function (e) { e.select(); return e.value !== ''; })(document.activeElement)`)(ctx, t)
		if err != nil {
			return fmt.Errorf("selecting the text of %s: %w", label, err)
		}
		if filled {
			if _, err := chromedp.SendKeys(sel, kb.Backspace)(ctx, t); err != nil {
				return fmt.Errorf("clearing %s: %w", label, err)
			}
		}
		if value != "" {
			if _, err := chromedp.SendKeys(sel, value)(ctx, t); err != nil {
				return fmt.Errorf("typing into %s: %w", label, err)
			}
		}
		return nil
	})
}

// Key presses keys in the page, such as kb.Escape or kb.Enter.
func (p *Page) Key(keys string) {
	p.t.Helper()
	p.step(fmt.Sprintf("pressing key %q", keys), chromedp.KeyEvent(keys))
}

// WaitPane waits until the Link dialog shows pane (its view_name, such as
// "SELECT_ACCOUNT") and is idle.
func (p *Page) WaitPane(pane string) {
	p.t.Helper()
	p.step("waiting for pane "+pane, chromedp.WaitVisible(chromedp.Search(Pane(pane))))
}

// waitIdle waits until no Link dialog is busy.
func (p *Page) waitIdle() {
	p.t.Helper()
	p.poll("Link to be idle", `!document.querySelector('[role=dialog][aria-busy=true]')`)
}

// poll waits until the JavaScript expression is truthy.
func (p *Page) poll(what, expr string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, StepTimeout)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(StepTimeout)))
	if err != nil {
		p.t.Fatalf("linkdriver: waiting for %s: %v\n%s", what, err, p.Describe())
	}
}

// Eval runs JavaScript in the page, such as a read of the page's own
// state, and decodes its JSON result into v (nil to ignore it). It fails
// the test if the script throws.
func (p *Page) Eval(js string, v any) {
	p.t.Helper()
	p.eval(js, v)
}

// eval runs JavaScript in the page and decodes its JSON result into v
// (nil to ignore it), failing the test if it throws.
func (p *Page) eval(js string, v any) {
	p.t.Helper()
	if err := p.evalErr(js, v); err != nil {
		p.t.Fatalf("linkdriver: running %.200s: %v\n%s", js, err, p.Describe())
	}
}

func (p *Page) evalErr(js string, v any) error {
	ctx, cancel := context.WithTimeout(p.ctx, StepTimeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](js))
	if err != nil || v == nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

// Describe is the state of the page for a failure message: the Link
// dialog's pane and text, the callbacks so far and the page's uncaught
// errors.
func (p *Page) Describe() string {
	var b strings.Builder
	var text string
	if err := p.evalErr(`window.__linkdriver ? window.__linkdriver.describe() : '(the page has no linkdriver recorder)'`, &text); err != nil {
		return "(the page could not be read: " + err.Error() + ")"
	}
	b.WriteString(text)
	b.WriteString("\ncallbacks:\n")
	for _, c := range p.calls() {
		fmt.Fprintf(&b, "  %s\n", c)
	}
	var errs []string
	p.evalErr(`window.__linkdriver.errors`, &errs)
	for _, e := range errs {
		fmt.Fprintf(&b, "page %s\n", e)
	}
	return b.String()
}

// Call is one Link callback the page received.
type Call struct {
	// Name is onLoad, onSuccess, onExit or onEvent.
	Name string `json:"name"`
	// Args are its arguments as JSON.
	Args []json.RawMessage `json:"args"`
}

// String is the call's name and arguments.
func (c Call) String() string {
	parts := []string{c.Name}
	for _, a := range c.Args {
		parts = append(parts, string(a))
	}
	return strings.Join(parts, " ")
}

// Calls are the Link callbacks of every handler on the page, in order
// (those of the document the tab shows now).
func (p *Page) Calls() []Call {
	p.t.Helper()
	var calls []Call
	p.eval(`window.__linkdriver.calls`, &calls)
	return calls
}

// calls is Calls for a failure message: nothing when the page cannot say.
func (p *Page) calls() []Call {
	var calls []Call
	p.evalErr(`window.__linkdriver.calls`, &calls)
	return calls
}

// Events are the names of the onEvent calls, in order.
func (p *Page) Events() []string {
	p.t.Helper()
	var out []string
	for _, c := range p.Calls() {
		var name string
		if c.Name == "onEvent" && len(c.Args) > 0 && json.Unmarshal(c.Args[0], &name) == nil {
			out = append(out, name)
		}
	}
	return out
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
