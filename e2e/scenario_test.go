package e2e

import (
	"bytes"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/linkharness/linkharness/harness"
	"github.com/linkharness/linkharness/harness/scenario"
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
		t.Run(sc.Name, func(t *testing.T) {
			tb := openPage(t, "blank.html")
			// The same base configuration as the harness tests, with the
			// scenario's options on top.
			tb.eval(fmt.Sprintf(`window.h = Plaid.create(Object.assign(
				{clientName: 'Scenario App', env: 'sandbox', key: window.key, product: ['transactions']},
				callbacks('main'), %s)); h.open();`, sc.Config))
			tb.poll("Link to open", `document.querySelector('[role=dialog]') !== null`)
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

// play carries out one scenario step as a person would.
func (t *tab) play(st scenario.Step) {
	t.tb.Helper()
	switch st.Verb {
	case scenario.Press:
		t.activate(st.Args[0])
	case scenario.Fill:
		t.fillOrSelect(st.Args[0], st.Args[1])
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
// select box labelled label.
func (t *tab) fillOrSelect(label, value string) {
	t.tb.Helper()
	sel := selectXPath(label)
	t.waitIdle()
	var isSelect bool
	if err := t.evalInto(fmt.Sprintf(`document.evaluate(%s, document, null, XPathResult.BOOLEAN_TYPE, null).booleanValue`,
		jsString("boolean("+sel+")")), &isSelect); err != nil {
		t.tb.Fatalf("looking for %s: %v", label, err)
	}
	if !isSelect {
		t.fill(label, value)
		return
	}
	// A person picks the option; the page sees the value change.
	t.eval(fmt.Sprintf(`(function (e) {
		e.focus(); e.value = %s; e.dispatchEvent(new Event('change', {bubbles: true}));
	})(document.evaluate(%s, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue)`,
		jsString(value), jsString(sel)))
}

// selectXPath is the select box whose <label> reads label in the topmost
// dialog.
func selectXPath(label string) string {
	return fmt.Sprintf("%s//select[@id=%s//label[normalize-space(.)=%s]/@for]", dialog, dialog, xq(label))
}

// waitIdle waits until no Link dialog is busy.
func (t *tab) waitIdle() {
	t.tb.Helper()
	t.poll("Link to be idle", `!document.querySelector('[role=dialog][aria-busy=true]')`)
}
