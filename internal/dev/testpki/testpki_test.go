package testpki_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/testpki"
	"github.com/obieg/obieg/internal/signatures/trust"
	"github.com/obieg/obieg/internal/signatures/xades"
	"golang.org/x/crypto/ocsp"
)

var at = time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)

func newPKI(tb testing.TB) *testpki.PKI {
	tb.Helper()
	p, err := testpki.New(testpki.Options{Seed: 1, At: at})
	if err != nil {
		tb.Fatalf("new PKI: %v", err)
	}
	return p
}

const form = `<?xml version="1.0" encoding="UTF-8"?>
<wnio:Dokument xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/"><wnio:TrescDokumentu>Wniosek o Kartę Dużej Rodziny</wnio:TrescDokumentu></wnio:Dokument>
`

func TestDeterministic(t *testing.T) {
	a, b := newPKI(t), newPKI(t)
	for i, e := range a.Entities() {
		f := b.Entities()[i]
		if !bytes.Equal(e.Cert.RawSubjectPublicKeyInfo, f.Cert.RawSubjectPublicKeyInfo) || e.Cert.Subject.String() != f.Cert.Subject.String() || e.Cert.SerialNumber.Cmp(f.Cert.SerialNumber) != 0 {
			t.Errorf("%s: got a different key, subject or serial for the same seed", e.Name)
		}
	}
	if a.Person != b.Person {
		t.Errorf("got persons %+v and %+v for the same seed", a.Person, b.Person)
	}
	p := a.Person.PESEL
	if len(p) != 11 || p[2] < '6' || !strings.HasPrefix(a.Citizen.Cert.Subject.SerialNumber, "PNOPL-") {
		t.Errorf("got PESEL %q (subject serialNumber %q), want the fake range", p, a.Citizen.Cert.Subject.SerialNumber)
	}
}

func TestChains(t *testing.T) {
	p := newPKI(t)
	tests := []struct {
		e      *testpki.Entity
		root   *testpki.Entity
		wantOK bool
	}{
		{p.Citizen, p.Root, true},
		{p.CitizenRSA, p.Root, true},
		{p.ProfilZaufany, p.Root, true},
		{p.EIDCitizen, p.EIDRoot, true},
		{p.EIDCitizen, p.Root, false},
		{p.Untrusted, p.Root, false},
		{p.Expired, p.Root, false},
	}
	for _, tt := range tests {
		t.Run(tt.e.Name, func(t *testing.T) {
			_, err := trust.Chain(tt.e.Cert, tt.e.Chain(), []*x509.Certificate{tt.root.Cert}, at)
			if (err == nil) != tt.wantOK {
				t.Errorf("got chain error %v, want ok=%v", err, tt.wantOK)
			}
		})
	}
}

func TestRevocation(t *testing.T) {
	p := newPKI(t)
	for _, tt := range []struct {
		e    *testpki.Entity
		want int
	}{{p.Citizen, ocsp.Good}, {p.Revoked, ocsp.Revoked}, {p.EIDCitizen, ocsp.Good}} {
		raw, err := p.OCSPResponse(tt.e.Cert, at)
		if err != nil {
			t.Fatal(err)
		}
		r, err := ocsp.ParseResponseForCert(raw, tt.e.Cert, tt.e.Issuer.Cert)
		if err != nil || r.Status != tt.want {
			t.Errorf("%s: got OCSP %v, %v; want status %d", tt.e.Name, r, err, tt.want)
		}
		req, err := ocsp.CreateRequest(tt.e.Cert, tt.e.Issuer.Cert, nil)
		if err != nil {
			t.Fatal(err)
		}
		raw, err = p.RespondOCSP(req, at)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := ocsp.ParseResponseForCert(raw, tt.e.Cert, tt.e.Issuer.Cert); err != nil || r.Status != tt.want {
			t.Errorf("%s: RespondOCSP got %v, %v; want status %d", tt.e.Name, r, err, tt.want)
		}
	}
	der, err := p.CRL(p.QualifiedCA, at)
	if err != nil {
		t.Fatal(err)
	}
	crl, err := x509.ParseRevocationList(der)
	if err != nil || crl.CheckSignatureFrom(p.QualifiedCA.Cert) != nil {
		t.Fatalf("got CRL %v, want one signed by the qualified CA", err)
	}
	if len(crl.RevokedCertificateEntries) != 1 || crl.RevokedCertificateEntries[0].SerialNumber.Cmp(p.Revoked.Cert.SerialNumber) != 0 {
		t.Errorf("got %d revoked entries, want only the revoked certificate", len(crl.RevokedCertificateEntries))
	}
}

