package xades

import (
	"path/filepath"
	"testing"

	"github.com/obieg/obieg/internal/dev/golden"
	"github.com/obieg/obieg/internal/signatures/safexml"
)

func TestReportXML(t *testing.T) {
	tests := []struct {
		file, golden string
		wantMain     string
	}{
		{"dss-signed.xml", "report-dss-signed.xml", "urn:etsi:019102:mainindication:indeterminate"},
		{"dss-signed-TAMPERED-signingtime.xml", "report-dss-signed-tampered.xml", "urn:etsi:019102:mainindication:total-failed"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := verifyFile(t, tt.file).XML()
			if err != nil {
				t.Fatalf("render XML: %v", err)
			}
			doc, err := safexml.ParseBytes(got, safexml.Limits{})
			if err != nil {
				t.Fatalf("parse rendered XML: %v", err)
			}
			if m := doc.FindElement("//SignatureValidationStatus/MainIndication"); m == nil || m.Text() != tt.wantMain {
				t.Errorf("got main indication %v, want %s", m, tt.wantMain)
			}
			golden.Check(t, filepath.Join("testdata", tt.golden), got)
		})
	}
}
