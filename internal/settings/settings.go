// Package settings is each client's Dashboard settings, as Plaid's
// Dashboard keeps them and linkharness's control API and `serve` flags
// set them: Account Select (one account, multiple accounts or all
// accounts, and which are preselected), the Link customizations that
// link_customization_name / linkCustomizationName select, the health of
// institutions at run time, the webhook retry schedule, and chaos
// ordering (onSuccess and onExit among the onEvent calls in an order the
// docs allow, from a seed).
//
// A client's settings are three JSON documents, each a JSON merge patch
// (RFC 7386) on the one before: the server's defaults for the client (the
// `serve` flags), the client's own (/linkharness/settings/set), and a
// link token's own, for that token's sessions only. The stored documents
// live in package store/clientsettings; the store's Reset forgets them,
// and the defaults stay.
package settings

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"crypto/rand"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/clientsettings"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// Settings are a client's Dashboard settings, every one set: what Get
// answers.
type Settings struct {
	AccountSelect AccountSelect `json:"account_select"`
	// LinkCustomizations are the client's Link customizations, by name.
	LinkCustomizations map[string]Customization `json:"link_customizations"`
	// InstitutionHealth overrides the sandbox's health of institutions,
	// by institution ID: HEALTHY, DEGRADED or DOWN.
	InstitutionHealth map[string]string `json:"institution_health"`
	WebhookRetry      WebhookRetry      `json:"webhook_retry"`
	ChaosOrdering     Chaos             `json:"chaos_ordering"`
}

// AccountSelect is the Account Select pane's behaviour.
type AccountSelect struct {
	// Mode is protocol.AccountSelectSingle, AccountSelectMultiple or
	// AccountSelectAll.
	Mode string `json:"mode"`
	// Preselect are the account subtypes checked at first ("all" for
	// every account).
	Preselect []string `json:"preselect"`
}

// Customization is a Link customization: it applies to a session that
// names it, when its countries and language (if it sets them) are
// exactly the session's, as Plaid applies one.
type Customization struct {
	CountryCodes []string `json:"country_codes,omitempty"`
	Language     string   `json:"language,omitempty"`
	// AccountSelect, when set, replaces the client's for the session.
	AccountSelect *AccountSelect `json:"account_select,omitempty"`
	// Text are the customization's text strings: the headings of the
	// consent, institution select and connected panes.
	Text map[string]string `json:"text,omitempty"`
}

// Text strings of a customization, and the panes whose heading each
// replaces.
var textPanes = map[string]string{
	"consent":            protocol.HeadingConsent,
	"institution_select": protocol.HeadingSelectInstitution,
	"connected":          protocol.HeadingConnected,
}

// WebhookRetry is the client's webhook retry schedule: the first retry
// InitialSeconds after a failed try, each next one Factor times later,
// none later than WindowSeconds after the webhook was queued.
type WebhookRetry struct {
	InitialSeconds float64 `json:"initial_seconds"`
	Factor         int     `json:"factor"`
	WindowSeconds  float64 `json:"window_seconds"`
}

// Chaos is chaos ordering: off unless Enabled; Seed 0 draws a fresh seed
// for each session, which Link prints on the console.
type Chaos struct {
	Enabled bool  `json:"enabled"`
	Seed    int64 `json:"seed"`
}

// MaxSeed is the largest seed: 2^53-1, which JavaScript carries exactly.
const MaxSeed = 1<<53 - 1

// Plaid's webhook retry schedule
// (https://plaid.com/docs/api/webhooks/#webhook-retries): 30 s, four
// times longer each time, for 24 hours.
const (
	DefaultInitialSeconds = 30
	DefaultFactor         = 4
	DefaultWindowSeconds  = 24 * 60 * 60
)

// Defaults are Plaid's: multiple accounts, none preselected, no
// customization, the sandbox's health, Plaid's retry schedule, no chaos.
func Defaults() Settings {
	return Settings{AccountSelect: AccountSelect{Mode: protocol.AccountSelectMultiple, Preselect: []string{}},
		LinkCustomizations: map[string]Customization{}, InstitutionHealth: map[string]string{},
		WebhookRetry: WebhookRetry{InitialSeconds: DefaultInitialSeconds, Factor: DefaultFactor, WindowSeconds: DefaultWindowSeconds}}
}

// Service reads and changes the clients' settings in a store.
type Service struct {
	docs *clientsettings.Store
	st   *store.DB
	// defaults are the server's documents by client ID.
	defaults map[string]json.RawMessage
}

