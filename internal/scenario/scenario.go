// Package scenario reads Link scenarios: a Plaid.create configuration and the
// steps a person takes in Link, written once and run by every host (the
// wazero harness and headless Chromium), whose callbacks must then match the
// same golden transcript.
//
// A scenario file holds one step a line; blank lines and lines starting with
// # are ignored, and arguments are Go-quoted strings:
//
//	# MFA with a device and a code.
//	config {"product": ["auth"], "language": "en"}
//	press "Continue"
//	press "First Platypus Bank"
//	fill "Username" "user_good"
//	fill "Password" "mfa_device"
//	press "Submit"
//
// The verbs:
//
//	config JSON   options merged into the host's base configuration (first line)
//	token JSON    open Link in link-token mode: the host creates a user and a
//	              link token with these /link/token/create options on top of
//	              its base request (first line; instead of config)
//	settings JSON the Dashboard settings of the link token's sessions
//	              (/linkharness/settings/set with the token), right after
//	              the token line
//	webview QUERY open Link for webviews, link.html?isWebview=true&QUERY (the
//	              host adds key and its base options); the app sees
//	              plaidlink:// reports instead of callbacks (first line)
//	update MODE   open Link in update mode for an Item in ITEM_LOGIN_REQUIRED
//	              (made at Tartan Bank, then reset_login): MODE "link_token"
//	              uses a link token made with its access_token, "public_key"
//	              a legacy Plaid.create({key, token: public_token})
//	press NAME    activate the button, list item or checkbox named NAME
//	fill LABEL V  set the field labelled LABEL (a text input or a select) to V
//	see TEXT      check that Link shows TEXT (in its heading or a paragraph)
//	wait          pause until Link's timers have fired (search debounce)
//	escape        press the Escape key
//	exit          handler.exit()
//	exit force    handler.exit({force: true})
//	payment MODE  open Link for a payment (Payment Initiation): the host
//	              creates a recipient, a payment and then a payment token
//	              (MODE "payment_token", legacy Plaid.create({paymentToken}))
//	              or a link token made with the payment (MODE "link_token")
//	              (first line)
//	oauth ACTION  at the OAuth bank's page: "allow", "deny", or "close" (the
//	              user closes its window without answering; in the redirect
//	              flow, cancels and goes back to the app)
//	redirect [JSON]
//	              in the OAuth redirect flow, once the bank has sent the user
//	              back: the app re-initialises Link on the page at its
//	              redirect URI and opens it (see Resume); JSON, an object,
//	              goes on top of the configuration. A second redirect
//	              reloads that page, as a user going back can.
//
// In config and token options, the string $REDIRECT_URI stands for the
// host's redirect URI: a page of the app that the server allows.
package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Verbs of a step.
const (
	Press    = "press"
	Fill     = "fill"
	Wait     = "wait"
	Escape   = "escape"
	Exit     = "exit"
	OAuth    = "oauth"
	Redirect = "redirect"
	See      = "see"
)

// RedirectURI is the placeholder for the host's redirect URI in a
// scenario's options.
const RedirectURI = "$REDIRECT_URI"

// Payment modes.
const (
	PaymentToken     = "payment_token"
	PaymentLinkToken = "link_token"
)

// Update modes.
const (
	UpdateLinkToken = "link_token"
	UpdatePublicKey = "public_key"
)

// OAuth actions.
const (
	OAuthAllow = "allow"
	OAuthDeny  = "deny"
	OAuthClose = "close"
)

// arity is how many arguments each verb takes.
var arity = map[string][]int{See: {1}, Press: {1}, Fill: {2}, Wait: {0}, Escape: {0}, Exit: {0, 1}, OAuth: {1}}

// Scenario is one parsed scenario file.
type Scenario struct {
	// Name is the file name without its extension.
	Name string
	// Config are the options the scenario sets, a JSON object.
	Config json.RawMessage
	// Token, when set, are the /link/token/create options of a link-token
	// scenario, a JSON object; Config is then unused.
	Token json.RawMessage
	// Settings, when set, are the Dashboard settings a link-token
	// scenario's token runs with (a JSON merge patch).
	Settings json.RawMessage
	// Update is UpdateLinkToken or UpdatePublicKey for an update-mode
	// scenario.
	Update string
	// Webview is the link.html query of a webview scenario (nil for the
	// others).
	Webview url.Values
	// Payment is PaymentToken or PaymentLinkToken for a Payment Initiation
	// scenario.
	Payment string
	// Steps are the actions, in order.
	Steps []Step
	// Golden is the path of the scenario's golden transcript.
	Golden string
}

// Step is one action.
type Step struct {
	Verb string
	Args []string
	// JSON is a redirect step's options, a JSON object, or nil.
	JSON json.RawMessage
	// Line is the step's line in its file, for messages.
	Line int
}

// WebviewQuery is the full query of link.html for a webview scenario: the
// base options both hosts use, the client's public key, and the
// scenario's own options on top.
func (sc Scenario) WebviewQuery(key string) url.Values {
	q := url.Values{"isWebview": {"true"}, "clientName": {baseClientName}, "env": {"sandbox"}, "product": {baseProduct}, "key": {key}}
	maps.Copy(q, sc.Webview)
	return q
}

// Force reports whether an exit step is exit({force: true}).
func (s Step) Force() bool { return s.Verb == Exit && len(s.Args) == 1 && s.Args[0] == "force" }

