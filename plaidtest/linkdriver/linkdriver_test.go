package linkdriver_test

import (
	"cmp"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/plaidtest"
	"github.com/linkharness/linkharness/plaidtest/linkdriver"
)

// browser is the one browser of the tests but TestLinkAnAccount, which
// shows NewBrowser; browserErr is why it did not start.
var (
	browser    *linkdriver.Browser
	browserErr error
)

func TestMain(m *testing.M) {
	browser, browserErr = linkdriver.StartBrowser()
	code := m.Run()
	if browser != nil {
		browser.Close()
	}
	os.Exit(code)
}

// shared returns the shared browser, or stops the test as Require says.
func shared(t *testing.T) *linkdriver.Browser {
	t.Helper()
	linkdriver.Require(t, browserErr)
	return browser
}

// linkToken makes a link token for products.
func linkToken(t *testing.T, srv *plaidtest.Server, products ...string) string {
	t.Helper()
	return srv.Call(t, "/link/token/create", map[string]any{
		"client_name": "My App", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "user-1"}, "products": products,
	})["link_token"].(string)
}

func TestCompleteLink(t *testing.T) {
	b := shared(t)
	srv := plaidtest.NewServer(t)
	tests := []struct {
		name     string
		config   func(t *testing.T) linkdriver.Config
		login    linkdriver.Login
		accounts []string
		events   []string // in this order among the events, not alone
	}{
		{
			name: "link token, defaults",
			config: func(t *testing.T) linkdriver.Config {
				return linkdriver.Config{Token: linkToken(t, srv, "transactions")}
			},
			accounts: []string{"Plaid Checking"},
			events:   []string{"OPEN", "SELECT_INSTITUTION", "SUBMIT_CREDENTIALS", "HANDOFF"},
		},
		{
			name:     "legacy public key, two accounts",
			config:   func(*testing.T) linkdriver.Config { return linkdriver.Config{Key: srv.PublicKey} },
			login:    linkdriver.Login{Institution: "Tartan Bank", Accounts: []string{"Plaid Saving", "Plaid Checking"}},
			accounts: []string{"Plaid Checking", "Plaid Saving"},
		},
		{
			name:     "MFA device, first device",
			config:   func(t *testing.T) linkdriver.Config { return linkdriver.Config{Token: linkToken(t, srv, "auth")} },
			login:    linkdriver.Login{Password: "mfa_device", MFA: []string{"1234"}},
			accounts: []string{"Plaid Checking"},
			events:   []string{"SUBMIT_CREDENTIALS", "SUBMIT_MFA"},
		},
		{
			name:     "MFA device, named",
			config:   func(t *testing.T) linkdriver.Config { return linkdriver.Config{Token: linkToken(t, srv, "auth")} },
			login:    linkdriver.Login{Password: "mfa_device", MFA: []string{"Email: t..t@example.com", "1234"}},
			accounts: []string{"Plaid Checking"},
		},
		{
			name:     "MFA questions, two rounds",
			config:   func(*testing.T) linkdriver.Config { return linkdriver.Config{Key: srv.PublicKey} },
			login:    linkdriver.Login{Password: "mfa_questions_2_2", MFA: []string{"answer_0_0", "answer_0_1", "answer_1_0", "answer_1_1"}, Accounts: []string{"Plaid Credit Card"}},
			accounts: []string{"Plaid Credit Card"},
			events:   []string{"SUBMIT_MFA", "SUBMIT_MFA"},
		},
		{
			name: "OAuth institution, allowed in the bank's window",
			config: func(t *testing.T) linkdriver.Config {
				return linkdriver.Config{Token: linkToken(t, srv, "transactions")}
			},
			login:    linkdriver.Login{Institution: "Platypus OAuth Bank"},
			accounts: []string{"Plaid Checking", "Plaid Saving", "Plaid CD", "Plaid Credit Card", "Plaid Money Market"},
			events:   []string{"OPEN_OAUTH", "HANDOFF"},
		},
		{
			name: "update mode, from the credential pane",
			config: func(t *testing.T) linkdriver.Config {
				pub := srv.Call(t, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109511", "initial_products": []string{"transactions"}})
				access := srv.Call(t, "/item/public_token/exchange", map[string]any{"public_token": pub["public_token"]})["access_token"]
				srv.Call(t, "/sandbox/item/reset_login", map[string]any{"access_token": access})
				return linkdriver.Config{Token: srv.Call(t, "/link/token/create", map[string]any{
					"client_name": "My App", "language": "en", "country_codes": []string{"US"},
					"user": map[string]any{"client_user_id": "user-1"}, "access_token": access,
				})["link_token"].(string)}
			},
			login:    linkdriver.Login{Institution: "Tartan Bank"},
			accounts: []string{"Plaid Checking", "Plaid Saving", "Plaid CD", "Plaid Credit Card", "Plaid Money Market"},
			events:   []string{"OPEN", "SUBMIT_CREDENTIALS", "HANDOFF"},
		},
		{
			name:     "MFA selections",
			config:   func(*testing.T) linkdriver.Config { return linkdriver.Config{Key: srv.PublicKey} },
			login:    linkdriver.Login{Password: "mfa_selections", MFA: []string{"Yes"}},
			accounts: []string{"Plaid Checking"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := b.OpenLink(t, srv.ScriptURL, tt.config(t))
			got := page.CompleteLink(tt.login)
			if !strings.HasPrefix(got.PublicToken, "public-sandbox-") || got.Metadata.LinkSessionID == "" || got.Metadata.Institution == nil {
				t.Fatalf("onSuccess %q %s", got.PublicToken, got.Raw)
			}
			var names []string
			for _, a := range got.Metadata.Accounts {
				names = append(names, a.Name)
			}
			if !slices.Equal(names, tt.accounts) {
				t.Errorf("accounts %q, want %q", names, tt.accounts)
			}
			if want := cmp.Or(tt.login.Institution, "First Platypus Bank"); got.Metadata.Institution.Name != want {
				t.Errorf("institution %+v, want %s", got.Metadata.Institution, want)
			}
			if ev := page.Events(); !inOrder(ev, tt.events) {
				t.Errorf("events %q, want %q among them in order", ev, tt.events)
			}
			// The public token is good for the API.
			srv.Call(t, "/item/public_token/exchange", map[string]any{"public_token": got.PublicToken})
		})
	}
}

// TestVisit drives Link on a page of the test's own, which keeps its own
// callbacks: the recorder sees them, and the page's still run.
func TestVisit(t *testing.T) {
	b := shared(t)
	srv := plaidtest.NewServer(t)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>My App</title>
<script src="` + srv.ScriptURL + `"></script></head>
<body><button id="open" type="button">Link account</button><p id="status">waiting</p>
<script>
  var handler = Plaid.create({clientName: 'My App', env: 'sandbox', key: '` + srv.PublicKey + `', product: ['auth'],
    countryCodes: ['US'], language: 'en',
    onSuccess: function (token) { document.getElementById('status').textContent = 'linked ' + token; },
    onExit: function () { document.getElementById('status').textContent = 'exited'; }});
  document.getElementById('open').addEventListener('click', function () { handler.open(); });
</script></body></html>`))
	}))
	defer site.Close()

	page := b.Visit(t, site.URL)
	page.ClickPage("Link account")
	got := page.CompleteLink(linkdriver.Login{})
	var status string
	page.Eval(`document.getElementById('status').textContent`, &status)
	if status != "linked "+got.PublicToken {
		t.Errorf("the page's own onSuccess wrote %q, want %q", status, "linked "+got.PublicToken)
	}
	calls := page.Calls()
	if calls[0].Name != "onLoad" || calls[len(calls)-1].Name != "onEvent" || !strings.Contains(calls[len(calls)-1].String(), "HANDOFF") {
		t.Errorf("calls %v", calls)
	}

	// A second account on the same page: CompleteLink takes the second
	// onSuccess, not the first again.
	page.ClickPage("Link account")
	second := page.CompleteLink(linkdriver.Login{Institution: "Tartan Bank"})
	if second.PublicToken == got.PublicToken || second.Metadata.Institution.Name != "Tartan Bank" {
		t.Errorf("second onSuccess %q %s, first %q", second.PublicToken, second.Raw, got.PublicToken)
	}
}

// TestLowLevel drives the panes one by one, to an error and an exit.
func TestLowLevel(t *testing.T) {
	b := shared(t)
	srv := plaidtest.NewServer(t)
	page := b.OpenLink(t, srv.ScriptURL, linkdriver.Config{Key: srv.PublicKey, Options: map[string]any{"product": []string{"auth"}}})
	page.WaitPane("CONSENT")
	page.Press("Continue")
	page.WaitPane("SELECT_INSTITUTION")
	page.Fill("Search", "tartan")
	page.Choose("Tartan Bank")
	page.WaitPane("CREDENTIAL")
	page.Fill("Username", "user_good")
	page.Fill("Password", "pass_bad")
	page.Press("Submit")
	page.WaitPane("ERROR")
	page.Press("Close")
	page.WaitPane("EXIT")
	page.Press("Exit")
	exit := page.WaitExit()
	if exit.Error == nil || exit.Error.ErrorCode != "INVALID_CREDENTIALS" || exit.Metadata.Institution == nil || exit.Metadata.Institution.Name != "Tartan Bank" {
		t.Errorf("onExit %+v %s", exit.Error, exit.Raw)
	}
}

// TestFailures checks that what CompleteLink and OpenLink cannot do fails
// the test with what went wrong.
func TestFailures(t *testing.T) {
	b := shared(t)
	srv := plaidtest.NewServer(t)
	key := linkdriver.Config{Key: srv.PublicKey}
	tests := []struct {
		name string
		run  func(t testing.TB)
		want []string
	}{
		{"wrong password", func(t testing.TB) {
			b.OpenLink(t, srv.ScriptURL, key).CompleteLink(linkdriver.Login{Password: "pass_bad"})
		}, []string{"CompleteLink: Link shows an error", "pane ERROR", "The provided credentials were not correct"}},
		{"no MFA answer", func(t testing.TB) {
			b.OpenLink(t, srv.ScriptURL, key).CompleteLink(linkdriver.Login{Password: "mfa_questions_1_1"})
		}, []string{`Login.MFA has no answer left for "Question 1"`}},
		{"no such account", func(t testing.TB) {
			b.OpenLink(t, srv.ScriptURL, key).CompleteLink(linkdriver.Login{Accounts: []string{"Gold Bars"}})
		}, []string{`no account "Gold Bars" to select; Link offers ["Plaid Checking"`}},
		{"an invalid configuration ends in onExit", func(t testing.TB) {
			b.OpenLink(t, srv.ScriptURL, linkdriver.Config{Key: srv.PublicKey, Options: map[string]any{"language": "xx"}}).CompleteLink(linkdriver.Login{})
		}, []string{"Link called onExit", "want onSuccess", "INVALID_FIELD"}},
		{"neither token nor key", func(t testing.TB) { b.OpenLink(t, srv.ScriptURL, linkdriver.Config{}) },
			[]string{"linkdriver: Config needs exactly one of Token and Key"}},
		{"both token and key", func(t testing.TB) { b.OpenLink(t, srv.ScriptURL, linkdriver.Config{Token: "link-sandbox-x", Key: "k"}) },
			[]string{"linkdriver: Config needs exactly one of Token and Key"}},
		{"not a script URL", func(t testing.TB) { b.OpenLink(t, "localhost/link.js", key) },
			[]string{`the script URL "localhost/link.js" is not an http or https URL`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fatal := testkit.Capture(t, tt.run)
			for _, w := range tt.want {
				if !fatal || !strings.Contains(got, w) {
					t.Errorf("reported %q (fatal %v), want it to name %q", got, fatal, w)
				}
			}
		})
	}
}

func TestRequire(t *testing.T) {
	broken := errors.New("linkdriver: starting chromium: exit status 1")
	tests := []struct {
		name, ci string
		err      error
		want     string
		fatal    bool
	}{
		{"started", "true", nil, "", false},
		{"none, on a developer's machine", "", linkdriver.ErrNoChrome, "skipped: linkdriver: no Chromium found", true},
		{"none, on CI", "true", linkdriver.ErrNoChrome, "linkdriver: no Chromium found", true},
		{"broken, on a developer's machine", "", broken, broken.Error(), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			got, fatal := testkit.Capture(t, func(ft testing.TB) { linkdriver.Require(ft, tt.err) })
			if fatal != tt.fatal || !strings.HasPrefix(got, tt.want) || tt.want == "" && got != "" {
				t.Errorf("Require(%v) with CI=%q: %q (stopped %v), want %q (stopped %v)", tt.err, tt.ci, got, fatal, tt.want, tt.fatal)
			}
			if tt.ci == "true" && strings.HasPrefix(got, "skipped") {
				t.Error("skipped under CI=true")
			}
		})
	}
}

func TestFindChrome(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "chromium")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, env, path string
		want            string
		err             string
	}{
		{"on the PATH", "", dir, fake, ""},
		{"LINKHARNESS_CHROME first", fake, t.TempDir(), fake, ""},
		{"LINKHARNESS_CHROME missing", filepath.Join(dir, "nope"), dir, "", "LINKHARNESS_CHROME=" + filepath.Join(dir, "nope")},
		{"none", "", t.TempDir(), "", linkdriver.ErrNoChrome.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("LINKHARNESS_CHROME", tt.env)
			t.Setenv("PATH", tt.path)
			got, err := linkdriver.FindChrome()
			if got != tt.want || (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
				t.Errorf("FindChrome() = %q, %v; want %q, %q", got, err, tt.want, tt.err)
			}
			if tt.name == "none" && !errors.Is(err, linkdriver.ErrNoChrome) {
				t.Errorf("%v is not ErrNoChrome", err)
			}
		})
	}
}

func TestSelectors(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"plain", linkdriver.Quote("First Platypus Bank"), "'First Platypus Bank'"},
		{"apostrophe", linkdriver.Quote("Chase's bank"), `"Chase's bank"`},
		{"both quotes", linkdriver.Quote(`a'b"c`), `concat('a', "'", 'b"c')`},
		{"empty", linkdriver.Quote(""), "''"},
		{"button", linkdriver.Button("Continue"), "(//*[@role='dialog'])[last()]//button[(@aria-label='Continue') or (not(@aria-label) and normalize-space(.)='Continue')][not(@disabled)][not(ancestor-or-self::*[@aria-busy='true'])]"},
		{"field", linkdriver.Field("Username"), "(//*[@role='dialog'])[last()]//input[@id=(//*[@role='dialog'])[last()]//label[normalize-space(.)='Username']/@for]"},
		{"pane", linkdriver.Pane("MFA"), "(//*[@role='dialog'])[last()][@data-pane='MFA'][not(ancestor-or-self::*[@aria-busy='true'])]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %s, want %s", tt.got, tt.want)
			}
		})
	}
}

