package e2e

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/linkharness/linkharness/harness"
	"github.com/linkharness/linkharness/internal/scenario"
	"github.com/linkharness/linkharness/web/assets"
)

// delegate is what an app's webview delegate does with Link for webviews:
// it watches every navigation the page asks for and keeps the plaidlink://
// ones, the reports Link sends instead of callbacks.
type delegate struct {
	mu   sync.Mutex
	urls []string
}

func (d *delegate) listen(ev any) {
	if e, ok := ev.(*page.EventFrameRequestedNavigation); ok && strings.HasPrefix(e.URL, "plaidlink://") {
		d.mu.Lock()
		d.urls = append(d.urls, e.URL)
		d.mu.Unlock()
	}
}

func (d *delegate) reports() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.urls...)
}

// binding is what an app's delegate sees when the page hands it the
// plaidlink:// URLs (window.linkharnessWebviewDelegate, here a DevTools
// binding, as a native webview's script message handler is) instead of
// navigating.
type binding struct{ delegate }

func (b *binding) listen(ev any) {
	if e, ok := ev.(*runtime.EventBindingCalled); ok && e.Name == "linkharnessWebviewDelegate" {
		b.mu.Lock()
		b.urls = append(b.urls, e.Payload)
		b.mu.Unlock()
	}
}

// TestWebviewScenarios opens link.html?isWebview=true with each webview
// scenario's query, plays it, and checks the plaidlink:// reports, every
// parameter of them, against the golden file the harness checks too. It
// plays each scenario twice:
//   - by script, watching the real navigations as an app's delegate
//     intercepts them: once a page has asked for a plaidlink:// navigation
//     after user input, Chromium shows its external-protocol dialog
//     ("Open xdg-open?"), which blocks input to the page and which
//     DevTools cannot dismiss, so the controls, still found by role and
//     accessible name, are activated by script;
//   - with real input, the page handing each URL to
//     window.linkharnessWebviewDelegate (a DevTools binding) instead of
//     navigating, the workaround the README gives for browser tests.
func TestWebviewScenarios(t *testing.T) {
	all, err := scenario.Load(scenarios)
	if err != nil {
		t.Fatal(err)
	}
	modes := []struct {
		name string
		// watch starts recording the reports in the tab.
		watch func(*tab) func() []string
		play  func(*tab, scenario.Step)
	}{
		{"navigations", func(tb *tab) func() []string {
			d := &delegate{}
			if err := chromedp.Listen(tb.ctx, d.listen); err != nil {
				tb.tb.Fatal(err)
			}
			return d.reports
		}, (*tab).playByScript},
		{"input", func(tb *tab) func() []string {
			b := &binding{}
			if err := chromedp.Listen(tb.ctx, b.listen); err != nil {
				tb.tb.Fatal(err)
			}
			if _, err := chromedp.Call(tb.ctx, runtime.AddBinding, runtime.AddBindingParams{Name: "linkharnessWebviewDelegate"}); err != nil {
				tb.tb.Fatal(err)
			}
			return b.reports
		}, (*tab).play},
	}
	ran := 0
	for _, sc := range all {
		if sc.Webview == nil {
			continue
		}
		ran++
		for _, mode := range modes {
			t.Run(sc.Name+"/"+mode.name, func(t *testing.T) {
				want, err := os.ReadFile(sc.Golden)
				if err != nil {
					t.Fatalf("%v (go test ./harness -update writes it)", err)
				}
				tb := newTab(t)
				reports := mode.watch(tb)
				address := linkURL + assets.WebviewPath + "?" + sc.WebviewQuery(testPublicKey).Encode()
				if err := chromedp.Do(tb.ctx, chromedp.Navigate(address)); err != nil {
					t.Fatal(err)
				}
				tb.poll("Link to open", `document.querySelector('[role=dialog]') !== null`)
				for _, st := range sc.Steps {
					mode.play(tb, st)
				}
				tb.waitDialogs(0)

				// The reports leave one by one; wait for as many as the
				// golden file holds.
				lines := bytes.Count(want, []byte("\n"))
				for deadline := time.Now().Add(stepTimeout); len(reports()) < lines && time.Now().Before(deadline); {
					time.Sleep(20 * time.Millisecond)
				}
				var calls []harness.Call
				for _, u := range reports() {
					c, err := harness.ParseNavigation(u)
					if err != nil {
						t.Fatal(err)
					}
					calls = append(calls, c)
				}
				got, err := harness.Transcript(calls)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("plaidlink:// reports differ from %s\ngot:\n%s\nwant:\n%s", sc.Golden, got, want)
				}
			})
		}
	}
	if ran == 0 {
		t.Fatal("no webview scenario in " + scenarios)
	}
}

// playByScript carries out a step as play does, activating the controls
// (found by the same role-and-name XPaths) by script instead of by input
// events.
func (t *tab) playByScript(st scenario.Step) {
	t.tb.Helper()
	switch st.Verb {
	case scenario.Press:
		either := buttonXPath(st.Args[0]) + " | " + checkboxXPath(st.Args[0]) + idle
		t.poll("pressing "+st.Args[0], fmt.Sprintf(`(function (e) { if (!e) { return false; } e.click(); return true; })(
			document.evaluate(%s, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue)`, jsString(either)))
	case scenario.Fill:
		field := fieldXPath(st.Args[0]) + idle + " | " + selectXPath(st.Args[0]) + idle
		t.poll("filling "+st.Args[0], fmt.Sprintf(`(function (e) {
			if (!e) { return false; }
			e.focus(); e.value = %s;
			e.dispatchEvent(new Event(e.tagName === 'SELECT' ? 'change' : 'input', {bubbles: true}));
			return true;
		})(document.evaluate(%s, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue)`,
			jsString(st.Args[1]), jsString(field)))
	default:
		t.play(st)
	}
}
