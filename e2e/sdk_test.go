package e2e

import (
	"slices"
	"testing"

	"github.com/chromedp/chromedp/kb"
)

// The tests in this file hold link-initialize.js to the SDK's contract:
// Plaid.create, open, exit and destroy as pages call them, in every order,
// with good and bad arguments, never throwing into the page.

// embeddedTwice is the warning Plaid's script prints when a page embeds it
// twice.
const embeddedTwice = "The Plaid link-initialize.js script was embedded more than once."

func TestOpenBeforeOnLoad(t *testing.T) {
	tb := openPage(t, "early.html")
	tb.waitPane("CONSENT")
	calls := tb.calls("main")
	if len(calls) < 2 || calls[0].Name != "onLoad" {
		t.Fatalf("callbacks = %v, want onLoad first", names(calls))
	}
	if ev := events(t, calls); len(ev) == 0 || ev[0] != "OPEN" {
		t.Errorf("events = %v, want OPEN first", ev)
	}
}

// linkStyleSheets counts the style sheets Link added: adopted ones whose
// rules are Link's, and <style> elements (where the browser cannot adopt).
const linkStyleSheets = `(Array.prototype.filter.call(document.adoptedStyleSheets || [], function (s) {
	return Array.prototype.some.call(s.cssRules, function (r) { return r.cssText.indexOf('.lh-') >= 0; });
}).length + Array.prototype.filter.call(document.querySelectorAll('style'), function (s) { return s.textContent.indexOf('.lh-') >= 0; }).length)`

// noLinkDOM is true when no node or style that Link added is left.
const noLinkDOM = `document.querySelectorAll('[role=dialog], [data-linkharness], [class^="lh-"], [class*=" lh-"]').length === 0 &&
	` + linkStyleSheets + ` === 0`

func TestDestroy(t *testing.T) {
	tests := []struct {
		name string
		page string
		// run drives the page from load to a destroyed handler.
		run func(*tab)
		// want are the callbacks the page received, in order.
		want []string
	}{
		{
			name: "while open",
			page: "link.html",
			run: func(tb *tab) {
				tb.clickPage("Link account")
				tb.waitPane("CONSENT")
				tb.press("Continue")
				tb.waitPane("SELECT_INSTITUTION")
				tb.eval(`handler.destroy()`)
			},
			// destroy is not an exit: no onExit, as Plaid documents.
			want: []string{"onLoad", "onEvent", "onEvent"},
		},
		{
			name: "from the exit callback",
			page: "link.html",
			run: func(tb *tab) {
				tb.clickPage("Link account")
				tb.waitPane("CONSENT")
				// What react-plaid-link does on unmount.
				tb.eval(`handler.exit({force: true}, function () {
					__calls.push({handler: 'main', name: 'exitCallback', args: []});
					handler.destroy();
				})`)
				tb.waitCall("main", "exitCallback")
			},
			want: []string{"onLoad", "onEvent", "onEvent", "onExit", "exitCallback"},
		},
		{
			name: "before the module loaded",
			page: "destroyed.html",
			run: func(tb *tab) {
				tb.waitCall("probe", "onLoad")
				tb.eval(`probe.destroy()`)
			},
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := openPage(t, tt.page)
			var before int
			if err := tb.evalInto(`document.body.childElementCount`, &before); err != nil {
				t.Fatal(err)
			}
			tt.run(tb)

			tb.poll("no Link DOM", noLinkDOM)
			var after int
			if err := tb.evalInto(`document.body.childElementCount`, &after); err != nil {
				t.Fatal(err)
			}
			if after != before {
				t.Errorf("body has %d children after destroy, %d before open", after, before)
			}
			if got := names(tb.calls("main")); !slices.Equal(got, tt.want) {
				t.Errorf("callbacks = %v, want %v", got, tt.want)
			}

			// Every later call does nothing but warn: no UI, no callback;
			// open and exit get the SDK's console warning, a second
			// destroy is silent.
			calls, logged := len(tb.calls("main")), len(tb.console.all())
			tb.eval(`handler.open(); handler.exit(); handler.exit({force: true}); handler.destroy(); handler.open()`)
			tb.waitConsole(levelWarning, "attempted to open Link after destroy() was called")
			tb.poll("no Link DOM", noLinkDOM)
			if got := len(tb.calls("main")); got != calls {
				t.Errorf("%d callbacks after destroy", got-calls)
			}
			var warned []string
			for _, m := range tb.console.all()[logged:] {
				warned = append(warned, m.String())
			}
			want := []string{
				"warning: attempted to open Link after destroy() was called; create a new handler with Plaid.create",
				"warning: attempted to exit Link after destroy() was called; create a new handler with Plaid.create",
				"warning: attempted to exit Link after destroy() was called; create a new handler with Plaid.create",
				"warning: attempted to open Link after destroy() was called; create a new handler with Plaid.create",
			}
			if !slices.Equal(warned, want) {
				t.Errorf("console after destroy:\n got %q\nwant %q", warned, want)
			}
		})
	}
}

