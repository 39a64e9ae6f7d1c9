package forms

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// letterWith returns a general letter (2013 template) with the given attachments' XML.
func letterWith(attachments string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<wnio:Dokument xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/" xmlns:str="http://crd.gov.pl/xml/schematy/struktura/2009/11/16/">
<wnio:TrescDokumentu format="text/xml" kodowanie="XML">
<wnio:MiejscowoscDokumentu>Łódź</wnio:MiejscowoscDokumentu>
<wnio:Tytul>Wniosek o
 informację</wnio:Tytul>
<wnio:RodzajWnioskuRozszerzony rodzaj="inne pismo" jakiInny="zawiadomienie"/>
<wnio:Informacje><wnio:Informacja>Proszę o informację &lt;b&gt;pilnie&lt;/b&gt;.</wnio:Informacja><wnio:Informacja>  </wnio:Informacja><wnio:Informacja>Z poważaniem
Jan</wnio:Informacja></wnio:Informacje>
` + attachments + `
</wnio:TrescDokumentu></wnio:Dokument>`)
}

func zal(name, format, encoding, data string) string {
	return `<str:Zalacznik format="` + format + `" kodowanie="` + encoding + `" nazwaPliku="` + name + `"><str:DaneZalacznika>` + data + `</str:DaneZalacznika></str:Zalacznik>`
}

func TestReadContents(t *testing.T) {
	pdf := []byte("%PDF-1.4 oświadczenie")
	wrapped := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("abcdefgh"), 30))
	wrapped = wrapped[:76] + "\n  " + wrapped[76:]
	tests := []struct {
		name string
		doc  []byte
		lim  Limits
		want []Attachment
	}{
		{"none", letterWith(""), DefaultLimits, []Attachment{}},
		{"inline and by address", letterWith(`<str:Zalaczniki>` +
			zal("Oświadczenie.pdf", "application/pdf", "base64", base64.StdEncoding.EncodeToString(pdf)) +
			zal("skan.jpg", "image/jpeg", "URI", " https://epuap.gov.pl/file-download-servlet/DownloadServlet?fileId=7 ") + `</str:Zalaczniki>`),
			DefaultLimits, []Attachment{
				{Name: "Oświadczenie.pdf", Format: "application/pdf", Encoding: "base64", Data: pdf},
				{Name: "skan.jpg", Format: "image/jpeg", Encoding: "URI", URL: "https://epuap.gov.pl/file-download-servlet/DownloadServlet?fileId=7"},
			}},
		{"base64 with line breaks", letterWith(`<str:Zalaczniki>` + zal("a.txt", "text/plain", "base64", wrapped) + `</str:Zalaczniki>`),
			DefaultLimits, []Attachment{{Name: "a.txt", Format: "text/plain", Encoding: "base64", Data: bytes.Repeat([]byte("abcdefgh"), 30)}}},
		{"broken one reported, the next read", letterWith(`<str:Zalaczniki>` + zal("zly.pdf", "application/pdf", "base64", "!!!nie base64") +
			zal("dobry.txt", "text/plain", "base64", "YWJj") + zal("x", "text/plain", "gzip", "YWJj") +
			`<str:Zalacznik format="text/plain" kodowanie="base64" nazwaPliku="pusty"/>` + zal("zero", "text/plain", "base64", "") + `</str:Zalaczniki>`),
			DefaultLimits, []Attachment{
				{Name: "zly.pdf", Format: "application/pdf", Encoding: "base64", Problem: "załącznik uszkodzony: nieprawidłowe kodowanie base64"},
				{Name: "dobry.txt", Format: "text/plain", Encoding: "base64", Data: []byte("abc")},
				{Name: "x", Format: "text/plain", Encoding: "gzip", Problem: `nieznane kodowanie załącznika "gzip"`},
				{Name: "pusty", Format: "text/plain", Encoding: "base64", Problem: "załącznik bez treści"},
				{Name: "zero", Format: "text/plain", Encoding: "base64", Data: []byte{}},
			}},
		{"over the count", letterWith(`<str:Zalaczniki>` + zal("1", "text/plain", "base64", "YWJj") + zal("2", "text/plain", "base64", "YWJj") + `</str:Zalaczniki>`),
			Limits{MaxBytes: 1 << 20, MaxDepth: 32, MaxElements: 100, MaxAttachments: 1}, []Attachment{
				{Name: "1", Format: "text/plain", Encoding: "base64", Data: []byte("abc")},
				{Name: "2", Format: "text/plain", Encoding: "base64", Problem: "załącznik ponad limit 1 załączników – nie odczytano"},
			}},
		{"over the total size", letterWith(`<str:Zalaczniki>` + zal("1", "text/plain", "base64", "YWJjZGVm") + zal("2", "text/plain", "base64", "YWJjZGVm") +
			zal("3", "text/plain", "base64", "YWI=") + `</str:Zalaczniki>`),
			Limits{MaxBytes: 1 << 20, MaxDepth: 32, MaxElements: 100, MaxAttachmentsBytes: 8}, []Attachment{
				{Name: "1", Format: "text/plain", Encoding: "base64", Data: []byte("abcdef")},
				{Name: "2", Format: "text/plain", Encoding: "base64", Problem: "załączniki większe niż dopuszczalny rozmiar – nie odczytano"},
				{Name: "3", Format: "text/plain", Encoding: "base64", Data: []byte("ab")},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadContents(tt.doc, tt.lim)
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != "Wniosek o informację" || got.Place != "Łódź" || got.Kind != "inne pismo: zawiadomienie" {
				t.Errorf("got title %q place %q kind %q", got.Title, got.Place, got.Kind)
			}
			if want := []string{"Proszę o informację <b>pilnie</b>.", "Z poważaniem\nJan"}; strings.Join(got.Text, "|") != strings.Join(want, "|") {
				t.Errorf("got text %q, want %q", got.Text, want)
			}
			if len(got.Attachments) != len(tt.want) {
				t.Fatalf("got %d attachments %+v, want %d", len(got.Attachments), got.Attachments, len(tt.want))
			}
			for i, a := range got.Attachments {
				w := tt.want[i]
				if a.Name != w.Name || a.Format != w.Format || a.Encoding != w.Encoding || a.URL != w.URL || !bytes.Equal(a.Data, w.Data) || a.Problem != w.Problem {
					t.Errorf("attachment %d: got %+v, want %+v", i, a, w)
				}
			}
		})
	}
}

func TestReadContentsRefuses(t *testing.T) {
	for _, doc := range []string{"", "<a>", `<!DOCTYPE a><a/>`, `<x xmlns="urn:other"/>`} {
		_, err := ReadContents([]byte(doc), DefaultLimits)
		var fe *Error
		if !errors.As(err, &fe) {
			t.Errorf("%q: got %v, want a *forms.Error", doc, err)
		}
	}
}

// TestReadContentsSample reads the attachments of the ePUAP sample letter: all by address.
func TestReadContentsSample(t *testing.T) {
	c, err := ReadContents([]byte(readSample(t, "pismo-ogolne-2017.xml")), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Attachments) == 0 || len(c.Text) != 2 {
		t.Fatalf("got %d attachments and %d paragraphs", len(c.Attachments), len(c.Text))
	}
	for _, a := range c.Attachments {
		if a.URL == "" || a.Data != nil {
			t.Errorf("got %+v, want an attachment by address", a)
		}
	}
}

func FuzzReadContents(f *testing.F) {
	f.Add(letterWith(`<str:Zalaczniki>` + zal("a.pdf", "application/pdf", "base64", "YWJj") + zal("b", "x", "URI", "u") + `</str:Zalaczniki>`))
	f.Add([]byte(letter2013))
	f.Fuzz(func(t *testing.T, doc []byte) {
		lim := Limits{MaxBytes: 1 << 16, MaxDepth: 32, MaxElements: 2000, MaxAttachments: 3, MaxAttachmentsBytes: 64}
		c, err := ReadContents(doc, lim)
		checkRefusal(t, err)
		var total int
		for _, a := range c.Attachments {
			total += len(a.Data)
			if a.Problem != "" && a.Data != nil {
				t.Fatalf("attachment with a problem carries data: %+v", a)
			}
		}
		if total > 64 {
			t.Fatalf("decoded %d bytes, more than the limit", total)
		}
	})
}
