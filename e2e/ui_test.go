package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"github.com/linkharness/linkharness/harness"
	"github.com/linkharness/linkharness/plaidtest/linkdriver"
)

// The helpers below find controls the way a person (or a screen reader) does:
// by role and accessible name, inside the topmost Link dialog. They wait for
// the control to be visible and enabled, and for the dialog not to be busy.

// The selectors are the public driver's (package plaidtest/linkdriver), so
// that integrators' tests find Link's controls as these tests do.
const (
	// dialog is the topmost Link dialog: the one appended last.
	dialog = linkdriver.Dialog
	// idle excludes nodes inside a dialog that is waiting on the backend.
	idle = linkdriver.Idle
)

var (
	// named matches an element whose accessible name is name.
	named = linkdriver.Named
	// buttonXPath is the enabled button called name in the topmost dialog.
	buttonXPath = linkdriver.Button
	// fieldXPath is the input whose <label> reads label in the topmost dialog.
	fieldXPath = linkdriver.Field
	// checkboxXPath is the checkbox whose <label> reads label in the
	// topmost dialog.
	checkboxXPath = linkdriver.Checkbox
	// selectXPath is the select box whose <label> reads label in the
	// topmost dialog.
	selectXPath = linkdriver.Select
)

// step runs actions with the step timeout, failing the test with what the
// dialog showed if they do not complete.
func (t *tab) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	t.tb.Helper()
	ctx, cancel := context.WithTimeout(t.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.tb.Fatalf("%s: %v\n%s", what, err, t.describe())
	}
}

// describe reports the state of the page for a failure message.
func (t *tab) describe() string {
	var b strings.Builder
	var text string
	if err := t.evalInto(`(function () {
		var d = document.querySelectorAll('[role=dialog]');
		if (d.length === 0) { return '(no dialog)'; }
		var top = d[d.length - 1];
		return 'dialog pane=' + top.getAttribute('data-pane') + ':\n' + top.innerText;
	})()`, &text); err == nil {
		b.WriteString(text)
		b.WriteString("\n")
	}
	if calls, err := t.pageCalls(); err == nil {
		b.WriteString("callbacks:\n")
		for _, c := range calls {
			fmt.Fprintf(&b, "  %s %s %s\n", c.Handler, c.Name, joinRaw(c.Args))
		}
	}
	b.WriteString("console:\n")
	for _, m := range t.console.all() {
		fmt.Fprintf(&b, "  %s\n", m)
	}
	return b.String()
}

// press activates the button called name, as a click.
func (t *tab) press(name string) {
	t.tb.Helper()
	t.step("pressing "+name, chromedp.Click(chromedp.Search(buttonXPath(name)), chromedp.NodeVisible))
}

// clickPage clicks the page's own button called name, outside Link.
func (t *tab) clickPage(name string) {
	t.tb.Helper()
	t.step("clicking "+name, chromedp.Click(chromedp.Search(linkdriver.PageButton(name)), chromedp.NodeVisible))
}

// fill types value into the field labelled label, replacing what it holds,
// as a person does (linkdriver.FillAction: it clicks the field, selects its
// text and deletes it, then types).
func (t *tab) fill(label, value string) {
	t.tb.Helper()
	t.step("filling "+label, linkdriver.FillAction(label, value))
}

// choose picks the list item called name: a button in a single-choice list.
func (t *tab) choose(name string) {
	t.tb.Helper()
	t.step("choosing "+name, chromedp.Click(chromedp.Search(linkdriver.ListItem(name)), chromedp.NodeVisible))
}

// check ticks (or unticks) the checkbox labelled label.
func (t *tab) check(label string) {
	t.tb.Helper()
	t.step("checking "+label, chromedp.Click(chromedp.Search(checkboxXPath(label)+idle), chromedp.NodeVisible))
}

// key presses one key in the page, such as "\x1b" (Escape) or "\r" (Enter).
func (t *tab) key(keys string) {
	t.tb.Helper()
	t.step(fmt.Sprintf("pressing key %q", keys), chromedp.KeyEvent(keys))
}

// waitPane waits until the topmost dialog shows pane and is not busy.
func (t *tab) waitPane(pane string) {
	t.tb.Helper()
	t.step("waiting for pane "+pane, chromedp.WaitVisible(chromedp.Search(linkdriver.Pane(pane))))
}

// waitDialogs waits until exactly n Link dialogs are on the page.
func (t *tab) waitDialogs(n int) {
	t.tb.Helper()
	t.poll(fmt.Sprintf("%d dialogs", n), fmt.Sprintf("document.querySelectorAll('[role=dialog]').length === %d", n))
}

