// Package config reads and validates what Link is configured with: the
// argument of Plaid.create, or for the webview integration the query
// string of link.html (FromWebviewQuery), and applies the configuration
// the server returns for a link token (Config.Apply). It knows Plaid's
// rules for the options and nothing of Link's panes.
package config

import (
	"slices"
	"strconv"
	"strings"

	"github.com/linkharness/linkharness/wasm/internal/wire"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// Config is a validated Plaid.create configuration. Fields without a
// comment are the Plaid.create option of the same name (product for
// Products, oauthRedirectUri for OAuthRedirectURI, ...); Language and
// CountryCodes default to "en" and ["US"].
type Config struct {
	ClientName   string
	Env          string
	Key          string
	Products     []string
	Language     string
	CountryCodes []string
	Webhook      string
	// AccountSubtypes is the accountSubtypes filter: account type to the
	// subtypes shown ("all" for every subtype). Nil shows every type.
	AccountSubtypes map[string][]string
	// Token is a link token (link-token mode) or a public token (update
	// mode).
	Token                 string
	LinkCustomizationName string
	OAuthNonce            string
	OAuthRedirectURI      string
	OAuthStateID          string
	ReceivedRedirectURI   string
	PaymentToken          string
	UserLegalName         string
	UserPhoneNumber       string
	UserEmailAddress      string
	// Webview is the webview integration (isWebview): Link reports by
	// navigating to plaidlink:// addresses instead of calling callbacks.
	Webview bool
	// MultiItem is Multi-Item Link, set by the link token.
	MultiItem bool
	// UpdateMode repairs the Item at UpdateInstitution, as the server says
	// for a link token made with an access_token or a legacy public token.
	UpdateMode        bool
	UpdateInstitution string
	// RedirectURI is a link token's redirect_uri: with it, OAuth logins
	// use the redirect flow.
	RedirectURI string
	// Payment is the payment a Payment Initiation session authorises, as
	// the server says for a payment token or a link token made with one.
	Payment *protocol.Payment
	// Resume is the OAuth login a re-initialised Link takes up.
	Resume *protocol.OAuthResume
	// callbacks holds the names of the callbacks given as functions.
	callbacks map[string]bool
}

// LinkTokenMode reports whether the configuration names a link token
// instead of a public key.
func (c *Config) LinkTokenMode() bool { return strings.HasPrefix(c.Token, "link-") }

var (
	validEnvs      = []string{"sandbox", "development", "production"}
	validProducts  = []string{"transactions", "auth", "identity", "assets", "investments", "liabilities", "payment_initiation"}
	validLanguages = []string{"en", "fr", "es", "nl"}
	validCountries = []string{"US", "CA", "ES", "FR", "GB", "IE", "NL"}
	// europeanCountries show the European consent pane.
	europeanCountries = []string{"ES", "FR", "GB", "IE", "NL"}
	validTypes        = []string{"depository", "credit", "loan", "investment", "other"}
	callbackNames     = []string{protocol.OnSuccess, protocol.OnExit, protocol.OnEvent, protocol.OnLoad}
)

// minNonce is the shortest oauthNonce Plaid accepts.
const minNonce = 16

// Error is a problem with the configuration: the option it concerns and
// what is wrong with it.
type Error struct {
	// Code is Plaid's error code for it: MISSING_FIELDS or INVALID_FIELD.
	Code string
	// Field is the option, or "config" for the configuration as a whole.
	Field string
	// Reason says what is wrong, after the option's name.
	Reason string
}

// Error is the problem as the browser's console shows it.
func (e *Error) Error() string {
	return "Plaid.create: " + e.Message()
}

// Message is the problem as the error_message of the error onExit
// receives: the option and what is wrong with it.
func (e *Error) Message() string {
	return e.Field + " " + e.Reason
}

func missing(field string) *Error {
	return &Error{Code: "MISSING_FIELDS", Field: field, Reason: "is required"}
}

func invalid(field, reason string) *Error {
	return &Error{Code: "INVALID_FIELD", Field: field, Reason: reason}
}

// configReader reads the options of one configuration object, keeping the
// first problem it meets.
type configReader struct {
	fields wire.Value
	err    *Error
}

func (r *configReader) fail(e *Error) {
	if r.err == nil {
		r.err = e
	}
}

// given reports whether the option is present and not null.
func (r *configReader) given(name string) bool {
	return !r.fields.Member(name).IsNull()
}

// read decodes the option with decode when it is given, and says it must be
// want when it does not decode.
func (r *configReader) read(name, want string, decode func(wire.Value) error) {
	if r.given(name) && decode(r.fields.Member(name)) != nil {
		r.fail(invalid(name, "must be "+want))
	}
}

func (r *configReader) str(name string, dst *string) {
	r.read(name, "a string", func(v wire.Value) (err error) {
		*dst, err = v.String()
		return err
	})
}

func (r *configReader) list(name string, dst *[]string) {
	r.read(name, "an array of strings", func(v wire.Value) (err error) {
		*dst, err = v.Strings()
		return err
	})
}

func (r *configReader) boolean(name string, dst *bool) {
	r.read(name, "a boolean", func(v wire.Value) (err error) {
		*dst, err = v.Bool()
		return err
	})
}

// subtypes reads an object of arrays of strings.
func (r *configReader) subtypes(name string, dst *map[string][]string) {
	r.read(name, `an object of arrays, like {"depository": ["checking"]}`, func(v wire.Value) error {
		if v.Kind != wire.Obj {
			return wire.ErrType
		}
		m := map[string][]string{}
		var err error
		v.Members(func(k string, list wire.Value) {
			l, e := list.Strings()
			if e != nil && err == nil {
				err = e
			}
			m[k] = l
		})
		if err == nil {
			*dst = m
		}
		return err
	})
}

// isFunction reports whether a value is a function as the host encodes it:
// {"$function": true}.
func isFunction(v wire.Value) bool {
	if v.Kind != wire.Obj {
		return false
	}
	b, err := v.Get("$function").Bool()
	return err == nil && b
}

// oneOf checks that every value is one of valid.
func (r *configReader) oneOf(name string, values, valid []string) {
	for _, v := range values {
		if !slices.Contains(valid, v) {
			r.fail(invalid(name, "has "+strconv.Quote(v)+", which is not one of "+strings.Join(valid, ", ")))
		}
	}
}

// Parse reads and validates a Plaid.create argument. It returns the
// callbacks it found even when the configuration is invalid, so that onExit
// can still report the problem.
func Parse(raw []byte) (Config, *Error) {
	c := Config{callbacks: map[string]bool{}}
	r := &configReader{}
	var err error
	if r.fields, err = wire.Parse(raw); len(raw) == 0 || err != nil || r.fields.Kind != wire.Obj {
		return c, &Error{Code: "INVALID_FIELD", Field: "config", Reason: "must be an object: Plaid.create({key, product, onSuccess, ...})"}
	}

	for _, name := range callbackNames {
		if !r.given(name) {
			continue
		}
		if !isFunction(r.fields.Member(name)) {
			r.fail(invalid(name, "must be a function"))
			continue
		}
		c.callbacks[name] = true
	}
	r.boolean("isWebview", &c.Webview)
	if !r.given(protocol.OnSuccess) && !c.Webview {
		r.fail(missing(protocol.OnSuccess))
	}

	r.str("clientName", &c.ClientName)
	r.str("env", &c.Env)
	r.str("key", &c.Key)
	r.list("product", &c.Products)
	r.str("language", &c.Language)
	r.list("countryCodes", &c.CountryCodes)
	r.str("webhook", &c.Webhook)
	r.subtypes("accountSubtypes", &c.AccountSubtypes)
	r.str("token", &c.Token)
	r.str("linkCustomizationName", &c.LinkCustomizationName)
	r.str("oauthNonce", &c.OAuthNonce)
	r.str("oauthRedirectUri", &c.OAuthRedirectURI)
	r.str("oauthStateId", &c.OAuthStateID)
	r.str("receivedRedirectUri", &c.ReceivedRedirectURI)
	r.str("paymentToken", &c.PaymentToken)
	r.str("userLegalName", &c.UserLegalName)
	r.str("userPhoneNumber", &c.UserPhoneNumber)
	r.str("userEmailAddress", &c.UserEmailAddress)

	if c.LinkTokenMode() {
		// The link token carries products, countries and language; the
		// legacy options are ignored, as Plaid ignores them.
		return c, r.err
	}

	switch {
	case c.Key == "":
		r.fail(missing("key"))
	case c.Env == "":
		r.fail(missing("env"))
	case len(c.Products) == 0:
		r.fail(missing("product"))
	}
	r.oneOf("env", nonEmpty(c.Env), validEnvs)
	if slices.Contains(c.Products, "balance") {
		r.fail(invalid("product", `must not contain "balance": Balance is initialized with any other product`))
	}
	r.oneOf("product", c.Products, validProducts)
	if slices.Contains(c.Products, "payment_initiation") && len(c.Products) > 1 {
		r.fail(invalid("product", "must be only payment_initiation when it contains payment_initiation"))
	}
	r.oneOf("language", nonEmpty(c.Language), validLanguages)
	if c.Language == "" {
		c.Language = "en"
	}
	r.oneOf("countryCodes", c.CountryCodes, validCountries)
	if len(c.CountryCodes) == 0 {
		c.CountryCodes = []string{"US"}
	}
	for typ, subtypes := range c.AccountSubtypes {
		if !slices.Contains(validTypes, typ) {
			r.fail(invalid("accountSubtypes", "has account type "+strconv.Quote(typ)+", which is not one of "+strings.Join(validTypes, ", ")))
		}
		if len(subtypes) == 0 || slices.Contains(subtypes, "") {
			r.fail(invalid("accountSubtypes", `must list at least one subtype (or "all") for `+strconv.Quote(typ)))
		}
	}
	if c.Webhook != "" && !isURL(c.Webhook, "http", "https") {
		r.fail(invalid("webhook", "must be an http or https URL, not "+strconv.Quote(c.Webhook)))
	}
	if c.Token != "" && !strings.HasPrefix(c.Token, "public-") {
		r.fail(invalid("token", "must be a link token (link-...) or a public token for update mode (public-...)"))
	}
	if c.OAuthNonce != "" && len(c.OAuthNonce) < minNonce {
		r.fail(invalid("oauthNonce", "must be at least "+strconv.Itoa(minNonce)+" characters long"))
	}
	if c.OAuthRedirectURI != "" && !isURL(c.OAuthRedirectURI, "http", "https") {
		r.fail(invalid("oauthRedirectUri", "must be an http or https URL, not "+strconv.Quote(c.OAuthRedirectURI)))
	}
	if c.OAuthRedirectURI != "" && c.OAuthNonce != "" && strings.Contains(c.OAuthRedirectURI, c.OAuthNonce) {
		r.fail(invalid("oauthRedirectUri", "must not contain the oauthNonce"))
	}
	if c.OAuthStateID != "" && c.OAuthNonce == "" {
		r.fail(invalid("oauthStateId", "needs the oauthNonce the OAuth flow started with"))
	}
	if c.PaymentToken != "" && !slices.Equal(c.Products, []string{"payment_initiation"}) {
		r.fail(invalid("paymentToken", "needs product ['payment_initiation']"))
	}
	if c.UserEmailAddress != "" && !strings.Contains(strings.Trim(c.UserEmailAddress, "@"), "@") {
		r.fail(invalid("userEmailAddress", "must be an email address, not "+strconv.Quote(c.UserEmailAddress)))
	}
	if c.UserPhoneNumber != "" && !isPhone(c.UserPhoneNumber) {
		r.fail(invalid("userPhoneNumber", "must be a phone number in E.164 form, like +14155550015, not "+strconv.Quote(c.UserPhoneNumber)))
	}
	return c, r.err
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// isPhone accepts E.164: a plus sign and 8 to 15 digits.
func isPhone(s string) bool {
	digits, ok := strings.CutPrefix(s, "+")
	if !ok || len(digits) < 8 || len(digits) > 15 {
		return false
	}
	return strings.Trim(digits, "0123456789") == ""
}

// European reports whether the countries call for the European consent
// pane.
func (c *Config) European() bool {
	return slices.ContainsFunc(c.CountryCodes, func(cc string) bool { return slices.Contains(europeanCountries, cc) })
}

// ShowsAccount reports whether the accountSubtypes filter lets an account of
// this type and subtype be offered.
func (c *Config) ShowsAccount(accountType, subtype string) bool {
	if c.AccountSubtypes == nil {
		return true
	}
	subtypes, ok := c.AccountSubtypes[accountType]
	return ok && (slices.Contains(subtypes, "all") || slices.Contains(subtypes, subtype))
}

// LegacyUpdate reports whether a legacy configuration opens Link in update
// mode, with the public token of an Item.
func (c *Config) LegacyUpdate() bool {
	return strings.HasPrefix(c.Token, "public-") && c.PaymentToken == ""
}

// LegacyPayer is the public token of the payer's Item that a legacy
// Payment Initiation configuration may name, for Link to open at its
// institution.
func (c *Config) LegacyPayer() string {
	if c.PaymentToken != "" && strings.HasPrefix(c.Token, "public-") {
		return c.Token
	}
	return ""
}

// Resuming reports whether the configuration re-initialises Link after an
// OAuth redirect: legacy oauthStateId, or a link token's
// receivedRedirectUri.
func (c *Config) Resuming() bool {
	if c.LinkTokenMode() {
		return c.ReceivedRedirectURI != ""
	}
	return c.OAuthStateID != ""
}

// OAuthRedirect reports whether OAuth logins leave Link for the bank and
// come back by the redirect URI, rather than in a popup window.
func (c *Config) OAuthRedirect() bool {
	if c.LinkTokenMode() {
		return c.RedirectURI != ""
	}
	return c.OAuthRedirectURI != ""
}

// Apply takes the configuration the server returned: a link token's, or in
// legacy update mode the Item's institution.
func (c *Config) Apply(sc *protocol.SessionConfig) {
	c.UpdateMode, c.UpdateInstitution = sc.UpdateMode, sc.InstitutionID
	c.Payment, c.Resume = sc.Payment, sc.Resume
	if !c.LinkTokenMode() {
		return
	}
	c.RedirectURI = sc.RedirectURI
	c.ClientName, c.Products, c.CountryCodes, c.Language, c.Webhook = sc.ClientName, sc.Products, sc.CountryCodes, sc.Language, sc.Webhook
	c.MultiItem = sc.MultiItem
	if c.Language == "" {
		c.Language = "en"
	}
	if len(c.CountryCodes) == 0 {
		c.CountryCodes = []string{"US"}
	}
	c.AccountSubtypes = nil
	for typ, f := range sc.AccountFilters {
		if c.AccountSubtypes == nil {
			c.AccountSubtypes = map[string][]string{}
		}
		c.AccountSubtypes[typ] = f["account_subtypes"]
	}
}

// Has reports whether Plaid.create gave the named callback (protocol.OnSuccess,
// ...) as a function.
func (c *Config) Has(callback string) bool { return c.callbacks[callback] }
