package xades

import (
	"bufio"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/sharedtest"
)

// validationTime is fixed so the tests do not depend on the clock.
var validationTime = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

type expectation struct {
	file, integrity, verdict, notice string
}

func readExpected(tb testing.TB) []expectation {
	tb.Helper()
	f, err := os.Open(sharedtest.Dir(tb, "testdata", "xades", "EXPECTED.tsv"))
	if err != nil {
		tb.Fatalf("corpus not available: %v", err)
	}
	tb.Cleanup(func() { f.Close() })
	var out []expectation
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 4 {
			tb.Fatalf("EXPECTED.tsv line %q: got %d columns, want 5", line, len(cols))
		}
		out = append(out, expectation{cols[0], cols[1], cols[2], cols[3]})
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("read EXPECTED.tsv: %v", err)
	}
	return out
}

func verifyFile(tb testing.TB, name string) *Report {
	tb.Helper()
	b, err := os.ReadFile(sharedtest.Dir(tb, "testdata", "xades", name))
	if err != nil {
		tb.Fatalf("read %s: %v", name, err)
	}
	rep, err := Verify(context.Background(), b, Options{ValidationTime: validationTime})
	if err != nil {
		tb.Fatalf("verify %s: %v", name, err)
	}
	return rep
}

func TestCorpusDump(t *testing.T) {
	if os.Getenv("XADES_DUMP") == "" {
		t.Skip("set XADES_DUMP=1 to print the corpus verdicts")
	}
	for _, e := range readExpected(t) {
		rep := verifyFile(t, e.file)
		t.Logf("== %s (want %s)", e.file, e.verdict)
		for _, s := range rep.Signatures {
			t.Logf("  sig %q cs-of=%q level=%s %s/%s", s.ID, s.CounterSignatureOf, s.Level, s.Indication, s.SubIndication)
			for _, c := range s.Checks {
				if c.Status != Passed {
					t.Logf("    %s: %s %s %s", c.Name, c.Status, c.SubIndication, c.Detail)
				}
			}
			for _, w := range s.Warnings {
				t.Logf("    warn: %s", w)
			}
		}
	}
}

// TestManifestScope checks that what a signed ds:Manifest covers is in the
// scope: DSS's enveloped manifest names the whole document.
func TestManifestScope(t *testing.T) {
	s := verifyFile(t, "xades-with-enveloped-manifest.xml").Signatures[0]
	if s.Coverage != CoverageDocument {
		t.Errorf("got coverage %s, want %s; scope %+v", s.Coverage, CoverageDocument, s.Scope)
	}
	found := false
	for _, sc := range s.Scope {
		if sc.Type == ScopeFull && sc.Manifest != "" && sc.Locations[0] == "/h:table" {
			found = true
		}
	}
	if !found {
		t.Errorf("got scope %+v, want a FULL entry through the manifest", s.Scope)
	}
}
