package ndap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"

	"github.com/obieg/obieg/internal/domain/civil"
)

// HandOverList is a hand-over list (spis zdawczo-odbiorczy): the cases a unit passes to the
// office archive, or the office archive to the state archive, one line each.
type HandOverList struct {
	XMLName xml.Name   `xml:"http://www.mswia.gov.pl/standardy/ndap SpisZdawczoOdbiorczy"`
	Cases   []ListLine `xml:"Sprawa"`
}

// ListLine is one case of a hand-over list.
type ListLine struct {
	Number    int        `xml:"LiczbaPorzadkowa"`
	Reference string     `xml:"ZnakSprawy"`
	Heading   string     `xml:"HasloKlasyfikacyjne"` // the JRWA class's heading
	Title     string     `xml:"TytulSprawy"`
	Started   civil.Date `xml:"DataWszczecia"`
	Ended     civil.Date `xml:"DataZakonczenia"`
	Documents int        `xml:"LiczbaDokumentow"`
	Remarks   string     `xml:"Uwagi,omitempty"`
}

// MarshalList checks l (at least one line, numbered 1, 2, ... in order, every text filled,
// dates set and in order) and writes it as an XML document.
func MarshalList(l HandOverList) ([]byte, error) {
	var errs []error
	if len(l.Cases) == 0 {
		errs = append(errs, errors.New("the list has no case"))
	}
	for i := range l.Cases {
		c := &l.Cases[i]
		c.Reference, c.Heading, c.Title, c.Remarks = oneLine(c.Reference), oneLine(c.Heading), oneLine(c.Title), oneLine(c.Remarks)
		switch {
		case c.Number != i+1:
			errs = append(errs, fmt.Errorf("line %d is numbered %d", i+1, c.Number))
		case c.Reference == "" || c.Heading == "" || c.Title == "":
			errs = append(errs, fmt.Errorf("line %d lacks its reference, heading or title", i+1))
		case c.Started.IsZero() || c.Ended.IsZero() || c.Ended.Before(c.Started):
			errs = append(errs, fmt.Errorf("line %d (%s): dates %s to %s", i+1, c.Reference, c.Started, c.Ended))
		case c.Documents < 0:
			errs = append(errs, fmt.Errorf("line %d (%s): %d documents", i+1, c.Reference, c.Documents))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: hand-over list: %w", ErrInvalid, errors.Join(errs...))
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(l); err != nil {
		return nil, fmt.Errorf("ndap: write hand-over list: %w", err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}
