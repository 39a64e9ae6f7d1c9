package xades

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"regexp"
	"testing"
	"time"
)

var encCertRE = regexp.MustCompile(`(?s)<[a-zA-Z0-9]*:?EncapsulatedX509Certificate[^>]*>([^<]+)<`)

// certificateValue returns the certificate of the document's
// CertificateValues whose common name is cn.
func certificateValue(tb testing.TB, doc, cn string) *x509.Certificate {
	tb.Helper()
	for _, m := range encCertRE.FindAllStringSubmatch(doc, -1) {
		der, err := base64.StdEncoding.DecodeString(stripSpace(m[1]))
		if err != nil {
			continue
		}
		if c, err := x509.ParseCertificate(der); err == nil && c.Subject.CommonName == cn {
			return c
		}
	}
	tb.Fatalf("no certificate %q in CertificateValues", cn)
	return nil
}

// TestEmbeddedRevocation validates the LT-level corpus signatures with
// their own roots as anchors, at a time when their certificates were
// valid: the OCSP responses and CRLs they carry decide the status.
func TestEmbeddedRevocation(t *testing.T) {
	tests := []struct {
		name, file, root string
		at               time.Time
		// tsaTrusted also makes the root the time-stamping anchor.
		tsaTrusted bool
		wantInd    Indication
		wantSub    SubIndication
	}{
		{name: "DSS test PKI, XAdES-B-LTA", file: "xades-lta-valid.xml", root: "root-ca", at: time.Date(2021, 9, 1, 0, 0, 0, 0, time.UTC), wantInd: TotalPassed},
		// No SigningTime: the OCSP response speaks for the time-stamp's time,
		// not for the validation time.
		{name: "DSS test PKI, XAdES-A, untrusted TSA", file: "xades-extended-short-a.xml", root: "root-ca", at: time.Date(2022, 2, 1, 0, 0, 0, 0, time.UTC), wantInd: Indeterminate, wantSub: TryLater},
		{name: "DSS test PKI, XAdES-A, trusted TSA", file: "xades-extended-short-a.xml", root: "root-ca", at: time.Date(2022, 2, 1, 0, 0, 0, 0, time.UTC), tsaTrusted: true, wantInd: TotalPassed},
		{name: "Dutch PKIoverheid, XAdES-X-L", file: "xades-extended-xl.xml", root: "Staat der Nederlanden Root CA - G3", at: time.Date(2021, 12, 1, 0, 0, 0, 0, time.UTC), wantInd: TotalPassed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := readCorpus(t, tt.file)
			root := certificateValue(t, doc, tt.root)
			opts := Options{ValidationTime: tt.at, TrustAnchors: []*x509.Certificate{root}}
			if tt.tsaTrusted {
				opts.TimestampAnchors = opts.TrustAnchors
			}
			rep, err := Verify(context.Background(), []byte(doc), opts)
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			s := masters(rep)[0]
			if n := len(s.Chain); n < 2 || s.Chain[n-1].Subject != root.Subject.String() {
				t.Errorf("got chain %+v, want one ending at %s", s.Chain, root.Subject)
			}
			if s.Indication != tt.wantInd || s.SubIndication != tt.wantSub {
				t.Errorf("got %s/%s, want %s/%s", s.Indication, s.SubIndication, tt.wantInd, tt.wantSub)
			}
			for _, c := range s.Checks {
				if c.Status != Passed {
					t.Logf("%s: %s %s %s", c.Name, c.Status, c.SubIndication, c.Detail)
				}
			}
		})
	}
}
