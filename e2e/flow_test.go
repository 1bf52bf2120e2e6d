package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/linkharness/linkharness/harness"
)

// goldenSuccess is the transcript of the success flow, owned (and refreshed
// with -update) by the harness tests: the browser must produce exactly the
// callbacks the wazero harness does.
const goldenSuccess = "../harness/testdata/scenarios/success.golden"

// successFlow runs the sandbox success flow from a closed Link to the end,
// as a person does: Continue, First Platypus Bank, user_good / pass_good,
// Plaid Checking, Continue, Continue.
func (t *tab) successFlow() {
	t.tb.Helper()
	t.toCredentials()
	t.login("pass_good")
	t.waitPane("SELECT_ACCOUNT")
	t.check("Plaid Checking")
	t.press("Continue")
	t.waitPane("CONNECTED")
	t.press("Continue")
	t.waitDialogs(0)
}

// toCredentials opens Link from the page's button and goes to First
// Platypus Bank's credential pane.
func (t *tab) toCredentials() {
	t.tb.Helper()
	t.clickPage("Link account")
	t.waitPane("CONSENT")
	t.press("Continue")
	t.waitPane("SELECT_INSTITUTION")
	t.choose("First Platypus Bank")
	t.waitPane("CREDENTIAL")
}

// login submits user_good with password on the credential pane.
func (t *tab) login(password string) {
	t.tb.Helper()
	t.fill("Username", "user_good")
	t.fill("Password", password)
	t.press("Submit")
}