func TestTwoHandlers(t *testing.T) {
	tb := openPage(t, "two.html")
	tb.waitCall("a", "onLoad")
	tb.waitCall("b", "onLoad")

	tb.eval(`handlers.a.open()`)
	tb.waitPane("CONSENT")
	tb.eval(`handlers.b.open()`)
	tb.waitDialogs(2)
	tb.waitPane("CONSENT") // b's dialog, on top

	// Escape closes the dialog on top (b's), and only that one.
	tb.key(kb.Escape)
	tb.waitCall("b", "onExit")
	tb.waitDialogs(1)
	if n := len(only(tb.calls("a"), "onExit")); n != 0 {
		t.Fatalf("a got %d onExit calls when b closed", n)
	}

	// a's dialog is still there and still works.
	tb.press("Continue")
	tb.waitPane("SELECT_INSTITUTION")
	tb.press("Close")
	tb.waitPane("EXIT") // past consent, Link asks first
	tb.press("Exit")
	tb.waitCall("a", "onExit")
	tb.waitDialogs(0)

	sessions := map[string]string{}
	for _, h := range []string{"a", "b"} {
		calls := tb.calls(h)
		if got := names(calls); got[0] != "onLoad" || got[len(got)-1] != "onExit" || len(only(calls, "onExit")) != 1 {
			t.Errorf("%s callbacks = %v, want onLoad first and one onExit last", h, got)
		}
		var md exitMetadata
		decodeArg(t, only(calls, "onExit")[0], 1, &md)
		for _, c := range only(calls, "onEvent") {
			var ev eventMetadata
			decodeArg(t, c, 1, &ev)
			if ev.LinkSessionID != md.LinkSessionID {
				t.Errorf("%s: event link_session_id %q, onExit's %q", h, ev.LinkSessionID, md.LinkSessionID)
			}
		}
		sessions[h] = md.LinkSessionID
	}
	if sessions["a"] == "" || sessions["a"] == sessions["b"] {
		t.Errorf("link_session_ids a=%q b=%q, want two different ones", sessions["a"], sessions["b"])
	}
	if ev := events(t, tb.calls("a")); !slices.Contains(ev, "TRANSITION_VIEW") {
		t.Errorf("a's events = %v, want its TRANSITION_VIEW", ev)
	}
	if ev := events(t, tb.calls("b")); slices.Contains(ev, "TRANSITION_VIEW") {
		t.Errorf("b's events = %v, b never left CONSENT", ev)
	}

	// The styles stay while any handler lives.
	tb.eval(`handlers.a.destroy()`)
	var styles int
	if err := tb.evalInto(linkStyleSheets, &styles); err != nil {
		t.Fatal(err)
	}
	if styles != 1 {
		t.Errorf("%d Link style sheets with b alive, want 1", styles)
	}
	tb.eval(`handlers.b.destroy()`)
	tb.poll("no Link DOM", noLinkDOM)
}

