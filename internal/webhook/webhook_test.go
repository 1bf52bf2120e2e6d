package webhook_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store/sqlite"
	"github.com/linkharness/linkharness/internal/webhook"
)

func TestSignAndVerify(t *testing.T) {
	st, err := sqlite.Open(context.Background(), sqlite.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now()
	signer, err := webhook.CurrentSigner(context.Background(), st, now)
	if err != nil {
		t.Fatal(err)
	}
	again, err := webhook.CurrentSigner(context.Background(), st, now)
	if err != nil || again.KeyID() != signer.KeyID() {
		t.Fatalf("a second signer has key %s, want the stored %s (%v)", again.KeyID(), signer.KeyID(), err)
	}
	body := []byte(`{"webhook_type":"ITEM"}`)
	jwt, err := signer.Sign(body, now)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := webhook.NewKey(now)
	otherSigner, _ := webhook.NewSigner(other)
	tests := []struct {
		name string
		jwt  string
		body []byte
		key  webhook.JWK
		at   time.Time
		want string // part of the error, "" for none
	}{
		{"valid", jwt, body, signer.JWK(), now, ""},
		{"another body", jwt, []byte(`{}`), signer.JWK(), now, "request_body_sha256"},
		{"too old", jwt, body, signer.JWK(), now.Add(6 * time.Minute), "issued"},
		{"another key", jwt, body, otherSigner.JWK(), now, "kid"},
		{"forged signature", jwt[:strings.LastIndex(jwt, ".")] + "." + strings.Repeat("A", 86), body, signer.JWK(), now, "signature"},
		{"not a JWT", "nope", body, signer.JWK(), now, "JWT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := webhook.Verify(tt.jwt, tt.body, tt.key, tt.at)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Verify: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("Verify: %v, want an error about %s", err, tt.want)
			}
		})
	}
	if kid, err := webhook.KeyID(jwt); err != nil || kid != signer.KeyID() {
		t.Fatalf("KeyID: %s %v", kid, err)
	}
	if k := signer.JWK(); k.Alg != "ES256" || k.Crv != "P-256" || k.Kty != "EC" || k.Use != "sig" || len(k.X) != 43 || len(k.Y) != 43 {
		t.Fatalf("JWK %+v", k)
	}
}
