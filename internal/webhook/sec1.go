package webhook

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"errors"
)

// The SEC 1 DER form of a P-256 private key, as x509.MarshalECPrivateKey
// writes it (the form stored keys are in): the fixed bytes around the
// 32-byte scalar and the 65-byte uncompressed public point. By hand,
// because crypto/x509 and encoding/asn1 are some 60 KB of the Cloudflare
// Worker's compressed size, and the layout of a P-256 key never varies.
var (
	// sec1Head: SEQUENCE (119 bytes), INTEGER 1 (version), OCTET STRING
	// (32 bytes, the scalar follows).
	sec1Head = []byte{0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20}
	// sec1Mid: [0] OID prime256v1, [1] BIT STRING (66 bytes, no unused
	// bits; the point follows).
	sec1Mid = []byte{0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0xa1, 0x44, 0x03, 0x42, 0x00}
)

const sec1Len = 7 + 32 + 17 + 65

// marshalSEC1 is x509.MarshalECPrivateKey for a P-256 key.
func marshalSEC1(k *ecdsa.PrivateKey) ([]byte, error) {
	d, err := k.Bytes()
	if err != nil {
		return nil, err
	}
	pub, err := k.PublicKey.Bytes()
	if err != nil {
		return nil, err
	}
	if len(d) != 32 || len(pub) != 65 {
		return nil, errors.New("webhook: not a P-256 key")
	}
	der := make([]byte, 0, sec1Len)
	der = append(der, sec1Head...)
	der = append(der, d...)
	der = append(der, sec1Mid...)
	return append(der, pub...), nil
}

// parseSEC1 is x509.ParseECPrivateKey for the keys marshalSEC1 (and
// x509.MarshalECPrivateKey) writes for P-256; it checks that the stored
// public point is the scalar's.
func parseSEC1(der []byte) (*ecdsa.PrivateKey, error) {
	if len(der) != sec1Len || !bytes.HasPrefix(der, sec1Head) || !bytes.Equal(der[7+32:7+32+17], sec1Mid) {
		return nil, errors.New("webhook: signing key is not a P-256 key in SEC 1 DER form")
	}
	k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), der[7:7+32])
	if err != nil {
		return nil, err
	}
	pub, err := k.PublicKey.Bytes()
	if err != nil || !bytes.Equal(pub, der[7+32+17:]) {
		return nil, errors.New("webhook: signing key's public point does not match its scalar")
	}
	return k, nil
}

// rawSignature turns an ASN.1 ECDSA signature (SEQUENCE of INTEGERs r
// and s), as ecdsa.SignASN1 makes it, into the JWS form: r and s as
// 32-byte big-endian numbers.
func rawSignature(der []byte) ([]byte, error) {
	bad := errors.New("webhook: malformed ECDSA signature")
	if len(der) < 2 || der[0] != 0x30 || int(der[1]) != len(der)-2 {
		return nil, bad
	}
	sig := make([]byte, 64)
	rest := der[2:]
	for i := 0; i < 2; i++ {
		if len(rest) < 2 || rest[0] != 0x02 || int(rest[1]) > len(rest)-2 {
			return nil, bad
		}
		n := rest[2 : 2+int(rest[1])]
		rest = rest[2+int(rest[1]):]
		for len(n) > 0 && n[0] == 0 { // the sign byte
			n = n[1:]
		}
		if len(n) > 32 {
			return nil, bad
		}
		copy(sig[32*(i+1)-len(n):32*(i+1)], n)
	}
	if len(rest) != 0 {
		return nil, bad
	}
	return sig, nil
}
