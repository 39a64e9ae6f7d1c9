package testpki

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"

	"software.sslmate.com/src/go-pkcs12"
)

// CertPEM returns the entity's certificate in PEM.
func (e *Entity) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: e.Cert.Raw})
}

// ChainPEM returns the certificate followed by its issuers up to the root
// excluded, in PEM: the certificate file xades.LoadPKCS8 reads.
func (e *Entity) ChainPEM() []byte {
	out := e.CertPEM()
	for _, c := range e.Chain() {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

// KeyPEM returns the private key as unencrypted PKCS#8 PEM.
func (e *Entity) KeyPEM() ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(e.Key)
	if err != nil {
		return nil, fmt.Errorf("testpki: encode key of %s: %w", e.Name, err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// PKCS12 returns the key, certificate and chain as a PKCS#12 file
// protected by password (modern encryption: AES-256, PBKDF2).
func (e *Entity) PKCS12(password string) ([]byte, error) {
	b, err := pkcs12.Modern.Encode(e.Key, e.Cert, e.Chain(), password)
	if err != nil {
		return nil, fmt.Errorf("testpki: PKCS#12 of %s: %w", e.Name, err)
	}
	return b, nil
}

// WriteFiles writes, for every entity, NAME.crt (certificate PEM),
// NAME.chain.pem (certificate and issuers), NAME.key (PKCS#8 PEM) and
// NAME.p12 (PKCS#12 with password) into dir, for demos and peers.
func (p *PKI) WriteFiles(dir, password string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("testpki: %w", err)
	}
	for _, e := range p.Entities() {
		key, err := e.KeyPEM()
		if err != nil {
			return err
		}
		p12, err := e.PKCS12(password)
		if err != nil {
			return err
		}
		for name, b := range map[string][]byte{".crt": e.CertPEM(), ".chain.pem": e.ChainPEM(), ".key": key, ".p12": p12} {
			mode := os.FileMode(0o644)
			if name == ".key" || name == ".p12" {
				mode = 0o600
			}
			if err := os.WriteFile(filepath.Join(dir, e.Name+name), b, mode); err != nil {
				return fmt.Errorf("testpki: %w", err)
			}
		}
	}
	return nil
}
