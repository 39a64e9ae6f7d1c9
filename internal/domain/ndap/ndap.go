// Package ndap writes the metadata of archived documents and cases as the state archives
// read them: an XML document per document and per case, root `dokument` in the namespace
// http://www.mswia.gov.pl/standardy/ndap, valid against the archives' schema version 1.7
// (xmlschemas/ndap), carrying the 14 elements of the regulation of 30 October 2006 (Dz.U. 206
// poz. 1517): identifier, creator, title, date, format, access and type always; recipient,
// grouping, archival category, language, description, rights and relation when they apply.
// It also writes the hand-over list of a transfer (spis zdawczo-odbiorczy).
//
// The schema fixes the order of the elements; Document keeps it. What the schema leaves
// unchecked Validate checks: the archival category is one of A, B<n>, BE<n>, Bc; the creator's
// function and the relation's type are the listed spellings; no text that must be non-empty
// is blank or holds a line break (the schema's pattern refuses line breaks, so Marshal folds
// them into spaces first). The package is pure: it builds bytes, and neither reads nor
// stores anything.
package ndap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/jrwa"
	"github.com/obieg/obieg/internal/domain/problem"
)

// Namespace is the namespace of the archives' metadata.
const Namespace = "http://www.mswia.gov.pl/standardy/ndap"

// ErrInvalid is wrapped by Validate's errors; it is of kind problem.Invalid.
var ErrInvalid = problem.NewInvalid("", errors.New("ndap: invalid metadata"))

// Kinds of date (data/typ), as the schema lists them.
const (
	DateCreated  = "stworzony"
	DateReceived = "otrzymany"
	DateSent     = "wyslany"
	DateAccepted = "zaakceptowany"
	DateApproved = "zatwierdzony"
	DateModified = "zmodyfikowany"
	DateSpan     = "daty skrajne" // a case: from its first to its last document
)

// Access (dostep/dostepnosc).
const (
	AccessAll      = "wszystko"
	AccessMetadata = "metadane"
	AccessNone     = "niedostepne"
)

// Creator functions (tworca/funkcja), the listed spellings.
const (
	Created  = "stworzyl"
	Modified = "modyfikowal"
	Approved = "zatwierdzil"
)

// Relation types (relacja/typ) obieg writes.
const (
	HasPart    = "maCzesc"
	IsPartOf   = "jestCzescia"
	References = "odnosiSieDo"
	HasFormat  = "maFormat"
	IsFormatOf = "jestFormatem"
)

// Types (typ/kategoria): the DCMI types obieg uses.
const (
	TypeText       = "Text"
	TypeCollection = "Collection" // a case
	TypeImage      = "StillImage"
	TypeDataset    = "Dataset"
)

// GroupCase is the grouping type that ties a document to its case.
const GroupCase = "znak sprawy"

// Document is the metadata of one document or of one case, in the schema's order.
type Document struct {
	XMLName       xml.Name       `xml:"http://www.mswia.gov.pl/standardy/ndap dokument"`
	Recipients    []Recipient    `xml:"odbiorca,omitempty"`
	Dates         []Date         `xml:"data"`
	Access        Access         `xml:"dostep"`
	Format        Format         `xml:"format"`
	Groupings     []Grouping     `xml:"grupowanie,omitempty"`
	Identifiers   []Identifier   `xml:"identyfikator"`
	Languages     []Language     `xml:"jezyk,omitempty"`
	Description   *string        `xml:"opis"`
	Rights        []string       `xml:"uprawnienia,omitempty"`
	Qualification *Qualification `xml:"kwalifikacja"`
	Relations     []Relation     `xml:"relacja,omitempty"`
	Creators      []Creator      `xml:"tworca"`
	Type          Type           `xml:"typ"`
	Title         Title          `xml:"tytul"`
}

// Recipient is an addressee (odbiorca): the main one, or one who is informed.
type Recipient struct {
	Party Party  `xml:"podmiot"`
	Kind  string `xml:"rodzaj"` // "glowny" or "do wiadomosci"
}

// Date is a date of the document (data): a point in time or, for a case, a span.
type Date struct {
	Kind string `xml:"typ"`
	At   string `xml:"czas,omitempty"`
	From string `xml:"od,omitempty"`
	To   string `xml:"do,omitempty"`
}

// Access says what of the document may be made available (dostep).
type Access struct {
	Availability string `xml:"dostepnosc"`
	Remarks      string `xml:"uwagi,omitempty"`
}

// Format is the document's file format (format): a MIME type and the size in bytes.
type Format struct {
	Type string `xml:"typ"`
	Size *Size  `xml:"wielkosc"`
}

