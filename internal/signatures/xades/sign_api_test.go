package xades_test

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/testpki"
	"github.com/obieg/obieg/internal/signatures/xades"
	"golang.org/x/text/encoding/charmap"
)

func TestSignErrors(t *testing.T) {
	p := testPKI(t)
	ctx := context.Background()
	mismatched, err := testpki.New(testpki.Options{Seed: 99, At: signedAt})
	if err != nil {
		t.Fatal(err)
	}
	// The citizen's certificate with another PKI's key.
	wrongKey := &testpki.Entity{Key: mismatched.Citizen.Key, Cert: p.Citizen.Cert, Issuer: p.Citizen.Issuer, Name: "wrong"}
	signed := sign(t, p.Citizen, xades.SignOptions{SigningTime: signedAt, ID: "sig-1"})
	failing := &refusingTSA{}
	tests := []struct {
		name    string
		doc     string
		signer  xades.Signer
		opts    xades.SignOptions
		wantErr error
	}{
		{name: "no signing time", doc: form, signer: p.Citizen, opts: xades.SignOptions{}, wantErr: xades.ErrNoSigningTime},
		{name: "unknown canonicalization", doc: form, signer: p.Citizen, opts: xades.SignOptions{SigningTime: signedAt, Canonicalization: "urn:x"}, wantErr: xades.ErrSignOptions},
		{name: "SHA-1", doc: form, signer: p.Citizen, opts: xades.SignOptions{SigningTime: signedAt, Hash: crypto.SHA1}, wantErr: xades.ErrSignOptions},
		{name: "id already in the document", doc: string(signed), signer: p.Citizen, opts: xades.SignOptions{SigningTime: signedAt, ID: "sig-1"}, wantErr: xades.ErrSignOptions},
		{name: "key not the certificate's", doc: form, signer: wrongKey, opts: xades.SignOptions{SigningTime: signedAt}},
		{name: "not XML", doc: "<a>", signer: p.Citizen, opts: xades.SignOptions{SigningTime: signedAt}},
		{name: "DTD", doc: `<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`, signer: p.Citizen, opts: xades.SignOptions{SigningTime: signedAt}},
		{name: "claimed role not well-formed", doc: form, signer: p.Citizen, opts: xades.SignOptions{SigningTime: signedAt, ClaimedRoles: []string{"<a>"}}},
		{name: "TSA refuses", doc: form, signer: p.Citizen, opts: xades.SignOptions{SigningTime: signedAt, TSA: failing}},
		{name: "TSA stamps another imprint", doc: form, signer: p.Citizen, opts: xades.SignOptions{SigningTime: signedAt, TSA: &wrongImprintTSA{p.Timestamper(func() time.Time { return signedAt })}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := xades.Sign(ctx, []byte(tt.doc), tt.signer, tt.opts)
			if err == nil {
				t.Fatal("got no error")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("got error %v, want %v", err, tt.wantErr)
			}
		})
	}
}

type refusingTSA struct{}

func (refusingTSA) Timestamp(context.Context, []byte, crypto.Hash) ([]byte, error) {
	return nil, errors.New("TSA down")
}

type wrongImprintTSA struct{ tsa xades.TSA }

func (w *wrongImprintTSA) Timestamp(ctx context.Context, digest []byte, h crypto.Hash) ([]byte, error) {
	other := sha256.Sum256(append([]byte("other"), digest...))
	return w.tsa.Timestamp(ctx, other[:], h)
}