// text returns the visible text of the element that xpath selects.
func (t *tab) text(xpath string) string {
	t.tb.Helper()
	ctx, cancel := context.WithTimeout(t.ctx, stepTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.Search(xpath), chromedp.NodeVisible))
	if err != nil {
		t.tb.Fatalf("reading %s: %v\n%s", xpath, err, t.describe())
	}
	return strings.TrimSpace(s)
}

// axNames returns the accessible names of the nodes with role in the topmost
// dialog (the dialog included), as the browser computes them for assistive
// technology.
func (t *tab) axNames(role string) []string {
	t.tb.Helper()
	ctx, cancel := context.WithTimeout(t.ctx, stepTimeout)
	defer cancel()
	names, err := chromedp.Run(ctx, chromedp.QueryAfter(chromedp.Search(dialog),
		func(ctx context.Context, tg *chromedp.Target, nodes []*chromedp.Node) ([]string, error) {
			nodes[0].RLock()
			id := nodes[0].NodeID
			nodes[0].RUnlock()
			res, err := cdp.Call(ctx, tg, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{NodeID: id, Role: role})
			if err != nil {
				return nil, err
			}
			names := []string{}
			for _, n := range res.Nodes {
				if n.Ignored || n.Name == nil {
					continue
				}
				var name string
				if err := json.Unmarshal(n.Name.Value, &name); err != nil {
					return nil, fmt.Errorf("name of a %s: %w", role, err)
				}
				names = append(names, name)
			}
			return names, nil
		}))
	if err != nil {
		t.tb.Fatalf("reading the accessibility tree: %v", err)
	}
	return names
}

// poll waits until the JavaScript expression is truthy.
func (t *tab) poll(what, expr string) {
	t.tb.Helper()
	ctx, cancel := context.WithTimeout(t.ctx, stepTimeout)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(20*time.Millisecond),
		chromedp.WithPollingTimeout(stepTimeout)))
	if err != nil {
		t.tb.Fatalf("waiting for %s: %v\n%s", what, err, t.describe())
	}
}

// waitCall waits until handler (the tag its page gave it) has received a
// callback called name.
func (t *tab) waitCall(handler, name string) {
	t.tb.Helper()
	t.poll(handler+" "+name, fmt.Sprintf(
		"window.__calls.some(function (c) { return c.handler === %s && c.name === %s; })",
		jsString(handler), jsString(name)))
}

// waitConsole waits until the page has printed a console message at level
// whose text contains substr.
func (t *tab) waitConsole(level, substr string) consoleMessage {
	t.tb.Helper()
	deadline := time.Now().Add(stepTimeout)
	for {
		if m, ok := t.console.find(level, substr); ok {
			return m
		}
		if time.Now().After(deadline) {
			t.tb.Fatalf("no console %s containing %q\n%s", level, substr, t.describe())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// eval runs JavaScript in the page. It fails the test if the script throws.
func (t *tab) eval(js string) {
	t.tb.Helper()
	if err := chromedp.Do(t.ctx, chromedp.Evaluate[chromedp.Void](js)); err != nil {
		t.tb.Fatalf("running %s: %v", js, err)
	}
}

// evalInto runs JavaScript in the page and decodes its JSON result into v.
func (t *tab) evalInto(js string, v any) error {
	raw, err := chromedp.Run(t.ctx, chromedp.Evaluate[[]byte](js))
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

// pageCall is one callback the page recorded (testdata/record.js).
type pageCall struct {
	Handler string            `json:"handler"`
	Name    string            `json:"name"`
	Args    []json.RawMessage `json:"args"`
	At      float64           `json:"at"`
}

func (t *tab) pageCalls() ([]pageCall, error) {
	var calls []pageCall
	err := t.evalInto("window.__calls", &calls)
	return calls, err
}

// calls returns the callbacks handler received, in order, as the harness
// records them.
func (t *tab) calls(handler string) []harness.Call {
	t.tb.Helper()
	all, err := t.pageCalls()
	if err != nil {
		t.tb.Fatalf("reading the callbacks: %v", err)
	}
	var out []harness.Call
	for _, c := range all {
		if c.Handler == handler {
			out = append(out, harness.Call{Name: c.Name, Args: c.Args})
		}
	}
	return out
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func joinRaw(args []json.RawMessage) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = string(a)
	}
	return strings.Join(parts, " ")
}
