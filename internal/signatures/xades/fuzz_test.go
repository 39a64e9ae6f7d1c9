package xades

import (
	"context"
	"crypto"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/obieg/obieg/internal/signatures/safexml"
)

// FuzzVerify feeds arbitrary documents to Verify: it must return a report
// or an error, never panic, and never pass a signature without anchors.
func FuzzVerify(f *testing.F) {
	f.Add([]byte(`<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/></ds:Signature>`))
	// The case files: scopes, XPath Filter 2.0, KeyValue, negative serials.
	cases, _ := filepath.Glob(filepath.Join("testdata", "cases", "*.xml"))
	for _, c := range cases {
		if b, err := os.ReadFile(c); err == nil {
			f.Add(b)
		}
	}
	opts := Options{
		ValidationTime: validationTime,
		Limits:         safexml.Limits{MaxBytes: 1 << 16, MaxDepth: 64, MaxElements: 2000},
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		rep, err := Verify(context.Background(), doc, opts)
		if err != nil {
			return
		}
		for _, s := range rep.Signatures {
			if s.Indication == TotalPassed {
				t.Fatalf("got %s without trust anchors", s.Indication)
			}
		}
		if _, err := rep.JSON(); err != nil {
			t.Fatalf("render report: %v", err)
		}
	})
}

// FuzzTimeStampResp feeds arbitrary answers to the RFC 3161 client's
// parser: it must refuse them or return a token over the imprint asked.
func FuzzTimeStampResp(f *testing.F) {
	f.Add([]byte{0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02})
	f.Add([]byte{0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x00})
	digest := make([]byte, 32)
	f.Fuzz(func(t *testing.T, body []byte) {
		tok, err := tokenFromResponse(body, digest, crypto.SHA256, big.NewInt(7))
		if err != nil {
			return
		}
		if err := checkToken(tok, digest, crypto.SHA256); err != nil {
			t.Fatalf("got a token over another imprint: %v", err)
		}
	})
}

// FuzzXPathFilter2 evaluates arbitrary XPath Filter 2.0 expressions over a
// form with an enveloped signature: the general evaluator must not panic,
// its output must lie within the document, its canonical form must be
// written, and for the expressions xpathFilter2 handles without evaluating
// XPath both must give the same octets.
func FuzzXPathFilter2(f *testing.F) {
	for _, seed := range [][2]string{
		{"intersect", "//wnio:Tytul"},
		{"intersect", "/"},
		{"union", "/"},
		{"subtract", "here()/ancestor::ds:Signature[1]"},
		{"subtract", "//ds:Signature"},
		{"subtract", "/descendant::ds:Signature"},
		{"subtract", "//wnio:TrescDokumentu"},
		{"intersect", "//*[@Id='t'] | //wnio:Kwota"},
		{"intersect", "//text()"},
		{"intersect", "count(//*)"},
		{"union", "here()/../.."},
	} {
		f.Add(seed[0], seed[1])
	}
	const form = `<wnio:Dokument xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/" xmlns:ds="http://www.w3.org/2000/09/xmldsig#">` +
		`<!-- c --><wnio:TrescDokumentu Id="t"><wnio:Tytul xml:lang="pl">Wniosek</wnio:Tytul><wnio:Kwota>1</wnio:Kwota></wnio:TrescDokumentu>` +
		`<ds:Signature><ds:SignedInfo><ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2002/06/xmldsig-filter2">` +
		`<dsig-xpath:XPath xmlns:dsig-xpath="http://www.w3.org/2002/06/xmldsig-filter2" Filter="intersect">/</dsig-xpath:XPath>` +
		`</ds:Transform></ds:Transforms></ds:Reference></ds:SignedInfo></ds:Signature></wnio:Dokument>`
	f.Fuzz(func(t *testing.T, filter, expr string) {
		d, err := parseXML([]byte(form), Options{})
		if err != nil {
			t.Fatal(err)
		}
		v, sigs := newVerifier(d, Options{}.withDefaults())
		tr := d.FindElement("//Transform")
		xp := tr.ChildElements()[0]
		xp.CreateAttr("Filter", filter)
		xp.SetText(expr)
		in := &refData{ns: &nodeSet{apex: d.Root(), doc: d, wholeDoc: true}}
		got, err := v.xpathFilter2General(tr, in)
		if err != nil {
			return
		}
		for _, a := range got.ns.apexes() {
			if !within(a, d.Root()) {
				t.Fatalf("got apex %s outside the document", a.FullTag())
			}
		}
		general, err := canonicalize(got.ns, algExcC14N, "")
		if err != nil || !commonFilter2(tr, in.ns) {
			return
		}
		fast, err := v.xpathFilter2(sigs[0], tr, in)
		if err != nil {
			t.Fatalf("got %v from the common forms, none from the evaluator", err)
		}
		want, err := canonicalize(fast.ns, algExcC14N, "")
		if err != nil || string(want) != string(general) {
			t.Fatalf("got evaluator octets\n%s\nwant (common forms)\n%s (%v)", general, want, err)
		}
	})
}
