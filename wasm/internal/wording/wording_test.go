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
	for lang, m := range languages {
		v := reflect.ValueOf(*m)
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
