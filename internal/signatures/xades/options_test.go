package xades

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/sharedtest"
)

func testCert(tb testing.TB) *x509.Certificate {
	tb.Helper()
	b, err := os.ReadFile(sharedtest.Dir(tb, "testdata", "xades", "selfsigned-test-cert.pem"))
	if err != nil {
		tb.Fatalf("corpus not available: %v", err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		tb.Fatalf("selfsigned-test-cert.pem: no PEM block")
		return nil
	}
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		tb.Fatalf("parse selfsigned-test-cert.pem: %v", err)
	}
	return c
}

var keyInfoRE = regexp.MustCompile(`(?s)<ds:KeyInfo>.*</ds:KeyInfo>`)

func TestOptions(t *testing.T) {
	cert := testCert(t)
	plain := readCorpus(t, "enveloped-only-transform-no-comment.xml")
	noKeyInfo := keyInfoRE.ReplaceAllString(plain, "")
	if noKeyInfo == plain {
		t.Fatalf("KeyInfo not removed")
	}
	tests := []struct {
		name    string
		doc     string
		opts    Options
		wantInd Indication
		wantSub SubIndication
	}{
		{name: "no anchors", doc: plain, opts: Options{}, wantInd: Indeterminate, wantSub: NoCertificateChainFound},
		{name: "signer is an anchor", doc: plain, opts: Options{TrustAnchors: []*x509.Certificate{cert}}, wantInd: TotalPassed},
		{name: "validation time before notBefore", doc: plain, opts: Options{TrustAnchors: []*x509.Certificate{cert}, ValidationTime: cert.NotBefore.Add(-time.Hour)}, wantInd: Indeterminate, wantSub: NotYetValid},
		{name: "validation time after notAfter", doc: plain, opts: Options{TrustAnchors: []*x509.Certificate{cert}, ValidationTime: cert.NotAfter.Add(time.Hour)}, wantInd: Indeterminate, wantSub: OutOfBoundsNoPOE},
		{name: "no KeyInfo, no certificate", doc: noKeyInfo, opts: Options{}, wantInd: Indeterminate, wantSub: NoSigningCertificateFound},
		{name: "no KeyInfo, certificate supplied", doc: noKeyInfo, opts: Options{Certificates: []*x509.Certificate{cert}, TrustAnchors: []*x509.Certificate{cert}}, wantInd: TotalPassed},
		{name: "wrong anchor", doc: plain, opts: Options{TrustAnchors: []*x509.Certificate{testAnchor(t)}}, wantInd: Indeterminate, wantSub: NoCertificateChainFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			if opts.ValidationTime.IsZero() {
				opts.ValidationTime = validationTime
			}
			rep, err := Verify(context.Background(), []byte(tt.doc), opts)
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			s := rep.Signatures[0]
			if s.Indication != tt.wantInd || s.SubIndication != tt.wantSub {
				t.Errorf("got %s/%s, want %s/%s; checks %+v", s.Indication, s.SubIndication, tt.wantInd, tt.wantSub, s.Checks)
			}
		})
	}
}

// testAnchor is a certificate unrelated to the test signer.
func testAnchor(tb testing.TB) *x509.Certificate {
	tb.Helper()
	b, err := os.ReadFile(sharedtest.Dir(tb, "testdata", "trust", "PL_TSL_signer.cer"))
	if err != nil {
		tb.Fatalf("trust material not available: %v", err)
	}
	c, err := x509.ParseCertificate(b)
	if err != nil {
		tb.Fatalf("parse PL_TSL_signer.cer: %v", err)
	}
	return c
}

func TestQualifyOption(t *testing.T) {
	pki := newTestPKI(t)
	signed := pki.signer.sign(t, formTemplate(envelopedTransform, podpisZP))
	var gotChain []*x509.Certificate
	var gotAt time.Time
	rep, err := Verify(context.Background(), []byte(signed), Options{
		ValidationTime: validationTime,
		TrustAnchors:   []*x509.Certificate{pki.ca},
		Qualify: func(chain []*x509.Certificate, at time.Time) (string, string) {
			gotChain, gotAt = chain, at
			return "QESig", "stub"
		},
	})
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	s := rep.Signatures[0]
	if s.Qualification != "QESig" {
		t.Errorf("got qualification %q, want QESig", s.Qualification)
	}
	if len(gotChain) != 2 || !gotChain[0].Equal(pki.signer.cert) || !gotChain[1].Equal(pki.ca) || !gotAt.Equal(validationTime) {
		t.Errorf("got Qualify(%d certificates, %s), want (signer, CA) at %s", len(gotChain), gotAt, validationTime)
	}
}
