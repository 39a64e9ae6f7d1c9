// Package metryka renders a case's history (metryka sprawy, regulation of 6 March 2012) as
// XML for systems and archives, and as a PDF a person can read and print: the case reference
// and title, and for every action its date, who (name, position), what was done and the
// document concerned. It renders only; the history itself is kept by package cases.
package metryka

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"time"

	"github.com/signintech/gopdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/obieg/obieg/internal/cases"
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
	Actions   []cases.Action
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
			ActorName: a.ActorName, Position: a.ActorPosition, Code: a.Code, Description: a.Description, DocumentID: a.DocumentID})
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

// A4 in points, with the margins of an office letter.
const (
	pageW, pageH = 595.28, 841.89
	margin       = 50.0
	bodyW        = pageW - 2*margin
)

// PDF renders the history as an A4 document with the office's letterhead.
func PDF(c Case, loc *time.Location) ([]byte, error) {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	pdf.SetInfo(gopdf.PdfInfo{Title: "Metryka sprawy " + c.Reference, Author: c.Office, Creator: "obieg", CreationDate: c.PrintedAt})
	if err := pdf.AddTTFFontData("regular", goregular.TTF); err != nil {
		return nil, fmt.Errorf("pdf font: %w", err)
	}
	if err := pdf.AddTTFFontData("bold", gobold.TTF); err != nil {
		return nil, fmt.Errorf("pdf font: %w", err)
	}
	w := &writer{pdf: pdf, loc: loc, c: c}
	w.newPage()
	w.line("bold", 15, "Metryka sprawy")
	w.gap(4)
	for _, kv := range [][2]string{
		{"Znak sprawy", c.Reference},
		{"Tytuł sprawy", c.Title},
		{"Komórka", c.Unit},
		{"Klasa JRWA", c.Class},
		{"Data wszczęcia", c.OpenedAt.In(loc).Format("2006-01-02")},
	} {
		w.pair(kv[0], kv[1])
	}
	w.gap(10)
	cols := []float64{28, 92, 130, bodyW - 250}
	w.row("bold", cols, "Lp.", "Data", "Wykonujący", "Czynność")
	w.rule()
	for _, a := range c.Actions {
		who := a.ActorName
		if a.ActorPosition != "" {
			who += ", " + a.ActorPosition
		}
		what := a.Description
		if a.DocumentID != "" {
			what += " (dokument " + a.DocumentID + ")"
		}
		w.row("regular", cols, fmt.Sprint(a.Seq), a.At.In(loc).Format("2006-01-02 15:04"), who, what)
	}
	if w.err != nil {
		return nil, fmt.Errorf("render case history %s as PDF: %w", c.Reference, w.err)
	}
	var b bytes.Buffer
	if err := pdf.Write(&b); err != nil {
		return nil, fmt.Errorf("render case history %s as PDF: %w", c.Reference, err)
	}
	return b.Bytes(), nil
}

// writer lays text out top to bottom, starting new pages as needed; the first error stops it.
type writer struct {
	pdf  *gopdf.GoPdf
	loc  *time.Location
	c    Case
	y    float64
	page int
	err  error
}

func (w *writer) newPage() {
	w.pdf.AddPage()
	w.page++
	w.y = margin
	w.font("bold", 10)
	w.text(margin, w.y, w.c.Office)
	w.font("regular", 8)
	footer := fmt.Sprintf("Wygenerowano %s dla %s w systemie obieg – strona %d", w.c.PrintedAt.In(w.loc).Format("2006-01-02 15:04"), w.c.PrintedBy, w.page)
	w.text(margin, pageH-margin+15, footer)
	w.y += 14
	w.pdf.SetLineWidth(0.8)
	w.pdf.Line(margin, w.y, pageW-margin, w.y)
	w.y += 16
}

func (w *writer) font(family string, size float64) {
	if w.err == nil {
		w.err = w.pdf.SetFont(family, "", size)
	}
}

func (w *writer) text(x, y float64, s string) {
	if w.err != nil {
		return
	}
	w.pdf.SetXY(x, y)
	w.err = w.pdf.Text(s)
}

func (w *writer) need(h float64) {
	if w.y+h > pageH-margin {
		w.newPage()
	}
}

func (w *writer) line(family string, size float64, s string) {
	w.font(family, size)
	w.need(size + 4)
	w.text(margin, w.y+size, s)
	w.y += size + 6
}

func (w *writer) gap(h float64) { w.y += h }

func (w *writer) rule() {
	w.pdf.SetLineWidth(0.4)
	w.pdf.Line(margin, w.y, pageW-margin, w.y)
	w.y += 4
}

func (w *writer) pair(k, v string) {
	w.row("regular", []float64{110, bodyW - 110}, k+":", v)
}

// row writes one table row, wrapping each cell to its column and starting a new page when
// the row does not fit.
func (w *writer) row(family string, widths []float64, cells ...string) {
	const size, lead = 9.0, 12.0
	w.font(family, size)
	if w.err != nil {
		return
	}
	wrapped := make([][]string, len(cells))
	lines := 1
	for i, cell := range cells {
		ls, err := w.pdf.SplitTextWithWordWrap(cell, widths[i]-6)
		if err != nil {
			ls = []string{cell}
		}
		if len(ls) == 0 {
			ls = []string{""}
		}
		wrapped[i] = ls
		lines = max(lines, len(ls))
	}
	w.need(float64(lines)*lead + 4)
	x := margin
	for i, ls := range wrapped {
		for j, l := range ls {
			w.text(x, w.y+size+float64(j)*lead, l)
		}
		x += widths[i]
	}
	w.y += float64(lines)*lead + 4
}
