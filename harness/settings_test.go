package harness_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/harness"
	"github.com/linkharness/linkharness/internal/scenario"
	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/web"
)

// scenarioNamed is the scenario of testdata/scenarios with that name.
func scenarioNamed(t testing.TB, name string) scenario.Scenario {
	t.Helper()
	all := loadScenarios(t)
	i := slices.IndexFunc(all, func(sc scenario.Scenario) bool { return sc.Name == name })
	if i < 0 {
		t.Fatalf("no scenario %s", name)
	}
	return all[i]
}

// transcriptLines are the lines of a session's transcript.
func transcriptLines(t *testing.T, calls []harness.Call) []string {
	t.Helper()
	got, err := harness.Transcript(calls)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(got)), "\n")
}

// TestChaosOrdering plays the chaos scenarios with and without their
// chaos settings: the order differs from the default (the ending callback
// moved among the onEvent calls of its moment), every event keeps its
// place relative to the others with the metadata it had, the ending's
// arguments are the same, the events' timestamps never go back, and Link
// printed the seed.
func TestChaosOrdering(t *testing.T) {
	for _, tc := range []struct {
		scenario, ending string
	}{
		{"chaos_success", protocol.OnSuccess},
		{"chaos_success_early", protocol.OnSuccess},
		{"chaos_exit", protocol.OnExit},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			chaos := scenarioNamed(t, tc.scenario)
			plain := chaos
			plain.Settings = nil
			cp, pp := play(t, chaos), play(t, plain)
			got, want := transcriptLines(t, cp.calls()), transcriptLines(t, pp.calls())
			if slices.Equal(got, want) {
				t.Fatalf("chaos ordering gave the default order:\n%s", strings.Join(got, "\n"))
			}
			isEnd := func(l string) bool { return strings.HasPrefix(l, tc.ending+" ") }
			end := func(lines []string) string { return lines[slices.IndexFunc(lines, isEnd)] }
			if end(got) != end(want) {
				t.Errorf("%s differs under chaos:\n got %s\nwant %s", tc.ending, end(got), end(want))
			}
			if g, w := slices.DeleteFunc(slices.Clone(got), isEnd), slices.DeleteFunc(slices.Clone(want), isEnd); !slices.Equal(g, w) {
				t.Errorf("the events differ under chaos:\n got %q\nwant %q", g, w)
			}
			var last string
			for _, c := range cp.calls() {
				if c.Name != protocol.OnEvent {
					continue
				}
				var md struct {
					Timestamp string `json:"timestamp"`
				}
				json.Unmarshal(c.Args[1], &md)
				if md.Timestamp < last {
					t.Errorf("event timestamp %s after %s: chaos must keep the true times", md.Timestamp, last)
				}
				last = md.Timestamp
			}
			var set struct {
				Chaos struct {
					Seed int64 `json:"seed"`
				} `json:"chaos_ordering"`
			}
			json.Unmarshal(chaos.Settings, &set)
			printed := slices.ContainsFunc(cp.last().Console(), func(c protocol.Console) bool {
				return strings.Contains(c.Message, fmt.Sprintf("chaos ordering is on with seed %d:", set.Chaos.Seed))
			})
			if !printed {
				t.Errorf("the seed was not printed; console: %v", cp.last().Console())
			}
		})
	}
}

// TestChaosReplay plays chaos_success with seeds 1 to 8: each seed gives
// the same order every time (the seed replays it), and the seeds between
// them put onSuccess in more than one place.
func TestChaosReplay(t *testing.T) {
	sc := scenarioNamed(t, "chaos_success")
	orders := map[string]bool{}
	for seed := 1; seed <= 8; seed++ {
		sc.Settings = json.RawMessage(fmt.Sprintf(`{"chaos_ordering": {"enabled": true, "seed": %d}}`, seed))
		a, b := transcriptLines(t, play(t, sc).calls()), transcriptLines(t, play(t, sc).calls())
		if !slices.Equal(a, b) {
			t.Errorf("seed %d gave two orders:\n%s\n--\n%s", seed, strings.Join(a, "\n"), strings.Join(b, "\n"))
		}
		orders[strings.Join(a, "\n")] = true
	}
	if len(orders) < 2 {
		t.Errorf("8 seeds gave %d order(s), want more than one", len(orders))
	}
}

