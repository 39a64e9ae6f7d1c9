package trust

import (
	"crypto/x509"
	"encoding/pem"
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
	var certs []*x509.Certificate
	rest := data
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := xades.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("certificate in %s: %w", path, err)
		}
		certs = append(certs, c)
	}
	if len(certs) > 0 {
		return certs, nil
	}
	c, err := xades.ParseCertificate(data)
	if err != nil {
		return nil, fmt.Errorf("%s holds no PEM or DER certificate: %w", path, err)
	}
	return []*x509.Certificate{c}, nil
}
