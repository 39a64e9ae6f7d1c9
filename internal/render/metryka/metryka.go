// Package metryka renders a case's history (metryka sprawy, regulation of 6 March 2012) as
// XML for systems and archives, and as a PDF a person can read and print: the case reference
// and title, and for every action its date, who (name, position), what was done and the
// document concerned. What was done is said in Polish from the entry's code and data
// (package casehistory), or is the text stored with an older entry. It renders only; the
// history itself is kept by package cases.
package metryka

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"time"

	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/casehistory"
	"github.com/obieg/obieg/internal/render/pdfdoc"
)

// Namespace is the XML namespace of obieg's case history documents.
const Namespace = "urn:obieg:metryka:1"

// Case is what a history is rendered for.
type Case struct {
	Office    string // the office's name, for the letterhead
	Reference string
	Title     string
	Unit      string // the unit's name
	Class     string // JRWA symbol and heading
	OpenedAt  time.Time
	Actions   []casefile.Action
	// PrintedAt and PrintedBy say when and for whom the copy was made.
	PrintedAt time.Time
	PrintedBy string
}

type xmlHistory struct {
	XMLName   xml.Name    `xml:"urn:obieg:metryka:1 MetrykaSprawy"`
	Reference string      `xml:"ZnakSprawy"`
	Title     string      `xml:"TytulSprawy"`
	Office    string      `xml:"Podmiot"`
	Unit      string      `xml:"Komorka"`
	Class     string      `xml:"KlasaJRWA"`
	OpenedAt  string      `xml:"DataWszczecia"`
	Actions   []xmlAction `xml:"Czynnosci>Czynnosc"`
	Printed   string      `xml:"Wygenerowano,attr"`
	PrintedBy string      `xml:"DlaUzytkownika,attr"`
}

type xmlAction struct {
	Seq         int    `xml:"lp,attr"`
	At          string `xml:"Data"`
	Actor       string `xml:"Wykonujacy>Login"`
	ActorName   string `xml:"Wykonujacy>ImieNazwisko"`
	Position    string `xml:"Wykonujacy>Stanowisko,omitempty"`
	Code        string `xml:"Rodzaj"`
	Description string `xml:"Opis"`
	DocumentID  string `xml:"IdentyfikatorDokumentu,omitempty"`
}

// XML renders the history as an XML document in Namespace.
func XML(c Case, loc *time.Location) ([]byte, error) {
	h := xmlHistory{Reference: c.Reference, Title: c.Title, Office: c.Office, Unit: c.Unit, Class: c.Class,
		OpenedAt: c.OpenedAt.In(loc).Format(time.RFC3339), Printed: c.PrintedAt.In(loc).Format(time.RFC3339), PrintedBy: c.PrintedBy}
	for _, a := range c.Actions {
		h.Actions = append(h.Actions, xmlAction{Seq: a.Seq, At: a.At.In(loc).Format(time.RFC3339), Actor: a.Actor,
			ActorName: a.ActorName, Position: a.ActorPosition, Code: a.Code, Description: casehistory.Describe(a.Code, a.Data, a.Description), DocumentID: a.DocumentID})
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(h); err != nil {
		return nil, fmt.Errorf("render case history %s as XML: %w", c.Reference, err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// PDF renders the history as an A4 document with the office's letterhead.
func PDF(c Case, loc *time.Location) ([]byte, error) {
	footer := func(page int) string {
		return fmt.Sprintf("Wygenerowano %s dla %s w systemie obieg – strona %d", c.PrintedAt.In(loc).Format("2006-01-02 15:04"), c.PrintedBy, page)
	}
	d := pdfdoc.New("Metryka sprawy "+c.Reference, c.Office, c.Office, footer)
	d.Heading(15, "Metryka sprawy")
	d.Gap(4)
	for _, kv := range [][2]string{
		{"Znak sprawy", c.Reference},
		{"Tytuł sprawy", c.Title},
		{"Komórka", c.Unit},
		{"Klasa JRWA", c.Class},
		{"Data wszczęcia", c.OpenedAt.In(loc).Format("2006-01-02")},
	} {
		d.Row("regular", 9, []float64{110, pdfdoc.BodyW - 110}, kv[0]+":", kv[1])
	}
	d.Gap(10)
	cols := []float64{28, 92, 130, pdfdoc.BodyW - 250}
	d.Row("bold", 9, cols, "Lp.", "Data", "Wykonujący", "Czynność")
	d.Rule()
	for _, a := range c.Actions {
		who := a.ActorName
		if a.ActorPosition != "" {
			who += ", " + a.ActorPosition
		}
		what := casehistory.Describe(a.Code, a.Data, a.Description)
		if a.DocumentID != "" {
			what += " (dokument " + a.DocumentID + ")"
		}
		d.Row("regular", 9, cols, fmt.Sprint(a.Seq), a.At.In(loc).Format("2006-01-02 15:04"), who, what)
	}
	pdf, err := d.Bytes()
	if err != nil {
		return nil, fmt.Errorf("render case history %s as PDF: %w", c.Reference, err)
	}
	return pdf, nil
}