// New returns the settings of st; defaults are the server's settings
// documents by client ID (a merge patch each on Defaults), checked.
func New(st *store.DB, defaults map[string]json.RawMessage) (*Service, error) {
	s := &Service{st: st, defaults: map[string]json.RawMessage{}}
	if st != nil {
		s.docs = clientsettings.New(st)
	}
	for id, doc := range defaults {
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		if _, e := resolve(doc); e != nil {
			return nil, fmt.Errorf("settings of client %s: %s", id, e.ErrorMessage)
		}
		s.defaults[id] = doc
	}
	return s, nil
}

// Get returns the client's settings, or with a link token those its
// sessions run with.
func (s *Service) Get(ctx context.Context, clientID, linkToken string) (Settings, *plaid.Error) {
	docs, e := s.layers(ctx, clientID, linkToken)
	if e != nil {
		return Settings{}, e
	}
	return resolve(docs...)
}

// Set changes the client's settings, or with a link token those of its
// sessions, by patch (a JSON merge patch: what it names changes, null
// removes a setting), and returns them as they are now. A patch that
// makes a bad value changes nothing and is INVALID_FIELD naming the
// field.
func (s *Service) Set(ctx context.Context, clientID, linkToken string, patch json.RawMessage, now time.Time) (Settings, *plaid.Error) {
	var obj map[string]any
	if err := json.Unmarshal(patch, &obj); err != nil || obj == nil {
		return Settings{}, plaid.InvalidField("settings must be a JSON object")
	}
	scope := clientsettings.ClientScope
	if linkToken != "" {
		if e := s.CheckToken(ctx, clientID, linkToken); e != nil {
			return Settings{}, e
		}
		scope = linkToken
	}
	docs, e := s.layers(ctx, clientID, linkToken)
	if e != nil {
		return Settings{}, e
	}
	own := docs[len(docs)-1]
	merged, err := json.Marshal(mergePatch(decodeObject(own), obj))
	if err != nil {
		return Settings{}, plaid.Internal(err.Error())
	}
	docs[len(docs)-1] = merged
	out, e := resolve(docs...)
	if e != nil {
		return Settings{}, e
	}
	if err := s.docs.Put(ctx, clientID, scope, merged, now); err != nil {
		return Settings{}, plaid.Internal(err.Error())
	}
	return out, nil
}

// CheckToken is INVALID_LINK_TOKEN unless linkToken is one of the
// client's link tokens.
func (s *Service) CheckToken(ctx context.Context, clientID, linkToken string) *plaid.Error {
	tok, err := s.st.LinkToken(ctx, linkToken)
	if errors.Is(err, store.ErrNotFound) || err == nil && tok.ClientID != clientID {
		return plaid.InvalidLinkToken("")
	}
	if err != nil {
		return plaid.Internal(err.Error())
	}
	return nil
}

// layers are the documents of the client's settings, the server's first;
// with a link token the token's last, otherwise the client's.
func (s *Service) layers(ctx context.Context, clientID, linkToken string) ([]json.RawMessage, *plaid.Error) {
	docs := []json.RawMessage{s.defaults[clientID]}
	scopes := []string{clientsettings.ClientScope}
	if linkToken != "" {
		scopes = append(scopes, linkToken)
	}
	for _, scope := range scopes {
		doc, err := s.docs.Get(ctx, clientID, scope)
		if err != nil {
			return nil, plaid.Internal(err.Error())
		}
		docs = append(docs, doc)
	}
	return docs, nil
}

// Session is what the settings change in a Link session of the client
// (with its link token, "" in public-key mode) that names customization
// and runs in countries and language: nil when nothing differs from
// Plaid's Link.
func (s *Service) Session(ctx context.Context, clientID, linkToken, customization string, countries []string, language string) (*protocol.LinkSettings, *plaid.Error) {
	st, e := s.Get(ctx, clientID, linkToken)
	if e != nil {
		return nil, e
	}
	out := st.Link(customization, countries, language)
	if st.ChaosOrdering.Enabled && out.ChaosSeed == 0 {
		out.ChaosSeed = freshSeed()
	}
	if out.AccountSelect == "" && len(out.Preselect) == 0 && len(out.Headings) == 0 && len(out.InstitutionHealth) == 0 && out.ChaosSeed == 0 {
		return nil, nil
	}
	return &out, nil
}

