package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/adapters/soap"
	"github.com/obieg/obieg/internal/adapters/wssec"
	"github.com/obieg/obieg/internal/adapters/wssec/wssectest"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	certs := filepath.Join(dir, "certs.json")
	if err := os.WriteFile(certs, []byte(`{"Gmina": ["g.pem"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		wantErr bool
		check   func(t *testing.T, c config)
	}{
		{name: "defaults strict", check: func(t *testing.T, c config) {
			if c.Insecure || len(c.OfficeCerts) != 0 || c.Faults != (faultsOf(0, 0, 0, 0, false, 1)) {
				t.Fatalf("got %+v, want strict, no certificates, no faults", c)
			}
		}},
		{name: "certificates and faults", args: []string{"--office-cert", "ROPS=a.pem", "--office-cert", "ROPS=b.pem", "--certs", certs,
			"--latency", "5ms", "--fail-500", "0.1", "--drop-after-next", "0.2", "--duplicate", "0.3", "--filerepo-once", "--fault-seed", "7"},
			check: func(t *testing.T, c config) {
				if len(c.OfficeCerts["ROPS"]) != 2 || c.OfficeCerts["Gmina"][0] != "g.pem" {
					t.Errorf("got certificates %v", c.OfficeCerts)
				}
				if c.Faults != faultsOf(5*time.Millisecond, 0.1, 0.2, 0.3, true, 7) {
					t.Errorf("got faults %+v", c.Faults)
				}
			}},
		{name: "insecure", args: []string{"--insecure"}, check: func(t *testing.T, c config) {
			if !c.Insecure {
				t.Fatal("got strict, want insecure")
			}
		}},
		{name: "bad office-cert", args: []string{"--office-cert", "ROPS"}, wantErr: true},
		{name: "fraction out of range", args: []string{"--fail-500", "2"}, wantErr: true},
		{name: "missing certs file", args: []string{"--certs", filepath.Join(dir, "none.json")}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadConfig(tt.args)
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error %v", err, tt.wantErr)
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

// TestRunStrict starts epuap-sim as main does, with an office certificate registered from a
// file, and pulls from it with a signing, pinning client.
func TestRunStrict(t *testing.T) {
	dir := t.TempDir()
	ca := wssectest.NewCA(t, "Test CA")
	office := ca.Office(t, "ROPS_Krakow")
	certPath := filepath.Join(dir, "office.pem")
	keyPath := filepath.Join(dir, "office-key.pem")
	signOut := filepath.Join(dir, "epuap-sign.pem")
	if err := os.WriteFile(certPath, wssec.EncodeCertificate(office.Cert), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, wssectest.PEM(t, office), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cfg, err := loadConfig([]string{"--addr", addr, "--office-cert", "ROPS_Krakow=" + certPath, "--sign-cert-out", signOut, "--file-demo", "1"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- run(ctx, cfg, slog.New(slog.DiscardHandler)) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})

	signer, err := wssec.LoadSigner(keyPath, "")
	if err != nil {
		t.Fatal(err)
	}
	box := epuap.Box{Podmiot: "ROPS_Krakow", Name: "SkrytkaESP", Address: "/ROPS_Krakow/SkrytkaESP"}
	url := "http://" + addr + schema.PullPath
	var pinned []byte
	deadline := time.Now().Add(10 * time.Second)
	for {
		pinned, err = os.ReadFile(signOut)
		if err == nil && len(pinned) > 0 {
			var resp *http.Response
			if resp, err = http.Get("http://" + addr + "/sim/"); err == nil {
				resp.Body.Close()
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("epuap-sim did not start: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	certs, err := wssec.ParseCertificates(pinned)
	if err != nil {
		t.Fatal(err)
	}
	c := epuap.NewPullClient(url, nil, box, epuap.WithSigner(signer), epuap.WithPinnedCertificates(certs...))
	if n, err := c.Pending(t.Context()); err != nil || n != 1 {
		t.Fatalf("signed Pending: got %d, %v, want the demo letter", n, err)
	}
	_, err = epuap.NewPullClient(url, nil, box).Pending(t.Context())
	var f *soap.Fault
	if !errors.As(err, &f) {
		t.Fatalf("unsigned Pending: got %v, want a fault", err)
	}
}

func faultsOf(latency time.Duration, e500, drop, dup float64, once bool, seed uint64) epuapsim.Faults {
	return epuapsim.Faults{Latency: latency, Error500: e500, DropAfterNext: drop, Duplicate: dup, FileRepoOnce: once, Seed: seed}
}