// Size is a size with its unit.
type Size struct {
	Unit  string `xml:"jednostka,attr"`
	Value string `xml:",chardata"`
}

// Grouping places the document in a group (grupowanie), such as its case.
type Grouping struct {
	Type        string `xml:"typ"`
	Code        string `xml:"kod"`
	Description string `xml:"opis"`
}

// Identifier is an identifier of the document (identyfikator), with who gave it.
type Identifier struct {
	Type  string `xml:"typ"`
	Value string `xml:"wartosc"`
	Party *Party `xml:"podmiot"`
}

// Language is a language of the document, by its ISO 639-2 code (jezyk).
type Language struct {
	Code string `xml:"kod,attr"`
	Name string `xml:",chardata"`
}

// Qualification is the archival category and when it was given (kwalifikacja).
type Qualification struct {
	Category string `xml:"kategoria"`
	Date     string `xml:"data"`
}

// Relation ties the document to another (relacja).
type Relation struct {
	Identifier Identifier `xml:"identyfikator"`
	Type       string     `xml:"typ"`
}

// Creator is who made, changed or approved the document (tworca).
type Creator struct {
	Function string `xml:"funkcja"`
	Party    Party  `xml:"podmiot"`
}

// Type is the document's type (typ): a DCMI type and obieg's own kind.
type Type struct {
	Category string `xml:"kategoria"`
	Kind     string `xml:"rodzaj,omitempty"`
}

// Title is the document's title (tytul).
type Title struct {
	Original string `xml:"oryginalny"`
}

// Party is a person or an institution (podmiot). Exactly one is set.
type Party struct {
	Person      *Person      `xml:"osoba"`
	Institution *Institution `xml:"instytucja"`
}

// Person is a natural person: a name, never a PESEL.
type Person struct {
	Surname string `xml:"nazwisko"`
	Name    string `xml:"imie,omitempty"`
}

// Institution is an institution, optionally with its unit and the employee who acted.
type Institution struct {
	Name string `xml:"nazwa"`
	Unit *Unit  `xml:"jednostka"`
}

// Unit is a unit of an institution (jednostka), with the employee who acted.
type Unit struct {
	Name     string    `xml:"nazwa"`
	Employee *Employee `xml:"pracownik"`
}

// Employee is who acted in a unit (pracownik).
type Employee struct {
	Surname  string `xml:"nazwisko"`
	Name     string `xml:"imie,omitempty"`
	Function string `xml:"funkcja,omitempty"`
}

// Day writes a calendar date as the schema's xsd:date.
func Day(d civil.Date) string { return d.String() }

// Instant writes an instant as the schema's xsd:dateTime, in Polish time with its offset.
func Instant(t time.Time) string { return t.In(civil.Warsaw).Format(time.RFC3339) }

// Bytes writes the size n in bytes.
func Bytes(n int64) *Size { return &Size{Unit: "bajt", Value: fmt.Sprint(n)} }

// PersonNamed splits a full name into a Person: the last word is the surname.
func PersonNamed(full string) Party {
	words := strings.Fields(full)
	if len(words) == 0 {
		return Party{Person: &Person{Surname: full}}
	}
	return Party{Person: &Person{Surname: words[len(words)-1], Name: strings.Join(words[:len(words)-1], " ")}}
}

