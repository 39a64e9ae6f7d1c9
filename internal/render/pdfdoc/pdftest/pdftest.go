// Package pdftest reads rendered PDFs back as text in tests, with pdftotext (Debian package
// poppler-utils): without it a test is skipped, except under CI (CI=true), where it fails.
package pdftest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Text returns the text of pdf as pdftotext extracts it; layout keeps the page layout
// (columns side by side) instead of reading order.
func Text(t testing.TB, pdf []byte, layout bool) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext (Debian package poppler-utils) is needed to read the PDF back")
		}
		t.Skip("pdftotext (poppler-utils) not installed: the PDF's text is not checked")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{path, "-"}
	if layout {
		args = append([]string{"-layout"}, args...)
	}
	out, err := exec.Command("pdftotext", args...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
