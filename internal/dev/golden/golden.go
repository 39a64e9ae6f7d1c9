// Package golden compares what a test produced with a golden file kept under testdata, and
// rewrites the file instead when the test binary runs with -update (after a deliberate change,
// to be reviewed in the diff). It registers the -update flag of the test binaries that use it.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files with what the tests produce")

// Check compares got with the golden file at path; with -update it first writes got there.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("write golden file: %v", err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run the test with -update to write it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the output differs from %s: run the test with -update after a deliberate change and review the diff\n%s", path, got)
	}
}