func TestSuccessFlow(t *testing.T) {
	tb := openPage(t, "link.html")
	tb.successFlow()

	got, err := harness.Transcript(tb.calls("main"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(goldenSuccess)
	if err != nil {
		t.Fatalf("reading the golden transcript (go test ./harness -update writes it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("callbacks differ from %s\ngot:\n%s\nwant:\n%s", goldenSuccess, got, want)
	}
	for _, m := range tb.console.all() {
		t.Errorf("console during a clean flow: %s", m)
	}
}

// exitMetadata is the part of onExit's metadata the tests check.
type exitMetadata struct {
	Status        string `json:"status"`
	LinkSessionID string `json:"link_session_id"`
	RequestID     string `json:"request_id"`
	Institution   *struct {
		Name          string `json:"name"`
		InstitutionID string `json:"institution_id"`
	} `json:"institution"`
}

// plaidError is the error object of onExit and of ERROR events.
type plaidError struct {
	ErrorType    string `json:"error_type"`
	ErrorCode    string `json:"error_code"`
	ErrorMessage string `json:"error_message"`
}

// eventMetadata is the part of onEvent's metadata the tests check.
type eventMetadata struct {
	ErrorCode     *string `json:"error_code"`
	ExitStatus    *string `json:"exit_status"`
	ViewName      *string `json:"view_name"`
	LinkSessionID string  `json:"link_session_id"`
}

// decodeArg decodes argument i of c into v, failing the test if it cannot.
func decodeArg(tb testing.TB, c harness.Call, i int, v any) {
	tb.Helper()
	if i >= len(c.Args) {
		tb.Fatalf("%s has %d arguments, want at least %d", c.Name, len(c.Args), i+1)
	}
	if err := json.Unmarshal(c.Args[i], v); err != nil {
		tb.Fatalf("%s argument %d: %v", c.Name, i, err)
	}
}

// events returns the names of the onEvent calls among calls.
func events(tb testing.TB, calls []harness.Call) []string {
	tb.Helper()
	var names []string
	for _, c := range calls {
		if c.Name == "onEvent" {
			var name string
			decodeArg(tb, c, 0, &name)
			names = append(names, name)
		}
	}
	return names
}

// names returns the callback names of calls, in order.
func names(calls []harness.Call) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.Name
	}
	return out
}

// only returns the calls named name.
func only(calls []harness.Call, name string) []harness.Call {
	var out []harness.Call
	for _, c := range calls {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

func TestWrongPasswordThenRetry(t *testing.T) {
	tb := openPage(t, "link.html")
	tb.toCredentials()
	tb.login("pass_bad")

	tb.waitPane("ERROR")
	if got, want := tb.text(dialog+"//*[@role='alert']"), "The provided credentials were not correct. Please try again."; got != want {
		t.Errorf("error banner = %q, want %q", got, want)
	}
	tb.press("Try again")
	tb.waitPane("CREDENTIAL")
	tb.fill("Password", "pass_good")
	tb.press("Submit")
	tb.waitPane("SELECT_ACCOUNT")
	tb.check("Plaid Checking")
	tb.press("Continue")
	tb.waitPane("CONNECTED")
	tb.press("Continue")
	tb.waitDialogs(0)

	calls := tb.calls("main")
	if n := len(only(calls, "onSuccess")); n != 1 {
		t.Errorf("onSuccess called %d times, want 1", n)
	}
	if n := len(only(calls, "onExit")); n != 0 {
		t.Errorf("onExit called %d times, want 0", n)
	}
	var errorEvents int
	for _, c := range only(calls, "onEvent") {
		var name string
		var md eventMetadata
		decodeArg(t, c, 0, &name)
		decodeArg(t, c, 1, &md)
		if name != "ERROR" {
			continue
		}
		errorEvents++
		if md.ErrorCode == nil || *md.ErrorCode != "INVALID_CREDENTIALS" {
			t.Errorf("ERROR event error_code = %v, want INVALID_CREDENTIALS", md.ErrorCode)
		}
	}
	if errorEvents != 1 {
		t.Errorf("%d ERROR events, want 1; events: %v", errorEvents, events(t, calls))
	}
	if got := events(t, calls); slices.Index(got, "ERROR") < slices.Index(got, "SUBMIT_CREDENTIALS") {
		t.Errorf("ERROR before SUBMIT_CREDENTIALS: %v", got)
	}
}

func TestForceExitMidFlow(t *testing.T) {
	tests := []struct {
		name string
		// reach drives Link from the CONSENT pane to the pane to exit on.
		reach       func(*tab)
		status      string
		institution string
	}{
		{
			name:   "consent",
			reach:  func(*tab) {},
			status: "requires_credentials",
		},
		{
			name: "credentials",
			reach: func(tb *tab) {
				tb.press("Continue")
				tb.waitPane("SELECT_INSTITUTION")
				tb.choose("First Platypus Bank")
				tb.waitPane("CREDENTIAL")
				tb.fill("Username", "user_good")
			},
			status:      "requires_credentials",
			institution: "ins_109508",
		},
		{
			name: "account selection",
			reach: func(tb *tab) {
				tb.press("Continue")
				tb.waitPane("SELECT_INSTITUTION")
				tb.choose("First Platypus Bank")
				tb.waitPane("CREDENTIAL")
				tb.login("pass_good")
				tb.waitPane("SELECT_ACCOUNT")
			},
			status:      "requires_account_selection",
			institution: "ins_109508",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := openPage(t, "link.html")
			tb.clickPage("Link account")
			tb.waitPane("CONSENT")
			tt.reach(tb)

			tb.eval(`handler.exit({force: true})`)
			tb.waitCall("main", "onExit")
			tb.waitDialogs(0)

			calls := tb.calls("main")
			exits := only(calls, "onExit")
			if len(exits) != 1 {
				t.Fatalf("onExit called %d times, want 1: %v", len(exits), names(calls))
			}
			if last := calls[len(calls)-1]; last.Name != "onExit" {
				t.Errorf("last callback = %s, want onExit", last.Name)
			}
			if got := string(exits[0].Args[0]); got != "null" {
				t.Errorf("onExit error = %s, want null", got)
			}
			var md exitMetadata
			decodeArg(t, exits[0], 1, &md)
			if md.Status != tt.status {
				t.Errorf("metadata.status = %q, want %q", md.Status, tt.status)
			}
			if md.LinkSessionID == "" {
				t.Error("metadata.link_session_id is empty")
			}
			switch {
			case tt.institution == "" && md.Institution != nil:
				t.Errorf("metadata.institution = %+v, want null", *md.Institution)
			case tt.institution != "" && (md.Institution == nil || md.Institution.InstitutionID != tt.institution):
				t.Errorf("metadata.institution = %+v, want %s", md.Institution, tt.institution)
			}
			ev := events(t, calls)
			if len(ev) == 0 || ev[len(ev)-1] != "EXIT" {
				t.Errorf("last event = %v, want EXIT", ev)
			}
		})
	}
}

func TestUserCloses(t *testing.T) {
	tests := []struct {
		name  string
		close func(*tab)
	}{
		{"close button", func(tb *tab) { tb.press("Close") }},
		{"escape key", func(tb *tab) { tb.key(kb.Escape) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := openPage(t, "link.html")
			tb.clickPage("Link account")
			tb.waitPane("CONSENT")
			tb.press("Continue")
			tb.waitPane("SELECT_INSTITUTION")
			tt.close(tb)
			// Past consent Link asks first; the user confirms.
			tb.waitPane("EXIT")
			tb.press("Exit")
			tb.waitCall("main", "onExit")
			tb.waitDialogs(0)
			var md exitMetadata
			decodeArg(t, only(tb.calls("main"), "onExit")[0], 1, &md)
			if md.Status != "requires_credentials" || md.LinkSessionID == "" {
				t.Errorf("onExit metadata = %+v, want status requires_credentials and a link_session_id", md)
			}
			// Focus goes back to the page's button that opened Link.
			var focused string
			if err := tb.evalInto(`document.activeElement.id`, &focused); err != nil {
				t.Fatal(err)
			}
			if focused != "open" {
				t.Errorf("focus after closing is on %q, want the Link account button", focused)
			}
		})
	}
}

func TestEnterSubmits(t *testing.T) {
	tb := openPage(t, "link.html")
	tb.toCredentials()
	tb.fill("Username", "user_good")
	tb.fill("Password", "pass_good")
	tb.key(kb.Enter)
	tb.waitPane("SELECT_ACCOUNT")
}

func TestSearchKeepsFocus(t *testing.T) {
	tb := openPage(t, "link.html")
	tb.clickPage("Link account")
	tb.waitPane("CONSENT")
	tb.press("Continue")
	tb.waitPane("SELECT_INSTITUTION")
	tb.fill("Search", "first platypus")

	// Every keystroke re-rendered the list; the field kept focus, value and
	// caret, and the list shows only the matches.
	var state struct {
		Focused bool     `json:"focused"`
		Value   string   `json:"value"`
		Caret   int      `json:"caret"`
		Items   []string `json:"items"`
	}
	err := tb.evalInto(`(function () {
		var d = document.querySelector('[role=dialog]');
		var input = d.querySelector('input[type=search]');
		return {
			focused: document.activeElement === input,
			value: input.value,
			caret: input.selectionStart,
			items: Array.prototype.map.call(d.querySelectorAll('ul button'), function (b) { return b.textContent; })
		};
	})()`, &state)
	if err != nil {
		t.Fatal(err)
	}
	if !state.Focused || state.Value != "first platypus" || state.Caret != len("first platypus") {
		t.Errorf("search field: focused %v, value %q, caret %d; want focused, %q, %d",
			state.Focused, state.Value, state.Caret, "first platypus", len("first platypus"))
	}
	if want := []string{"First Platypus Bank", "First Platypus Balance Bank", "First Platypus OAuth App2App Bank"}; !slices.Equal(state.Items, want) {
		t.Errorf("institutions = %q, want %q", state.Items, want)
	}

	// The engine reports the search once the user pauses (a timer effect).
	tb.poll("SEARCH_INSTITUTION", `window.__calls.some(function (c) { return c.args[0] === 'SEARCH_INSTITUTION'; })`)
	tb.choose("First Platypus Bank")
	tb.waitPane("CREDENTIAL")
}

func TestAccessibleNames(t *testing.T) {
	// want maps a role to the accessible names of the nodes with that role
	// in the dialog, in document order.
	type want map[string][]string
	tb := openPage(t, "link.html")
	checkPane := func(pane string, w want) {
		t.Helper()
		tb.waitPane(pane)
		for role, names := range w {
			if got := tb.axNames(role); !slices.Equal(got, names) {
				t.Errorf("%s: %s names = %q, want %q", pane, role, got, names)
			}
		}
	}
	tb.clickPage("Link account")
	checkPane("CONSENT", want{
		"dialog": {"Plaid Link"},
		"button": {"Close", "Continue"},
	})
	tb.press("Continue")
	checkPane("SELECT_INSTITUTION", want{
		"searchbox": {"Search"},
		"list":      {"Institutions"},
		"button": {"Close", "First Platypus Bank", "First Gingham Credit Union",
			"Tattersall Federal Credit Union", "Tartan Bank", "Houndstooth Bank",
			"First Platypus Balance Bank", "Degraded Platypus Bank", "Down Platypus Bank",
			"Platypus OAuth Bank", "First Platypus OAuth App2App Bank"},
	})
	tb.choose("First Platypus Bank")
	checkPane("CREDENTIAL", want{
		"textbox": {"Username", "Password"},
		"button":  {"Close", "Submit"},
	})
	tb.login("pass_bad")
	checkPane("ERROR", want{
		"button": {"Close", "Try again", "Choose another bank"},
	})
	tb.press("Try again")
	tb.waitPane("CREDENTIAL")
	tb.fill("Password", "pass_good")
	tb.press("Submit")
	// The detail (subtype and mask) describes a checkbox; it is not part of
	// its name.
	checkPane("SELECT_ACCOUNT", want{
		"group":    {"Accounts"},
		"checkbox": {"Plaid Checking", "Plaid Saving", "Plaid CD", "Plaid Credit Card", "Plaid Money Market"},
		"button":   {"Close", "Continue"},
	})
}

// TestFocusTrapped tabs around the open dialog both ways: focus never
// leaves it while it is open, and goes back to the opener when it closes
// (TestUserCloses).
func TestFocusTrapped(t *testing.T) {
	tb := openPage(t, "link.html")
	tb.toCredentials()
	inside := `document.querySelector('[role=dialog]').contains(document.activeElement)`
	for i, shift := range []bool{false, false, false, false, true, true, true, true, true} {
		var opts []chromedp.KeyOption
		if shift {
			opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
		}
		tb.step("tabbing", chromedp.KeyEvent(kb.Tab, opts...))
		var ok bool
		if err := tb.evalInto(inside, &ok); err != nil {
			t.Fatal(err)
		}
		if !ok {
			var where string
			tb.evalInto(`document.activeElement.outerHTML.slice(0, 80)`, &where)
			t.Fatalf("after %d tabs (shift %v) focus left the dialog for %s", i+1, shift, where)
		}
	}
}
