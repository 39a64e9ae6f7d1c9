package layout

import (
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/obieg/obieg"

// pure lists obieg's packages that must stay pure, by import path below the module; a path
// ending in "/..." takes its subtree. The workflows and the visibility keys may import
// Temporal's SDK; the others not even that.
var pure = []string{
	"workflows", "activities/contract", "internal/adapters/visibility", "internal/domain/...", "xmlschemas/forms",
}

// temporalSide may import Temporal's SDK.
var temporalSide = []string{"workflows", "internal/adapters/visibility"}

// forbidden are imports that no pure package may reach, directly or through any package.
var forbidden = []string{"github.com/jackc/pgx", "github.com/minio/minio-go", "github.com/signintech/gopdf"}

// adapterStd are standard-library imports that mark adapter code: no obieg package a pure one
// depends on may import them itself (Temporal's SDK does, for its own connection).
var adapterStd = []string{"net/http", "database/sql"}

func list(t *testing.T, pkgs ...string) map[string][]string {
	t.Helper()
	args := append([]string{"list", "-deps", "-f", "{{.ImportPath}} {{join .Imports \" \"}}"}, pkgs...)
	cmd := exec.Command("go", args...)
	cmd.Dir = "../../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	deps := map[string][]string{}
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		if len(f) > 0 {
			deps[f[0]] = f[1:]
		}
	}
	return deps
}

func under(pkg string, patterns []string) bool {
	rel, ok := strings.CutPrefix(pkg, module+"/")
	if !ok {
		return false
	}
	for _, p := range patterns {
		if tree, ok := strings.CutSuffix(p, "/..."); ok && (rel == tree || strings.HasPrefix(rel, tree+"/")) || rel == p {
			return true
		}
	}
	return false
}

func prefixed(imp string, prefixes []string) bool {
	return slices.ContainsFunc(prefixes, func(p string) bool { return imp == p || strings.HasPrefix(imp, p+"/") })
}

// TestImportRule checks every pure package's whole dependency graph.
func TestImportRule(t *testing.T) {
	var args []string
	for _, p := range pure {
		args = append(args, "./"+p)
	}
	deps := list(t, args...)
	for _, p := range pure {
		if pkg := module + "/" + p; !strings.HasSuffix(p, "/...") && deps[pkg] == nil {
			t.Errorf("go list did not list %s", pkg)
		}
	}
	for pkg, imports := range deps {
		ours := strings.HasPrefix(pkg, module)
		if ours && !under(pkg, pure) {
			t.Errorf("%s is reached by a pure package but is not pure (list it in pure, or cut the import)", pkg)
		}
		for _, imp := range imports {
			if prefixed(imp, forbidden) && !prefixed(pkg, forbidden) {
				t.Errorf("%s imports %s: a pure package reaches it", pkg, imp)
			}
			if !ours {
				continue
			}
			if slices.Contains(adapterStd, imp) {
				t.Errorf("%s imports %s: adapter code in a pure package", pkg, imp)
			}
			if strings.HasPrefix(imp, "go.temporal.io/") && !under(pkg, temporalSide) {
				t.Errorf("%s imports %s: only workflows and visibility may import Temporal's SDK", pkg, imp)
			}
		}
	}
}

// devOnly are the development-only packages: the stack of servers, the simulators, the test PKI,
// the demo office and the tests' helpers.
var devOnly = []string{"internal/dev/..."}

// TestProductionBinary checks that the production binary links no development-only code.
func TestProductionBinary(t *testing.T) {
	for pkg := range list(t, "./cmd/obieg") {
		if under(pkg, devOnly) {
			t.Errorf("cmd/obieg links %s, which is development-only", pkg)
		}
	}
}