// Marshal validates d and writes it as an XML document. Line breaks in texts are folded into
// spaces first, since the schema refuses them in every non-empty string.
func Marshal(d Document) ([]byte, error) {
	d = fold(d)
	if err := d.Validate(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("ndap: write metadata: %w", err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// oneLine folds line breaks and runs of white space into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func fold(d Document) Document {
	d.Title.Original = oneLine(d.Title.Original)
	for i := range d.Groupings {
		g := &d.Groupings[i]
		g.Code, g.Description, g.Type = oneLine(g.Code), oneLine(g.Description), oneLine(g.Type)
	}
	for i := range d.Identifiers {
		d.Identifiers[i].Value = oneLine(d.Identifiers[i].Value)
	}
	for i := range d.Creators {
		foldParty(&d.Creators[i].Party)
	}
	for i := range d.Recipients {
		foldParty(&d.Recipients[i].Party)
	}
	return d
}

func foldParty(p *Party) {
	if p.Person != nil {
		p.Person.Surname, p.Person.Name = oneLine(p.Person.Surname), oneLine(p.Person.Name)
	}
	if p.Institution != nil {
		p.Institution.Name = oneLine(p.Institution.Name)
		if u := p.Institution.Unit; u != nil {
			u.Name = oneLine(u.Name)
			if e := u.Employee; e != nil {
				e.Surname, e.Name, e.Function = oneLine(e.Surname), oneLine(e.Name), oneLine(e.Function)
			}
		}
	}
}

// Validate checks what the schema requires of d and what it leaves to the writer.
func (d Document) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	need := func(what, s string) {
		if strings.TrimSpace(s) == "" || strings.ContainsAny(s, "\r\n") {
			bad("%s is blank or holds a line break", what)
		}
	}
	if len(d.Dates) == 0 {
		bad("no date")
	}
	for _, dt := range d.Dates {
		switch dt.Kind {
		case DateCreated, DateReceived, DateSent, DateAccepted, DateApproved, DateModified, "dostepnyPo", "opublikowany", "uzyskany":
			if dt.At == "" || dt.From != "" || dt.To != "" {
				bad("date %q needs a point in time", dt.Kind)
			}
		case DateSpan:
			if dt.At != "" || dt.From == "" || dt.To == "" {
				bad("date %q needs a span from and to", dt.Kind)
			}
		default:
			bad("date kind %q is not one the schema lists", dt.Kind)
		}
	}
	switch d.Access.Availability {
	case AccessAll, AccessMetadata, AccessNone:
	default:
		bad("access %q is not wszystko, metadane or niedostepne", d.Access.Availability)
	}
	need("format", d.Format.Type)
	for _, g := range d.Groupings {
		need("grouping type", g.Type)
		need("grouping code", g.Code)
		need("grouping description", g.Description)
	}
	if len(d.Identifiers) == 0 {
		bad("no identifier")
	}
	for _, id := range d.Identifiers {
		need("identifier type", id.Type)
		need("identifier value", id.Value)
	}
	for _, l := range d.Languages {
		if len(l.Code) != 3 || strings.ToLower(l.Code) != l.Code {
			bad("language code %q is not ISO 639-2", l.Code)
		}
	}
	if q := d.Qualification; q != nil {
		if _, err := jrwa.ParseCategory(q.Category); err != nil {
			bad("archival category %q: %v", q.Category, err)
		}
		need("qualification date", q.Date)
	}
	for _, r := range d.Relations {
		switch r.Type {
		case HasPart, IsPartOf, References, HasFormat, IsFormatOf, "maWersje", "jestWersja", "maOdniesienie", "maZrodlo", "wymaga", "jestWymagany", "maDekretacje", "jestDekretacja":
		default:
			bad("relation type %q is not one the schema lists", r.Type)
		}
		need("related identifier", r.Identifier.Value)
	}
	if len(d.Creators) == 0 {
		bad("no creator")
	}
	for _, c := range d.Creators {
		switch c.Function {
		case Created, Modified, Approved:
		default:
			bad("creator function %q is not stworzyl, modyfikowal or zatwierdzil", c.Function)
		}
		errs = append(errs, c.Party.validate("creator")...)
	}
	for _, r := range d.Recipients {
		if r.Kind != "glowny" && r.Kind != "do wiadomosci" {
			bad("recipient kind %q is not glowny or do wiadomosci", r.Kind)
		}
		errs = append(errs, r.Party.validate("recipient")...)
	}
	switch d.Type.Category {
	case "Collection", "Dataset", "Event", "Image", "InteractiveResource", "MovingImage", "PhysicalObject", "Service", "Software", "Sound", "StillImage", "Text":
	default:
		bad("type %q is not a DCMI type", d.Type.Category)
	}
	need("title", d.Title.Original)
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", ErrInvalid, errors.Join(errs...))
	}
	return nil
}

func (p Party) validate(what string) []error {
	switch {
	case (p.Person == nil) == (p.Institution == nil):
		return []error{fmt.Errorf("%s is not exactly one person or institution", what)}
	case p.Person != nil && strings.TrimSpace(p.Person.Surname) == "":
		return []error{fmt.Errorf("%s has no surname", what)}
	case p.Institution != nil && strings.TrimSpace(p.Institution.Name) == "":
		return []error{fmt.Errorf("%s has no name", what)}
	case p.Institution != nil && p.Institution.Unit != nil && strings.TrimSpace(p.Institution.Unit.Name) == "":
		return []error{fmt.Errorf("%s's unit has no name", what)}
	case p.Institution != nil && p.Institution.Unit != nil && p.Institution.Unit.Employee != nil && strings.TrimSpace(p.Institution.Unit.Employee.Surname) == "":
		return []error{fmt.Errorf("%s's employee has no surname", what)}
	}
	return nil
}
