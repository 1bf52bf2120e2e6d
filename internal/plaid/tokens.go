package plaid

import (
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"time"
)

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

// NewToken returns a new token or ID of the kind, as Plaid formats them:
// kind-sandbox-uuid.
func NewToken(k Kind) string { return string(k) + "-" + Environment + "-" + NewUUID() }

const alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// RandomString returns n letters and digits from crypto/rand.
func RandomString(n int) string {
	b := make([]byte, n)
	for i := range b {
		// 62 does not divide 256: draw until the byte falls in the largest
		// multiple of 62, so every character is equally likely.
		for {
			var c [1]byte
			rand.Read(c[:])
			if int(c[0]) < 256-256%len(alphanumeric) {
				b[i] = alphanumeric[int(c[0])%len(alphanumeric)]
				break
			}
		}
	}
	return string(b)
}

// NewUUID returns a random version 4 UUID.
func NewUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// NewRequestID returns a request_id as Plaid formats them (15 characters).
func NewRequestID() string { return RandomString(15) }

// NewOpaqueID returns an Item or account ID as Plaid formats them (37
// characters).
func NewOpaqueID() string { return RandomString(37) }

// NewUserID returns a user_id of /user/create.
func NewUserID() string { return "usr_" + RandomString(14) }

// DerivedID is a stable opaque ID (37 characters, as Plaid's) for what
// parts name: the same parts always give the same ID, so generated sandbox
// data keeps its IDs.
func DerivedID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	sum := h.Sum(nil)
	out := make([]byte, 37)
	for i := range out {
		out[i] = alphanumeric[int(sum[i%len(sum)]+byte(i/len(sum))*7)%len(alphanumeric)]
	}
	return string(out)
}
