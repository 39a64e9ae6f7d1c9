package safexml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

func mustEncode(tb testing.TB, enc *charmap.Charmap, s string) string {
	tb.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		tb.Fatalf("encode %q: %v", s, err)
	}
	return string(b)
}

func TestParse(t *testing.T) {
	deep := strings.Repeat("<a>", 300) + strings.Repeat("</a>", 300)
	many := "<r>" + strings.Repeat("<e/>", 20) + "</r>"
	tests := []struct {
		name     string
		in       string
		lim      Limits
		wantErr  error
		wantText string // text of the root element when parsing succeeds
	}{
		{name: "plain", in: `<a>zażółć</a>`, wantText: "zażółć"},
		{name: "declaration utf-8", in: `<?xml version="1.0" encoding="UTF-8"?><a>x</a>`, wantText: "x"},
		{name: "bom", in: "\xEF\xBB\xBF<a>x</a>", wantText: "x"},
		{name: "iso-8859-2", in: `<?xml version="1.0" encoding="ISO-8859-2"?><a>` + mustEncode(t, charmap.ISO8859_2, "Łódź") + `</a>`, wantText: "Łódź"},
		{name: "windows-1250", in: `<?xml version="1.0" encoding="windows-1250"?><a>` + mustEncode(t, charmap.Windows1250, "Świętokrzyskie") + `</a>`, wantText: "Świętokrzyskie"},
		{name: "unknown charset", in: `<?xml version="1.0" encoding="KOI8-R"?><a/>`, wantErr: ErrCharset},
		{name: "doctype", in: `<!DOCTYPE a><a/>`, wantErr: ErrDTD},
		{name: "entity expansion", in: `<!DOCTYPE a [<!ENTITY x "xxxxxxxx">]><a>&x;</a>`, wantErr: ErrDTD},
		{name: "external entity", in: `<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>`, wantErr: ErrDTD},
		{name: "too large", in: `<a>0123456789</a>`, lim: Limits{MaxBytes: 10}, wantErr: ErrTooLarge},
		{name: "too deep", in: deep, wantErr: ErrTooDeep},
		{name: "deep enough", in: deep, lim: Limits{MaxDepth: 300}, wantText: ""},
		{name: "too many elements", in: many, lim: Limits{MaxElements: 20}, wantErr: ErrTooManyElements},
		{name: "unclosed", in: `<a><b></a>`, wantErr: ErrMalformed},
		{name: "empty", in: ``, wantErr: ErrMalformed},
		{name: "two roots", in: `<a/><b/>`, wantErr: ErrMalformed},
		{name: "text after root", in: `<a/>junk`, wantErr: ErrMalformed},
		{name: "duplicate attribute", in: `<a Id="1" Id="2"/>`, wantErr: ErrMalformed},
		{name: "undefined entity", in: `<a>&nbsp;</a>`, wantErr: ErrMalformed},
		{name: "comment and pi outside root", in: "<?xml-stylesheet href=\"a\"?>\n<!-- c --><a>y</a>\n", wantText: "y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse(strings.NewReader(tt.in), tt.lim)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("got error %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if got := doc.Root().Text(); got != tt.wantText {
				t.Errorf("got root text %q, want %q", got, tt.wantText)
			}
		})
	}
}

func TestAttributeNormalization(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "tab and newlines", in: "<a b=\"x\ty\nz\r\nw\rq\"/>", want: "x y z w q"},
		{name: "character references kept", in: `<a b="x&#xA;y&#9;z"/>`, want: "x\ny\tz"},
		{name: "single quotes", in: "<a b='x\ny'/>", want: "x y"},
		{name: "comment and cdata untouched", in: "<!-- b=\"\n\" --><a b=\"1\n2\"><![CDATA[ c=\"\n\" ]]></a>", want: "1 2"},
		{name: "gt inside value", in: "<a b=\"x>\ny\"/>", want: "x> y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ParseBytes([]byte(tt.in), Limits{})
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if got := doc.Root().SelectAttrValue("b", ""); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	doc, err := ParseBytes([]byte("<a>x\r\ny</a>"), Limits{})
	if err != nil {
		t.Fatalf("got error %v, want none", err)
	}
	if got := doc.Root().Text(); got != "x\ny" {
		t.Errorf("got text %q, want line ends normalized to %q", got, "x\ny")
	}
}

func TestDefaultsApplied(t *testing.T) {
	big := bytes.Repeat([]byte("<e/>"), DefaultLimits.MaxElements)
	in := append(append([]byte("<r>"), big...), "</r>"...)
	_, err := ParseBytes(in, Limits{})
	if !errors.Is(err, ErrTooManyElements) {
		t.Fatalf("got error %v, want %v", err, ErrTooManyElements)
	}
	if _, err := ParseBytes(in, Limits{MaxElements: -1}); err != nil {
		t.Fatalf("got error %v with no element limit, want none", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`<a>x</a>`,
		`<?xml version="1.0" encoding="ISO-8859-2"?><a b="c">` + "\xa3" + `</a>`,
		`<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`,
		`<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/></ds:Signature>`,
	} {
		f.Add([]byte(s))
	}
	lim := Limits{MaxBytes: 1 << 16, MaxDepth: 64, MaxElements: 1000}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseBytes(data, lim)
		if err != nil {
			return
		}
		if doc.Root() == nil {
			t.Fatalf("got nil root and no error")
		}
		// What is accepted is well-formed for encoding/xml's strict
		// Token, which matches tags (ParseBytes leaves that to etree).
		d := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, utf8BOM)))
		d.CharsetReader = charsetReader
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("accepted a document encoding/xml refuses: %v", err)
			}
		}
		if _, err := doc.WriteToBytes(); err != nil {
			t.Fatalf("write parsed document: %v", err)
		}
	})
}