// String is the step as a scenario file writes it.
func (s Step) String() string {
	var b strings.Builder
	b.WriteString(s.Verb)
	for _, a := range s.Args {
		b.WriteString(" " + strconv.Quote(a))
	}
	if s.JSON != nil {
		b.WriteString(" " + string(s.JSON))
	}
	return b.String()
}

// Load reads every *.scenario file in dir, sorted by name.
func Load(dir string) ([]Scenario, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.scenario"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("scenario: no *.scenario files in %s", dir)
	}
	var all []Scenario
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		sc, err := Parse(src)
		if err != nil {
			return nil, fmt.Errorf("%s:%w", p, err)
		}
		sc.Name = strings.TrimSuffix(filepath.Base(p), ".scenario")
		sc.Golden = strings.TrimSuffix(p, ".scenario") + ".golden"
		all = append(all, sc)
	}
	return all, nil
}

// Parse reads one scenario.
func Parse(src []byte) (Scenario, error) {
	sc := Scenario{Config: json.RawMessage("{}")}
	for i, line := range strings.Split(string(src), "\n") {
		n := i + 1
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		verb, rest, _ := strings.Cut(line, " ")
		first := len(sc.Steps) == 0 && sc.Token == nil && string(sc.Config) == "{}" && sc.Update == "" && sc.Webview == nil && sc.Payment == ""
		if verb == "webview" {
			q, err := url.ParseQuery(strings.TrimSpace(rest))
			if err != nil || !first {
				return sc, fmt.Errorf("%d: one webview line with a query string, before the steps (%v)", n, err)
			}
			sc.Webview = q
			continue
		}
		if verb == "update" || verb == "payment" {
			modes := map[string][]string{"update": {UpdateLinkToken, UpdatePublicKey}, "payment": {PaymentToken, PaymentLinkToken}}[verb]
			mode, err := quoted(rest)
			if err != nil || len(mode) != 1 || !slices.Contains(modes, mode[0]) {
				return sc, fmt.Errorf("%d: %s takes %q or %q", n, verb, modes[0], modes[1])
			}
			if !first {
				return sc, fmt.Errorf("%d: one config, token, update, payment or webview line, before the steps", n)
			}
			if verb == "update" {
				sc.Update = mode[0]
			} else {
				sc.Payment = mode[0]
			}
			continue
		}
		if verb == Redirect {
			st := Step{Verb: Redirect, Line: n}
			if rest = strings.TrimSpace(rest); rest != "" {
				var obj map[string]json.RawMessage
				if err := json.Unmarshal([]byte(rest), &obj); err != nil || obj == nil {
					return sc, fmt.Errorf("%d: redirect takes nothing or a JSON object: %v", n, err)
				}
				st.JSON = json.RawMessage(rest)
			}
			sc.Steps = append(sc.Steps, st)
			continue
		}
		if verb == "settings" {
			var obj map[string]json.RawMessage
			if err := json.Unmarshal([]byte(rest), &obj); err != nil || obj == nil || sc.Token == nil || len(sc.Steps) > 0 || sc.Settings != nil {
				return sc, fmt.Errorf("%d: one settings line with a JSON object, right after the token line (%v)", n, err)
			}
			sc.Settings = json.RawMessage(bytes.TrimSpace([]byte(rest)))
			continue
		}
		if verb == "config" || verb == "token" {
			if !first {
				return sc, fmt.Errorf("%d: one config, token, update, payment or webview line, before the steps", n)
			}
			var obj map[string]json.RawMessage
			if err := json.Unmarshal([]byte(rest), &obj); err != nil || obj == nil {
				return sc, fmt.Errorf("%d: %s needs a JSON object: %v", n, verb, err)
			}
			raw := json.RawMessage(bytes.TrimSpace([]byte(rest)))
			if verb == "token" {
				sc.Token = raw
			} else {
				sc.Config = raw
			}
			continue
		}
		want, ok := arity[verb]
		if !ok {
			return sc, fmt.Errorf("%d: unknown verb %q", n, verb)
		}
		args, err := quoted(rest)
		if err != nil {
			return sc, fmt.Errorf("%d: %v", n, err)
		}
		if !slices.Contains(want, len(args)) {
			return sc, fmt.Errorf("%d: %s takes %v arguments, not %d", n, verb, want, len(args))
		}
		if verb == OAuth && !slices.Contains([]string{OAuthAllow, OAuthDeny, OAuthClose}, args[0]) {
			return sc, fmt.Errorf("%d: oauth takes allow, deny or close, not %q", n, args[0])
		}
		sc.Steps = append(sc.Steps, Step{Verb: verb, Args: args, Line: n})
	}
	return sc, nil
}

// quoted splits s into Go-quoted strings; a bare word (force) is kept.
func quoted(s string) ([]string, error) {
	var args []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] != '"' {
			word, rest, _ := strings.Cut(s, " ")
			if word != "force" {
				return nil, fmt.Errorf("argument %q is not quoted", word)
			}
			args = append(args, word)
			s = rest
			continue
		}
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return nil, fmt.Errorf("bad quoted argument in %q", s)
		}
		v, _ := strconv.Unquote(q)
		args = append(args, v)
		s = s[len(q):]
	}
	return args, nil
}
