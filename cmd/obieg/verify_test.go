package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/testpki"
	"github.com/obieg/obieg/internal/signatures/xades"
)

func TestVerifyCommand(t *testing.T) {
	signedAt := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	p, err := testpki.New(testpki.Options{Seed: 3, At: signedAt})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	form := []byte(`<?xml version="1.0" encoding="UTF-8"?><wnio:Dokument xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/"><wnio:TrescDokumentu>Wniosek</wnio:TrescDokumentu></wnio:Dokument>`)
	pzDoc, err := p.SignProfilZaufany(ctx, form, p.Person, signedAt)
	if err != nil {
		t.Fatal(err)
	}
	eidDoc, err := p.SignEID(ctx, form, signedAt)
	if err != nil {
		t.Fatal(err)
	}
	tsl, err := p.TrustedList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pz := write("pz.xml", pzDoc)
	eid := write("eid.xml", eidDoc)
	tampered := write("tampered.xml", []byte(strings.Replace(string(pzDoc), "Wniosek", "Wniosek podrobiony", 1)))
	list := write("tsl.xml", tsl)
	listSigner := write("tsl-signer.crt", p.TSLSigner.CertPEM())
	eidRoot := write("eid-root.der", p.EIDRoot.Cert.Raw)
	seal := write("pz.crt", p.ProfilZaufany.CertPEM())
	movedCase := filepath.Join("..", "..", "internal", "signatures", "xades", "testdata", "cases", "id-moved-into-object.xml")
	trustFlags := []string{"--trust-list", list, "--trust-list-signer", listSigner, "--profil-zaufany", seal, "--at", "2026-06-02"}

	tests := []struct {
		name    string
		args    []string
		wantErr bool
		want    []string
	}{
		{
			name: "Profil Zaufany on the trusted list",
			args: append([]string{"verify", pz}, trustFlags...),
			want: []string{"TOTAL-PASSED", "Pieczęć podpisu zaufanego", "confirmed by the Profil Zaufany seal", "qualification: QESeal", "signing time: 2026-06-01T10:00:00Z",
				"covers: the whole document (less signatures)", "FULL /wnio:Dokument"},
		},
		{
			// Signed content moved into the signature, an unsigned copy
			// with another amount left in the body (made with xmlsec1).
			name:    "signed content only inside the signature",
			args:    []string{"verify", movedCase, "--at", "2026-06-02"},
			wantErr: true,
			want: []string{"INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND; it signs only data inside the signature, NOT the document's visible content",
				"covers: only data inside the signature itself; the document's visible content is NOT signed",
				"SIGNATURE_OBJECT /wnio:Dokument/ds:Signature/ds:Object[1]/wnio:TrescDokumentu",
				"warning: wnio:TrescDokumentu at /wnio:Dokument/wnio:TrescDokumentu is not signed by this signature"},
		},
		{
			name:    "e-ID without its root",
			args:    append([]string{"verify", eid}, trustFlags...),
			wantErr: true,
			want:    []string{"INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND"},
		},
		{
			name: "e-ID with its root",
			args: append([]string{"verify", eid, "--anchor", eidRoot}, trustFlags...),
			want: []string{"TOTAL-PASSED", p.EIDPerson.GivenName},
		},
		{
			name:    "one of two files tampered",
			args:    append([]string{"verify", pz, tampered}, trustFlags...),
			wantErr: true,
			want:    []string{"TOTAL-PASSED", "TOTAL-FAILED/HASH_FAILURE"},
		},
		{
			name:    "no trust at all",
			args:    []string{"verify", pz, "--at", "2026-06-02T00:00:00Z"},
			wantErr: true,
			want:    []string{"INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND", "claimed, not confirmed"},
		},
		{
			name:    "not XML",
			args:    []string{"verify", listSigner, "--at", "2026-06-02"},
			wantErr: true,
			want:    []string{"error:"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err, _ := run(t, nil, "", tt.args...)
			var ue usageError
			if (err != nil) != tt.wantErr || errors.As(err, &ue) {
				t.Fatalf("got error %v, want error=%v and no usage error\n%s", err, tt.wantErr, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("got output\n%s\nwant it to contain %q", out, w)
				}
			}
		})
	}

	t.Run("json", func(t *testing.T) {
		out, err, _ := run(t, nil, "", append([]string{"verify", "--json", pz, eid}, trustFlags...)...)
		if !errors.Is(err, errNotAllPassed) {
			t.Errorf("got error %v, want %v", err, errNotAllPassed)
		}
		var res []struct {
			File   string `json:"file"`
			Report struct {
				Signatures []struct {
					Indication string `json:"indication"`
					Coverage   string `json:"coverage"`
					Scope      []struct {
						Type      string   `json:"type"`
						Locations []string `json:"locations"`
					} `json:"scope"`
				} `json:"signatures"`
			} `json:"report"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("--json output: %v\n%s", err, out)
		}
		if len(res) != 2 || res[0].Report.Signatures[0].Indication != "TOTAL-PASSED" || res[1].Report.Signatures[0].Indication != "INDETERMINATE" {
			t.Fatalf("got %+v, want TOTAL-PASSED then INDETERMINATE", res)
		}
		if s := res[0].Report.Signatures[0]; s.Coverage != string(xades.CoverageDocument) || len(s.Scope) != 1 || s.Scope[0].Type != string(xades.ScopeFull) || s.Scope[0].Locations[0] != "/wnio:Dokument" {
			t.Errorf("got coverage %s, scope %+v; want DOCUMENT, one FULL scope at /wnio:Dokument", s.Coverage, s.Scope)
		}
	})

	usage := []struct {
		name string
		args []string
	}{
		{"no file", []string{"verify"}},
		{"bad time", []string{"verify", pz, "--at", "jutro"}},
		{"list without signer", []string{"verify", pz, "--trust-list", list}},
		{"missing anchor", []string{"verify", pz, "--anchor", filepath.Join(dir, "none.crt")}},
		{"anchor not a certificate", []string{"verify", pz, "--anchor", pz}},
		{"missing detached content", []string{"verify", pz, "--detached", filepath.Join(dir, "none.bin")}},
		{"missing trust list", []string{"verify", pz, "--trust-list", filepath.Join(dir, "none.xml"), "--trust-list-signer", listSigner}},
		{"policy without identifier", []string{"verify", pz, "--policy", pz}},
		{"missing policy document", []string{"verify", pz, "--policy", "urn:x=" + filepath.Join(dir, "none.xml")}},
	}
	for _, tt := range usage {
		t.Run("usage: "+tt.name, func(t *testing.T) {
			_, err, started := run(t, nil, "", tt.args...)
			var ue usageError
			if err == nil || (started && !errors.As(err, &ue)) {
				t.Errorf("got error %v, want a usage error", err)
			}
		})
	}
}

// TestVerifyOnline verifies signatures that carry no revocation data
// against a test PKI serving OCSP and CRLs on 127.0.0.1.
func TestVerifyOnline(t *testing.T) {
	signedAt := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	var h http.Handler
	var ocspDown atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ocspDown.Load() && strings.HasPrefix(r.URL.Path, "/ocsp/") {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p, err := testpki.New(testpki.Options{Seed: 3, At: signedAt, BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	h = p.RevocationHandler(func() time.Time { return signedAt.Add(time.Hour) })
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	form := []byte(`<?xml version="1.0" encoding="UTF-8"?><wnio:Dokument xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/"><wnio:TrescDokumentu>Wniosek</wnio:TrescDokumentu></wnio:Dokument>`)
	signed := func(name string, e *testpki.Entity) string {
		doc, err := xades.Sign(context.Background(), form, e, xades.SignOptions{SigningTime: signedAt})
		if err != nil {
			t.Fatal(err)
		}
		return write(name, doc)
	}
	good, revoked := signed("good.xml", p.Citizen), signed("revoked.xml", p.Revoked)
	root := write("root.crt", p.Root.CertPEM())
	base := []string{"--anchor", root, "--at", "2026-06-02"}

	tests := []struct {
		name     string
		args     []string
		ocspDown bool
		wantErr  bool
		want     []string
	}{
		{name: "offline", args: []string{"verify", good}, wantErr: true, want: []string{"INDETERMINATE/TRY_LATER", "online OCSP/CRL is not used"}},
		{name: "online", args: []string{"verify", good, "--online", "--online-private-hosts"}, want: []string{"TOTAL-PASSED", "info online revocation data of Jan Testowy: OCSP response produced", "fetched from the network"}},
		{name: "online, revoked", args: []string{"verify", revoked, "--online", "--online-private-hosts"}, wantErr: true, want: []string{"INDETERMINATE/REVOKED_NO_POE", "OCSP response produced", "fetched from the network"}},
		{name: "online, OCSP down", args: []string{"verify", revoked, "--online", "--online-private-hosts"}, ocspDown: true, wantErr: true, want: []string{"INDETERMINATE/REVOKED_NO_POE", "CRL issued", "fetched from the network"}},
		{name: "online, test PKI refused", args: []string{"verify", good, "--online"}, wantErr: true, want: []string{"INDETERMINATE/TRY_LATER", "revocation URL refused"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ocspDown.Store(tt.ocspDown)
			out, err, _ := run(t, nil, "", append(tt.args, base...)...)
			var ue usageError
			if (err != nil) != tt.wantErr || errors.As(err, &ue) {
				t.Fatalf("got error %v, want error=%v and no usage error\n%s", err, tt.wantErr, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("got output\n%s\nwant it to contain %q", out, w)
				}
			}
		})
	}

	t.Run("json says where the data came from", func(t *testing.T) {
		out, err, _ := run(t, nil, "", append([]string{"verify", "--json", "--online", "--online-private-hosts", good}, base...)...)
		if err != nil {
			t.Fatalf("got error %v\n%s", err, out)
		}
		if !strings.Contains(out, "online revocation data of") || !strings.Contains(out, "fetched from the network") {
			t.Errorf("got %s, want a check saying the revocation data was fetched from the network", out)
		}
	})
	t.Run("usage: --online-private-hosts without --online", func(t *testing.T) {
		_, err, started := run(t, nil, "", append([]string{"verify", good, "--online-private-hosts"}, base...)...)
		var ue usageError
		if err == nil || (started && !errors.As(err, &ue)) {
			t.Errorf("got error %v, want a usage error", err)
		}
	})
}
