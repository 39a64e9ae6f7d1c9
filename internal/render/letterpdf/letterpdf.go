// Package letterpdf renders the office's letters (internal/domain/letters) as PDF on the office's
// letterhead: what goes on the page is said here, how it is laid out by internal/render/pdfdoc. It is
// kept apart from internal/domain/letters so that the letters themselves stay pure values.
package letterpdf

import (
	"fmt"

	"github.com/obieg/obieg/internal/domain/letters"
	"github.com/obieg/obieg/internal/render/pdfdoc"
)

// PDF renders the letter on A4 with the office's letterhead.
func PDF(l letters.Letter) ([]byte, error) {
	l = l.Paragraphed()
	footer := func(page int) string {
		s := fmt.Sprintf("%s – strona %d", l.Reference, page)
		if l.Draft {
			s = "PROJEKT – dokument niepodpisany. " + s
		}
		return s
	}
	d := pdfdoc.New(l.Title+" – "+l.Reference, l.Office, l.Office+" – "+l.Unit, footer)
	d.Right(fmt.Sprintf("%s, %s", l.Place, letters.PolishDate(l.Date)))
	d.Paragraph("Znak sprawy: " + l.Reference)
	d.Gap(8)
	d.Row("bold", 10, []float64{pdfdoc.BodyW / 2, pdfdoc.BodyW / 2}, "", l.Addressee)
	if l.AddresseeBox != "" {
		d.Row("regular", 9, []float64{pdfdoc.BodyW / 2, pdfdoc.BodyW / 2}, "", "adres elektroniczny: "+l.AddresseeBox)
	}
	d.Gap(14)
	if l.Draft {
		d.Heading(11, "PROJEKT")
	}
	d.Heading(13, l.Title)
	if l.Kind == letters.KindDecision {
		d.Paragraph("Na podstawie " + l.Basis + " orzekam:")
		for _, p := range l.Ruling {
			d.Paragraph(p)
		}
		d.Gap(6)
		d.Heading(11, "Uzasadnienie")
	} else if l.Basis != "" {
		d.Paragraph("Podstawa prawna: " + l.Basis + ".")
	}
	d.Gap(4)
	for _, p := range l.Body {
		d.Paragraph(p)
	}
	if len(l.Instruction) > 0 {
		d.Gap(6)
		d.Heading(11, "Pouczenie")
		for _, p := range l.Instruction {
			d.Paragraph(p)
		}
	}
	d.Gap(24)
	d.Row("regular", 10, []float64{pdfdoc.BodyW / 2, pdfdoc.BodyW / 2}, "", l.Signatory)
	if l.Position != "" {
		d.Row("regular", 9, []float64{pdfdoc.BodyW / 2, pdfdoc.BodyW / 2}, "", l.Position)
	}
	if l.SignedBy != "" {
		d.Gap(16)
		d.Paragraph("Dokument podpisany elektronicznie (XAdES) przez: " + l.SignedBy + ". Wiążąca jest wersja XML z podpisem.")
	}
	pdf, err := d.Bytes()
	if err != nil {
		return nil, fmt.Errorf("render letter %s in %s as PDF: %w", l.Kind, l.Reference, err)
	}
	return pdf, nil
}
