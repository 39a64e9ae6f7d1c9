package archive_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/xmllint"
	"github.com/obieg/obieg/internal/domain/archive"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/jrwa"
	"github.com/obieg/obieg/internal/domain/ndap"
	schemas "github.com/obieg/obieg/xmlschemas/ndap"
)

func date(s string) civil.Date {
	d, err := civil.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestRetentionOf(t *testing.T) {
	tests := []struct {
		cat, counting, closed, created string
		from, until                    string
	}{
		// B5 closed in 2026: full years 2027..2031, disposal from 2032-01-01.
		{"B5", "closing", "2026-05-10", "", "2032-01-01", "2032-01-01"},
		// Counted from the newest document, created in 2025, although the case closed in 2026.
		{"B5", "creation", "2026-01-20", "2025-12-30", "2031-01-01", "2031-01-01"},
		{"BE10", "", "2026-12-31", "", "2037-01-01", "2037-01-01"},
		// A: transfer due after 10 full years; locked a further 12 months for the confirmation.
		{"A", "closing", "2026-03-02", "", "2037-01-01", "2038-01-01"},
		// Bc: no fixed period; one full year after closing.
		{"Bc", "closing", "2026-07-01", "", "2028-01-01", "2028-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.cat+"/"+tt.counting+"/"+tt.closed, func(t *testing.T) {
			cat, err := jrwa.ParseCategory(tt.cat)
			if err != nil {
				t.Fatal(err)
			}
			counting, err := jrwa.ParseCounting(tt.counting)
			if err != nil {
				t.Fatal(err)
			}
			var created civil.Date
			if tt.created != "" {
				created = date(tt.created)
			}
			r, err := archive.RetentionOf(cat, counting, date(tt.closed), created)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.From.String(); got != tt.from {
				t.Errorf("got from %s, want %s", got, tt.from)
			}
			want := date(tt.until).In(civil.Warsaw)
			if !r.Until.Equal(want) {
				t.Errorf("got until %s, want %s", r.Until, want)
			}
		})
	}
	if _, err := jrwa.ParseCounting("kiedyś"); !errors.Is(err, jrwa.ErrInvalid) {
		t.Errorf("an unknown counting: got %v, want ErrInvalid", err)
	}
	if _, err := archive.RetentionOf(jrwa.Category{}, jrwa.FromClosing, date("2026-01-01"), civil.Date{}); !errors.Is(err, archive.ErrInvalid) {
		t.Errorf("no category: got %v, want ErrInvalid", err)
	}
	b5, _ := jrwa.ParseCategory("B5")
	if _, err := archive.RetentionOf(b5, jrwa.FromCreation, date("2026-01-01"), civil.Date{}); !errors.Is(err, archive.ErrInvalid) {
		t.Errorf("counting from creation without a date: got %v, want ErrInvalid", err)
	}
}

func office() ndap.Party {
	return ndap.Party{Institution: &ndap.Institution{Name: "Regionalny Ośrodek Polityki Społecznej w Łodzi",
		Unit: &ndap.Unit{Name: "Wydział Polityki Społecznej"}}}
}

