// Package ids makes Plaid's tokens and IDs, from crypto/rand. It is apart
// from package plaid, which says what the kinds, formats and lifetimes
// are, because the Link engine reads package plaid and takes its entropy
// from its host: link.wasm should not carry crypto/rand.
package ids

import (
	"crypto/rand"
	"fmt"

	"github.com/linkharness/linkharness/internal/plaid"
)

// NewToken returns a new token or ID of the kind, as Plaid formats them:
// kind-sandbox-uuid.
func NewToken(k plaid.Kind) string { return string(k) + "-" + plaid.Environment + "-" + NewUUID() }

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

// NewStripeBankAccountToken returns a bank account token of
// /processor/stripe/bank_account_token/create, as Stripe formats them:
// btok_ and 24 letters and digits.
func NewStripeBankAccountToken() string { return "btok_" + RandomString(24) }

// NewUserID returns a user_id of /user/create.
func NewUserID() string { return "usr_" + RandomString(14) }
