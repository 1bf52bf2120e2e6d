package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/linkharness/linkharness/harness"
	"github.com/linkharness/linkharness/internal/scenario"
	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// scenarios holds the scenarios shared with the harness tests, each with
// the golden transcript both hosts must produce.
const scenarios = "../harness/testdata/scenarios"

// debounce is longer than the engine's search delay, so a wait step lets
// SEARCH_INSTITUTION fire in the browser as it does in the harness.
const debounce = 500 * time.Millisecond

// TestScenarios runs every scenario of the harness tests in Chromium, by
// role and accessible name, and checks the callbacks against the same
// golden files.
func TestScenarios(t *testing.T) {
	all, err := scenario.Load(scenarios)
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range all {
		if sc.Webview != nil {
			continue // TestWebviewScenarios
		}
		t.Run(sc.Name, func(t *testing.T) {
			tb := openScenario(t, sc)
			for _, st := range sc.Steps {
				tb.play(st)
			}
			tb.waitDialogs(0)
			got, err := harness.Transcript(tb.calls("main"))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(sc.Golden)
			if err != nil {
				t.Fatalf("%v (go test ./harness -update writes it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("callbacks differ from %s\ngot:\n%s\nwant:\n%s", sc.Golden, got, want)
			}
		})
	}
}

// openScenario opens Link in a new tab as the scenario says, with the
// configuration the harness tests use too (scenario.Configuration), and
// waits for the dialog.
func openScenario(t *testing.T, sc scenario.Scenario) *tab {
	t.Helper()
	config, err := sc.Configuration(scenario.Host{Backend: kit.Backend, PublicKey: testPublicKey, RedirectURI: redirectURI()})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(config)
	if err != nil {
		t.Fatal(err)
	}
	tb := openPage(t, "blank.html")
	// The app keeps its configuration for the page at its redirect URI
	// (testdata/oauth-return.html), as a real one keeps its link token.
	tb.eval(fmt.Sprintf(`sessionStorage.setItem('linkharness-config', JSON.stringify(%s));
		window.h = Plaid.create(Object.assign(%s, callbacks('main'))); h.open();`, raw, raw))
	// A configuration Link refuses ends in onExit without a dialog.
	tb.poll("Link to open", `document.querySelector('[role=dialog]') !== null || __calls.some(function (c) { return c.name === 'onExit'; })`)
	tb.redirectFlow = slices.ContainsFunc(sc.Steps, func(st scenario.Step) bool { return st.Verb == scenario.Redirect })
	return tb
}

// play carries out one scenario step as a person would.
func (t *tab) play(st scenario.Step) {
	t.tb.Helper()
	switch st.Verb {
	case scenario.Press:
		t.activate(st.Args[0])
	case scenario.Fill:
		t.fillOrSelect(st.Args[0], st.Args[1])
	case scenario.See:
		t.poll(fmt.Sprintf("Link to show %q", st.Args[0]), fmt.Sprintf(`(function (d) { return d !== null && d.textContent.includes(%s); })(document.querySelector('[role=dialog]'))`, jsString(st.Args[0])))
	case scenario.Wait:
		time.Sleep(debounce)
	case scenario.Escape:
		t.waitIdle()
		t.key(kb.Escape)
	case scenario.Exit:
		t.waitIdle()
		if st.Force() {
			t.eval(`h.exit({force: true})`)
		} else {
			t.eval(`h.exit()`)
		}
	case scenario.OAuth:
		if t.redirectFlow {
			t.oauthRedirect(st.Args[0])
		} else {
			t.oauth(st.Args[0])
		}
	case scenario.Redirect:
		t.resume(st.JSON)
	}
}

// oauthButtons name the bank page's button for each OAuth action.
var oauthButtons = map[string]string{scenario.OAuthAllow: "Allow", scenario.OAuthDeny: "Deny", scenario.OAuthClose: "Cancel"}

// oauthRedirect acts on the bank's page that Link sent the whole tab to:
// the bank then sends the tab back to the app's redirect URI.
func (t *tab) oauthRedirect(action string) {
	t.tb.Helper()
	t.pollAcross("the bank's page", fmt.Sprintf(`location.pathname === %s && document.readyState === 'complete'`, jsString(protocol.PathOAuthAuthorize)))
	t.clickPage(oauthButtons[action])
	t.pollAcross("the app's redirect page", `typeof window.resume === 'function'`)
}

// pollAcross waits until the JavaScript expression is truthy while the tab
// navigates from page to page, when an evaluation may fail on the way.
func (t *tab) pollAcross(what, expr string) {
	t.tb.Helper()
	var err error
	for deadline := time.Now().Add(stepTimeout); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var ok bool
		if err = t.evalInto("!!("+expr+")", &ok); err == nil && ok {
			return
		}
	}
	t.tb.Fatalf("waiting for %s: %v\n%s", what, err, t.describe())
}

// resume is the app's redirect page re-initialising Link, with options on
// top of the configuration it opened with; a second time, after a reload,
// as a user going back to it can.
func (t *tab) resume(options json.RawMessage) {
	t.tb.Helper()
	if t.resumed {
		t.eval(`location.reload()`)
		t.pollAcross("the reloaded redirect page", `typeof window.resume === 'function' && !window.resumed`)
	}
	if options == nil {
		options = json.RawMessage("null")
	}
	var before int
	if err := t.evalInto(`__calls.length`, &before); err != nil {
		t.tb.Fatal(err)
	}
	t.eval(fmt.Sprintf(`resume(%s)`, options))
	t.resumed = true
	// Link settles on a pane, or refuses to resume and ends.
	t.poll("Link to resume", fmt.Sprintf(`(document.querySelector('[role=dialog]') !== null && document.querySelector('[aria-busy=true]') === null) ||
		__calls.slice(%d).some(function (c) { return c.name === 'onExit'; })`, before))
}