// Link is what the settings change in Link for a session that names
// customization and runs in countries and language; chaos ordering with
// no seed of its own has ChaosSeed 0 here.
func (st Settings) Link(customization string, countries []string, language string) protocol.LinkSettings {
	as := st.AccountSelect
	var out protocol.LinkSettings
	if c, ok := st.LinkCustomizations[customization]; ok && customization != "" && c.applies(countries, language) {
		if c.AccountSelect != nil {
			as = *c.AccountSelect
		}
		for key, heading := range c.Text {
			if out.Headings == nil {
				out.Headings = map[string]string{}
			}
			out.Headings[textPanes[key]] = heading
		}
	}
	if as.Mode != protocol.AccountSelectMultiple {
		out.AccountSelect = as.Mode
	}
	out.Preselect = slices.Clone(as.Preselect)
	if len(st.InstitutionHealth) > 0 {
		out.InstitutionHealth = maps.Clone(st.InstitutionHealth)
	}
	if st.ChaosOrdering.Enabled {
		out.ChaosSeed = st.ChaosOrdering.Seed
	}
	return out
}

// applies reports whether the customization applies to a session in
// countries and language: those it sets must be exactly the session's.
func (c Customization) applies(countries []string, language string) bool {
	if c.Language != "" && c.Language != language {
		return false
	}
	if len(c.CountryCodes) > 0 {
		a, b := slices.Sorted(slices.Values(c.CountryCodes)), slices.Sorted(slices.Values(countries))
		return slices.Equal(a, b)
	}
	return true
}

// Health is the institution's health for the client: the sandbox's,
// unless the settings make it another.
func (st Settings) Health(in sandbox.Institution) string {
	switch h := st.InstitutionHealth[in.ID]; h {
	case "":
		return in.Health
	case sandbox.HealthHealthy:
		return ""
	default:
		return h
	}
}

// Retry is the client's webhook retry schedule as durations.
func (st Settings) Retry() (initial time.Duration, factor int, window time.Duration) {
	r := st.WebhookRetry
	return time.Duration(r.InitialSeconds * float64(time.Second)), r.Factor, time.Duration(r.WindowSeconds * float64(time.Second))
}

// freshSeed draws a seed for a session whose chaos ordering has none.
func freshSeed() int64 {
	var b [8]byte
	rand.Read(b[:])
	return int64(binary.BigEndian.Uint64(b[:])%MaxSeed) + 1
}

// resolve applies docs, merge patches in order, to Defaults and checks
// the result.
func resolve(docs ...json.RawMessage) (Settings, *plaid.Error) {
	base, _ := json.Marshal(Defaults())
	// The documents first, each on the one before (a null removes what an
	// earlier one set), then what they make on Plaid's defaults.
	obj := map[string]any{}
	for _, doc := range docs {
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		var patch map[string]any
		if err := json.Unmarshal(doc, &patch); err != nil || patch == nil {
			return Settings{}, plaid.InvalidField("settings must be a JSON object")
		}
		obj = mergePatch(obj, patch)
	}
	raw, err := json.Marshal(mergePatch(decodeObject(base), obj))
	if err != nil {
		return Settings{}, plaid.Internal(err.Error())
	}
	var st Settings
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return Settings{}, decodeError(err)
	}
	if st.AccountSelect.Preselect == nil {
		st.AccountSelect.Preselect = []string{}
	}
	if st.LinkCustomizations == nil {
		st.LinkCustomizations = map[string]Customization{}
	}
	if st.InstitutionHealth == nil {
		st.InstitutionHealth = map[string]string{}
	}
	return st, st.check()
}

// decodeError names the field a settings document got wrong.
func decodeError(err error) *plaid.Error {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return plaid.InvalidField(fmt.Sprintf("settings.%s must be a %s", typ.Field, typeName(typ.Type.Kind().String())))
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return plaid.InvalidField("settings: unknown field " + field)
	}
	return plaid.InvalidField("settings: " + err.Error())
}

func typeName(kind string) string {
	switch kind {
	case "float64", "int", "int64":
		return "number"
	case "map", "struct":
		return "object"
	case "slice":
		return "array"
	}
	return kind
}

