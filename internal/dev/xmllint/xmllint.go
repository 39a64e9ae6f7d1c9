// Package xmllint validates XML documents in tests against XSD schemas with libxml2's xmllint
// (Debian package libxml2-utils), an independent validator: what obieg writes is checked by a
// tool other than the code that wrote it. Without xmllint a test is skipped with a message,
// except under CI=true, where it fails.
package xmllint

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Validate validates doc against the schema xsd of schemas, offline: the schemas are copied
// to a temporary directory, and a catalog.xml among them maps the URLs they import to the
// copies. It returns whether doc is valid and what xmllint said.
func Validate(t testing.TB, schemas fs.FS, xsd string, doc []byte) (valid bool, output string) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint not found: install the Debian package libxml2-utils")
		}
		t.Skip("xmllint not found (Debian package libxml2-utils): schema check skipped; CI=true makes this a failure")
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, schemas); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "document-under-test.xml")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--noout", "--nonet", "--schema", filepath.Join(dir, xsd), file)
	if _, err := os.Stat(filepath.Join(dir, "catalog.xml")); err == nil {
		cmd.Env = append(os.Environ(), "XML_CATALOG_FILES="+filepath.Join(dir, "catalog.xml"))
	}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run xmllint: %v", err)
	}
	return err == nil, string(out)
}