func TestTimestamper(t *testing.T) {
	p := newPKI(t)
	ts := p.Timestamper(func() time.Time { return at })
	srv := httptest.NewServer(ts)
	defer srv.Close()
	digest := sha256.Sum256([]byte("x"))
	tok, err := (&xades.HTTPTSA{URL: srv.URL, Client: srv.Client()}).Timestamp(context.Background(), digest[:], 5 /* crypto.SHA256 */)
	if err != nil {
		t.Fatalf("time-stamp over HTTP: %v", err)
	}
	if len(tok) == 0 {
		t.Fatal("got an empty token")
	}
}

func TestTrustedList(t *testing.T) {
	p := newPKI(t)
	ctx := context.Background()
	tsl, err := p.TrustedList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	l, _, err := trust.VerifyList(ctx, tsl, []*x509.Certificate{p.TSLSigner.Cert}, at)
	if err != nil {
		t.Fatalf("verify trusted list: %v", err)
	}
	if _, _, err := trust.VerifyList(ctx, tsl, []*x509.Certificate{p.Root.Cert}, at); err == nil {
		t.Errorf("got the list verified with another pinned signer, want an error")
	}
	if a := l.Anchors(at); len(a) != 1 || !a[0].Equal(p.QualifiedCA.Cert) {
		t.Errorf("got anchors %v, want the qualified CA", a)
	}
	opts := l.VerifyOptions(at)
	opts.ProfilZaufany = []*x509.Certificate{p.ProfilZaufany.Cert}
	tests := []struct {
		name   string
		sign   func() ([]byte, error)
		want   string
		claims bool
	}{
		{"qualified ECDSA", func() ([]byte, error) { return p.SignQualified(ctx, []byte(form), p.Citizen, at) }, trust.QESig, false},
		{"qualified RSA", func() ([]byte, error) { return p.SignQualified(ctx, []byte(form), p.CitizenRSA, at) }, trust.QESig, false},
		{"Profil Zaufany", func() ([]byte, error) { return p.SignProfilZaufany(ctx, []byte(form), p.Person, at) }, trust.QESeal, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := tt.sign()
			if err != nil {
				t.Fatal(err)
			}
			rep, err := xades.Verify(ctx, doc, opts)
			if err != nil {
				t.Fatal(err)
			}
			s := rep.Signatures[0]
			if s.Indication != xades.TotalPassed || s.Qualification != tt.want {
				t.Errorf("got %s/%s %s, want TOTAL-PASSED %s; checks %+v", s.Indication, s.SubIndication, s.Qualification, tt.want, s.Checks)
			}
			if tt.claims && (s.Signer.Claimed == nil || !s.Signer.Claimed.Confirmed || s.Signer.Claimed.PESEL != p.Person.PESEL) {
				t.Errorf("got claim %+v, want a confirmed PodpisZP of %s", s.Signer.Claimed, p.Person.PESEL)
			}
		})
	}
}

