package wording

import (
	"reflect"
	"strings"
	"testing"
)

// TestComplete checks that every language words every message, with the
// same format verbs as English.
func TestComplete(t *testing.T) {
	en := reflect.ValueOf(english)
	for _, lang := range []string{"en", "fr", "es", "nl"} {
		v := reflect.ValueOf(*For(lang))
		for i := range v.NumField() {
			name, got, want := v.Type().Field(i).Name, v.Field(i).String(), en.Field(i).String()
			if got == "" {
				t.Errorf("%s: %s is empty", lang, name)
			}
			for _, verb := range []string{"%s", "%d"} {
				if strings.Count(got, verb) != strings.Count(want, verb) {
					t.Errorf("%s: %s = %q has not the %s verbs of English %q", lang, name, got, verb, want)
				}
			}
		}
	}
	if For("de") != &english || For("fr") != &french {
		t.Error("For does not fall back to English, or misses French")
	}
}

// TestFill checks that Fill fills the verbs in order and keeps the rest.
func TestFill(t *testing.T) {
	for _, c := range []struct {
		format string
		args   []string
		want   string
	}{
		{"plain", nil, "plain"},
		{"Connect %s to %s", []string{"Bank", "App"}, "Connect Bank to App"},
		{"Question %d", []string{"3"}, "Question 3"},
		{"100%% %s", []string{"sure"}, "100% sure"},
		{"%s and %s", []string{"one"}, "one and "},
		{"trailing %", nil, "trailing %"},
		{"%x kept", nil, "%x kept"},
	} {
		if got := Fill(c.format, c.args...); got != c.want {
			t.Errorf("Fill(%q, %q) = %q, want %q", c.format, c.args, got, c.want)
		}
	}
}
