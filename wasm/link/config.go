package link

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/linkharness/linkharness/wasm/protocol"
)

// config is a validated Plaid.create configuration (public-key mode).
type config struct {
	ClientName   string
	Env          string
	Key          string
	Products     []string
	Language     string
	CountryCodes []string
	Webhook      string
	// callbacks holds the names of the callbacks given as functions.
	callbacks map[string]bool
}

var (
	validEnvs      = []string{"sandbox", "development", "production"}
	validProducts  = []string{"transactions", "auth", "identity", "assets", "investments", "liabilities", "payment_initiation"}
	validLanguages = []string{"en", "fr", "es", "nl"}
	validCountries = []string{"US", "CA", "ES", "FR", "GB", "IE", "NL"}
	callbackNames  = []string{protocol.OnSuccess, protocol.OnExit, protocol.OnEvent, protocol.OnLoad}
	// stringOptions are the documented options this engine reads as strings
	// but does not act on yet; they are still type-checked.
	stringOptions = []string{"token", "linkCustomizationName", "oauthNonce", "oauthRedirectUri", "oauthStateId", "paymentToken", "userLegalName", "userPhoneNumber", "userEmailAddress"}
)

// configError is a problem with the configuration: the option it concerns and
// what is wrong with it.
type configError struct {
	code   string // MISSING_FIELDS or INVALID_FIELD
	field  string
	reason string
}

func (e *configError) Error() string {
	return fmt.Sprintf("Plaid.create: %s %s", e.field, e.reason)
}

// plaidError is the error object onExit receives for this problem.
func (e *configError) plaidError() *protocol.PlaidError {
	return &protocol.PlaidError{
		ErrorType:    "INVALID_REQUEST",
		ErrorCode:    e.code,
		ErrorMessage: fmt.Sprintf("%s %s", e.field, e.reason),
	}
}

func missing(field string) *configError {
	return &configError{code: "MISSING_FIELDS", field: field, reason: "is required"}
}

func invalid(field, format string, args ...any) *configError {
	return &configError{code: "INVALID_FIELD", field: field, reason: fmt.Sprintf(format, args...)}
}

// parseConfig reads and validates a Plaid.create argument. It returns the
// callbacks it found even when the configuration is invalid, so that onExit
// can still report the problem.
func parseConfig(raw json.RawMessage) (config, *configError) {
	c := config{callbacks: map[string]bool{}}
	var fields map[string]json.RawMessage
	if len(raw) == 0 || string(raw) == "null" || json.Unmarshal(raw, &fields) != nil || fields == nil {
		return c, &configError{code: "INVALID_FIELD", field: "config", reason: "must be an object: Plaid.create({key, product, onSuccess, ...})"}
	}
	var first *configError
	fail := func(e *configError) {
		if first == nil {
			first = e
		}
	}

	for _, name := range callbackNames {
		v, ok := fields[name]
		if !ok || string(v) == "null" {
			continue
		}
		var fn protocol.Function
		if json.Unmarshal(v, &fn) != nil || !fn.Function {
			fail(invalid(name, "must be a function"))
			continue
		}
		c.callbacks[name] = true
	}
	if !c.callbacks[protocol.OnSuccess] {
		if _, given := fields[protocol.OnSuccess]; !given {
			fail(missing(protocol.OnSuccess))
		}
	}

	str := func(name string, dst *string) {
		v, ok := fields[name]
		if !ok || string(v) == "null" {
			return
		}
		if json.Unmarshal(v, dst) != nil {
			fail(invalid(name, "must be a string"))
		}
	}
	list := func(name string, dst *[]string) {
		v, ok := fields[name]
		if !ok || string(v) == "null" {
			return
		}
		if json.Unmarshal(v, dst) != nil {
			fail(invalid(name, "must be an array of strings"))
		}
	}

	str("clientName", &c.ClientName)
	str("env", &c.Env)
	str("key", &c.Key)
	list("product", &c.Products)
	str("language", &c.Language)
	list("countryCodes", &c.CountryCodes)
	str("webhook", &c.Webhook)
	var ignored string
	for _, name := range stringOptions {
		str(name, &ignored)
	}

	switch {
	case c.Key == "":
		fail(missing("key"))
	case c.Env == "":
		fail(missing("env"))
	case !slices.Contains(validEnvs, c.Env):
		fail(invalid("env", "must be one of %s, not %q", strings.Join(validEnvs, ", "), c.Env))
	case len(c.Products) == 0:
		fail(missing("product"))
	}
	for _, p := range c.Products {
		if p == "balance" {
			fail(invalid("product", "must not contain \"balance\": Balance is initialized with any other product"))
		} else if !slices.Contains(validProducts, p) {
			fail(invalid("product", "has unknown product %q; valid products are %s", p, strings.Join(validProducts, ", ")))
		}
	}
	if c.Language == "" {
		c.Language = "en"
	} else if !slices.Contains(validLanguages, c.Language) {
		fail(invalid("language", "must be one of %s, not %q", strings.Join(validLanguages, ", "), c.Language))
	}
	if len(c.CountryCodes) == 0 {
		c.CountryCodes = []string{"US"}
	}
	for _, cc := range c.CountryCodes {
		if !slices.Contains(validCountries, cc) {
			fail(invalid("countryCodes", "has unsupported country %q; supported are %s", cc, strings.Join(validCountries, ", ")))
		}
	}
	return c, first
}
