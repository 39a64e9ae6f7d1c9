package sharedtest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB that records how Dir ended the test instead of ending it.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Skipf(format string, args ...any) {
	r.skipped = fmt.Sprintf(format, args...)
	r.TB.Log(r.skipped)
	runtime.Goexit()
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	r.TB.Log(r.failed)
	runtime.Goexit()
}

// dir calls Dir with r in its own goroutine, so that a skip or a failure ends only that call.
func dir(t *testing.T, parts ...string) (path string, r *recorder) {
	r = &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		path = Dir(r, parts...)
	}()
	<-done
	return path, r
}

// checkoutWithShared makes a checkout (go.mod, tools/go.mod) with a shared directory beside it
// holding testdata/xades/a.xml, and returns the checkout's package directory pkg.
func checkoutWithShared(t *testing.T, withShared bool) (pkg, shared string) {
	t.Helper()
	top := t.TempDir()
	root := filepath.Join(top, "obieg")
	pkg = filepath.Join(root, "internal", "x")
	shared = filepath.Join(top, "shared")
	for _, d := range []string{pkg, filepath.Join(root, "tools")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{filepath.Join(root, "go.mod"), filepath.Join(root, "tools", "go.mod")} {
		if err := os.WriteFile(f, []byte("module x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if withShared {
		if err := os.MkdirAll(filepath.Join(shared, "testdata", "xades"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shared, "testdata", "xades", "a.xml"), []byte("<a/>"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return pkg, shared
}

func TestDir(t *testing.T) {
	tests := []struct {
		name       string
		withShared bool
		env        bool // OBIEG_SHARED_DIR names the shared directory
		relEnv     bool // as ../shared, from the checkout's root
		ci         bool
		parts      []string
		want       string // "found", "skipped" or "failed"
	}{
		{name: "file beside the checkout", withShared: true, parts: []string{"testdata", "xades", "a.xml"}, want: "found"},
		{name: "directory beside the checkout", withShared: true, parts: []string{"testdata", "xades"}, want: "found"},
		{name: "file named by the environment", withShared: true, env: true, parts: []string{"testdata", "xades", "a.xml"}, want: "found"},
		{name: "file named by the environment, relative to the checkout", withShared: true, relEnv: true, parts: []string{"testdata", "xades", "a.xml"}, want: "found"},
		{name: "missing file, outside CI", withShared: true, parts: []string{"testdata", "trust", "b.cer"}, want: "skipped"},
		{name: "missing file, under CI", withShared: true, ci: true, parts: []string{"testdata", "trust", "b.cer"}, want: "failed"},
		{name: "no shared directory, outside CI", parts: []string{"testdata", "xades"}, want: "skipped"},
		{name: "no shared directory, under CI", ci: true, parts: []string{"testdata", "xades"}, want: "failed"},
		{name: "environment names a missing directory, under CI", env: true, ci: true, parts: []string{"testdata"}, want: "failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkg, shared := checkoutWithShared(t, tt.withShared)
			t.Chdir(pkg)
			t.Setenv(EnvDir, "")
			if tt.env {
				// Another directory than the one beside the checkout, to tell them apart.
				moved := filepath.Join(t.TempDir(), "corpus")
				if tt.withShared {
					if err := os.Rename(shared, moved); err != nil {
						t.Fatal(err)
					}
				}
				t.Setenv(EnvDir, moved)
				shared = moved
			}
			if tt.relEnv {
				t.Setenv(EnvDir, filepath.Join("..", "shared"))
			}
			t.Setenv("CI", map[bool]string{true: "true", false: ""}[tt.ci])
			path, r := dir(t, tt.parts...)
			got := "found"
			if r.skipped != "" {
				got = "skipped"
			} else if r.failed != "" {
				got = "failed"
			}
			if got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
			if want := filepath.Join(append([]string{shared}, tt.parts...)...); got == "found" && path != want {
				t.Errorf("got path %s, want %s", path, want)
			}
			if got == "skipped" && !strings.Contains(r.skipped, EnvDir) {
				t.Errorf("the skip does not say how to run the test: %q", r.skipped)
			}
		})
	}
}

func TestDirOutsideCheckout(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv(EnvDir, "")
	t.Setenv("CI", "true")
	if _, r := dir(t, "testdata"); r.failed == "" {
		t.Errorf("got no failure under CI=true outside a checkout")
	}
}