// TestChaosFreshSeed turns chaos on without a seed: each session draws
// one and prints it, and setting that seed replays its order.
func TestChaosFreshSeed(t *testing.T) {
	sc := scenarioNamed(t, "chaos_success")
	sc.Settings = json.RawMessage(`{"chaos_ordering": {"enabled": true}}`)
	p := play(t, sc)
	var seed int64
	for _, c := range p.last().Console() {
		if _, err := fmt.Sscanf(c.Message, "linkharness: chaos ordering is on with seed %d", &seed); err == nil {
			break
		}
	}
	if seed <= 0 {
		t.Fatalf("no seed printed: %v", p.last().Console())
	}
	sc.Settings = json.RawMessage(fmt.Sprintf(`{"chaos_ordering": {"enabled": true, "seed": %d}}`, seed))
	if got, want := transcriptLines(t, play(t, sc).calls()), transcriptLines(t, p.calls()); !slices.Equal(got, want) {
		t.Errorf("seed %d did not replay its order:\n%s\n--\n%s", seed, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestSettingsChangeLink checks what the SELECT_ACCOUNT pane shows under
// each Account Select setting, and what the chosen customization's text
// strings make of the headings.
func TestSettingsChangeLink(t *testing.T) {
	for _, tc := range []struct {
		name, settings, customization string
		// multiple is whether the accounts are checkboxes; checked are
		// the accounts checked at first.
		multiple bool
		checked  []string
		consent  string
	}{
		{name: "default", settings: `{}`, multiple: true, consent: "Scenario App uses Plaid"},
		{name: "single", settings: `{"account_select": {"mode": "single"}}`},
		{name: "single preselects one", settings: `{"account_select": {"mode": "single", "preselect": ["all"]}}`, checked: []string{"Plaid Checking"}},
		{name: "all", settings: `{"account_select": {"mode": "all"}}`, multiple: true, checked: []string{"Plaid Checking", "Plaid Saving"}},
		{name: "preselect savings", settings: `{"account_select": {"preselect": ["savings"]}}`, multiple: true, checked: []string{"Plaid Saving"}},
		{name: "customization", customization: "brand", multiple: true, consent: "Welcome to Brand",
			settings: `{"link_customizations": {"brand": {"text": {"consent": "Welcome to Brand"}}}}`},
		{name: "customization's account select", customization: "brand",
			settings: `{"account_select": {"mode": "all"}, "link_customizations": {"brand": {"account_select": {"mode": "single"}}}}`},
		{name: "customization of another language", customization: "fr", multiple: true, consent: "Scenario App uses Plaid",
			settings: `{"link_customizations": {"fr": {"language": "fr", "text": {"consent": "Bienvenue"}}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			token := map[string]any{"client_name": "Scenario App", "products": []string{"auth"}}
			if tc.customization != "" {
				token["link_customization_name"] = tc.customization
			}
			raw, _ := json.Marshal(token)
			sc := scenario.Scenario{Name: tc.name, Token: raw, Settings: json.RawMessage(tc.settings)}
			sc.Steps = []scenario.Step{{Verb: scenario.Press, Args: []string{"Continue"}}, {Verb: scenario.Press, Args: []string{"First Platypus Bank"}},
				{Verb: scenario.Fill, Args: []string{"Username", "user_good"}}, {Verb: scenario.Fill, Args: []string{"Password", "pass_good"}}}
			if tc.consent != "" {
				sc.Steps = append([]scenario.Step{{Verb: scenario.See, Args: []string{tc.consent}}}, sc.Steps...)
			}
			s := play(t, sc).last()
			if err := s.Press("Submit"); err != nil {
				t.Fatal(err)
			}
			v := s.View()
			if v == nil || v.Pane != "SELECT_ACCOUNT" || v.List == nil {
				t.Fatalf("after the login Link shows %+v, want SELECT_ACCOUNT", v)
			}
			if v.List.Multiple != tc.multiple {
				t.Errorf("accounts list multiple = %v, want %v", v.List.Multiple, tc.multiple)
			}
			var checked []string
			for _, it := range v.List.Items {
				if it.Selected {
					checked = append(checked, it.Label)
				}
			}
			if !slices.Equal(checked, tc.checked) {
				t.Errorf("checked at first: %q, want %q", checked, tc.checked)
			}
			s.Exit(true)
		})
	}
}

// TestSettingsControlAPI checks the control API's settings routes: partial
// updates by merge patch, null removing a setting, a link token's settings
// apart from the client's, Plaid-shaped INVALID_FIELD naming the field, and
// reset bringing back the defaults.
func TestSettingsControlAPI(t *testing.T) {
	type settingsAnswer struct {
		Settings struct {
			AccountSelect struct {
				Mode      string   `json:"mode"`
				Preselect []string `json:"preselect"`
			} `json:"account_select"`
			InstitutionHealth map[string]string `json:"institution_health"`
			WebhookRetry      struct {
				InitialSeconds float64 `json:"initial_seconds"`
				Factor         int     `json:"factor"`
				WindowSeconds  float64 `json:"window_seconds"`
			} `json:"webhook_retry"`
			ChaosOrdering struct {
				Enabled bool  `json:"enabled"`
				Seed    int64 `json:"seed"`
			} `json:"chaos_ordering"`
		} `json:"settings"`
	}
	// The harness's client is shared with the scenarios: this test uses
	// a link token's settings only, and the client's read-only.
	var out settingsAnswer
	if err := backend("/linkharness/settings/get", map[string]any{}, &out); err != nil {
		t.Fatal(err)
	}
	if s := out.Settings; s.AccountSelect.Mode != "multiple" || s.WebhookRetry.InitialSeconds != 30 || s.WebhookRetry.Factor != 4 ||
		s.WebhookRetry.WindowSeconds != 86400 || s.ChaosOrdering.Enabled {
		t.Errorf("default settings: %+v, want Plaid's", s)
	}
	token, err := scenario.LinkToken(backend, json.RawMessage(`{"products": ["auth"]}`))
	if err != nil {
		t.Fatal(err)
	}
	set := func(patch string) (settingsAnswer, error) {
		var out settingsAnswer
		err := backend("/linkharness/settings/set", map[string]any{"link_token": token, "settings": json.RawMessage(patch)}, &out)
		return out, err
	}
	if _, err := set(`{"account_select": {"mode": "single", "preselect": ["checking"]}, "institution_health": {"ins_109508": "DOWN"}}`); err != nil {
		t.Fatal(err)
	}
	got, err := set(`{"account_select": {"preselect": null}, "chaos_ordering": {"enabled": true, "seed": 3}}`)
	if err != nil {
		t.Fatal(err)
	}
	if s := got.Settings; s.AccountSelect.Mode != "single" || len(s.AccountSelect.Preselect) != 0 || s.InstitutionHealth["ins_109508"] != "DOWN" ||
		!s.ChaosOrdering.Enabled || s.ChaosOrdering.Seed != 3 {
		t.Errorf("after two patches: %+v", s)
	}
	var client settingsAnswer
	backend("/linkharness/settings/get", map[string]any{}, &client)
	if client.Settings.AccountSelect.Mode != "multiple" || len(client.Settings.InstitutionHealth) != 0 {
		t.Errorf("a link token's settings reached the client's: %+v", client.Settings)
	}
	for _, tc := range []struct{ patch, field string }{
		{`{"account_select": {"mode": "some"}}`, "settings.account_select.mode"},
		{`{"account_select": {"mode": 3}}`, "settings.account_select.mode"},
		{`{"institution_health": {"ins_nope": "DOWN"}}`, "settings.institution_health.ins_nope"},
		{`{"institution_health": {"ins_109508": "SLOW"}}`, "settings.institution_health.ins_109508"},
		{`{"webhook_retry": {"factor": 0}}`, "settings.webhook_retry.factor"},
		{`{"webhook_retry": {"initial_seconds": 0}}`, "settings.webhook_retry.initial_seconds"},
		{`{"chaos_ordering": {"seed": 9007199254740992}}`, "settings.chaos_ordering.seed"},
		{`{"link_customizations": {"x": {"text": {"footer": "hi"}}}}`, "settings.link_customizations.x.text.footer"},
		{`{"link_customizations": {"x": {"country_codes": ["usa"]}}}`, "settings.link_customizations.x.country_codes"},
		{`{"colour": "blue"}`, `"colour"`},
		{`[1]`, "settings must be a JSON object"},
	} {
		_, err := set(tc.patch)
		if pe := plaidError(err); pe.ErrorCode != "INVALID_FIELD" || pe.ErrorType != "INVALID_REQUEST" || !strings.Contains(pe.ErrorMessage, tc.field) {
			t.Errorf("set %s: %v, want INVALID_FIELD naming %s", tc.patch, err, tc.field)
		}
	}
	// A refused patch changed nothing.
	var after settingsAnswer
	backend("/linkharness/settings/get", map[string]any{"link_token": token}, &after)
	if after.Settings.ChaosOrdering.Seed != 3 || after.Settings.AccountSelect.Mode != "single" {
		t.Errorf("refused patches changed the settings: %+v", after.Settings)
	}
	err = backend("/linkharness/settings/set", map[string]any{"link_token": "link-sandbox-unknown", "settings": json.RawMessage(`{}`)}, nil)
	if pe := plaidError(err); pe.ErrorCode != "INVALID_LINK_TOKEN" {
		t.Errorf("settings of an unknown link token: %v, want INVALID_LINK_TOKEN", err)
	}
	err = backend("/linkharness/settings/get", map[string]any{"link_token": "link-sandbox-unknown"}, nil)
	if pe := plaidError(err); pe.ErrorCode != "INVALID_LINK_TOKEN" {
		t.Errorf("get with an unknown link token: %v, want INVALID_LINK_TOKEN", err)
	}
}

// plaidError is the Plaid error body an error of h.Post carries (zero for
// none).
func plaidError(err error) protocol.PlaidError {
	var pe protocol.PlaidError
	if err != nil {
		msg := err.Error()
		if i := strings.Index(msg, "{"); i >= 0 {
			json.Unmarshal([]byte(msg[i:]), &pe)
		}
	}
	return pe
}

// TestLegacyCustomization runs a server whose client starts with
// settings (as `serve --settings` gives them): a legacy Plaid.create that
// names linkCustomizationName gets the customization's heading and
// Account Select, one that names none the client's own.
func TestLegacyCustomization(t *testing.T) {
	api := web.New(web.Options{Clients: []web.Client{{ClientID: "legacy", Secret: "legacy-secret", PublicKey: "legacy-key",
		Settings: json.RawMessage(`{"account_select": {"mode": "all"}, "link_customizations": {"brand": {"text": {"consent": "Brand asks"}, "account_select": {"mode": "single"}}}}`)}}})
	defer api.Close()
	lh := harness.New(api)
	defer lh.Close()
	for _, tc := range []struct {
		customization, heading string
		multiple               bool
	}{
		{"brand", "Brand asks", false},
		{"", "Legacy App uses Plaid to connect your account", true},
	} {
		t.Run(tc.heading, func(t *testing.T) {
			c := map[string]any{"key": "legacy-key", "env": "sandbox", "clientName": "Legacy App", "product": []string{"auth"}}
			if tc.customization != "" {
				c["linkCustomizationName"] = tc.customization
			}
			s, err := lh.CreateJSON(withCallbacks(t, c))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Open(); err != nil {
				t.Fatal(err)
			}
			if v := s.View(); v == nil || v.Heading != tc.heading {
				t.Fatalf("consent heading %+v, want %q", v, tc.heading)
			}
			for _, step := range [][2]string{{"Continue"}, {"First Platypus Bank"}, {"Username", "user_good"}, {"Password", "pass_good"}, {"Submit"}} {
				if step[1] != "" {
					err = s.Fill(step[0], step[1])
				} else {
					err = s.Press(step[0])
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if v := s.View(); v == nil || v.List == nil || v.List.Multiple != tc.multiple {
				t.Errorf("accounts pane %+v, want multiple %v", v, tc.multiple)
			}
		})
	}
}
