// Package linkconfig is the configuration a Link session runs with, as the
// emulator resolves and keeps it: one value for both of Link's modes
// (a legacy Plaid.create({key, ...}) or a link token of
// /link/token/create), stored with each link token and with each session,
// so that nothing after a session has opened asks which mode it is in. It
// also holds the product plan (the four product arrays) and Plaid's rules
// for it (https://plaid.com/docs/link/initializing-products/). It is pure
// data: no I/O.
package linkconfig

import (
	"encoding/json"
	"errors"
	"reflect"
)

// Version is the version of Config that Encode writes.
const Version = 1

// Config is a session's configuration. Its JSON names are those of
// /link/token/create where the field is one of its, so that what is stored
// reads as Plaid's.
type Config struct {
	// V is the version the value was written with; 0 for what the
	// emulator stored before Config existed (the link token request
	// itself, or a legacy session's options).
	V            int      `json:"v,omitempty"`
	ClientName   string   `json:"client_name,omitempty"`
	Language     string   `json:"language,omitempty"`
	CountryCodes []string `json:"country_codes,omitempty"`
	// The four product arrays.
	Products                    []string `json:"products,omitempty"`
	RequiredIfSupportedProducts []string `json:"required_if_supported_products,omitempty"`
	OptionalProducts            []string `json:"optional_products,omitempty"`
	AdditionalConsentedProducts []string `json:"additional_consented_products,omitempty"`
	Webhook                     string   `json:"webhook,omitempty"`
	// AccountFilters narrow the accounts Link offers, by type and subtype.
	AccountFilters map[string]map[string][]string `json:"account_filters,omitempty"`
	// RedirectURI is where an OAuth bank sends the user back in the
	// redirect flow: a link token's redirect_uri, or a legacy
	// oauthRedirectUri, checked against the client's allowed list.
	RedirectURI string `json:"redirect_uri,omitempty"`
	// OAuthNonce is a legacy session's oauthNonce: a redirected OAuth login
	// resumes only with it.
	OAuthNonce string `json:"oauth_nonce,omitempty"`
	// MultiItem is enable_multi_item_link.
	MultiItem bool   `json:"enable_multi_item_link,omitempty"`
	UserToken string `json:"user_token,omitempty"`
	// UpdateItemID is the Item an update-mode session repairs.
	UpdateItemID string `json:"update_item_id,omitempty"`
	// PaymentID is the payment a Payment Initiation session authorises.
	PaymentID string `json:"payment_id,omitempty"`
	// Env is a legacy configuration's env.
	Env string `json:"env,omitempty"`
	// LinkCustomizationName is link_customization_name (a legacy
	// linkCustomizationName): the Link customization of the client's
	// settings the session runs with, when it has one so named.
	LinkCustomizationName string `json:"link_customization_name,omitempty"`
	// LinkToken is the link token a session runs with; empty in a legacy
	// session and in a link token's own configuration.
	LinkToken string `json:"link_token,omitempty"`
}

// Plan is the configuration's product plan.
func (c Config) Plan() Plan {
	return Plan{Products: c.Products, RequiredIfSupported: c.RequiredIfSupportedProducts,
		Optional: c.OptionalProducts, AdditionalConsented: c.AdditionalConsentedProducts}
}

// AsksProductConsent says a bank with product-level OAuth consent asks the
// user about each of the session's products. That consent belongs to Data
// Transparency Messaging, which Plaid brought with link tokens
// (https://plaid.com/docs/link/data-transparency-messaging-migration-guide/),
// so a legacy public-key session is not asked.
func (c Config) AsksProductConsent() bool { return c.LinkToken != "" }

// IsZero says the configuration says nothing at all.
func (c Config) IsZero() bool { return reflect.DeepEqual(c, Config{}) }

// UpdateMode says the session repairs an existing Item.
func (c Config) UpdateMode() bool { return c.UpdateItemID != "" }

// Encode is the configuration as it is stored, at the current Version.
func (c Config) Encode() json.RawMessage {
	c.V = Version
	raw, _ := json.Marshal(c)
	return raw
}

// legacy are the names of version 0 that Config reads differently.
type legacy struct {
	// OAuthRedirectURI is a legacy session's oauthRedirectUri.
	OAuthRedirectURI string `json:"oauth_redirect_uri"`
	// PaymentInitiation is a link token request's payment.
	PaymentInitiation *struct {
		PaymentID string `json:"payment_id"`
	} `json:"payment_initiation"`
}

// Decode reads a stored configuration of any version: empty means the
// zero Config.
func Decode(raw json.RawMessage) (Config, error) {
	var c Config
	if len(raw) == 0 {
		return c, nil
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, err
	}
	if c.V > Version {
		return c, errors.New("linkconfig: stored with a newer version of linkharness")
	}
	if c.V == 0 {
		var l legacy
		json.Unmarshal(raw, &l)
		if c.RedirectURI == "" {
			c.RedirectURI = l.OAuthRedirectURI
		}
		if l.PaymentInitiation != nil && c.PaymentID == "" {
			c.PaymentID = l.PaymentInitiation.PaymentID
		}
	}
	return c, nil
}
