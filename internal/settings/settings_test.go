package settings

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// TestResolve applies documents in order and checks the settings they
// give, RFC 7386's null included.
func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		name string
		docs []string
		mode string
		pre  []string
		seed int64
	}{
		{name: "none", mode: "multiple", pre: []string{}},
		{name: "one", docs: []string{`{"account_select": {"mode": "single"}}`}, mode: "single", pre: []string{}},
		{name: "later wins", docs: []string{`{"account_select": {"mode": "single", "preselect": ["savings"]}}`, `{"account_select": {"mode": "all"}}`},
			mode: "all", pre: []string{"savings"}},
		{name: "null removes", docs: []string{`{"account_select": {"mode": "single"}}`, `{"account_select": {"mode": null}}`}, mode: "multiple", pre: []string{}},
		{name: "chaos", docs: []string{`{"chaos_ordering": {"enabled": true, "seed": 9007199254740991}}`}, mode: "multiple", pre: []string{}, seed: MaxSeed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var docs []json.RawMessage
			for _, d := range tc.docs {
				docs = append(docs, json.RawMessage(d))
			}
			st, e := resolve(docs...)
			if e != nil {
				t.Fatal(e)
			}
			if st.AccountSelect.Mode != tc.mode || !reflect.DeepEqual(st.AccountSelect.Preselect, tc.pre) || st.ChaosOrdering.Seed != tc.seed {
				t.Errorf("got %+v", st)
			}
		})
	}
}

// TestLink checks what settings change in Link: the customization that
// applies (name, countries and language exactly the session's) with its
// Account Select and headings, the health overrides and the chaos seed.
func TestLink(t *testing.T) {
	base := `{"account_select": {"mode": "all"}, "institution_health": {"ins_109508": "DOWN"},
		"link_customizations": {"us": {"country_codes": ["US", "CA"], "language": "en", "account_select": {"mode": "single", "preselect": ["checking"]},
			"text": {"consent": "Hi", "institution_select": "Pick", "connected": "Done"}}}}`
	st, e := resolve(json.RawMessage(base))
	if e != nil {
		t.Fatal(e)
	}
	custom := protocol.LinkSettings{AccountSelect: "single", Preselect: []string{"checking"},
		Headings:          map[string]string{"CONSENT": "Hi", "SELECT_INSTITUTION": "Pick", "CONNECTED": "Done"},
		InstitutionHealth: map[string]string{"ins_109508": "DOWN"}}
	plain := protocol.LinkSettings{AccountSelect: "all", Preselect: []string{}, InstitutionHealth: map[string]string{"ins_109508": "DOWN"}}
	for _, tc := range []struct {
		name, customization, language string
		countries                     []string
		want                          protocol.LinkSettings
	}{
		{"applies", "us", "en", []string{"CA", "US"}, custom},
		{"no name", "", "en", []string{"US", "CA"}, plain},
		{"unknown name", "eu", "en", []string{"US", "CA"}, plain},
		{"fewer countries", "us", "en", []string{"US"}, plain},
		{"other language", "us", "fr", []string{"US", "CA"}, plain},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := st.Link(tc.customization, tc.countries, tc.language); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestHealth checks the health overrides against the sandbox's.
func TestHealth(t *testing.T) {
	st, _ := resolve(json.RawMessage(`{"institution_health": {"ins_109508": "DEGRADED", "ins_900002": "HEALTHY"}}`))
	for _, tc := range []struct{ id, want string }{
		{"ins_109508", sandbox.HealthDegraded},
		{"ins_900002", ""},
		{"ins_900001", sandbox.HealthDegraded},
		{"ins_109511", ""},
	} {
		in, _ := sandbox.InstitutionByID(tc.id)
		if got := st.Health(in); got != tc.want {
			t.Errorf("%s: health %q, want %q", tc.id, got, tc.want)
		}
	}
}

// TestFlags checks the serve flags' document, and that a bad one names
// its flag or field.
func TestFlags(t *testing.T) {
	f := Flags{Document: `{"account_select": {"mode": "all"}, "institution_health": {"ins_109511": "DOWN"}}`, Preselect: "checking,savings",
		InstitutionHealth: "ins_109508=degraded", RetryInitial: "1m", RetryFactor: "2", RetryWindow: "2h", ChaosSeed: "5"}
	doc, err := f.Patch()
	if err != nil {
		t.Fatal(err)
	}
	st, e := resolve(doc)
	if e != nil {
		t.Fatal(e)
	}
	want := Settings{AccountSelect: AccountSelect{Mode: "all", Preselect: []string{"checking", "savings"}}, LinkCustomizations: map[string]Customization{},
		InstitutionHealth: map[string]string{"ins_109508": "DEGRADED", "ins_109511": "DOWN"},
		WebhookRetry:      WebhookRetry{InitialSeconds: 60, Factor: 2, WindowSeconds: 7200}, ChaosOrdering: Chaos{Enabled: true, Seed: 5}}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("got %+v\nwant %+v", st, want)
	}
	if doc, err := (Flags{}).Patch(); doc != nil || err != nil {
		t.Errorf("no flags: %s, %v; want nothing", doc, err)
	}
	for _, tc := range []struct {
		f    Flags
		want string
	}{
		{Flags{AccountSelect: "few"}, "account_select.mode"},
		{Flags{RetryWindow: "long"}, "--webhook-retry-window"},
		{Flags{RetryFactor: "x"}, "--webhook-retry-factor"},
		{Flags{Chaos: "maybe"}, "--chaos"},
		{Flags{ChaosSeed: "-3"}, "chaos_ordering.seed"},
		{Flags{InstitutionHealth: "ins_109508"}, "--institution-health"},
		{Flags{Document: `{"colour": 1}`}, `"colour"`},
	} {
		if _, err := tc.f.Patch(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want an error naming %s", tc.f, err, tc.want)
		}
	}
}
