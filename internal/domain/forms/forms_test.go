package forms

import (
	"errors"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

const letter2013 = `<?xml version="1.0" encoding="UTF-8"?>
<wnio:Dokument xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/" xmlns:str="http://crd.gov.pl/xml/schematy/struktura/2009/11/16/">
<wnio:TrescDokumentu><wnio:Tytul>  Wniosek o
 informację </wnio:Tytul>
<str:Zalaczniki><str:Zalacznik nazwaPliku="a.pdf"/><str:Zalacznik nazwaPliku="b.pdf"/></str:Zalaczniki>
</wnio:TrescDokumentu><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></wnio:Dokument>`

func TestDetect(t *testing.T) {
	sample, err := os.ReadFile("testdata/pismo-ogolne-2017.xml")
	if err != nil {
		t.Fatal(err)
	}
	latin2, err := charmap.ISO8859_2.NewEncoder().String(strings.Replace(letter2013, "UTF-8", "ISO-8859-2", 1))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		doc  string
		want Detection
	}{
		{"general letter 2017 sample", string(sample), Detection{FormType: GeneralLetter, Namespace: "http://crd.gov.pl/wzor/2017/10/24/4566/", Title: "Tytuł Dokumentu 1", Attachments: 3}},
		{"general letter 2013", letter2013, Detection{FormType: GeneralLetter, Namespace: "http://crd.gov.pl/wzor/2013/12/12/1410/", Title: "Wniosek o informację", Attachments: 2, Signatures: 1}},
		{"byte order mark", "\xef\xbb\xbf" + letter2013, Detection{FormType: GeneralLetter, Namespace: "http://crd.gov.pl/wzor/2013/12/12/1410/", Title: "Wniosek o informację", Attachments: 2, Signatures: 1}},
		{"ISO-8859-2", latin2, Detection{FormType: GeneralLetter, Namespace: "http://crd.gov.pl/wzor/2013/12/12/1410/", Title: "Wniosek o informację", Attachments: 2, Signatures: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect([]byte(tt.doc), DefaultLimits)
			if err != nil {
				t.Fatalf("Detect: %v", err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDetectRefuses(t *testing.T) {
	const root = `<w:D xmlns:w="http://crd.gov.pl/wzor/2013/12/12/1410/">`
	small := Limits{MaxBytes: 1 << 10, MaxDepth: 8, MaxElements: 50}
	tests := []struct {
		name string
		doc  string
		want Reason
	}{
		{"empty", "", ReasonEmpty},
		{"whitespace", " \n\t", ReasonEmpty},
		{"too large", "<a>" + strings.Repeat("x", 2<<10) + "</a>", ReasonTooLarge},
		{"not xml", "%PDF-1.7 binary", ReasonNotXML},
		{"truncated", `<wnio:Dokument xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/"><wnio:Tytul>`, ReasonNotXML},
		{"billion laughs", `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>`, ReasonDTD},
		{"undefined entity", `<wnio:Dokument xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/">&xxe;</wnio:Dokument>`, ReasonNotXML},
		{"too deep", root + strings.Repeat("<a>", 8) + strings.Repeat("</a>", 8) + "</w:D>", ReasonLimits},
		{"too many elements", root + strings.Repeat("<b/>", 60) + "</w:D>", ReasonLimits},
		{"unknown form", `<Faktura xmlns="urn:example"/>`, ReasonUnknownForm},
		{"no namespace", `<Dokument/>`, ReasonUnknownForm},
		{"unknown charset", `<?xml version="1.0" encoding="x-klingon"?><a/>`, ReasonNotXML},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Detect([]byte(tt.doc), small)
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("got error %v, want a *forms.Error", err)
			}
			if fe.Reason != tt.want {
				t.Errorf("got reason %s (%s), want %s", fe.Reason, fe.Detail, tt.want)
			}
		})
	}
}

func FuzzDetect(f *testing.F) {
	f.Add([]byte(letter2013))
	f.Add([]byte(`<!DOCTYPE a><a/>`))
	f.Add([]byte("\xef\xbb\xbf<a xmlns='http://crd.gov.pl/wzor/2013/12/12/1410/'><Tytul>x</Tytul></a>"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		det, err := Detect(doc, Limits{MaxBytes: 1 << 16, MaxDepth: 32, MaxElements: 1000})
		if err != nil {
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *forms.Error", err)
			}
			return
		}
		if det.FormType == "" {
			t.Fatalf("accepted a document without a form type")
		}
	})
}

func TestURIAttachments(t *testing.T) {
	sample, err := os.ReadFile("testdata/pismo-ogolne-2017.xml")
	if err != nil {
		t.Fatal(err)
	}
	got, err := URIAttachments(sample, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Name != "Pismo ogolne (ePUAP).html" || got[0].Format != "text/html" ||
		got[0].URL != "https://epuap.gov.pl/file-download-servlet/DownloadServlet?fileId=12345" {
		t.Errorf("got %+v", got)
	}
	// Attachments carried in the document itself (base64) are not listed.
	if got, err := URIAttachments([]byte(letter2013), DefaultLimits); err != nil || len(got) != 0 {
		t.Errorf("letter with no URI attachments: %+v, %v", got, err)
	}
	if _, err := URIAttachments([]byte("not xml"), DefaultLimits); err == nil {
		t.Error("a document that is not XML gave no error")
	}
}
