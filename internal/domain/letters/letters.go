// Package letters renders the letters an office sends in a case (pisma wychodzące): the call
// to remedy formal defects (art. 64 §2 KPA), the notice of delay (art. 36), the notice of
// forwarding to the competent body (art. 65 / 231), and the answer drafted by the handler.
// Each is an XML document (namespace urn:obieg:pismo:1) and a PDF with the office's
// letterhead, the case reference, place and date, the addressee, and the signature block. A
// letter is rendered as a draft (marked PROJEKT) until it is signed; signing is separate.
package letters

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/obieg/obieg/internal/domain/civil"
)

// Kinds of letters.
const (
	KindRemedyRequest = "wezwanie-do-usuniecia-brakow" // art. 64 §2
	KindDelayNotice   = "zawiadomienie-o-zwloce"       // art. 36
	KindForwardNotice = "zawiadomienie-o-przekazaniu"  // art. 65 §1 / art. 231
	KindAnswer        = "odpowiedz"                    // the handler's answer
	KindDecision      = "decyzja"                      // an administrative decision (art. 104, 107 k.p.a.)
)

// Namespace is the XML namespace of obieg's letters.
const Namespace = "urn:obieg:pismo:1"

// Letter is an outgoing letter.
type Letter struct {
	XMLName   xml.Name   `xml:"urn:obieg:pismo:1 Pismo"`
	Kind      string     `xml:"rodzaj,attr"`
	Draft     bool       `xml:"projekt,attr"`
	Office    string     `xml:"Nadawca>Podmiot"`
	Unit      string     `xml:"Nadawca>Komorka"`
	Place     string     `xml:"Miejscowosc"`
	Date      civil.Date `xml:"Data"`
	Reference string     `xml:"ZnakSprawy"`
	Addressee string     `xml:"Adresat>Nazwa"`
	// AddresseeBox is the addressee's electronic address (ePUAP box), when known.
	AddresseeBox string `xml:"Adresat>AdresElektroniczny,omitempty"`
	Title        string `xml:"Tytul"`
	// Basis is the legal basis, e.g. "art. 64 § 2 k.p.a.".
	Basis string `xml:"PodstawaPrawna,omitempty"`
	// RulingXML, Body and InstructionXML are the letter's text as XML carries it; XML fills the
	// two from Ruling and Instruction.
	RulingXML      *Paragraphs `xml:"Rozstrzygniecie,omitempty" json:"-"`
	Body           []string    `xml:"Tresc>Akapit"`
	InstructionXML *Paragraphs `xml:"Pouczenie,omitempty" json:"-"`
	// Ruling is a decision's ruling (rozstrzygnięcie) and Instruction its instruction on the
	// right of appeal (pouczenie); Body is then its justification (art. 107 §1, §3 k.p.a.).
	Ruling      []string `xml:"-"`
	Instruction []string `xml:"-"`
	Signatory   string   `xml:"Podpis>ImieNazwisko"`
	Position    string   `xml:"Podpis>Stanowisko,omitempty"`
	// SignedBy names the certificate the XML is signed with, for the PDF's note; the XML
	// itself carries the signature.
	SignedBy string `xml:"-"`
}

// Paragraphs are the paragraphs of a part of a letter.
type Paragraphs struct {
	Items []string `xml:"Akapit"`
}

// XML renders the letter as an XML document in Namespace.
func XML(l Letter) ([]byte, error) {
	l = l.Paragraphed()
	if len(l.Ruling) > 0 {
		l.RulingXML = &Paragraphs{Items: l.Ruling}
	}
	if len(l.Instruction) > 0 {
		l.InstructionXML = &Paragraphs{Items: l.Instruction}
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(l); err != nil {
		return nil, fmt.Errorf("render letter %s in %s as XML: %w", l.Kind, l.Reference, err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// Paragraphed returns the letter with its body, ruling and instruction split into paragraphs
// as paragraphs does, the form in which every rendering of it lays them out.
func (l Letter) Paragraphed() Letter {
	l.Body, l.Ruling, l.Instruction = paragraphs(l.Body), paragraphs(l.Ruling), paragraphs(l.Instruction)
	return l
}

// paragraphs splits each text at its line breaks into paragraphs and leaves out blank ones: a
// draft typed into a form as one text, its paragraphs on lines of their own, becomes the
// letter's paragraphs, in the XML and the PDF alike.
func paragraphs(texts []string) []string {
	var out []string
	for _, t := range texts {
		t = strings.ReplaceAll(strings.ReplaceAll(t, "\r\n", "\n"), "\r", "\n")
		for _, line := range strings.Split(t, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				out = append(out, line)
			}
		}
	}
	return out
}

var months = [...]string{"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca",
	"sierpnia", "września", "października", "listopada", "grudnia"}

// PolishDate writes a date as Polish letters do: "2 marca 2026 r."; "[data]" for a zero date.
func PolishDate(d civil.Date) string {
	if d.IsZero() {
		return "[data]"
	}
	return fmt.Sprintf("%d %s %d r.", d.Day, months[d.Month-1], d.Year)
}
