// Package pdfdoc lays out obieg's printable documents on A4 pages: the office's letterhead and
// a footer on every page, headings, wrapped paragraphs and table rows, new pages as needed, in
// the Go fonts (they carry the Polish letters and need nothing installed). Packages that
// render documents (metryka, letters) say what goes on the page; this says how.
package pdfdoc

import (
	"bytes"
	"fmt"

	"github.com/signintech/gopdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// A4 in points, with the margins of an office letter.
const (
	PageW, PageH = 595.28, 841.89
	Margin       = 50.0
	BodyW        = PageW - 2*Margin
)

// Doc is a document being laid out. The first error stops the layout; Bytes reports it.
type Doc struct {
	pdf    *gopdf.GoPdf
	header string
	footer func(page int) string
	y      float64
	page   int
	err    error
}

// New starts a document whose pages carry header (the office's name) at the top and
// footer(page) at the bottom.
func New(title, author, header string, footer func(page int) string) *Doc {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	pdf.SetInfo(gopdf.PdfInfo{Title: title, Author: author, Creator: "obieg"})
	d := &Doc{pdf: pdf, header: header, footer: footer}
	if err := pdf.AddTTFFontData("regular", goregular.TTF); err != nil {
		d.err = fmt.Errorf("pdf font: %w", err)
	} else if err := pdf.AddTTFFontData("bold", gobold.TTF); err != nil {
		d.err = fmt.Errorf("pdf font: %w", err)
	}
	d.newPage()
	return d
}

func (d *Doc) newPage() {
	if d.err != nil {
		return
	}
	d.pdf.AddPage()
	d.page++
	d.y = Margin
	d.font("bold", 10)
	d.text(Margin, d.y, d.header)
	d.font("regular", 8)
	d.text(Margin, PageH-Margin+15, d.footer(d.page))
	d.y += 14
	d.pdf.SetLineWidth(0.8)
	d.pdf.Line(Margin, d.y, PageW-Margin, d.y)
	d.y += 16
}

func (d *Doc) font(family string, size float64) {
	if d.err == nil {
		d.err = d.pdf.SetFont(family, "", size)
	}
}

func (d *Doc) text(x, y float64, s string) {
	if d.err != nil {
		return
	}
	d.pdf.SetXY(x, y)
	d.err = d.pdf.Text(s)
}

func (d *Doc) need(h float64) {
	if d.y+h > PageH-Margin {
		d.newPage()
	}
}

// Heading writes a line in bold at size.
func (d *Doc) Heading(size float64, s string) {
	d.font("bold", size)
	d.need(size + 4)
	d.text(Margin, d.y+size, s)
	d.y += size + 6
}

// Right writes a line aligned to the right margin (a date and place).
func (d *Doc) Right(s string) {
	d.font("regular", 10)
	if d.err != nil {
		return
	}
	w, err := d.pdf.MeasureTextWidth(s)
	if err != nil {
		d.err = err
		return
	}
	d.need(14)
	d.text(PageW-Margin-w, d.y+10, s)
	d.y += 16
}

// Paragraph writes text wrapped to the page width.
func (d *Doc) Paragraph(s string) {
	d.Row("regular", 10, []float64{BodyW}, s)
	d.y += 4
}

// Gap leaves h points of space.
func (d *Doc) Gap(h float64) { d.y += h }

// Rule draws a thin line across the page.
func (d *Doc) Rule() {
	d.pdf.SetLineWidth(0.4)
	d.pdf.Line(Margin, d.y, PageW-Margin, d.y)
	d.y += 4
}

// Row writes one table row in family at size, each cell wrapped to its column; a row that
// does not fit starts a new page.
func (d *Doc) Row(family string, size float64, widths []float64, cells ...string) {
	lead := size * 1.35
	d.font(family, size)
	if d.err != nil {
		return
	}
	wrapped := make([][]string, len(cells))
	lines := 1
	for i, cell := range cells {
		ls, err := d.pdf.SplitTextWithWordWrap(cell, widths[i]-6)
		if err != nil || len(ls) == 0 {
			ls = []string{cell}
		}
		wrapped[i] = ls
		lines = max(lines, len(ls))
	}
	d.need(float64(lines)*lead + 4)
	x := Margin
	for i, ls := range wrapped {
		for j, l := range ls {
			d.text(x, d.y+size+float64(j)*lead, l)
		}
		x += widths[i]
	}
	d.y += float64(lines)*lead + 4
}

// Bytes finishes the document.
func (d *Doc) Bytes() ([]byte, error) {
	if d.err != nil {
		return nil, d.err
	}
	var b bytes.Buffer
	if _, err := d.pdf.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
