package xades

import (
	"context"
	"crypto/x509"
	"os"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/sharedtest"
)

func TestTrustedListSignatures(t *testing.T) {
	signer := func(t *testing.T) []*x509.Certificate {
		b, err := os.ReadFile(sharedtest.Dir(t, "testdata", "trust", "PL_TSL_signer.cer"))
		if err != nil {
			t.Fatalf("trust material not available: %v", err)
		}
		c, err := x509.ParseCertificate(b)
		if err != nil {
			t.Fatalf("parse PL_TSL_signer.cer: %v", err)
		}
		return []*x509.Certificate{c}
	}
	issued := time.Date(2023, 9, 20, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		file    string
		anchors func(t *testing.T) []*x509.Certificate
		at      time.Time
		wantInd Indication
		wantSub SubIndication
	}{
		{name: "PL TSL without anchors", file: "PL_TSL_seq139_2023-09-19.xml", at: issued, wantInd: Indeterminate, wantSub: NoCertificateChainFound},
		{name: "PL TSL anchored on its signer", file: "PL_TSL_seq139_2023-09-19.xml", anchors: signer, at: issued, wantInd: TotalPassed},
		{name: "EU LOTL without anchors", file: "eu-lotl.xml", at: issued, wantInd: Indeterminate, wantSub: NoCertificateChainFound},
		{name: "EU LOTL anchored on the PL signer", file: "eu-lotl.xml", anchors: signer, at: issued, wantInd: Indeterminate, wantSub: NoCertificateChainFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := os.ReadFile(sharedtest.Dir(t, "testdata", "trust", tt.file))
			if err != nil {
				t.Fatalf("trust material not available: %v", err)
			}
			opts := Options{ValidationTime: tt.at}
			if tt.anchors != nil {
				opts.TrustAnchors = tt.anchors(t)
			}
			rep, err := Verify(context.Background(), b, opts)
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			if len(rep.Signatures) != 1 {
				t.Fatalf("got %d signatures, want 1", len(rep.Signatures))
			}
			s := rep.Signatures[0]
			if s.Indication != tt.wantInd || s.SubIndication != tt.wantSub {
				t.Errorf("got %s/%s, want %s/%s; checks %+v", s.Indication, s.SubIndication, tt.wantInd, tt.wantSub, s.Checks)
			}
			if got := checkStatus(s, "signature value"); got != Passed {
				t.Errorf("got signature value %s, want %s", got, Passed)
			}
		})
	}
}
