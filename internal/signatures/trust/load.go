package trust

import (
	"crypto/x509"
	"fmt"
	"os"

	"github.com/obieg/obieg/internal/signatures/xades"
)

// LoadCertificates reads the certificates of a file: one DER certificate, or any number of
// PEM CERTIFICATE blocks.
func LoadCertificates(path string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read certificates: %w", err)
	}
	certs, err := xades.ParseCertificates(data)
	if err != nil {
		return nil, fmt.Errorf("certificates in %s: %w", path, err)
	}
	return certs, nil
}
