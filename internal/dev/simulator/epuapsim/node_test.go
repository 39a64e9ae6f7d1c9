package epuapsim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/adapters/wssec"
	"github.com/obieg/obieg/internal/adapters/wssec/wssectest"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// nodeResult is what testdata/nodesoap/pull.js prints.
type nodeResult struct {
	Operations []string `json:"operations"`
	Oczekujace int      `json:"oczekujace"`
	StatusKod  int      `json:"statusKod"`
	Documents  []struct {
		NazwaPliku string `json:"nazwaPliku"`
		SHA256     string `json:"sha256"`
		Nadawca    string `json:"nadawca"`
	} `json:"documents"`
	LastStatus *int `json:"lastStatus"`
	Fault      *struct {
		Faultcode string `json:"faultcode"`
		Kod       int    `json:"kod"`
		Komunikat string `json:"komunikat"`
	} `json:"fault"`
}

// requireNode finds node and npm: a test needing them is skipped without them, except in CI
// (CI=true), where their absence is a failure.
func requireNode(t *testing.T) (node, npm string) {
	t.Helper()
	node, err1 := exec.LookPath("node")
	npm, err2 := exec.LookPath("npm")
	if err1 != nil || err2 != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("node and npm are required in CI: %v %v", err1, err2)
		}
		t.Skip("skipped: node or npm not on PATH (set CI=true to make this a failure)")
	}
	return node, npm
}

