package testpki

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// WithNegativeSerial returns a copy of e whose certificate carries the
// negative of its serial number, re-signed by e's issuer: the kind of
// certificate old CAs issued, which crypto/x509 refuses to parse since Go
// 1.23 and x509.CreateCertificate refuses to make. The copy's Cert is
// filled in from e's (names, validity, key, extensions) with the new Raw,
// RawTBSCertificate, SerialNumber and Signature, so it signs like e.
func WithNegativeSerial(e *Entity) (*Entity, error) {
	if e.Issuer == nil {
		return nil, fmt.Errorf("testpki: %s is self-signed; a negative serial is made for issued certificates", e.Name)
	}
	switch e.Cert.SignatureAlgorithm {
	case x509.SHA256WithRSA, x509.ECDSAWithSHA256:
	default:
		return nil, fmt.Errorf("testpki: %s is signed with %s, want SHA-256", e.Name, e.Cert.SignatureAlgorithm)
	}
	var outer struct {
		TBS    asn1.RawValue
		SigAlg pkix.AlgorithmIdentifier
		Sig    asn1.BitString
	}
	if _, err := asn1.Unmarshal(e.Cert.Raw, &outer); err != nil {
		return nil, fmt.Errorf("testpki: read certificate of %s: %w", e.Name, err)
	}
	// TBSCertificate: [0] version, serialNumber, then the rest unchanged.
	in := cryptobyte.String(outer.TBS.FullBytes)
	var tbs, version cryptobyte.String
	var serial big.Int
	if !in.ReadASN1(&tbs, cbasn1.SEQUENCE) ||
		!tbs.ReadASN1Element(&version, cbasn1.Tag(0).Constructed().ContextSpecific()) ||
		!tbs.ReadASN1Integer(&serial) {
		return nil, fmt.Errorf("testpki: read TBSCertificate of %s", e.Name)
	}
	neg := new(big.Int).Neg(&serial)
	negDER, err := asn1.Marshal(neg)
	if err != nil {
		return nil, err
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(version)
		b.AddBytes(negDER)
		b.AddBytes(tbs)
	})
	newTBS, err := b.Bytes()
	if err != nil {
		return nil, err
	}
	digest := sha256.Sum256(newTBS)
	sig, err := e.Issuer.Key.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("testpki: sign certificate of %s: %w", e.Name, err)
	}
	der, err := asn1.Marshal(struct {
		TBS    asn1.RawValue
		SigAlg pkix.AlgorithmIdentifier
		Sig    asn1.BitString
	}{asn1.RawValue{FullBytes: newTBS}, outer.SigAlg, asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)}})
	if err != nil {
		return nil, err
	}
	c := *e.Cert
	c.Raw, c.RawTBSCertificate, c.SerialNumber, c.Signature = der, newTBS, neg, sig
	return &Entity{Key: e.Key, Cert: &c, Issuer: e.Issuer, Name: e.Name + "-negative-serial"}, nil
}
