package webhook

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/linkharness/linkharness/internal/store"
)

// Header is the request header that carries a webhook's signature.
const Header = "Plaid-Verification"

// MaxAge is how old a signature Plaid tells receivers to accept.
const MaxAge = 5 * time.Minute

// Signer signs webhook bodies with an ES256 key.
type Signer struct {
	key     *ecdsa.PrivateKey
	id      string
	created time.Time
}

// NewKey makes a fresh P-256 signing key, from crypto/rand.
func NewKey(now time.Time) (store.SigningKey, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return store.SigningKey{}, err
	}
	der, err := marshalSEC1(k)
	if err != nil {
		return store.SigningKey{}, err
	}
	var id [16]byte
	rand.Read(id[:])
	b := id[:]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	kid := fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
	return store.SigningKey{ID: kid, CreatedAt: now, PrivateKey: der}, nil
}

// Keys is where the webhook signing keys are kept: [store.DB] is one.
type Keys interface {
	// EnsureSigningKey returns the newest signing key, storing candidate
	// first when there is none.
	EnsureSigningKey(ctx context.Context, candidate store.SigningKey) (store.SigningKey, error)
}

// CurrentSigner returns the signer of the store's newest key, making and
// storing one when the store has none.
func CurrentSigner(ctx context.Context, st Keys, now time.Time) (*Signer, error) {
	candidate, err := NewKey(now)
	if err != nil {
		return nil, err
	}
	k, err := st.EnsureSigningKey(ctx, candidate)
	if err != nil {
		return nil, err
	}
	return NewSigner(k)
}

// NewSigner returns a signer for a stored key.
func NewSigner(k store.SigningKey) (*Signer, error) {
	key, err := parseSEC1(k.PrivateKey)
	if err != nil {
		return nil, err
	}
	return &Signer{key: key, id: k.ID, created: k.CreatedAt}, nil
}

// KeyID is the key's kid.
func (s *Signer) KeyID() string { return s.id }

// Sign returns the Plaid-Verification JWT for body, issued at iat.
func (s *Signer) Sign(body []byte, iat time.Time) (string, error) {
	header, _ := json.Marshal(map[string]string{"alg": "ES256", "kid": s.id, "typ": "JWT"})
	sum := sha256.Sum256(body)
	claims, _ := json.Marshal(map[string]any{"iat": iat.Unix(), "request_body_sha256": hex.EncodeToString(sum[:])})
	signed := b64(header) + "." + b64(claims)
	digest := sha256.Sum256([]byte(signed))
	der, err := ecdsa.SignASN1(rand.Reader, s.key, digest[:])
	if err != nil {
		return "", err
	}
	sig, err := rawSignature(der)
	if err != nil {
		return "", err
	}
	return signed + "." + b64(sig), nil
}

// JWK is a public key as /webhook_verification_key/get returns it.
type JWK struct {
	Alg       string `json:"alg"`
	Crv       string `json:"crv"`
	Kid       string `json:"kid"`
	Kty       string `json:"kty"`
	Use       string `json:"use"`
	X         string `json:"x"`
	Y         string `json:"y"`
	CreatedAt int64  `json:"created_at"`
	ExpiredAt *int64 `json:"expired_at"`
}

// JWK returns the signer's public key.
func (s *Signer) JWK() JWK {
	var x, y [32]byte
	s.key.X.FillBytes(x[:])
	s.key.Y.FillBytes(y[:])
	return JWK{Alg: "ES256", Crv: "P-256", Kid: s.id, Kty: "EC", Use: "sig", X: b64(x[:]), Y: b64(y[:]), CreatedAt: s.created.Unix()}
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// KeyID returns the kid in a Plaid-Verification JWT's header, the key to
// ask /webhook_verification_key/get for.
func KeyID(jwt string) (string, error) {
	head, _, ok := strings.Cut(jwt, ".")
	if !ok {
		return "", errors.New("webhook: not a JWT")
	}
	raw, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		return "", fmt.Errorf("webhook: JWT header: %w", err)
	}
	var h struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		return "", fmt.Errorf("webhook: JWT header: %w", err)
	}
	if h.Alg != "ES256" {
		return "", fmt.Errorf("webhook: JWT alg %q, want ES256", h.Alg)
	}
	return h.Kid, nil
}

// Verify checks a Plaid-Verification JWT the way Plaid tells receivers to:
// an ES256 signature by key, issued at most MaxAge before now, over a body
// whose SHA-256 is request_body_sha256.
func Verify(jwt string, body []byte, key JWK, now time.Time) error {
	kid, err := KeyID(jwt)
	if err != nil {
		return err
	}
	if kid != key.Kid {
		return fmt.Errorf("webhook: JWT kid %q, key %q", kid, key.Kid)
	}
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return errors.New("webhook: not a JWT")
	}
	x, errX := base64.RawURLEncoding.DecodeString(key.X)
	y, errY := base64.RawURLEncoding.DecodeString(key.Y)
	sig, errS := base64.RawURLEncoding.DecodeString(parts[2])
	if err := errors.Join(errX, errY, errS); err != nil || len(sig) != 64 || key.Crv != "P-256" {
		return errors.New("webhook: malformed key or signature")
	}
	pub := &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).SetBytes(x), Y: new(big.Int).SetBytes(y)}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return errors.New("webhook: bad signature")
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return fmt.Errorf("webhook: JWT claims: %w", err)
	}
	var claims struct {
		Iat               int64  `json:"iat"`
		RequestBodySHA256 string `json:"request_body_sha256"`
	}
	if err := json.Unmarshal(raw, &claims); err != nil {
		return fmt.Errorf("webhook: JWT claims: %w", err)
	}
	if age := now.Sub(time.Unix(claims.Iat, 0)); age > MaxAge || age < -MaxAge {
		return fmt.Errorf("webhook: JWT issued %v ago", age)
	}
	sum := sha256.Sum256(body)
	if subtle.ConstantTimeCompare([]byte(hex.EncodeToString(sum[:])), []byte(claims.RequestBodySHA256)) != 1 {
		return errors.New("webhook: body does not match request_body_sha256")
	}
	return nil
}
