package trust

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/testpki"
)

func TestLoadCertificates(t *testing.T) {
	pki, err := testpki.New(testpki.Options{Seed: 1, At: time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	raw := pki.QualifiedCA.Cert.Raw
	der := filepath.Join(t.TempDir(), "qca.cer")
	if err := os.WriteFile(der, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	certs, err := LoadCertificates(der)
	if err != nil || len(certs) != 1 || !certs[0].Equal(pki.QualifiedCA.Cert) {
		t.Fatalf("DER: got %d certificates, %v; want the qualified CA's", len(certs), err)
	}
	var pemData []byte
	for range 2 {
		pemData = append(pemData, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: raw})...)
	}
	path := filepath.Join(t.TempDir(), "two.pem")
	os.WriteFile(path, pemData, 0o600)
	if certs, err := LoadCertificates(path); err != nil || len(certs) != 2 {
		t.Errorf("PEM: got %d certificates, %v; want 2", len(certs), err)
	}
	bad := filepath.Join(t.TempDir(), "bad")
	os.WriteFile(bad, []byte("not a certificate"), 0o600)
	if _, err := LoadCertificates(bad); err == nil {
		t.Error("a file without a certificate was accepted")
	}
}