// inOrder reports whether want appear in got in order.
func inOrder(got, want []string) bool {
	for _, g := range got {
		if len(want) > 0 && g == want[0] {
			want = want[1:]
		}
	}
	return len(want) == 0
}

// TestMultiItem completes a Multi-Item Link session with one Item: Finish
// on the success pane, an empty public token in onSuccess, and the Item's
// public token in the LINK webhooks.
func TestMultiItem(t *testing.T) {
	b := shared(t)
	srv := plaidtest.NewServer(t)
	rcv := plaidtest.NewReceiver(t, srv)
	user := srv.Call(t, "/user/create", map[string]any{"client_user_id": "user-2"})
	token := srv.Call(t, "/link/token/create", map[string]any{
		"client_name": "My App", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "user-2"}, "user_token": user["user_token"],
		"enable_multi_item_link": true, "products": []string{"transactions"}, "webhook": rcv.URL,
	})["link_token"].(string)
	got := b.OpenLink(t, srv.ScriptURL, linkdriver.Config{Token: token}).CompleteLink(linkdriver.Login{})
	if got.PublicToken != "" {
		t.Errorf("onSuccess's public token %q in Multi-Item Link, want empty", got.PublicToken)
	}
	finished := rcv.WaitFor(t, 1, "LINK", "SESSION_FINISHED")[0].Webhook
	added := rcv.WaitFor(t, 1, "LINK", "ITEM_ADD_RESULT")[0].Webhook
	if tokens, _ := finished["public_tokens"].([]any); finished["status"] != "SUCCESS" || len(tokens) != 1 || tokens[0] != added["public_token"] {
		t.Errorf("SESSION_FINISHED %v, ITEM_ADD_RESULT %v", finished, added)
	}
}