func TestExport(t *testing.T) {
	p := newPKI(t)
	dir := t.TempDir()
	if err := p.WriteFiles(dir, "test"); err != nil {
		t.Fatal(err)
	}
	key, err := p.Citizen.KeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	s, err := xades.LoadPKCS8(key, p.Citizen.ChainPEM())
	if err != nil || !s.Certificate().Equal(p.Citizen.Cert) || len(s.Chain()) != 1 {
		t.Fatalf("got %v, %v from PKCS#8; want the citizen with one issuer", s, err)
	}
	pfx, err := p.CitizenRSA.PKCS12("haslo")
	if err != nil {
		t.Fatal(err)
	}
	s, err = xades.LoadPKCS12(pfx, "haslo")
	if err != nil || !s.Certificate().Equal(p.CitizenRSA.Cert) {
		t.Fatalf("got %v from PKCS#12, want the RSA citizen", err)
	}
	if _, err := xades.LoadPKCS12(pfx, "zle"); err == nil {
		t.Errorf("got a key with a wrong password")
	}
	if _, err := xades.LoadPKCS8(key, p.CitizenRSA.CertPEM()); err == nil {
		t.Errorf("got a signer whose key is not its certificate's")
	}
}

func TestRevocationHandler(t *testing.T) {
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	p, err := testpki.New(testpki.Options{Seed: 1, At: at, BaseURL: srv.URL})
	if err != nil {
		t.Fatalf("new PKI: %v", err)
	}
	h = p.RevocationHandler(func() time.Time { return at })
	if got, want := p.Citizen.Cert.OCSPServer, []string{srv.URL + "/ocsp/qualified-ca"}; !slices.Equal(got, want) {
		t.Errorf("got OCSP servers %q, want %q", got, want)
	}
	if got, want := p.QualifiedCA.Cert.CRLDistributionPoints, []string{srv.URL + "/crl/root.crl"}; !slices.Equal(got, want) {
		t.Errorf("got CRL distribution points %q, want %q", got, want)
	}
	if !slices.ContainsFunc(p.OCSP.Cert.Extensions, func(e pkix.Extension) bool { return e.Id.String() == "1.3.6.1.5.5.7.48.1.5" }) {
		t.Error("got an OCSP responder certificate without id-pkix-ocsp-nocheck")
	}

	tests := []struct {
		name    string
		e       *testpki.Entity
		byGET   bool
		wantSt  int
		wantRev bool
	}{
		{name: "good by POST", e: p.Citizen, wantSt: ocsp.Good},
		{name: "revoked by POST", e: p.Revoked, wantSt: ocsp.Revoked, wantRev: true},
		{name: "good by GET", e: p.CitizenRSA, byGET: true, wantSt: ocsp.Good},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := ocsp.CreateRequest(tt.e.Cert, tt.e.Issuer.Cert, nil)
			if err != nil {
				t.Fatal(err)
			}
			u := tt.e.Cert.OCSPServer[0]
			var resp *http.Response
			if tt.byGET {
				resp, err = http.Get(u + "/" + base64.StdEncoding.EncodeToString(req))
			} else {
				resp, err = http.Post(u, "application/ocsp-request", bytes.NewReader(req))
			}
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			r, err := ocsp.ParseResponseForCert(body, tt.e.Cert, tt.e.Issuer.Cert)
			if err != nil {
				t.Fatalf("parse response: %v", err)
			}
			if r.Status != tt.wantSt {
				t.Errorf("got OCSP status %d, want %d", r.Status, tt.wantSt)
			}
		})
	}

	resp, err := http.Get(p.Citizen.Cert.CRLDistributionPoints[0])
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	rl, err := x509.ParseRevocationList(body)
	if err != nil || rl.CheckSignatureFrom(p.QualifiedCA.Cert) != nil {
		t.Fatalf("got CRL error %v, want one signed by the qualified CA", err)
	}
	if len(rl.RevokedCertificateEntries) != 1 || rl.RevokedCertificateEntries[0].SerialNumber.Cmp(p.Revoked.Cert.SerialNumber) != 0 {
		t.Errorf("got revoked entries %+v, want the Revoked certificate only", rl.RevokedCertificateEntries)
	}
	for _, path := range []string{"/crl/citizen.crl", "/crl/nobody.crl", "/crl/root"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: got status %d, want 404", path, resp.StatusCode)
		}
	}
}
