package customuser_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/linkharness/linkharness/internal/customuser"
)

// FuzzParse reads arbitrary user_custom passwords. Parse must never panic
// and must be deterministic; it answers a configuration of 1 to
// MaxAccounts accounts of known types and subtypes, or a ConfigError that
// says what is wrong. A password Parse refuses fails Login with
// INVALID_CREDENTIALS; one it accepts without MFA, force_error or a bad
// reCAPTCHA logs in at once, with the configuration Parse read.
func FuzzParse(f *testing.F) {
	f.Add(good)
	for _, s := range []string{`{}`, `[]`, `null`, `"x"`, `{"version":3}`, `{"version":"2","override_accounts":[]}`,
		`{"override_accounts":[{"type":"credit"},{"type":"loan","subtype":"mortgage"}]}`,
		`{"override_accounts":[{"type":"depository","subtype":"credit card"}]}`,
		`{"mfa":{"type":"questions","question_rounds":2,"questions_per_round":1}}`,
		`{"mfa":{"type":"selections","selection_rounds":10}}`, `{"force_error":"ITEM_LOCKED"}`,
		`{"recaptcha":"bad"}`, `{"seed":"s","override_accounts":[{"type":"investment","holdings":[{}]}]}`,
		`{"override_accounts":[{"meta":{"name":1}}]}`, "{\"seed\":\"\xff\"}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, password string) {
		c, err := customuser.Parse(password)
		c2, err2 := customuser.Parse(password)
		if !reflect.DeepEqual(c, c2) || !reflect.DeepEqual(err, err2) {
			t.Fatalf("%q: Parse is not deterministic: %v %v / %v %v", password, c, err, c2, err2)
		}
		_, lc, le := customuser.Login(password, nil)
		if err != nil {
			if err.Problem == "" || err.Error() == "" {
				t.Fatalf("%q: a ConfigError that says nothing: %#v", password, err)
			}
			if le == nil || le.ErrorCode != "INVALID_CREDENTIALS" || le.ErrorType == "" {
				t.Fatalf("%q: Parse refuses it (%v) but Login answers %v", password, err, le)
			}
			return
		}
		if n := len(c.Accounts); n < 1 || n > customuser.MaxAccounts {
			t.Fatalf("%q: %d accounts", password, n)
		}
		for _, a := range c.Accounts {
			if !slices.Contains(customuser.AccountTypes, a.Type) || !slices.Contains(customuser.Subtypes, a.Subtype) {
				t.Fatalf("%q: an account of type %q, subtype %q", password, a.Type, a.Subtype)
			}
		}
		if le != nil && (le.ErrorType == "" || le.ErrorCode == "" || le.Status < 400) {
			t.Fatalf("%q: Login's error not in Plaid's shape: %+v", password, le)
		}
		if c.MFA == nil && c.ForceError == "" && c.Recaptcha != "bad" && (le != nil || !reflect.DeepEqual(lc, c)) {
			t.Fatalf("%q: Parse accepts it, Login answers %v %v", password, lc, le)
		}
	})
}
