package app

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/adapters/wssec"
	"github.com/obieg/obieg/internal/adapters/wssec/wssectest"
	"github.com/obieg/obieg/internal/config"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// TestEpuapSecurity: the configured key and pinned certificate make a Box that pulls from a
// simulator requiring WS-Security; a broken configuration is an error naming the variable.
func TestEpuapSecurity(t *testing.T) {
	dir := t.TempDir()
	ca := wssectest.NewCA(t, "Test CA")
	office, epuapID := ca.Office(t, "rops-test"), ca.EpuapSigner(t)
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	keyFile := write("system.p12", wssectest.PKCS12(t, office, "haslo"))
	signingCert := write("epuap-sign.pem", wssec.EncodeCertificate(epuapID.Cert))

	answers, err := wssec.NewSigner(epuapID.Key, epuapID.Cert)
	if err != nil {
		t.Fatal(err)
	}
	sim := epuapsim.New(epuapsim.NewMemStore(), time.Now, nil, epuapsim.WithWSSecurity(answers))
	if _, err := sim.CreateBox(context.Background(), "rops-test", "skrytka"); err != nil {
		t.Fatal(err)
	}
	if err := sim.RegisterCertificate("rops-test", office.Cert); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()

	cfg := config.Defaults()
	cfg.EpuapPodmiot, cfg.EpuapBoxName, cfg.EpuapBoxAddress = "rops-test", "skrytka", "/rops-test/skrytka"
	tests := []struct {
		name                  string
		key, password, cert   string
		wantErr, wantUnsigned bool
	}{
		{name: "PKCS#12 key and pinned certificate", key: keyFile, password: "haslo", cert: signingCert},
		{name: "no key: unsigned", wantUnsigned: true},
		{name: "wrong password", key: keyFile, password: "zle", cert: signingCert, wantErr: true},
		{name: "missing certificate file", key: keyFile, password: "haslo", cert: filepath.Join(dir, "brak.pem"), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cfg
			c.EpuapKeyFile, c.EpuapKeyPassword, c.EpuapSigningCert = tt.key, tt.password, tt.cert
			svc := &Services{Config: c}
			opts, err := svc.EpuapSecurity()
			if tt.wantErr {
				if err == nil {
					t.Fatal("got no error, want one")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			_, err = svc.Box(srv.URL+schema.PullPath, opts...).Pending(t.Context())
			if tt.wantUnsigned {
				if err == nil {
					t.Fatal("unsigned Pending: got no error, want a fault")
				}
				return
			}
			if err != nil {
				t.Fatalf("signed Pending: %v", err)
			}
		})
	}

	// EPUAP_KEY_FILE without EPUAP_SIGNING_CERT is a configuration error.
	c := cfg
	c.EpuapKeyFile = keyFile
	if err := c.Check(false); err == nil {
		t.Fatal("Check with a key and no signing certificate: got no error, want one")
	}
}