// TestSignDocuments checks what Sign makes of various inputs: each must
// verify TOTAL-PASSED with the test PKI.
func TestSignDocuments(t *testing.T) {
	p := testPKI(t)
	ctx := context.Background()
	latin2, err := charmap.ISO8859_2.NewEncoder().String(strings.Replace(form, `encoding="UTF-8"`, `encoding="ISO-8859-2"`, 1))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		doc   string
		roles []string
		check func(t *testing.T, signed string, s *xades.SignatureReport)
	}{
		{name: "ISO-8859-2 input is written as UTF-8", doc: latin2, check: func(t *testing.T, signed string, _ *xades.SignatureReport) {
			if !strings.Contains(signed, `encoding="UTF-8"`) || !strings.Contains(signed, "Łódź") {
				t.Errorf("got %.200q, want a UTF-8 document", signed)
			}
		}},
		{name: "no XML declaration", doc: `<a xmlns="urn:x"><b>1</b></a>`},
		{name: "default namespace and xml:lang", doc: `<a xmlns="urn:x" xml:lang="pl"><b xmlns:q="urn:q" q:c="1">tekst &amp; &lt;znaki&gt;</b></a>`},
		{name: "text role", doc: form, roles: []string{"kierownik działu"}, check: func(t *testing.T, signed string, _ *xades.SignatureReport) {
			if !strings.Contains(signed, "<xades:ClaimedRole>kierownik działu</xades:ClaimedRole>") {
				t.Errorf("got no text claimed role in %.300q", signed)
			}
		}},
		{name: "EPSignature role", doc: form, roles: []string{p.Person.EPSignature()}, check: func(t *testing.T, _ string, s *xades.SignatureReport) {
			if c := s.Signer.Claimed; c == nil || c.Form != "EPSignature" || c.PESEL != p.Person.PESEL {
				t.Errorf("got claim %+v, want the EPSignature of %s", c, p.Person.PESEL)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, err := p.SignOptions(p.Citizen, signedAt)
			if err != nil {
				t.Fatal(err)
			}
			opts.ClaimedRoles = tt.roles
			out, err := xades.Sign(ctx, []byte(tt.doc), p.Citizen, opts)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := xades.Verify(ctx, out, listOptions(t, false))
			if err != nil {
				t.Fatal(err)
			}
			s := rep.Signatures[0]
			if s.Indication != xades.TotalPassed || !s.References[0].WholeDocument {
				t.Fatalf("got %s/%s (whole document %v), want TOTAL-PASSED over the whole document; checks %+v", s.Indication, s.SubIndication, s.References[0].WholeDocument, s.Checks)
			}
			if tt.check != nil {
				tt.check(t, string(out), s)
			}
		})
	}
}

// TestHTTPTSA signs B-T through the RFC 3161 HTTP client against the test
// PKI's responder, and checks the client's refusals.
func TestHTTPTSA(t *testing.T) {
	p := testPKI(t)
	ctx := context.Background()
	ts := p.Timestamper(func() time.Time { return signedAt.Add(time.Minute) })
	srv := httptest.NewServer(ts)
	defer srv.Close()
	opts, err := p.SignOptions(p.Citizen, signedAt)
	if err != nil {
		t.Fatal(err)
	}
	opts.TSA = &xades.HTTPTSA{URL: srv.URL, Client: srv.Client()}
	out, err := xades.Sign(ctx, []byte(form), p.Citizen, opts)
	if err != nil {
		t.Fatalf("sign with an HTTP TSA: %v", err)
	}
	rep, err := xades.Verify(ctx, out, listOptions(t, false))
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Signatures[0]
	if s.Indication != xades.TotalPassed || len(s.Timestamps) != 1 || !s.Timestamps[0].Trusted {
		t.Errorf("got %s with time-stamps %+v, want TOTAL-PASSED with one trusted time-stamp", s.Indication, s.Timestamps)
	}

	digest := sha256.Sum256([]byte("x"))
	bad := []struct {
		name    string
		want    string
		handler http.HandlerFunc
	}{
		{"HTTP error", "HTTP 503", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "no", http.StatusServiceUnavailable) }},
		{"not a TimeStampResp", "not a TimeStampResp", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("hello")) }},
		{"rejection", "refused with status 2", func(w http.ResponseWriter, _ *http.Request) {
			w.Write([]byte{0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02})
		}},
		{"token without the nonce", "nonce", func(w http.ResponseWriter, r *http.Request) {
			// Answer for the imprint asked, but from a fresh request without a nonce.
			tok, err := ts.Timestamp(r.Context(), digest[:], crypto.SHA256)
			if err != nil {
				t.Error(err)
			}
			resp := append([]byte{0x30, 0x82, byte((len(tok) + 5) >> 8), byte(len(tok) + 5), 0x30, 0x03, 0x02, 0x01, 0x00}, tok...)
			w.Write(resp)
		}},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			srv := httptest.NewServer(b.handler)
			defer srv.Close()
			_, err := (&xades.HTTPTSA{URL: srv.URL}).Timestamp(ctx, digest[:], crypto.SHA256)
			if !errors.Is(err, xades.ErrTSA) || !strings.Contains(err.Error(), b.want) {
				t.Errorf("got error %v, want one saying %q", err, b.want)
			}
		})
	}
}

