// Package sharedtest finds the team's shared test corpus for obieg's tests: real signed
// documents, trusted lists and qualified CA certificates, which the repository does not hold.
// The corpus is the directory shared beside the checkout (the parent of the directory holding
// go.mod and tools/go.mod has shared/testdata/xades, shared/testdata/trust), or the directory
// the environment variable OBIEG_SHARED_DIR names. A test that needs a file of it and does not
// find it is skipped with what it lacks and where it looked, except under CI=true, where it
// fails: CI has the corpus, so a missing file there is an error.
package sharedtest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// EnvDir names the environment variable that gives the shared directory's path, for a
// checkout without the corpus beside it; a relative path is taken from the checkout's root.
const EnvDir = "OBIEG_SHARED_DIR"

// Dir returns the path of parts in the shared corpus, a subdirectory or a file (Dir(t,
// "testdata", "xades", "dss-signed.xml")). When it is not there, Dir skips the test, saying
// what is skipped and why, or under CI=true fails it, saying what is missing and where it
// looked.
func Dir(t testing.TB, parts ...string) string {
	t.Helper()
	want := filepath.Join(parts...)
	base, where, err := location()
	if err == nil {
		path := filepath.Join(base, want)
		if _, err = os.Stat(path); err == nil {
			return path
		}
		err = fmt.Errorf("not found at %s (%s)", path, where)
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("the team's shared corpus lacks %s: %v", want, err)
	}
	t.Skipf("skipped: the test reads %s of the team's shared corpus, %v; set %s to the shared directory to run it (under CI=true this fails)", want, err, EnvDir)
	return ""
}

// location returns the shared directory and how it was found: OBIEG_SHARED_DIR if set (a
// relative path is taken from the checkout's root, where make test runs), else shared beside
// the checkout that holds the working directory.
func location() (dir, where string, err error) {
	env := os.Getenv(EnvDir)
	if filepath.IsAbs(env) {
		return env, EnvDir, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", "", fmt.Errorf("no working directory: %w", err)
	}
	root, err := checkout(wd)
	if err != nil {
		return "", "", err
	}
	if env != "" {
		return filepath.Join(root, env), EnvDir + ", from the checkout " + root, nil
	}
	return filepath.Join(filepath.Dir(root), "shared"), "the directory shared beside the checkout " + root + "; " + EnvDir + " is not set", nil
}

// checkout returns the directory at or above dir that holds go.mod and tools/go.mod: obieg's
// checkout.
func checkout(dir string) (string, error) {
	for d := dir; ; {
		if isFile(filepath.Join(d, "go.mod")) && isFile(filepath.Join(d, "tools", "go.mod")) {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", errors.New("no checkout (a directory with go.mod and tools/go.mod) at or above " + dir + " to find it from")
		}
		d = parent
	}
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}
