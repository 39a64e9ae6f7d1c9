package trust

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadCertificates(t *testing.T) {
	der := "../../../shared/testdata/trust/QCA-CERTUM_QCA.cer"
	certs, err := LoadCertificates(der)
	if err != nil || len(certs) != 1 {
		t.Fatalf("DER: got %d certificates, %v", len(certs), err)
	}
	raw, _ := os.ReadFile(der)
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
