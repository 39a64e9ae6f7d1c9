package xades

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"regexp"
	"testing"

	"github.com/smallstep/pkcs7"
)

var (
	encTimeStampRE = regexp.MustCompile(`(?s)<xades:EncapsulatedTimeStamp[^>]*>([^<]+)<`)
	x509CertRE     = regexp.MustCompile(`(?s)<ds:X509Certificate>([^<]+)<`)
)

func certsFromToken(tb testing.TB, doc string) []*x509.Certificate {
	tb.Helper()
	m := encTimeStampRE.FindStringSubmatch(doc)
	if m == nil {
		tb.Fatalf("no EncapsulatedTimeStamp")
	}
	der, err := base64.StdEncoding.DecodeString(stripSpace(m[1]))
	if err != nil {
		tb.Fatalf("decode time-stamp: %v", err)
	}
	p7, err := pkcs7.Parse(der)
	if err != nil {
		tb.Fatalf("parse time-stamp: %v", err)
	}
	return p7.Certificates
}

func keyInfoCert(tb testing.TB, doc string) *x509.Certificate {
	tb.Helper()
	m := x509CertRE.FindStringSubmatch(doc)
	if m == nil {
		tb.Fatalf("no X509Certificate")
	}
	der, err := base64.StdEncoding.DecodeString(stripSpace(m[1]))
	if err != nil {
		tb.Fatalf("decode certificate: %v", err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatalf("parse certificate: %v", err)
	}
	return c
}

// TestProofOfExistence uses xades-extended-t.xml, whose signing
// certificate has expired by the validation time, with its own
// certificates as anchors: only a trusted time-stamp saves it.
func TestProofOfExistence(t *testing.T) {
	doc := readCorpus(t, "xades-extended-t.xml")
	signer := keyInfoCert(t, doc)
	tsa := certsFromToken(t, doc)
	if !validationTime.After(signer.NotAfter) {
		t.Fatalf("signing certificate valid until %s: the test needs it expired at %s", signer.NotAfter, validationTime)
	}
	tests := []struct {
		name        string
		tsaAnchors  []*x509.Certificate
		wantTrusted bool
		wantInd     Indication
		wantSub     SubIndication
	}{
		{name: "no time-stamping anchors", wantInd: Indeterminate, wantSub: OutOfBoundsNoPOE},
		{name: "TSA unrelated to the anchors", tsaAnchors: []*x509.Certificate{signer}, wantInd: Indeterminate, wantSub: OutOfBoundsNoPOE},
		{name: "trusted TSA", tsaAnchors: tsa, wantTrusted: true, wantInd: TotalPassed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Verify(context.Background(), []byte(doc), Options{
				ValidationTime:   validationTime,
				TrustAnchors:     []*x509.Certificate{signer},
				TimestampAnchors: tt.tsaAnchors,
			})
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			s := rep.Signatures[0]
			if len(s.Timestamps) != 1 || s.Timestamps[0].Trusted != tt.wantTrusted {
				t.Fatalf("got time-stamps %+v, want one with trusted=%v", s.Timestamps, tt.wantTrusted)
			}
			if s.Indication != tt.wantInd || s.SubIndication != tt.wantSub {
				t.Errorf("got %s/%s, want %s/%s; checks %+v", s.Indication, s.SubIndication, tt.wantInd, tt.wantSub, s.Checks)
			}
		})
	}
}