// TestDashboardSettings drives Link in Chromium on servers whose client
// starts with Dashboard settings (plaidtest.WithSettings): Account Select
// for one account, for all accounts, a legacy linkCustomizationName whose
// customization's Account Select replaces the client's, and chaos
// ordering; CompleteLink gets through each, and onSuccess's accounts are
// what the setting says.
func TestDashboardSettings(t *testing.T) {
	b := shared(t)
	for _, tc := range []struct {
		name, settings string
		options        map[string]any
		login          linkdriver.Login
		accounts       []string
	}{
		{name: "one account", settings: `{"account_select": {"mode": "single"}}`,
			login: linkdriver.Login{Accounts: []string{"Plaid Saving"}}, accounts: []string{"Plaid Saving"}},
		{name: "one account, the first", settings: `{"account_select": {"mode": "single"}}`, accounts: []string{"Plaid Checking"}},
		{name: "all accounts", settings: `{"account_select": {"mode": "all"}}`, options: map[string]any{"product": []string{"auth"}},
			accounts: []string{"Plaid Checking", "Plaid Saving"}},
		{name: "a legacy customization", options: map[string]any{"product": []string{"auth"}, "linkCustomizationName": "one"},
			settings: `{"account_select": {"mode": "all"}, "link_customizations": {"one": {"account_select": {"mode": "single"}}}}`,
			accounts: []string{"Plaid Checking"}},
		// Seeds 2 and 7 put onSuccess before the TRANSITION_VIEW to the
		// success pane and after HANDOFF (see harness's chaos scenarios).
		{name: "chaos ordering, onSuccess early", settings: `{"chaos_ordering": {"enabled": true, "seed": 2}}`, accounts: []string{"Plaid Checking"}},
		{name: "chaos ordering, onSuccess held", settings: `{"chaos_ordering": {"enabled": true, "seed": 7}}`, accounts: []string{"Plaid Checking"}},
		{name: "chaos ordering, a fresh seed", settings: `{"chaos_ordering": {"enabled": true}}`, accounts: []string{"Plaid Checking"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := plaidtest.NewServer(t, plaidtest.WithSettings(tc.settings))
			got := b.OpenLink(t, srv.ScriptURL, linkdriver.Config{Key: srv.PublicKey, Options: tc.options}).CompleteLink(tc.login)
			var names []string
			for _, a := range got.Metadata.Accounts {
				names = append(names, a.Name)
			}
			if !slices.Equal(names, tc.accounts) {
				t.Errorf("accounts %q, want %q", names, tc.accounts)
			}
			srv.Call(t, "/item/public_token/exchange", map[string]any{"public_token": got.PublicToken})
		})
	}
}
