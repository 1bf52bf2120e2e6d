//go:build !wasip1

// This file is left out of link.wasm (GOOS=wasip1), which never needs it:
// its package time would cost the module about 60 KB gzipped.

package plaid

import "time"

// Kind is a kind of token or ID, by the prefix Plaid gives it: tokens
// read <kind>-<environment>-<uuid> (https://plaid.com/docs/api/tokens/).
type Kind string

// Token and ID kinds.
const (
	LinkToken    Kind = "link"
	PublicToken  Kind = "public"
	AccessToken  Kind = "access"
	UserToken    Kind = "user"
	PaymentToken Kind = "payment-token"
	PaymentID    Kind = "payment-id"
	RecipientID  Kind = "recipient-id"
	// ProcessorToken is what a processor partner calls the partner
	// endpoints with (https://plaid.com/docs/api/processors/).
	ProcessorToken Kind = "processor"
)

// Token lifetimes (https://plaid.com/docs/api/link/#linktokencreate,
// https://plaid.com/docs/api/items/#itempublic_tokenexchange,
// https://plaid.com/docs/payment-initiation/).
const (
	// LinkTokenLifetime is a link token's life, 4 hours.
	LinkTokenLifetime = 4 * time.Hour
	// UpdateLinkTokenLifetime is an update-mode link token's, 30 minutes.
	UpdateLinkTokenLifetime = 30 * time.Minute
	// PublicTokenLifetime is a public token's, 30 minutes.
	PublicTokenLifetime = 30 * time.Minute
	// PaymentTokenLifetime is a legacy payment token's, 15 minutes.
	PaymentTokenLifetime = 15 * time.Minute
	// OAuthStateLifetime is how long the user has to decide at the bank.
	OAuthStateLifetime = 10 * time.Minute
	// SessionRetention is how long /link/token/get keeps a finished
	// session.
	SessionRetention = 6 * time.Hour
	// ConsentLifetime is how long a user's consent lasts at a European
	// OAuth institution (PSD2's 90 days).
	ConsentLifetime = 90 * 24 * time.Hour
)
