package xades_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/testpki"
	"github.com/obieg/obieg/internal/signatures/xades"
)

// signedAt is when the test documents are signed; validateAt a day later.
var (
	signedAt   = time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	validateAt = signedAt.Add(24 * time.Hour)
)

var (
	pkiOnce sync.Once
	pki     *testpki.PKI
	pkiErr  error
)

// testPKI is one PKI for the whole package (building the RSA keys takes a
// moment); tests only read it.
func testPKI(tb testing.TB) *testpki.PKI {
	tb.Helper()
	pkiOnce.Do(func() { pki, pkiErr = testpki.New(testpki.Options{Seed: 7, At: signedAt}) })
	if pkiErr != nil {
		tb.Fatalf("test PKI: %v", pkiErr)
	}
	return pki
}

// form is a small ePUAP-like form, with a comment and Polish text.
const form = `<?xml version="1.0" encoding="UTF-8"?>
<wnio:Dokument xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/" xmlns:str="http://crd.gov.pl/xml/schematy/struktura/2009/11/16/">
  <!-- wypełniono w symulatorze -->
  <wnio:OpisDokumentu/>
  <wnio:TrescDokumentu>
    <wnio:Tytul>Wniosek o Kartę Dużej Rodziny</wnio:Tytul>
    <str:Informacja>Łódź, ul. Piotrkowska 1 &amp; 2</str:Informacja>
  </wnio:TrescDokumentu>
</wnio:Dokument>
`

// signedDoc is one signature made for the interoperability and verdict tests.
type signedDoc struct {
	name string
	doc  []byte
	// signer made it; a peer must trust the root of its chain.
	signer *testpki.Entity
	// noXadesjs says why xadesjs cannot verify it, if it cannot.
	noXadesjs string
}

func sign(tb testing.TB, e *testpki.Entity, opts xades.SignOptions) []byte {
	tb.Helper()
	out, err := xades.Sign(context.Background(), []byte(form), e, opts)
	if err != nil {
		tb.Fatalf("sign as %s: %v", e.Name, err)
	}
	return out
}

// interopDocs are the signatures peers must accept: the three kinds
// citizens file, both key types, each canonicalization, B-T.
func interopDocs(tb testing.TB) []signedDoc {
	tb.Helper()
	p := testPKI(tb)
	ctx := context.Background()
	pz, err := p.SignProfilZaufany(ctx, []byte(form), p.Person, signedAt)
	if err != nil {
		tb.Fatal(err)
	}
	eid, err := p.SignEID(ctx, []byte(form), signedAt)
	if err != nil {
		tb.Fatal(err)
	}
	docs := []signedDoc{
		{name: "Profil Zaufany (RSA seal)", doc: pz, signer: p.ProfilZaufany},
		{name: "e-ID", doc: eid, signer: p.EIDCitizen},
	}
	for _, c := range []struct {
		name, alg string
	}{{"exc-c14n", xades.CanonExclusive}, {"c14n 1.1", xades.CanonC14N11}, {"c14n 1.0", xades.CanonC14N10}} {
		for _, e := range []*testpki.Entity{p.Citizen, p.CitizenRSA} {
			opts, err := p.SignOptions(e, signedAt)
			if err != nil {
				tb.Fatal(err)
			}
			opts.Canonicalization = c.alg
			d := signedDoc{name: "qualified " + e.Name + " " + c.name, doc: sign(tb, e, opts), signer: e}
			if c.alg == xades.CanonC14N11 {
				d.noXadesjs = "xadesjs 2.6 does not implement C14N 1.1 (XMLJS0015: Unknown transform)"
			}
			docs = append(docs, d)
		}
	}
	opts, err := p.SignOptions(p.Citizen, signedAt)
	if err != nil {
		tb.Fatal(err)
	}
	opts.TSA = p.Timestamper(func() time.Time { return signedAt.Add(time.Minute) })
	docs = append(docs, signedDoc{name: "qualified B-T", doc: sign(tb, p.Citizen, opts), signer: p.Citizen})
	return docs
}

// peer finds a peer program: absent, the test is skipped, but under
// CI=true it fails, so that CI cannot silently lose the interop check.
func peer(tb testing.TB, name, install string) string {
	tb.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s not found (CI=true): install %s", name, install)
		}
		tb.Skipf("%s not found: install %s to run this interoperability test", name, install)
	}
	return path
}