func TestBadInput(t *testing.T) {
	// Each case runs script on blank.html, where window.key is the public
	// key and config(tag, key) a valid configuration recording into __calls
	// under tag. The script must not throw. Then the page must print message
	// at level, handler "t" must end in onExit with exitCode, Link must show
	// pane, and the expression until must hold, for each that is set.
	tests := []struct {
		name     string
		script   string
		level    string
		message  string
		exitCode string
		pane     string
		until    string
	}{
		{
			name:    "no config",
			script:  `Plaid.create()`,
			level:   levelError,
			message: "Plaid.create: config must be an object",
		},
		{
			name:    "null config",
			script:  `Plaid.create(null).open()`,
			level:   levelError,
			message: "Plaid.create: config must be an object",
		},
		{
			name:    "config is a string",
			script:  `Plaid.create('key').open()`,
			level:   levelError,
			message: "Plaid.create: config must be an object",
		},
		{
			name:     "missing key",
			script:   `var c = config('t', key); delete c.key; var h = Plaid.create(c); h.open()`,
			level:    levelError,
			message:  "Plaid.create: key is required",
			exitCode: "MISSING_FIELDS",
		},
		{
			name:     "onSuccess not a function",
			script:   `var c = config('t', key); c.onSuccess = 'done'; Plaid.create(c).open()`,
			level:    levelError,
			message:  "Plaid.create: onSuccess must be a function",
			exitCode: "INVALID_FIELD",
		},
		{
			name:     "unknown public key",
			script:   `Plaid.create(config('t', 'not-a-key')).open()`,
			exitCode: "INVALID_API_KEYS",
		},
		{
			name:    "config that is not JSON",
			script:  `var c = config('t', key); c.self = c; Plaid.create(c).open()`,
			level:   levelError,
			message: "cannot be encoded as JSON",
		},
		{
			name:    "open twice",
			script:  `var h = Plaid.create(config('t', key)); h.open(); h.open()`,
			level:   levelWarning,
			message: "attempted to open Link when it was already open",
			pane:    "CONSENT",
		},
		{
			name:    "exit when not open",
			script:  `var h = Plaid.create(config('t', key)); h.exit(); h.exit({force: true})`,
			level:   levelWarning,
			message: "attempted to exit Link when it was not open",
		},
		{
			name:   "destroy twice",
			script: `var h = Plaid.create(config('t', key)); h.destroy(); h.destroy(); h.exit({}, function () { window.exited = true; })`,
			until:  `window.exited === true`,
		},
		{
			name:    "callback that throws",
			script:  `var c = config('t', key); c.onLoad = function () { throw new Error('page bug'); }; Plaid.create(c).open()`,
			level:   levelError,
			message: "the onLoad callback threw",
			pane:    "CONSENT",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := openPage(t, "blank.html")
			tb.eval(tt.script) // fails the test if it throws
			if tt.message != "" {
				tb.waitConsole(tt.level, tt.message)
			}
			if tt.exitCode != "" {
				tb.waitCall("t", "onExit")
				var e plaidError
				decodeArg(t, only(tb.calls("t"), "onExit")[0], 0, &e)
				if e.ErrorCode != tt.exitCode {
					t.Errorf("onExit error_code = %q, want %q", e.ErrorCode, tt.exitCode)
				}
			}
			if tt.pane != "" {
				tb.waitPane(tt.pane)
			}
			if tt.until != "" {
				tb.poll(tt.until, tt.until)
			}
		})
	}
}

func TestScriptEmbeddedTwice(t *testing.T) {
	tb := openPage(t, "twice.html")
	tb.waitConsole(levelWarning, embeddedTwice)
	var same bool
	if err := tb.evalInto(`window.Plaid === window.firstPlaid`, &same); err != nil {
		t.Fatal(err)
	}
	if !same {
		t.Error("the second script replaced the first Plaid global")
	}
	tb.waitCall("main", "onLoad")
}