// refusal is a family card case refused by decision: the application as received with an
// attachment, its validation report, the decision (XML and PDF), its proof of delivery, the
// metryka and the audit entries.
func refusal() (archive.Case, []archive.Document) {
	cat, _ := jrwa.ParseCategory("B10")
	c := archive.Case{Reference: "WPS.5300.4.2026", Title: "Wniosek o przyznanie karty dużej rodziny", Class: "5300",
		ClassHeading: "Wnioski o wydanie karty", Category: cat, Opened: date("2026-03-02"), Closed: date("2026-04-20"), Office: office()}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	party := ndap.PersonNamed("Małgorzata Żółkiewska-Łęcka")
	head := ndap.Party{Institution: &ndap.Institution{Name: "Regionalny Ośrodek Polityki Społecznej w Łodzi",
		Unit: &ndap.Unit{Name: "Wydział Polityki Społecznej", Employee: &ndap.Employee{Surname: "Brzęczyszczykiewicz", Name: "Grzegorz", Function: "Dyrektor"}}}}
	o := office()
	docs := []archive.Document{
		{ID: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Kind: archive.Incoming, Name: "wniosek.xml", Title: "Wniosek o kartę", Format: "application/xml", Size: 8123, Date: at, Creator: party, Recipient: &o, Restricted: true},
		{ID: "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752", Kind: archive.Attachment, Name: "../zaświadczenie\nszkoła.pdf", Format: "application/pdf", Size: 20481, Date: at, Creator: party, Of: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Restricted: true},
		{ID: "0190a7c2-5b1e-7c3d-9e4f-000000000001", Kind: archive.Report, Name: "raport.xml", Format: "application/xml", Size: 3000, Date: at, Creator: o, Of: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
		{ID: "0190a7c2-5b1e-7c3d-9e4f-000000000002", Kind: archive.Letter, Name: "decyzja.xml", Title: "DECYZJA", Format: "application/xml", Size: 18342, Date: at.AddDate(0, 0, 10), Signed: at.AddDate(0, 0, 11), Sent: date("2026-03-14"), Creator: o, Approver: &head, Recipient: &party},
		{ID: "0190a7c2-5b1e-7c3d-9e4f-000000000003", Kind: archive.Rendering, Name: "decyzja.pdf", Title: "DECYZJA", Format: "application/pdf", Size: 51234, Date: at.AddDate(0, 0, 11), Creator: o, Of: "0190a7c2-5b1e-7c3d-9e4f-000000000002"},
		{ID: "0190a7c2-5b1e-7c3d-9e4f-000000000004", Kind: archive.Proof, Name: "dowod-doreczenia.xml", Format: "application/xml", Size: 4000, Date: at.AddDate(0, 0, 13),
			Creator: ndap.Party{Institution: &ndap.Institution{Name: "e-Doręczenia"}}, Of: "0190a7c2-5b1e-7c3d-9e4f-000000000002"},
		{ID: "0190a7c2-5b1e-7c3d-9e4f-000000000005", Kind: archive.History, Name: "metryka.xml", Format: "application/xml", Size: 7000, Date: at.AddDate(0, 1, 18), Creator: o},
		{ID: "0190a7c2-5b1e-7c3d-9e4f-000000000006", Kind: archive.Audit, Name: "zdarzenia.jsonl", Format: "application/json", Size: 12000, Date: at.AddDate(0, 1, 18), Creator: o},
	}
	return c, docs
}

func TestLay(t *testing.T) {
	c, docs := refusal()
	files, err := archive.Lay(c, docs)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(files), 2*len(docs)+1; got != want {
		t.Fatalf("got %d files, want %d", got, want)
	}
	paths := map[string]bool{}
	for i, f := range files {
		if paths[f.Path] {
			t.Errorf("path %s twice", f.Path)
		}
		paths[f.Path] = true
		if strings.Contains(f.Path, "..") || strings.ContainsAny(f.Path, "\n\r") || !strings.HasPrefix(f.Path, "data/") {
			t.Errorf("unsafe path %q", f.Path)
		}
		if f.Document != nil {
			if next := files[i+1]; next.Path != archive.MetadataPath(f.Path) || next.Metadata == nil {
				t.Errorf("document %s is not followed by its metadata at %s", f.Path, archive.MetadataPath(f.Path))
			}
			continue
		}
		if ok, out := xmllint.Validate(t, schemas.FS(), schemas.MetadataXSD, f.Metadata); !ok {
			t.Errorf("%s is invalid against %s:\n%s\n%s", f.Path, schemas.MetadataXSD, out, f.Metadata)
		}
	}
	for _, want := range []string{"data/dokumenty/01-wniosek.xml", "data/metadane/01-wniosek.xml.xml", "data/dokumenty/02-zaświadczenie_szkoła.pdf", "data/sprawy/WPS.5300.4.2026.xml"} {
		if !paths[want] {
			t.Errorf("no file at %s; have %v", want, paths)
		}
	}
	// The attachment says which letter it belongs to, the PDF which XML it renders.
	for _, tt := range []struct{ path, want string }{
		{"data/metadane/02-zaświadczenie_szkoła.pdf.xml", "<typ>jestCzescia</typ>"},
		{"data/metadane/05-decyzja.pdf.xml", "<typ>jestFormatem</typ>"},
		{"data/metadane/04-decyzja.xml.xml", "<funkcja>zatwierdzil</funkcja>"},
		{"data/metadane/01-wniosek.xml.xml", "<dostepnosc>metadane</dostepnosc>"},
		{"data/sprawy/WPS.5300.4.2026.xml", "<typ>daty skrajne</typ>"},
	} {
		var meta string
		for _, f := range files {
			if f.Path == tt.path {
				meta = string(f.Metadata)
			}
		}
		if !strings.Contains(meta, tt.want) {
			t.Errorf("%s lacks %s:\n%s", tt.path, tt.want, meta)
		}
	}
}

func TestLayRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(*archive.Case, *[]archive.Document)
	}{
		{"no document", func(_ *archive.Case, d *[]archive.Document) { *d = nil }},
		{"duplicate id", func(_ *archive.Case, d *[]archive.Document) { (*d)[1].ID = (*d)[0].ID }},
		{"belongs to nothing", func(_ *archive.Case, d *[]archive.Document) { (*d)[1].Of = "missing" }},
		{"no format", func(_ *archive.Case, d *[]archive.Document) { (*d)[0].Format = "" }},
		{"closed before opened", func(c *archive.Case, _ *[]archive.Document) { c.Closed = date("2026-01-01") }},
		{"no category", func(c *archive.Case, _ *[]archive.Document) { c.Category = jrwa.Category{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, docs := refusal()
			tt.change(&c, &docs)
			if _, err := archive.Lay(c, docs); err == nil {
				t.Error("got no error")
			}
		})
	}
}
