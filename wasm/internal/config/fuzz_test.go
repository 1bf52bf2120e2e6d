package config

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// FuzzWebviewQuery reads arbitrary link.html query strings as the webview
// integration's configuration. FromWebviewQuery must never panic and
// answers JSON: an object, or null for a query that does not parse; Parse
// of it must never panic and answers a configuration or a problem naming
// its field with Link's INVALID_FIELD or MISSING_FIELDS. A parameter
// encoded into a query comes back as it was: a string, a list split at its
// commas, or isWebview's boolean.
func FuzzWebviewQuery(f *testing.F) {
	f.Add("isWebview=true&key=PUBLIC_KEY&product=auth,transactions&env=sandbox&clientName=App&countryCodes=US&token=", "key", "k")
	f.Add("?accountSubtypes=%7B%22depository%22%3A%5B%22checking%22%5D%7D&isWebview=true", "product", "auth,,")
	f.Add("accountSubtypes=%7B&isWebview=false&%zz", "isWebview", "true")
	f.Add("token=link-sandbox-1&receivedRedirectUri=https%3A%2F%2Fapp.example%2F%3Foauth_state_id%3Dx", "accountSubtypes", "[1]")
	f.Add(";", "", "\x00")
	f.Fuzz(func(t *testing.T, query, name, value string) {
		check(t, query)
		if name == "" || value == "" {
			return
		}
		q := url.Values{name: {value}}.Encode()
		raw := check(t, q)
		var got map[string]any
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatalf("%q: %s is no object", q, raw)
		}
		var want any = value
		switch {
		case webviewList(name):
			want = toAny(strings.Split(value, ","))
		case name == "isWebview":
			want = value == "true"
		case name == "accountSubtypes":
			if json.Unmarshal([]byte(value), &want) != nil {
				want = value
			}
		}
		// JSON carries invalid UTF-8 as U+FFFD.
		key, want := toAny(name).(string), toAny(want)
		if !reflect.DeepEqual(got[key], want) {
			t.Fatalf("%q: %s = %#v, want %#v", q, name, got[name], want)
		}
	})
}

// check runs the query through FromWebviewQuery and Parse, fails on what
// is not in their contract, and returns the configuration's JSON.
func check(t *testing.T, query string) json.RawMessage {
	t.Helper()
	raw := FromWebviewQuery(query)
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%q: not JSON: %s", query, raw)
	}
	if _, ok := v.(map[string]any); !ok && v != nil {
		t.Fatalf("%q: %s is neither an object nor null", query, raw)
	}
	if _, e := Parse(raw); e != nil {
		if (e.Code != "INVALID_FIELD" && e.Code != "MISSING_FIELDS") || e.Field == "" || e.Reason == "" {
			t.Fatalf("%q: problem %+v", query, e)
		}
	}
	return raw
}

// toAny is v as encoding/json decodes its JSON into an any.
func toAny(v any) any {
	b, _ := json.Marshal(v)
	var out any
	json.Unmarshal(b, &out)
	return out
}
