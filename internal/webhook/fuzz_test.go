package webhook_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/webhook"
)

// FuzzJWT signs arbitrary bodies and verifies them back: a
// Plaid-Verification JWT verifies with its signer's key, over its own body,
// within MaxAge of its iat, and with nothing else: not over another body,
// not with another key, not later, not with its claims replaced. Arbitrary
// tokens never panic Verify or KeyID.
func FuzzJWT(f *testing.F) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	signer, other := newSigner(f, now), newSigner(f, now)
	f.Add([]byte(`{"webhook_type":"TRANSACTIONS"}`), int32(0), []byte(`{"iat":0}`), "a.b.c")
	f.Add([]byte{}, int32(300), []byte{}, "")
	f.Add([]byte("\x00\xff"), int32(-301), []byte(`{"iat":1767322945,"request_body_sha256":""}`), "eyJhbGciOiJFUzI1NiJ9.e30.AA")
	f.Fuzz(func(t *testing.T, body []byte, skew int32, claims []byte, token string) {
		iat := now.Add(-time.Hour)
		jwt, err := signer.Sign(body, iat)
		if err != nil {
			t.Fatal(err)
		}
		key := signer.JWK()
		if kid, err := webhook.KeyID(jwt); err != nil || kid != signer.KeyID() {
			t.Fatalf("KeyID %q, %v; want %q", kid, err, signer.KeyID())
		}
		at := iat.Add(time.Duration(skew) * time.Second)
		err = webhook.Verify(jwt, body, key, at)
		if inTime := time.Duration(skew).Abs()*time.Second <= webhook.MaxAge; inTime != (err == nil) {
			t.Fatalf("skew %ds: Verify %v", skew, err)
		}
		if err := webhook.Verify(jwt, append(body[:len(body):len(body)], 'x'), key, iat); err == nil {
			t.Fatal("verifies over another body")
		}
		if err := webhook.Verify(jwt, body, other.JWK(), iat); err == nil {
			t.Fatal("verifies with another key")
		}
		parts := strings.Split(jwt, ".")
		if forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString(claims) + "." + parts[2]; forged != jwt {
			if err := webhook.Verify(forged, body, key, iat); err == nil {
				t.Fatalf("verifies with the claims %q", claims)
			}
		}
		webhook.KeyID(token)
		if err := webhook.Verify(token, body, key, iat); err == nil && token != jwt {
			// Only the signer can make a token that verifies; another
			// encoding of the same signature is the one exception.
			tp := strings.Split(token, ".")
			if len(tp) != 3 || tp[0] != parts[0] || tp[1] != parts[1] {
				t.Fatalf("the arbitrary token %q verifies", token)
			}
		}
	})
}

// newSigner is a signer of a fresh key.
func newSigner(f *testing.F, now time.Time) *webhook.Signer {
	k, err := webhook.NewKey(now)
	if err != nil {
		f.Fatal(err)
	}
	s, err := webhook.NewSigner(k)
	if err != nil {
		f.Fatal(err)
	}
	return s
}
