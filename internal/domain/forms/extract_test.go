package forms

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestRead reads each sample form once and finds its content where the form's parser puts it,
// equal to what that parser reads on its own.
func TestRead(t *testing.T) {
	tests := []struct {
		file string
		form string
		got  func(Extract) any
		want func(doc []byte) (any, error)
	}{
		{"karta-rodziny-seed1.xml", FamilyCard, func(e Extract) any { return e.FamilyCard },
			func(doc []byte) (any, error) { a, err := ParseFamilyCard(doc, DefaultLimits); return &a, err }},
		{"skarga-wniosek-seed1.xml", Complaint, func(e Extract) any { return e.Complaint },
			func(doc []byte) (any, error) { c, err := ParseComplaint(doc, DefaultLimits); return &c, err }},
		{"sprawozdanie-placowki-seed1.xml", FacilityReport, func(e Extract) any { return e.Report },
			func(doc []byte) (any, error) { r, err := ParseFacilityReport(doc, DefaultLimits); return &r, err }},
		{"pismo-ogolne-2017.xml", GeneralLetter, func(e Extract) any {
			if e.FamilyCard != nil || e.Complaint != nil || e.Report != nil {
				return "content"
			}
			return nil
		}, func([]byte) (any, error) { return nil, nil }},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc := []byte(readSample(t, tt.file))
			ex, err := Read(doc, DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if ex.Version != ExtractVersion || ex.Detection.FormType != tt.form {
				t.Errorf("got version %d form %q, want %d %q", ex.Version, ex.Detection.FormType, ExtractVersion, tt.form)
			}
			want, err := tt.want(doc)
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.got(ex); !reflect.DeepEqual(got, want) && !(want == nil && got == nil) {
				t.Errorf("got content %+v, want %+v", got, want)
			}
			// The extract is stored as JSON and read back by later steps: nothing is lost.
			b, err := json.Marshal(ex)
			if err != nil {
				t.Fatal(err)
			}
			var back Extract
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if again, _ := json.Marshal(back); string(again) != string(b) {
				t.Errorf("JSON round trip changed the extract:\n got %s\nwant %s", again, b)
			}
		})
	}
}

// TestReadReferences finds the case references of a letter's text, each once, and none inside
// a signature or an element name.
func TestReadReferences(t *testing.T) {
	doc := strings.Replace(readSample(t, "pismo-ogolne-2017.xml"), "Znak: 1/2/3/4/5/2021",
		"W odpowiedzi na pismo SEK.0570.12.2026 (dot. WPS-I.5300.3.2026 i ponownie SEK.0570.12.2026)", 1)
	doc = strings.Replace(doc, "</Informacja>", "</Informacja><ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignatureValue>OIS.5131.1.2026</ds:SignatureValue></ds:Signature>", 1)
	ex, err := Read([]byte(doc), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"SEK.0570.12.2026", "WPS-I.5300.3.2026"}; !slices.Equal(ex.References, want) {
		t.Errorf("got references %v, want %v", ex.References, want)
	}
}

func TestReferencesCapped(t *testing.T) {
	var b strings.Builder
	for i := range 30 {
		fmt.Fprintf(&b, " SEK.0570.%d.2026", i+1)
	}
	if got := References(b.String()); len(got) != MaxReferences {
		t.Errorf("got %d references, want %d", len(got), MaxReferences)
	}
}

// TestReadRefuses gives a refusal with the reason the parsers give.
func TestReadRefuses(t *testing.T) {
	broken := strings.Replace(readSample(t, "karta-rodziny-seed1.xml"), ">nowa-karta<", ">x<", 1)
	for name, doc := range map[string]string{"empty": "", "not xml": "<a", "unknown form": `<x xmlns="urn:x"/>`, "broken family card": broken} {
		t.Run(name, func(t *testing.T) {
			_, err := Read([]byte(doc), DefaultLimits)
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("got %v, want a *forms.Error", err)
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"karta-rodziny-seed1.xml", "skarga-wniosek-seed1.xml", "sprawozdanie-placowki-seed1.xml", "pismo-ogolne-2017.xml"} {
		f.Add([]byte(readSample(f, name)))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		ex, err := Read(doc, fuzzLimits)
		checkRefusal(t, err)
		if err == nil && len(ex.References) > MaxReferences {
			t.Fatalf("%d references", len(ex.References))
		}
	})
}
