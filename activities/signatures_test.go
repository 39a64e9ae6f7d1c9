package activities

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/dev/sharedtest"
	"github.com/obieg/obieg/internal/signatures/xades"
)

// TestSummarize reduces reports of real signatures (the shared corpus) to their verdicts.
func TestSummarize(t *testing.T) {
	dir := sharedtest.Dir(t, "testdata", "xades")
	tests := []struct {
		file       string
		doc        string // used when file is empty
		wantStatus string
		wantCovers bool
	}{
		// Intact XAdES-B-B over the whole document; no anchors configured, so not passed.
		{file: "dss-signed.xml", wantStatus: contract.SignatureIndeterminate, wantCovers: true},
		// The document reference was removed after signing: broken.
		{file: "nonconformant-dss-signed-altered-refRemoved.xml", wantStatus: contract.SignatureFailed},
		// Enveloping signature: it covers its own ds:Object, not a document around it.
		{file: "X_AT_SIT_1.xml", wantStatus: contract.SignatureIndeterminate, wantCovers: false},
		{doc: `<w:D xmlns:w="http://crd.gov.pl/wzor/2013/12/12/1410/"><w:Tytul>bez podpisu</w:Tytul></w:D>`, wantStatus: contract.SignatureUnsigned},
	}
	for _, tt := range tests {
		name := tt.file
		if name == "" {
			name = "unsigned"
		}
		t.Run(name, func(t *testing.T) {
			data := []byte(tt.doc)
			if tt.file != "" {
				var err error
				if data, err = os.ReadFile(filepath.Join(dir, tt.file)); err != nil {
					t.Fatal(err)
				}
			}
			rep, err := xades.Verify(context.Background(), data, xades.Options{ValidationTime: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			got := summarize(rep)
			if got.Status != tt.wantStatus || got.CoversDocument != tt.wantCovers {
				t.Errorf("got %+v, want status %s, covers document %v", got, tt.wantStatus, tt.wantCovers)
			}
		})
	}
}
