package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"strings"
)

// Backend calls the emulator's Plaid API as an integrator's backend does:
// POST path with body, the host's client credentials added, the answer
// decoded into out (nil to ignore it).
type Backend func(path string, body map[string]any, out any) error

// The base options every host opens scenarios with; a scenario's own
// options go on top. Both hosts must use the same, or their transcripts
// would differ.
const (
	baseClientName = "Scenario App"
	baseProduct    = "transactions"
	baseUser       = "scenario-user"
)

// BaseConfig is the public-key configuration every scenario starts from,
// less the callbacks, for the client whose public key is publicKey.
func BaseConfig(publicKey string) map[string]any {
	return map[string]any{"clientName": baseClientName, "env": "sandbox", "key": publicKey, "product": []string{baseProduct}}
}

// tokenRequest is the /link/token/create request every link-token scenario
// starts from.
func tokenRequest() map[string]any {
	return map[string]any{"client_name": baseClientName, "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": baseUser}}
}

// Host is what a host brings to a scenario: its backend, its client's
// public key, and a page of the app the server allows as an OAuth redirect
// URI.
type Host struct {
	Backend     Backend
	PublicKey   string
	RedirectURI string
}

// Configuration is the Plaid.create configuration that opens the scenario,
// less the callbacks, which the host adds: the base configuration with the
// scenario's options on top, or a link token, an update-mode Item or a
// payment the host's backend makes first. Webview scenarios open link.html
// instead (WebviewQuery).
func (sc Scenario) Configuration(h Host) (map[string]any, error) {
	b, publicKey := h.Backend, h.PublicKey
	switch {
	case sc.Webview != nil:
		return nil, errors.New("scenario: a webview scenario opens link.html, with WebviewQuery")
	case sc.Payment != "":
		return PaymentConfiguration(b, sc.Payment, publicKey)
	case sc.Token != nil:
		token, err := LinkToken(b, withRedirect(sc.Token, h.RedirectURI))
		if err == nil && sc.Settings != nil {
			err = b("/linkharness/settings/set", map[string]any{"link_token": token, "settings": sc.Settings}, nil)
		}
		return map[string]any{"token": token}, err
	case sc.Update != "":
		access, err := BrokenItem(b)
		if err != nil {
			return nil, err
		}
		return UpdateConfiguration(b, sc.Update, access, publicKey)
	}
	c := BaseConfig(publicKey)
	var options map[string]any
	if err := json.Unmarshal(withRedirect(sc.Config, h.RedirectURI), &options); err != nil {
		return nil, err
	}
	maps.Copy(c, options)
	return c, nil
}

// withRedirect puts the host's redirect URI in place of the placeholder.
func withRedirect(options json.RawMessage, redirectURI string) json.RawMessage {
	quoted, _ := json.Marshal(redirectURI)
	return bytes.ReplaceAll(options, []byte(RedirectURI), bytes.Trim(quoted, `"`))
}

// Resume is the configuration an app re-initialises Link with on the page
// the bank redirected the user back to, redirect: the configuration it
// opened Link with plus, for a link token, receivedRedirectUri (the whole
// redirect), otherwise oauthStateId from its query (the oauthNonce stays
// as it was), and options (a JSON object, or nil) on top.
// e2e/testdata/oauth-return.html does the same in the browser.
func Resume(config map[string]any, redirect string, options json.RawMessage) (map[string]any, error) {
	c := maps.Clone(config)
	if token, _ := c["token"].(string); strings.HasPrefix(token, "link-") {
		c["receivedRedirectUri"] = redirect
	} else {
		u, err := url.Parse(redirect)
		if err != nil {
			return nil, fmt.Errorf("scenario: redirect %q: %w", redirect, err)
		}
		c["oauthStateId"] = u.Query().Get("oauth_state_id")
	}
	if options != nil {
		var extra map[string]any
		if err := json.Unmarshal(options, &extra); err != nil {
			return nil, err
		}
		maps.Copy(c, extra)
	}
	return c, nil
}

// The payment every Payment Initiation scenario makes.
const (
	paymentRecipient = "Scenario Shop Ltd"
	paymentReference = "Scenario 42"
	paymentValue     = 12.34
)