func writePEM(tb testing.TB, dir, name string, c *x509.Certificate) string {
	tb.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// xmlsec1Verify runs xmlsec1 --verify over doc signed by e, trusting the
// root of e's chain and given its intermediates (KeyInfo holds only the
// signing certificate). It returns xmlsec1's output and whether it said OK.
func xmlsec1Verify(tb testing.TB, xmlsec, dir string, doc []byte, e *testpki.Entity) (string, bool) {
	tb.Helper()
	file := filepath.Join(dir, "doc.xml")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		tb.Fatal(err)
	}
	args := []string{"--verify",
		"--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
		"--trusted-pem", writePEM(tb, dir, "root.pem", e.Root().Cert),
		"--verification-gmt-time", validateAt.Format("2006-01-02 15:04:05"),
	}
	for i, c := range e.Chain() {
		args = append(args, "--untrusted-pem", writePEM(tb, dir, fmt.Sprintf("ca%d.pem", i), c))
	}
	out, err := exec.Command(xmlsec, append(args, file)...).CombinedOutput()
	return string(out), err == nil && strings.HasPrefix(strings.TrimSpace(string(out)), "OK")
}

// TestInteropXmlsec1 checks our signatures with Debian's xmlsec1: every
// reference, the SignatureValue and the certificate chain to the root;
// and that it refuses them once tampered with.
func TestInteropXmlsec1(t *testing.T) {
	xmlsec := peer(t, "xmlsec1", "the Debian package xmlsec1")
	for _, d := range interopDocs(t) {
		t.Run(d.name, func(t *testing.T) {
			if out, ok := xmlsec1Verify(t, xmlsec, t.TempDir(), d.doc, d.signer); !ok {
				t.Errorf("got xmlsec1:\n%s\nwant OK", out)
			}
			bad := bytes.Replace(d.doc, []byte("Piotrkowska 1"), []byte("Piotrkowska 7"), 1)
			if out, ok := xmlsec1Verify(t, xmlsec, t.TempDir(), bad, d.signer); ok {
				t.Errorf("got xmlsec1 OK for tampered content:\n%s", out)
			}
		})
	}
}

// TestInteropXadesjs checks our signatures with npm's xadesjs (references
// and SignatureValue; it checks no trust). Without node_modules in
// testdata/interop, npm ci installs the locked packages into a temporary
// directory owned by the test.
func TestInteropXadesjs(t *testing.T) {
	node := peer(t, "node", "Node.js (Debian package nodejs)")
	script := nodeScript(t)
	dir := t.TempDir()
	var files []string
	docs := interopDocs(t)
	for i, d := range docs {
		file := filepath.Join(dir, "doc"+string(rune('a'+i))+".xml")
		if err := os.WriteFile(file, d.doc, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	out, _ := exec.Command(node, append([]string{script}, files...)...).CombinedOutput()
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for i, d := range docs {
		got := ""
		for _, l := range lines {
			if strings.HasSuffix(l, files[i]) || strings.Contains(l, files[i]+":") {
				got = l
			}
		}
		switch {
		case d.noXadesjs != "":
			t.Logf("%s: not checked with xadesjs: %s (got %q)", d.name, d.noXadesjs, got)
		case got != "ok "+files[i]:
			t.Errorf("%s: got xadesjs %q, want ok", d.name, got)
		}
	}
	bad := bytes.Replace(docs[0].doc, []byte("Piotrkowska 1"), []byte("Piotrkowska 7"), 1)
	file := filepath.Join(dir, "tampered.xml")
	if err := os.WriteFile(file, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(node, script, file).CombinedOutput(); err == nil {
		t.Errorf("got xadesjs accepting tampered content:\n%s", out)
	}
}

// nodeScript returns the path of verify.mjs next to installed node_modules.
func nodeScript(tb testing.TB) string {
	tb.Helper()
	src, err := filepath.Abs(filepath.Join("testdata", "interop"))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(src, "node_modules", "xadesjs")); err == nil {
		return filepath.Join(src, "verify.mjs")
	}
	npm := peer(tb, "npm", "npm (Debian package npm)")
	dir := tb.TempDir()
	for _, f := range []string{"package.json", "package-lock.json", "verify.mjs"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("npm ci: %v\n%s", err, out)
		}
		tb.Skipf("npm ci failed (offline?): %v\n%s", err, out)
	}
	return filepath.Join(dir, "verify.mjs")
}
