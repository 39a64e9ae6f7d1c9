package safexml

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/beevik/etree"

	"github.com/obieg/obieg/internal/dev/sharedtest"
)

// referenceParse is ParseBytes as it was before the one-pass builder: a
// limits pass with RawToken, a tag-matching pass with Token, then etree's
// own reader. FuzzBuild holds build to it.
func referenceParse(data []byte, lim Limits) (*etree.Document, error) {
	lim = lim.withDefaults()
	if lim.MaxBytes > 0 && int64(len(data)) > lim.MaxBytes {
		return nil, ErrTooLarge
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charsetReader
	depth, elements, roots := 0, 0, 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, ErrMalformed
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if roots++; roots > 1 {
					return nil, ErrMalformed
				}
			}
			depth++
			elements++
			if (lim.MaxDepth > 0 && depth > lim.MaxDepth) || (lim.MaxElements > 0 && elements > lim.MaxElements) {
				return nil, ErrTooDeep
			}
			if err := checkAttrs(t.Attr); err != nil {
				return nil, err
			}
		case xml.EndElement:
			depth--
		case xml.Directive:
			return nil, ErrDTD
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return nil, ErrMalformed
			}
		}
	}
	d = xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charsetReader
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			return nil, ErrMalformed
		}
	}
	if roots == 0 {
		return nil, ErrMalformed
	}
	doc := etree.NewDocument()
	doc.ReadSettings = etree.ReadSettings{CharsetReader: charsetReader, MaxDepth: 1 << 30}
	if err := doc.ReadFromBytes(normalizeAttrWhitespace(data)); err != nil {
		return nil, ErrMalformed
	}
	return doc, nil
}

// sameTree describes the first difference between two trees, or "".
func sameTree(a, b *etree.Element) string {
	if a.Space != b.Space || a.Tag != b.Tag {
		return fmt.Sprintf("element %q:%q vs %q:%q", a.Space, a.Tag, b.Space, b.Tag)
	}
	if len(a.Attr) != len(b.Attr) {
		return fmt.Sprintf("%s: %d vs %d attributes", a.FullTag(), len(a.Attr), len(b.Attr))
	}
	for i := range a.Attr {
		x, y := a.Attr[i], b.Attr[i]
		if x.Space != y.Space || x.Key != y.Key || x.Value != y.Value || x.NamespaceURI() != y.NamespaceURI() {
			return fmt.Sprintf("%s: attribute %+v vs %+v", a.FullTag(), x, y)
		}
	}
	if len(a.Child) != len(b.Child) {
		return fmt.Sprintf("%s: %d vs %d children", a.FullTag(), len(a.Child), len(b.Child))
	}
	for i := range a.Child {
		switch x := a.Child[i].(type) {
		case *etree.Element:
			y, ok := b.Child[i].(*etree.Element)
			if !ok {
				return fmt.Sprintf("%s: child %d is %T", a.FullTag(), i, b.Child[i])
			}
			if x.Parent() != a || y.Parent() != b {
				return fmt.Sprintf("%s: child %d has the wrong parent", a.FullTag(), i)
			}
			if d := sameTree(x, y); d != "" {
				return d
			}
		case *etree.CharData:
			y, ok := b.Child[i].(*etree.CharData)
			if !ok || x.Data != y.Data || x.IsWhitespace() != y.IsWhitespace() || x.IsCData() != y.IsCData() {
				return fmt.Sprintf("%s: text %q vs %#v", a.FullTag(), x.Data, b.Child[i])
			}
		case *etree.Comment:
			y, ok := b.Child[i].(*etree.Comment)
			if !ok || x.Data != y.Data {
				return fmt.Sprintf("%s: comment %q vs %#v", a.FullTag(), x.Data, b.Child[i])
			}
		case *etree.ProcInst:
			y, ok := b.Child[i].(*etree.ProcInst)
			if !ok || x.Target != y.Target || x.Inst != y.Inst {
				return fmt.Sprintf("%s: processing instruction %+v vs %#v", a.FullTag(), x, b.Child[i])
			}
		default:
			return fmt.Sprintf("%s: unexpected %T", a.FullTag(), x)
		}
	}
	return ""
}

func checkBuild(t *testing.T, data []byte, lim Limits) {
	got, gerr := ParseBytes(data, lim)
	want, werr := referenceParse(data, lim)
	if (gerr == nil) != (werr == nil) {
		t.Fatalf("%q: got error %v, reference %v", data, gerr, werr)
	}
	if gerr != nil {
		return
	}
	if d := sameTree(&got.Element, &want.Element); d != "" {
		t.Fatalf("%q: trees differ: %s", data, d)
	}
}

var buildSeeds = []string{
	`<a>x</a>`,
	"\ufeff<?xml version=\"1.0\" encoding=\"ISO-8859-2\"?>\n<!-- c --><a b=\"c\td\">\xa3<![CDATA[x<y]]><?pi z?>  </a>\n<!-- after -->",
	`<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`,
	`<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo xml:lang="pl" a:b:c="1"/></ds:Signature>`,
	`<a><b></a></b>`,
	`<a/><b/>`,
	`<a></a>text`,
	`<a x="1" x="2"/>`,
	`<a xmlns:p="u" p:x="1" x="2"><p:b/></a>`,
	`<A:/>`,
}

func TestBuildMatchesReference(t *testing.T) {
	for _, s := range buildSeeds {
		checkBuild(t, []byte(s), Limits{MaxBytes: 1 << 16, MaxDepth: 64, MaxElements: 1000})
	}
}

func FuzzBuild(f *testing.F) {
	for _, s := range buildSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkBuild(t, data, Limits{MaxBytes: 1 << 16, MaxDepth: 64, MaxElements: 1000})
	})
}

// TestBuildOnCorpus compares the trees of real signed documents and lists.
func TestBuildOnCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedtest.Dir(t, "testdata"), "*", "*.xml"))
	if len(files) == 0 {
		t.Fatal("the shared corpus has no XML files under testdata")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(f), func(t *testing.T) { checkBuild(t, b, Limits{}) })
	}
}
