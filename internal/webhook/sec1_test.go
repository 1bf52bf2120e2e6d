package webhook

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"math/big"
	"testing"
)

// TestSEC1MatchesX509 checks the hand-written SEC 1 form against
// crypto/x509's, both ways, and rawSignature against ecdsa.Sign's r and s.
func TestSEC1MatchesX509(t *testing.T) {
	for i := 0; i < 50; i++ {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		want, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		got, err := marshalSEC1(k)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("marshalSEC1 = %x, %v; x509 = %x", got, err, want)
		}
		back, err := parseSEC1(want)
		if err != nil || !back.Equal(k) {
			t.Fatalf("parseSEC1(x509's) = %v, %v", back, err)
		}
		digest := make([]byte, 32)
		rand.Read(digest)
		der, err := ecdsa.SignASN1(rand.Reader, k, digest)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := rawSignature(der)
		if err != nil {
			t.Fatal(err)
		}
		r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		if !ecdsa.Verify(&k.PublicKey, digest, r, s) {
			t.Fatalf("rawSignature(%x) = %x does not verify", der, sig)
		}
	}
	good, _ := marshalSEC1(mustKey(t))
	for _, bad := range [][]byte{nil, good[:len(good)-1], append(append([]byte{}, good[:len(good)-1]...), good[len(good)-1]^1)} {
		if _, err := parseSEC1(bad); err == nil {
			t.Errorf("parseSEC1(%x) took a bad key", bad)
		}
	}
	for _, bad := range [][]byte{nil, {0x30, 0x00}, {0x30, 0x03, 0x02, 0x01, 0x01}, {0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01}} {
		if _, err := rawSignature(bad); err == nil {
			t.Errorf("rawSignature(%x) took a bad signature", bad)
		}
	}
}

func mustKey(t *testing.T) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
