package xades

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"

	"software.sslmate.com/src/go-pkcs12"
)

// ErrKey means a key or its certificate could not be loaded or do not match.
var ErrKey = errors.New("signing key not usable")

// KeySigner is a Signer over a key held in memory.
type KeySigner struct {
	key   crypto.Signer
	cert  *x509.Certificate
	chain []*x509.Certificate
}

var _ Signer = (*KeySigner)(nil)

// NewKeySigner returns a Signer for key with its certificate and the
// certificates that issued it (issuer first). It checks that the key is
// the certificate's.
func NewKeySigner(key crypto.Signer, cert *x509.Certificate, chain ...*x509.Certificate) (*KeySigner, error) {
	if key == nil || cert == nil {
		return nil, fmt.Errorf("new signer: key or certificate missing: %w", ErrKey)
	}
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(cert.PublicKey) {
		return nil, fmt.Errorf("new signer: the key is not the one of certificate %s: %w", cert.Subject, ErrKey)
	}
	return &KeySigner{key: key, cert: cert, chain: chain}, nil
}

// Public returns the public key.
func (s *KeySigner) Public() crypto.PublicKey { return s.key.Public() }

// Sign signs digest with the key.
func (s *KeySigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return s.key.Sign(r, digest, opts)
}

// Certificate returns the signing certificate.
func (s *KeySigner) Certificate() *x509.Certificate { return s.cert }

// Chain returns the issuing certificates, issuer first.
func (s *KeySigner) Chain() []*x509.Certificate { return s.chain }

// LoadPKCS8 reads a PEM "PRIVATE KEY" (PKCS#8, unencrypted) and PEM
// certificates, the signing certificate first and its issuers after it.
func LoadPKCS8(keyPEM, certsPEM []byte) (*KeySigner, error) {
	blk, _ := pem.Decode(keyPEM)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("load PKCS#8 key: no PEM PRIVATE KEY block: %w", ErrKey)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("load PKCS#8 key: %v: %w", err, ErrKey)
	}
	key, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("load PKCS#8 key: %T cannot sign: %w", k, ErrKey)
	}
	var certs []*x509.Certificate
	for rest := certsPEM; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("load certificate: %v: %w", err, ErrKey)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("load certificate: no PEM CERTIFICATE block: %w", ErrKey)
	}
	return NewKeySigner(key, certs[0], certs[1:]...)
}

// LoadPKCS12 reads a PKCS#12 (PFX) file holding one key, its certificate
// and optionally the issuing chain.
func LoadPKCS12(pfx []byte, password string) (*KeySigner, error) {
	k, cert, chain, err := pkcs12.DecodeChain(pfx, password)
	if err != nil {
		return nil, fmt.Errorf("load PKCS#12: %v: %w", err, ErrKey)
	}
	key, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("load PKCS#12: %T cannot sign: %w", k, ErrKey)
	}
	return NewKeySigner(key, cert, chain...)
}