// PaymentConfiguration makes a recipient and a payment of £12.34 to it,
// and opens Link for it: with a payment token in the legacy configuration
// (PaymentToken) or with a link token made with the payment
// (PaymentLinkToken).
func PaymentConfiguration(b Backend, mode, publicKey string) (map[string]any, error) {
	var recipient struct {
		RecipientID string `json:"recipient_id"`
	}
	if err := b("/payment_initiation/recipient/create", map[string]any{"name": paymentRecipient, "iban": "GB33BUKB20201555555555",
		"address": map[string]any{"street": []string{"96 Guild Street"}, "city": "London", "postal_code": "SE14 8JW", "country": "GB"}}, &recipient); err != nil {
		return nil, err
	}
	var payment struct {
		PaymentID string `json:"payment_id"`
	}
	if err := b("/payment_initiation/payment/create", map[string]any{"recipient_id": recipient.RecipientID, "reference": paymentReference,
		"amount": map[string]any{"currency": "GBP", "value": paymentValue}}, &payment); err != nil {
		return nil, err
	}
	if mode == PaymentLinkToken {
		req := tokenRequest()
		req["products"], req["country_codes"] = []string{"payment_initiation"}, []string{"GB"}
		req["payment_initiation"] = map[string]any{"payment_id": payment.PaymentID}
		var created struct {
			LinkToken string `json:"link_token"`
		}
		err := b("/link/token/create", req, &created)
		return map[string]any{"token": created.LinkToken}, err
	}
	var token struct {
		PaymentToken string `json:"payment_token"`
	}
	if err := b("/payment_initiation/payment/token/create", map[string]any{"payment_id": payment.PaymentID}, &token); err != nil {
		return nil, err
	}
	c := BaseConfig(publicKey)
	c["product"], c["countryCodes"], c["paymentToken"] = []string{"payment_initiation"}, []string{"GB"}, token.PaymentToken
	return c, nil
}

// MultiItem reports whether the scenario runs Multi-Item Link, whose
// onSuccess is empty.
func (sc Scenario) MultiItem() bool {
	var options struct {
		MultiItem bool `json:"enable_multi_item_link"`
	}
	return sc.Token != nil && json.Unmarshal(sc.Token, &options) == nil && options.MultiItem
}

// LinkToken creates a user and a link token for them with the base
// request and options (a JSON object of /link/token/create fields) on top.
func LinkToken(b Backend, options json.RawMessage) (string, error) {
	var user struct {
		UserToken string `json:"user_token"`
	}
	if err := b("/user/create", map[string]any{"client_user_id": baseUser}, &user); err != nil {
		return "", err
	}
	req := tokenRequest()
	req["products"], req["user_token"] = []string{baseProduct}, user.UserToken
	var extra map[string]any
	if err := json.Unmarshal(options, &extra); err != nil {
		return "", err
	}
	maps.Copy(req, extra)
	var created struct {
		LinkToken string `json:"link_token"`
	}
	err := b("/link/token/create", req, &created)
	return created.LinkToken, err
}

// BrokenItem makes an Item at Tartan Bank and breaks its login, as
// /sandbox/item/reset_login does, and returns its access token.
func BrokenItem(b Backend) (string, error) {
	var pt struct {
		PublicToken string `json:"public_token"`
	}
	if err := b("/sandbox/public_token/create", map[string]any{"institution_id": "ins_109511", "initial_products": []string{baseProduct}}, &pt); err != nil {
		return "", err
	}
	var ex struct {
		AccessToken string `json:"access_token"`
	}
	if err := b("/item/public_token/exchange", map[string]any{"public_token": pt.PublicToken}, &ex); err != nil {
		return "", err
	}
	return ex.AccessToken, b("/sandbox/item/reset_login", map[string]any{"access_token": ex.AccessToken}, nil)
}

// UpdateConfiguration opens Link in update mode for the Item of access:
// with a link token made from the access token (UpdateLinkToken), or the
// legacy base configuration with a public token of the Item
// (UpdatePublicKey).
func UpdateConfiguration(b Backend, mode, access, publicKey string) (map[string]any, error) {
	if mode == UpdateLinkToken {
		req := tokenRequest()
		req["access_token"] = access
		var created struct {
			LinkToken string `json:"link_token"`
		}
		err := b("/link/token/create", req, &created)
		return map[string]any{"token": created.LinkToken}, err
	}
	var pt struct {
		PublicToken string `json:"public_token"`
	}
	if err := b("/item/public_token/create", map[string]any{"access_token": access}, &pt); err != nil {
		return nil, err
	}
	c := BaseConfig(publicKey)
	c["token"] = pt.PublicToken
	return c, nil
}