// oauth acts in the OAuth bank's window that Link opened: it presses
// Allow or Deny there (the page then closes itself), or closes the window
// as a user can.
func (t *tab) oauth(action string) {
	t.tb.Helper()
	popup := t.popup(protocol.PathOAuthAuthorize)
	ctx, cancel := chromedp.NewContext(t.ctx, chromedp.WithTargetID(popup))
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, stepTimeout)
	defer cancelTimeout()
	var err error
	switch action {
	case scenario.OAuthClose:
		_, err = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`window.close()`))
	case scenario.OAuthAllow, scenario.OAuthDeny:
		name := map[string]string{scenario.OAuthAllow: "Allow", scenario.OAuthDeny: "Deny"}[action]
		err = chromedp.Do(ctx, chromedp.Click(chromedp.Search("//button"+named(name)), chromedp.NodeVisible))
	}
	if err != nil {
		t.tb.Fatalf("oauth %s in the bank's window: %v\n%s", action, err, t.describe())
	}
	// The page closes itself once it has the answer; wait for that before
	// this context lets go of it.
	t.waitGone(popup)
}

// waitGone waits until the window is closed.
func (t *tab) waitGone(id target.ID) {
	t.tb.Helper()
	for deadline := time.Now().Add(stepTimeout); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		infos, err := chromedp.Targets(t.ctx)
		if err != nil {
			t.tb.Fatalf("listing the browser's windows: %v", err)
		}
		if !slices.ContainsFunc(infos, func(info *target.Info) bool { return info.TargetID == id }) {
			return
		}
	}
	t.tb.Fatalf("the bank's window did not close\n%s", t.describe())
}

// popup waits for the window this tab opened on a page whose address
// contains path, and returns its target.
func (t *tab) popup(path string) target.ID {
	t.tb.Helper()
	self := chromedp.FromContext(t.ctx).Target.TargetID
	deadline := time.Now().Add(stepTimeout)
	for {
		infos, err := chromedp.Targets(t.ctx)
		if err != nil {
			t.tb.Fatalf("listing the browser's windows: %v", err)
		}
		for _, info := range infos {
			if info.Type == "page" && info.OpenerID == self && strings.Contains(info.URL, path) {
				return info.TargetID
			}
		}
		if time.Now().After(deadline) {
			t.tb.Fatalf("no window on %s opened\n%s", path, t.describe())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// activate clicks the control named name in the topmost dialog: a button
// (list items are buttons) or a checkbox.
func (t *tab) activate(name string) {
	t.tb.Helper()
	either := buttonXPath(name) + " | " + checkboxXPath(name) + idle
	t.step("pressing "+name, chromedp.Click(chromedp.Search(either), chromedp.NodeVisible))
}

// fillOrSelect fills the text field labelled label, or chooses value in the
// select box labelled label (linkdriver.FillAction does either).
func (t *tab) fillOrSelect(label, value string) {
	t.tb.Helper()
	t.waitIdle()
	t.fill(label, value)
}

// waitIdle waits until no Link dialog is busy.
func (t *tab) waitIdle() {
	t.tb.Helper()
	t.poll("Link to be idle", `!document.querySelector('[role=dialog][aria-busy=true]')`)
}

// TestMultiItemWebhooks plays the multi-item scenarios in Chromium with a
// webhook: a real receiver gets ITEM_ADD_RESULT per Item and one
// SESSION_FINISHED with the status and all the session's public tokens.
func TestMultiItemWebhooks(t *testing.T) {
	all, err := scenario.Load(scenarios)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		status string
		items  int
	}{
		"multi_item_three":           {"SUCCESS", 3},
		"multi_item_exit_after_one":  {"EXITED", 1},
		"multi_item_exit_after_none": {"EXITED", 0},
	}
	for _, sc := range all {
		w, ok := want[sc.Name]
		if !ok {
			continue
		}
		t.Run(sc.Name, func(t *testing.T) {
			rcv := receiver(t)
			var options map[string]any
			json.Unmarshal(sc.Token, &options)
			options["webhook"] = rcv.URL
			sc.Token, _ = json.Marshal(options)

			tb := openScenario(t, sc)
			for _, st := range sc.Steps {
				tb.play(st)
			}
			tb.waitDialogs(0)

			rcv.WaitFor(t, 1, "", "SESSION_FINISHED")
			added := testkit.Webhooks(rcv.Received("", "ITEM_ADD_RESULT"))
			finished := testkit.Webhooks(rcv.Received("", "SESSION_FINISHED"))
			if len(added) != w.items || len(finished) != 1 {
				t.Fatalf("%d ITEM_ADD_RESULT and %d SESSION_FINISHED, want %d and 1", len(added), len(finished), w.items)
			}
			tokens, _ := finished[0]["public_tokens"].([]any)
			if finished[0]["status"] != w.status || len(tokens) != w.items {
				t.Fatalf("SESSION_FINISHED %v, want %s with %d public tokens", finished[0], w.status, w.items)
			}
			// Deliveries may arrive in any order; the tokens must be the
			// same ones.
			for _, a := range added {
				if !slices.Contains(tokens, a["public_token"]) {
					t.Errorf("ITEM_ADD_RESULT's %v is not in SESSION_FINISHED's public_tokens %v", a["public_token"], tokens)
				}
			}
		})
	}
}
