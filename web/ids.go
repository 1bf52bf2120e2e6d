package web

import (
	"crypto/rand"
	"fmt"
)

const alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomString returns n characters from alphabet, from crypto/rand.
func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		// rand.Text-style rejection-free mapping: 62 does not divide 256, so
		// draw until the byte falls in the largest multiple of len(alphabet).
		for {
			var c [1]byte
			rand.Read(c[:])
			if int(c[0]) < 256-256%len(alphabet) {
				b[i] = alphabet[int(c[0])%len(alphabet)]
				break
			}
		}
	}
	return string(b)
}

// newUUID returns a random version 4 UUID.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// newRequestID returns a request_id as Plaid formats them (15 characters).
func newRequestID() string { return randomString(15, alphanumeric) }

// newOpaqueID returns an Item or account ID as Plaid formats them.
func newOpaqueID() string { return randomString(37, alphanumeric) }

// newToken returns a token of the given kind (link, public, access) for env,
// as Plaid formats them: kind-env-uuid.
func newToken(kind, env string) string { return kind + "-" + env + "-" + newUUID() }
