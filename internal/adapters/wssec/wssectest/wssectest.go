// Package wssectest makes certificates and keys for tests of WS-Security: a small test CA
// that issues an office's system certificate or an ePUAP response-signing certificate.
// The keys are 2048-bit RSA generated afresh; nothing here is for production.
package wssectest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// NotBefore and NotAfter bound the validity of every certificate issued here.
var (
	NotBefore = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	NotAfter  = time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC)
)

var serial atomic.Int64

// CA is a test certificate authority.
type CA struct {
	Cert *x509.Certificate
	Key  *rsa.PrivateKey
}

// NewCA returns a fresh CA named cn.
func NewCA(t testing.TB, cn string) *CA {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial.Add(1)),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"obieg test PKI"}},
		NotBefore:             NotBefore,
		NotAfter:              NotAfter,
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &CA{Cert: cert, Key: key}
}

// Identity is a key and its certificate.
type Identity struct {
	Key  *rsa.PrivateKey
	Cert *x509.Certificate
}

// Issue returns a new key and a certificate for it named cn, signed by the CA, for digital
// signatures.
func (ca *CA) Issue(t testing.TB, cn string) Identity {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial.Add(1)),
		Subject:      pkix.Name{CommonName: cn, Organization: []string{"obieg test PKI"}},
		NotBefore:    NotBefore,
		NotAfter:     NotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.Key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return Identity{Key: key, Cert: cert}
}

// Office returns the system certificate and key of an office (podmiot).
func (ca *CA) Office(t testing.TB, podmiot string) Identity {
	t.Helper()
	return ca.Issue(t, "System "+podmiot)
}

// EpuapSigner returns a response-signing identity named as ePUAP's test environment's.
func (ca *CA) EpuapSigner(t testing.TB) Identity {
	t.Helper()
	return ca.Issue(t, "ePUAP-INT-WS-Sign")
}

// PEM returns the PKCS#8 key of s followed by its certificate, as PEM.
func PEM(t testing.TB, s Identity) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(s.Key)
	if err != nil {
		t.Fatal(err)
	}
	out := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	return append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Cert.Raw})...)
}

// PKCS12 returns the key and certificate of s as a PKCS#12 file protected by password, in
// the modern (AES, PBES2) encoding.
func PKCS12(t testing.TB, s Identity, password string) []byte {
	t.Helper()
	data, err := pkcs12.Modern.Encode(s.Key, s.Cert, nil, password)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
