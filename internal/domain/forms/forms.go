// Package forms recognises the electronic forms obieg receives and reads what registration
// needs from them: the form type (from the form template's XML namespace), the title and the
// number of attachments. It reads untrusted bytes: sizes, depth and element counts are
// capped, DTDs are refused, and every refusal is an *Error whose Reason says why, so that the
// document can be quarantined with that reason.
//
// The typed parsers ParseFamilyCard, ParseComplaint and ParseFacilityReport read obieg's own
// forms (XSDs in github.com/obieg/obieg/xmlschemas/forms) with the same safety, and check in Go
// what the form's XSD says: required elements, no unknown ones, enumerations, patterns, dates
// and numbers, elements repeated that may occur once, plus rules an XSD cannot say. A
// document that does not follow its form is refused with ReasonInvalid. Element order is left
// to the XSDs; tests validate the sample documents in testdata, and every broken document the
// parsers refuse, with xmllint against the XSDs, so that the XSDs and the parsers stay in step.
package forms

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/obieg/obieg/internal/domain/problem"
)

// Form types obieg recognises.
const (
	// GeneralLetter is ePUAP's general letter (pismo ogólne).
	GeneralLetter = "pismo-ogolne"
	// FamilyCard is the application for the regional large-family card.
	FamilyCard = "karta-rodziny"
	// Complaint is a complaint or motion (skarga, wniosek; art. 227 ff. KPA).
	Complaint = "skarga-wniosek"
	// FacilityReport is a care facility's report of its free places.
	FacilityReport = "sprawozdanie-placowki"
)

// Namespaces of the CRD common structures.
const (
	nsStruktura = "http://crd.gov.pl/xml/schematy/struktura/2009/11/16/"
	nsDsig      = "http://www.w3.org/2000/09/xmldsig#"
)

// Reason says why a document was refused.
type Reason string

// Reasons for refusing a document.
const (
	ReasonEmpty       Reason = "empty"
	ReasonTooLarge    Reason = "too-large"
	ReasonNotXML      Reason = "not-xml"
	ReasonDTD         Reason = "dtd"
	ReasonLimits      Reason = "limits"
	ReasonUnknownForm Reason = "unknown-form"
	// ReasonInvalid: the document is of a known form but does not follow it (a required
	// element missing, a value out of its list, numbers that do not add up). Only the typed
	// parsers (ParseFamilyCard, ParseComplaint, ParseFacilityReport) give it.
	ReasonInvalid Reason = "invalid"
)

// Error is a refusal of a document, with the reason and a detail for the person who
// examines it.
type Error struct {
	Reason Reason
	Detail string
}

func (e *Error) Error() string { return fmt.Sprintf("document refused (%s): %s", e.Reason, e.Detail) }

// Kind makes a refused document of kind problem.Invalid: read again, it is refused again.
func (e *Error) Kind() problem.Kind { return problem.Invalid }

func refuse(r Reason, format string, args ...any) *Error {
	return &Error{Reason: r, Detail: fmt.Sprintf(format, args...)}
}

// Limits cap what Detect reads.
type Limits struct {
	MaxBytes    int64 // the document's size
	MaxDepth    int   // nesting of elements
	MaxElements int   // elements in the whole document
	// MaxAttachments and MaxAttachmentsBytes cap what ReadContents decodes: the number of
	// attachments and their decoded size in all. Zero takes DefaultMaxAttachments and
	// DefaultMaxAttachmentsBytes.
	MaxAttachments      int
	MaxAttachmentsBytes int64
}

// DefaultLimits suit ePUAP form documents: ePUAP itself caps a document at a few megabytes.
var DefaultLimits = Limits{MaxBytes: 20 << 20, MaxDepth: 64, MaxElements: 200_000}

// Detection is what registration needs from a document.
type Detection struct {
	FormType  string // one of the form type constants
	Namespace string // the template namespace of the root element
	Title     string // the letter's own title (Tytul), trimmed; may be empty
	// Attachments counts the attachments listed in the form (str:Zalacznik).
	Attachments int
	// Signatures counts the ds:Signature elements found (verification is not done here).
	Signatures int
}

// Detect reads doc and tells which form it is. A document that is empty, too large, not
// well-formed XML, carries a DTD, breaks the limits or is of a form obieg does not know is
// refused with an *Error.
func Detect(doc []byte, lim Limits) (Detection, error) {
	if len(bytes.TrimSpace(doc)) == 0 {
		return Detection{}, refuse(ReasonEmpty, "the document has no content")
	}
	if int64(len(doc)) > lim.MaxBytes {
		return Detection{}, refuse(ReasonTooLarge, "%d bytes, more than the limit of %d", len(doc), lim.MaxBytes)
	}
	doc = bytes.TrimPrefix(doc, []byte("\xef\xbb\xbf"))

	d := newDecoder(doc)

	var (
		det       Detection
		depth     int
		elements  int
		inTitle   bool
		title     strings.Builder
		rootSeen  bool
		titleDone bool
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Detection{}, refuse(ReasonNotXML, "%v", err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE")) {
				return Detection{}, refuse(ReasonDTD, "a document type declaration (DTD) is not allowed")
			}
			return Detection{}, refuse(ReasonNotXML, "unexpected declaration <!%s>", truncate(string(t), 40))
		case xml.StartElement:
			depth++
			elements++
			if depth > lim.MaxDepth {
				return Detection{}, refuse(ReasonLimits, "elements nested deeper than %d", lim.MaxDepth)
			}
			if elements > lim.MaxElements {
				return Detection{}, refuse(ReasonLimits, "more than %d elements", lim.MaxElements)
			}
			if !rootSeen {
				rootSeen = true
				det.Namespace = t.Name.Space
				det.FormType = formOf(t.Name.Space).formType
				if det.FormType == "" {
					return Detection{}, refuse(ReasonUnknownForm, "root element {%s}%s is not a known form", t.Name.Space, t.Name.Local)
				}
			}
			switch {
			case t.Name.Space == det.Namespace && t.Name.Local == "Tytul" && !titleDone:
				inTitle = true
			case t.Name.Space == nsStruktura && t.Name.Local == "Zalacznik":
				det.Attachments++
			case t.Name.Space == nsDsig && t.Name.Local == "Signature":
				det.Signatures++
			}
		case xml.EndElement:
			depth--
			if inTitle {
				inTitle, titleDone = false, true
			}
		case xml.CharData:
			if inTitle && title.Len() < 1000 {
				title.Write(t)
			}
		}
	}
	if !rootSeen {
		return Detection{}, refuse(ReasonNotXML, "no root element")
	}
	det.Title = strings.Join(strings.Fields(title.String()), " ")
	return det, nil
}

// newDecoder returns a strict decoder of doc (without its byte order mark) that decodes the
// charsets HTML knows.
func newDecoder(doc []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		enc, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("unknown charset %q", label)
		}
		return enc.NewDecoder().Reader(r), nil
	}
	return d
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