// TestSignCosignable signs a form twice, the first signature Cosignable:
// the second does not break the first (as it does an enveloped-only one),
// and xmlsec1 agrees.
func TestSignCosignable(t *testing.T) {
	p := testPKI(t)
	for _, cosignable := range []bool{true, false} {
		t.Run(fmt.Sprintf("cosignable %v", cosignable), func(t *testing.T) {
			first, err := p.SignOptions(p.CitizenRSA, signedAt)
			if err != nil {
				t.Fatal(err)
			}
			first.Cosignable, first.ID = cosignable, "sig-clerk"
			once := sign(t, p.CitizenRSA, first)
			second, err := p.SignOptions(p.Citizen, signedAt)
			if err != nil {
				t.Fatal(err)
			}
			second.ID = "sig-head"
			twice, err := xades.Sign(context.Background(), once, p.Citizen, second)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := xades.Verify(context.Background(), twice, xades.Options{ValidationTime: validateAt})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Signatures) != 2 {
				t.Fatalf("got %d signatures, want 2", len(rep.Signatures))
			}
			gotFirst := rep.Signatures[0]
			wantFirst := xades.TotalFailed
			if cosignable {
				wantFirst = xades.Indeterminate // intact, no trust anchors
			}
			if gotFirst.Indication != wantFirst || rep.Signatures[1].Indication != xades.Indeterminate {
				t.Errorf("got %s/%s and %s/%s, want %s first and the second intact", gotFirst.Indication, gotFirst.SubIndication, rep.Signatures[1].Indication, rep.Signatures[1].SubIndication, wantFirst)
			}
			if !cosignable {
				return
			}
			if gotFirst.Coverage != xades.CoverageDocument {
				t.Errorf("got coverage %s, want %s", gotFirst.Coverage, xades.CoverageDocument)
			}
			xmlsec := peer(t, "xmlsec1", "the Debian package xmlsec1")
			if out, ok := xmlsec1Verify(t, xmlsec, t.TempDir(), twice, p.CitizenRSA); !ok {
				t.Errorf("got xmlsec1 on the first signature:\n%s\nwant OK", out)
			}
		})
	}
}

// TestParseCertificateNegativeSerial reads a CA certificate with a negative
// serial number, which crypto/x509 refuses, and checks that what it issued
// still verifies against it and that it verifies against its issuer.
func TestParseCertificateNegativeSerial(t *testing.T) {
	p := testPKI(t)
	ca, err := testpki.WithNegativeSerial(p.QualifiedCA)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x509.ParseCertificate(ca.Cert.Raw); err == nil {
		t.Skip("crypto/x509 parses negative serial numbers here (GODEBUG x509negativeserial=1?)")
	}
	c, err := xades.ParseCertificate(ca.Cert.Raw)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if c.SerialNumber.Sign() >= 0 || c.SerialNumber.Cmp(ca.Cert.SerialNumber) != 0 {
		t.Errorf("got serial %s, want %s", c.SerialNumber, ca.Cert.SerialNumber)
	}
	if err := c.CheckSignatureFrom(p.Root.Cert); err != nil {
		t.Errorf("the CA certificate does not verify against its root: %v", err)
	}
	if err := p.CitizenRSA.Cert.CheckSignatureFrom(c); err != nil {
		t.Errorf("a certificate the CA issued does not verify against it: %v", err)
	}
	tampered := append([]byte(nil), ca.Cert.Raw...)
	tampered[len(tampered)/2] ^= 1
	if tc, err := xades.ParseCertificate(tampered); err == nil && tc.CheckSignatureFrom(p.Root.Cert) == nil {
		t.Error("a tampered certificate parsed and verified")
	}
}