// check names the first bad value.
func (st Settings) check() *plaid.Error {
	if e := st.AccountSelect.check("settings.account_select"); e != nil {
		return e
	}
	for _, name := range slices.Sorted(maps.Keys(st.LinkCustomizations)) {
		c, field := st.LinkCustomizations[name], "settings.link_customizations."+name
		if strings.TrimSpace(name) == "" {
			return plaid.InvalidField("settings.link_customizations: a customization's name must not be empty")
		}
		for _, cc := range c.CountryCodes {
			if len(cc) != 2 || strings.ToUpper(cc) != cc {
				return plaid.InvalidField(field + ".country_codes must hold two-letter country codes such as US")
			}
		}
		if c.Language != "" && (len(c.Language) != 2 || strings.ToLower(c.Language) != c.Language) {
			return plaid.InvalidField(field + ".language must be a two-letter language code such as en")
		}
		if c.AccountSelect != nil {
			if e := c.AccountSelect.check(field + ".account_select"); e != nil {
				return e
			}
		}
		for _, key := range slices.Sorted(maps.Keys(c.Text)) {
			if _, ok := textPanes[key]; !ok {
				return plaid.InvalidField(fmt.Sprintf("%s.text.%s is not a text string; they are %s", field, key, strings.Join(slices.Sorted(maps.Keys(textPanes)), ", ")))
			}
			if strings.TrimSpace(c.Text[key]) == "" || len(c.Text[key]) > 200 {
				return plaid.InvalidField(fmt.Sprintf("%s.text.%s must be 1 to 200 characters", field, key))
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(st.InstitutionHealth)) {
		if _, ok := sandbox.InstitutionByID(id); !ok {
			return plaid.InvalidField("settings.institution_health." + id + " is not a sandbox institution")
		}
		switch st.InstitutionHealth[id] {
		case sandbox.HealthHealthy, sandbox.HealthDegraded, sandbox.HealthDown:
		default:
			return plaid.InvalidField("settings.institution_health." + id + " must be HEALTHY, DEGRADED or DOWN")
		}
	}
	r := st.WebhookRetry
	switch {
	case r.InitialSeconds < 1 || r.InitialSeconds > DefaultWindowSeconds*7:
		return plaid.InvalidField("settings.webhook_retry.initial_seconds must be from 1 to 604800")
	case r.Factor < 1 || r.Factor > 100:
		return plaid.InvalidField("settings.webhook_retry.factor must be a whole number from 1 to 100")
	case r.WindowSeconds < 1 || r.WindowSeconds > DefaultWindowSeconds*30:
		return plaid.InvalidField("settings.webhook_retry.window_seconds must be from 1 to 2592000")
	}
	if s := st.ChaosOrdering.Seed; s < 0 || s > MaxSeed {
		return plaid.InvalidField(fmt.Sprintf("settings.chaos_ordering.seed must be from 0 (a fresh seed each session) to %d", int64(MaxSeed)))
	}
	return nil
}

func (a AccountSelect) check(field string) *plaid.Error {
	switch a.Mode {
	case protocol.AccountSelectSingle, protocol.AccountSelectMultiple, protocol.AccountSelectAll:
	default:
		return plaid.InvalidField(field + ".mode must be single, multiple or all")
	}
	for _, p := range a.Preselect {
		if strings.TrimSpace(p) == "" || strings.ToLower(p) != p {
			return plaid.InvalidField(field + ".preselect must hold account subtypes such as checking, or all")
		}
	}
	return nil
}

// decodeObject decodes a JSON object, or nil for none.
func decodeObject(doc json.RawMessage) map[string]any {
	var obj map[string]any
	json.Unmarshal(doc, &obj)
	if obj == nil {
		obj = map[string]any{}
	}
	return obj
}

// mergePatch is RFC 7386's MergePatch(target, patch) for objects.
func mergePatch(target, patch map[string]any) map[string]any {
	out := maps.Clone(target)
	if out == nil {
		out = map[string]any{}
	}
	keys := slices.Collect(maps.Keys(patch))
	sort.Strings(keys)
	for _, k := range keys {
		v := patch[k]
		switch p := v.(type) {
		case nil:
			delete(out, k)
		case map[string]any:
			t, _ := out[k].(map[string]any)
			out[k] = mergePatch(t, p)
		default:
			out[k] = v
		}
	}
	return out
}

// RetrySchedule is the client's webhook retry schedule when its settings
// set one (ok), for webhook.Options.Schedule: a client that sets none
// keeps the server's. What a schedule leaves out is Plaid's.
func (s *Service) RetrySchedule(ctx context.Context, clientID string) (initial time.Duration, factor int, window time.Duration, ok bool) {
	docs, e := s.layers(ctx, clientID, "")
	if e != nil {
		return 0, 0, 0, false
	}
	overlay := map[string]any{}
	for _, d := range docs {
		overlay = mergePatch(overlay, decodeObject(d))
	}
	if _, ok = overlay["webhook_retry"]; !ok {
		return 0, 0, 0, false
	}
	st, e := resolve(docs...)
	if e != nil {
		return 0, 0, 0, false
	}
	initial, factor, window = st.Retry()
	return initial, factor, window, true
}
