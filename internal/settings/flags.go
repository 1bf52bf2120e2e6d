package settings

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Flags are the `linkharness serve` flags of the default client's
// settings, as their text (each flag's default is its environment
// variable): empty means not given.
type Flags struct {
	// Document is --settings: a whole settings document, which the other
	// flags go on top of.
	Document string
	// AccountSelect is --account-select: single, multiple or all.
	AccountSelect string
	// Preselect is --preselect: account subtypes, comma-separated, or all.
	Preselect string
	// InstitutionHealth is --institution-health: ID=HEALTH pairs,
	// comma-separated (ins_109508=DOWN).
	InstitutionHealth string
	// RetryInitial, RetryFactor and RetryWindow are --webhook-retry-initial
	// (a duration), --webhook-retry-factor and --webhook-retry-window.
	RetryInitial, RetryFactor, RetryWindow string
	// Chaos is --chaos (true or false): chaos ordering with a fresh seed
	// each session; ChaosSeed is --chaos-seed, chaos ordering with that
	// seed.
	Chaos, ChaosSeed string
}

// Patch is the settings document the flags make, checked; nil when no
// flag is given.
func (f Flags) Patch() (json.RawMessage, error) {
	doc := map[string]any{}
	if strings.TrimSpace(f.Document) != "" {
		if err := json.Unmarshal([]byte(f.Document), &doc); err != nil || doc == nil {
			return nil, fmt.Errorf("--settings must be a JSON object: %v", err)
		}
	}
	patch := map[string]any{}
	sub := func(key string) map[string]any {
		m, _ := patch[key].(map[string]any)
		if m == nil {
			m = map[string]any{}
			patch[key] = m
		}
		return m
	}
	if f.AccountSelect != "" {
		sub("account_select")["mode"] = f.AccountSelect
	}
	if f.Preselect != "" {
		sub("account_select")["preselect"] = strings.Split(f.Preselect, ",")
	}
	if f.InstitutionHealth != "" {
		health := sub("institution_health")
		for _, pair := range strings.Split(f.InstitutionHealth, ",") {
			id, h, ok := strings.Cut(strings.TrimSpace(pair), "=")
			if !ok {
				return nil, fmt.Errorf("--institution-health: %q is not ID=HEALTH", pair)
			}
			health[id] = strings.ToUpper(h)
		}
	}
	for _, d := range []struct{ flag, text, key string }{
		{"--webhook-retry-initial", f.RetryInitial, "initial_seconds"},
		{"--webhook-retry-window", f.RetryWindow, "window_seconds"},
	} {
		if d.text == "" {
			continue
		}
		v, err := time.ParseDuration(d.text)
		if err != nil {
			return nil, fmt.Errorf("%s must be a duration such as 30s or 24h: %v", d.flag, err)
		}
		sub("webhook_retry")[d.key] = v.Seconds()
	}
	if f.RetryFactor != "" {
		n, err := strconv.Atoi(f.RetryFactor)
		if err != nil {
			return nil, fmt.Errorf("--webhook-retry-factor must be a whole number: %v", err)
		}
		sub("webhook_retry")["factor"] = n
	}
	if f.Chaos != "" {
		on, err := strconv.ParseBool(f.Chaos)
		if err != nil {
			return nil, fmt.Errorf("--chaos must be true or false: %v", err)
		}
		sub("chaos_ordering")["enabled"] = on
	}
	if f.ChaosSeed != "" {
		seed, err := strconv.ParseInt(f.ChaosSeed, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("--chaos-seed must be a whole number: %v", err)
		}
		chaos := sub("chaos_ordering")
		chaos["seed"] = seed
		if _, set := chaos["enabled"]; !set {
			chaos["enabled"] = seed != 0
		}
	}
	if len(doc) == 0 && len(patch) == 0 {
		return nil, nil
	}
	out, err := json.Marshal(mergePatch(doc, patch))
	if err != nil {
		return nil, err
	}
	if _, e := resolve(out); e != nil {
		return nil, fmt.Errorf("settings flags: %s", e.ErrorMessage)
	}
	return out, nil
}
