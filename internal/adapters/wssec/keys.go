package wssec

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/obieg/obieg/internal/signatures/xades"
)

// ParsePEM reads a private key (PKCS#8 "PRIVATE KEY", or PKCS#1 "RSA PRIVATE KEY") and the
// certificates of a PEM bundle, and returns a Signer for the key and the first certificate
// whose public key matches it.
func ParsePEM(data []byte) (*Signer, error) {
	var key crypto.Signer
	var certs []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		switch block.Type {
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("wssec: PKCS#8 key: %w", err)
			}
			s, ok := k.(crypto.Signer)
			if !ok {
				return nil, fmt.Errorf("wssec: PKCS#8 key of type %T cannot sign", k)
			}
			key = s
		case "RSA PRIVATE KEY":
			k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("wssec: PKCS#1 key: %w", err)
			}
			key = k
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("wssec: certificate: %w", err)
			}
			certs = append(certs, c)
		}
	}
	if key == nil {
		return nil, errors.New("wssec: no private key in the PEM data")
	}
	return signerFor(key, certs)
}

// ParsePKCS12 reads a PKCS#12 (.p12, .pfx) file protected by password, including the
// AES-based PBES2 files that OpenSSL 3 writes by default.
func ParsePKCS12(data []byte, password string) (*Signer, error) {
	key, cert, chain, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		return nil, fmt.Errorf("wssec: PKCS#12: %w", err)
	}
	s, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("wssec: PKCS#12 key of type %T cannot sign", key)
	}
	return signerFor(s, append([]*x509.Certificate{cert}, chain...))
}

func signerFor(key crypto.Signer, certs []*x509.Certificate) (*Signer, error) {
	for _, c := range certs {
		if s, err := NewSigner(key, c); err == nil {
			return s, nil
		}
	}
	if len(certs) == 0 {
		return nil, errors.New("wssec: no certificate with the key")
	}
	return NewSigner(key, certs[0])
}

// LoadSigner reads a key and its certificate from path: a PKCS#12 file when the name ends in
// .p12 or .pfx (password unlocks it), otherwise PEM (password unused).
func LoadSigner(path, password string) (*Signer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("wssec: load key: %w", err)
	}
	var s *Signer
	switch strings.ToLower(filepath.Ext(path)) {
	case ".p12", ".pfx":
		s, err = ParsePKCS12(data, password)
	default:
		s, err = ParsePEM(data)
	}
	if err != nil {
		return nil, fmt.Errorf("load key %s: %w", path, err)
	}
	return s, nil
}

// ParseCertificates reads the certificates of PEM data, or of DER data holding one, as
// xades.ParseCertificates does (tolerating the negative serial numbers of old CAs).
func ParseCertificates(data []byte) ([]*x509.Certificate, error) {
	certs, err := xades.ParseCertificates(data)
	if err != nil {
		return nil, fmt.Errorf("wssec: %w", err)
	}
	return certs, nil
}

// LoadCertificates reads the certificates of a PEM or DER file.
func LoadCertificates(path string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("wssec: load certificates: %w", err)
	}
	certs, err := ParseCertificates(data)
	if err != nil {
		return nil, fmt.Errorf("load certificates %s: %w", path, err)
	}
	return certs, nil
}

// EncodeCertificate returns cert as PEM.
func EncodeCertificate(cert *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
}
