package ndap_test

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/xmllint"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/ndap"
	schemas "github.com/obieg/obieg/xmlschemas/ndap"
)

func office() ndap.Party {
	return ndap.Party{Institution: &ndap.Institution{
		Name: "Regionalny Ośrodek Polityki Społecznej w Łodzi",
		Unit: &ndap.Unit{Name: "Wydział Polityki Społecznej", Employee: &ndap.Employee{Surname: "Wiśniewska", Name: "Maria", Function: "kierownik"}},
	}}
}

// decision is the metadata of a signed decision in a case, with every conditional element.
func decision() ndap.Document {
	opis := "Decyzja odmowna w sprawie karty dużej rodziny."
	return ndap.Document{
		Recipients:    []ndap.Recipient{{Party: ndap.PersonNamed("Małgorzata Żółkiewska-Łęcka"), Kind: "glowny"}},
		Dates:         []ndap.Date{{Kind: ndap.DateCreated, At: ndap.Instant(time.Date(2026, 3, 20, 9, 30, 0, 0, time.UTC))}, {Kind: ndap.DateSent, At: ndap.Day(civil.Date{Year: 2026, Month: 3, Day: 21})}},
		Access:        ndap.Access{Availability: ndap.AccessMetadata, Remarks: "dane osobowe stron"},
		Format:        ndap.Format{Type: "application/xml", Size: ndap.Bytes(18342)},
		Groupings:     []ndap.Grouping{{Type: ndap.GroupCase, Code: "WPS.5300.4.2026", Description: "Wniosek o przyznanie\nkarty dużej rodziny"}},
		Identifiers:   []ndap.Identifier{{Type: "identyfikator obieg", Value: "0190a7c2-5b1e-7c3d-9e4f-0123456789ab", Party: &ndap.Party{Institution: &ndap.Institution{Name: "Regionalny Ośrodek Polityki Społecznej w Łodzi"}}}},
		Languages:     []ndap.Language{{Code: "pol", Name: "polski"}},
		Description:   &opis,
		Rights:        []string{"Dostęp zgodnie z ustawą o narodowym zasobie archiwalnym."},
		Qualification: &ndap.Qualification{Category: "B10", Date: "2026-03-20"},
		Relations:     []ndap.Relation{{Identifier: ndap.Identifier{Type: "identyfikator obieg", Value: "0190a7c2-5b1e-7c3d-9e4f-0123456789ac"}, Type: ndap.HasFormat}},
		Creators:      []ndap.Creator{{Function: ndap.Created, Party: office()}, {Function: ndap.Approved, Party: office()}},
		Type:          ndap.Type{Category: ndap.TypeText, Kind: "decyzja"},
		Title:         ndap.Title{Original: "DECYZJA\r\nodmowa przyznania karty"},
	}
}

// theCase is the metadata of a case: a collection spanning its dates.
func theCase() ndap.Document {
	return ndap.Document{
		Dates:         []ndap.Date{{Kind: ndap.DateSpan, From: "2026-03-02", To: "2026-04-20"}},
		Access:        ndap.Access{Availability: ndap.AccessMetadata},
		Format:        ndap.Format{Type: "text/xml"},
		Identifiers:   []ndap.Identifier{{Type: ndap.GroupCase, Value: "WPS.5300.4.2026"}},
		Qualification: &ndap.Qualification{Category: "B10", Date: "2026-04-20"},
		Creators:      []ndap.Creator{{Function: ndap.Created, Party: office()}},
		Type:          ndap.Type{Category: ndap.TypeCollection, Kind: "Sprawa"},
		Title:         ndap.Title{Original: "Wniosek o przyznanie karty dużej rodziny"},
	}
}

func TestMarshalValidates(t *testing.T) {
	for name, d := range map[string]ndap.Document{"document": decision(), "case": theCase()} {
		t.Run(name, func(t *testing.T) {
			doc, err := ndap.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			if strings.ContainsAny(string(doc[len("<?xml"):]), "\r") || strings.Contains(string(doc), "przyznania\n") {
				t.Errorf("a line break is left in a text:\n%s", doc)
			}
			if ok, out := xmllint.Validate(t, schemas.FS(), schemas.MetadataXSD, doc); !ok {
				t.Errorf("invalid against %s:\n%s\n%s", schemas.MetadataXSD, out, doc)
			}
		})
	}
}

func TestValidateRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(*ndap.Document)
		want   string
	}{
		{"no date", func(d *ndap.Document) { d.Dates = nil }, "no date"},
		{"span without end", func(d *ndap.Document) { d.Dates = []ndap.Date{{Kind: ndap.DateSpan, From: "2026-01-01"}} }, "span"},
		{"unknown date kind", func(d *ndap.Document) { d.Dates[0].Kind = "wpłynął" }, "date kind"},
		{"access", func(d *ndap.Document) { d.Access.Availability = "publiczny" }, "access"},
		{"category", func(d *ndap.Document) { d.Qualification.Category = "B" }, "archival category"},
		{"category lower case", func(d *ndap.Document) { d.Qualification.Category = "b5" }, "archival category"},
		{"creator spelling", func(d *ndap.Document) { d.Creators[0].Function = "stworzył" }, "creator function"},
		{"party both", func(d *ndap.Document) { d.Creators[0].Party.Person = &ndap.Person{Surname: "X"} }, "exactly one"},
		{"relation", func(d *ndap.Document) { d.Relations[0].Type = "maDekretację" }, "relation type"},
		{"type", func(d *ndap.Document) { d.Type.Category = "Tekst" }, "DCMI"},
		{"blank title", func(d *ndap.Document) { d.Title.Original = " \n " }, "title"},
		{"language", func(d *ndap.Document) { d.Languages[0].Code = "pl" }, "ISO 639-2"},
		{"no identifier", func(d *ndap.Document) { d.Identifiers = nil }, "no identifier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decision()
			tt.change(&d)
			_, err := ndap.Marshal(d)
			if !errors.Is(err, ndap.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want ErrInvalid saying %q", err, tt.want)
			}
		})
	}
}

func TestHandOverList(t *testing.T) {
	l := ndap.HandOverList{Cases: []ndap.ListLine{
		{Number: 1, Reference: "WPS.5300.4.2026", Heading: "Wnioski o wydanie karty", Title: "Wniosek o przyznanie karty dużej rodziny",
			Started: civil.Date{Year: 2026, Month: 3, Day: 2}, Ended: civil.Date{Year: 2026, Month: 4, Day: 20}, Documents: 7},
		{Number: 2, Reference: "SEK.0570.1.2026", Heading: "Skargi i wnioski", Title: "Skarga na\nprzewlekłość",
			Started: civil.Date{Year: 2026, Month: 5, Day: 4}, Ended: civil.Date{Year: 2026, Month: 5, Day: 29}, Documents: 3, Remarks: "akta kompletne"},
	}}
	doc, err := ndap.MarshalList(l)
	if err != nil {
		t.Fatal(err)
	}
	if ok, out := xmllint.Validate(t, schemas.FS(), schemas.HandOverListXSD, doc); !ok {
		t.Errorf("invalid against %s:\n%s\n%s", schemas.HandOverListXSD, out, doc)
	}
	l.Cases[1].Number = 3
	if _, err := ndap.MarshalList(l); !errors.Is(err, ndap.ErrInvalid) {
		t.Errorf("a list numbered 1, 3: got %v, want ErrInvalid", err)
	}
	if _, err := ndap.MarshalList(ndap.HandOverList{}); !errors.Is(err, ndap.ErrInvalid) {
		t.Errorf("an empty list: got %v, want ErrInvalid", err)
	}
}

// TestSchemasEmbedded checks that the schemas the package writes for are embedded whole.
func TestSchemasEmbedded(t *testing.T) {
	for _, name := range []string{schemas.MetadataXSD, schemas.HandOverListXSD, schemas.RequestXSD, schemas.Catalog, "CountryCode.xsd", "iso639-2.xsd"} {
		if _, err := fs.Stat(schemas.FS(), name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