// TestNodeSoap checks the simulator against another SOAP stack: npm's soap package reads
// pull.wsdl from the simulator, signs with WSSecurityCert and drains the box; a request
// signed with an unregistered certificate, or whose signature does not match the
// certificate it carries, gets a fault. The other way round, xml-crypto (soap's signature
// library) verifies envelopes signed by package wssec and refuses a tampered one.
func TestNodeSoap(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: installs npm's soap package")
	}
	node, npm := requireNode(t)
	dir := t.TempDir()
	// Pinned: the version this test was written against; it asks for node >= 20.19.
	install := exec.CommandContext(t.Context(), npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "soap@1.13.0")
	install.Dir = dir
	if out, err := install.CombinedOutput(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("npm install soap@1.13.0: %v\n%s", err, out)
		}
		t.Skipf("skipped: npm install soap@1.13.0 failed (offline?): %v\n%s", err, out)
	}
	for _, name := range []string{"pull.js", "verify.js"} {
		script, err := os.ReadFile(filepath.Join("testdata", "nodesoap", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), script, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	ca := wssectest.NewCA(t, "Test CA")
	office, stranger, epuapID := ca.Office(t, box.Podmiot), ca.Office(t, "Obcy"), ca.EpuapSigner(t)
	writePEM := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	officeKey := writePEM("office-key.pem", wssectest.PEM(t, office))
	officeCert := writePEM("office-cert.pem", wssec.EncodeCertificate(office.Cert))
	strangerKey := writePEM("stranger-key.pem", wssectest.PEM(t, stranger))
	strangerCert := writePEM("stranger-cert.pem", wssec.EncodeCertificate(stranger.Cert))

	signer, err := wssec.NewSigner(epuapID.Key, epuapID.Cert)
	if err != nil {
		t.Fatal(err)
	}
	// node's Timestamp uses the wall clock: so does this simulator.
	sim := epuapsim.New(epuapsim.NewMemStore(), time.Now, nil, epuapsim.WithWSSecurity(signer))
	if _, err := sim.CreateBox(context.Background(), box.Podmiot, box.Name); err != nil {
		t.Fatal(err)
	}
	if err := sim.RegisterCertificate(box.Podmiot, office.Cert); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, content := range []string{"<a>pierwszy</a>", "<a>drugi ąę</a>", "<a>trzeci</a>"} {
		f := fileDoc(t, sim, content)
		want = append(want, f.SHA256)
	}
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	wsdl := srv.URL + schema.PullPath + "?wsdl"

	run := func(t *testing.T, mode, key, cert string) nodeResult {
		t.Helper()
		ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, node, "pull.js", wsdl, key, cert, mode, box.Podmiot, box.Name, box.Address)
		cmd.Dir = dir
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("node pull.js %s: %v\n%s", mode, err, stderr.Bytes())
		}
		var r nodeResult
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatalf("node pull.js %s printed %q: %v", mode, out, err)
		}
		return r
	}

	t.Run("drain", func(t *testing.T) {
		r := run(t, "drain", officeKey, officeCert)
		if r.Fault != nil {
			t.Fatalf("got fault %+v, want the documents", *r.Fault)
		}
		if !slices.Contains(r.Operations, "pobierzNastepny") || r.Oczekujace != 3 {
			t.Fatalf("got operations %v and %d waiting, want pobierzNastepny and 3", r.Operations, r.Oczekujace)
		}
		var got []string
		for _, d := range r.Documents {
			got = append(got, d.SHA256)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("got documents %v, want %v in order", got, want)
		}
		if r.LastStatus == nil || *r.LastStatus != schema.StatusNoDocument {
			t.Fatalf("got last status %v, want %d (box empty)", r.LastStatus, schema.StatusNoDocument)
		}
		boxes, err := sim.Waiting(t.Context(), box.Podmiot)
		if err != nil || len(boxes[0].Waiting) != 0 {
			t.Fatalf("after node confirmed everything: %v waiting, %v", boxes, err)
		}
	})
	t.Run("wsu:Id without timestamp", func(t *testing.T) {
		fileDoc(t, sim, "<a>czwarty</a>")
		if r := run(t, "count-wsu", officeKey, officeCert); r.Fault != nil || r.Oczekujace != 1 {
			t.Fatalf("got %+v, want 1 waiting", r)
		}
	})
	// The other way round: xml-crypto checks what obieg's signer writes.
	officeSigner, err := wssec.NewSigner(office.Key, office.Cert)
	if err != nil {
		t.Fatal(err)
	}
	stamped := *officeSigner
	stamped.Timestamp = 5 * time.Minute
	signedBy := func(s *wssec.Signer) string {
		out, err := s.Sign(pobierzRequest(box.Podmiot))
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	plainSigned := signedBy(officeSigner)
	for _, tt := range []struct {
		name, env string
		wantOK    bool
		wantRefs  int
	}{
		{"signed by obieg", plainSigned, true, 1},
		{"signed by obieg with a timestamp", signedBy(&stamped), true, 2},
		{"tampered", strings.Replace(plainSigned, "<podmiot>"+box.Podmiot, "<podmiot>X"+box.Podmiot, 1), false, 0},
	} {
		t.Run("xml-crypto verifies: "+tt.name, func(t *testing.T) {
			path := writePEM("envelope.xml", []byte(tt.env))
			cmd := exec.CommandContext(t.Context(), node, "verify.js", path, officeCert)
			cmd.Dir = dir
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("node verify.js: %v", err)
			}
			var r struct {
				OK         bool     `json:"ok"`
				Error      string   `json:"error"`
				References []string `json:"references"`
			}
			if err := json.Unmarshal(out, &r); err != nil {
				t.Fatalf("verify.js printed %q: %v", out, err)
			}
			if r.OK != tt.wantOK || (tt.wantOK && len(r.References) != tt.wantRefs) {
				t.Fatalf("got %+v, want ok=%v with %d references", r, tt.wantOK, tt.wantRefs)
			}
		})
	}

	tests := []struct {
		name, key, cert string
	}{
		{"unregistered certificate", strangerKey, strangerCert},
		{"signature not made by the certificate's key", strangerKey, officeCert},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, "count", tt.key, tt.cert)
			if r.Fault == nil || r.Fault.Kod != epuapsim.KodBladPodpisu || !strings.HasSuffix(r.Fault.Faultcode, "Client") {
				t.Fatalf("got %+v, want a Client fault with kod %d", r, epuapsim.KodBladPodpisu)
			}
		})
	}
}
