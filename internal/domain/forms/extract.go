package forms

import (
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"
)

// ExtractVersion is the version of Extract's shape: an extract of another version is read anew.
const ExtractVersion = 1

// Extract is what obieg reads of a submission's document, once, right after intake: what
// Detect finds, the case references the document's text names, and the form's own content
// read by its parser. It is kept beside the document's bytes, and every later step (joining a
// letter to its case, assessing an application, proposing a draft, showing the letter) reads it
// instead of parsing the document again. It carries personal data of the form (names, PESEL):
// it is stored like the document itself, never logged or put into a workflow's history.
type Extract struct {
	Version   int       `json:"version"`
	Detection Detection `json:"detection"`
	// References are the case references (znak sprawy) the document's text names, in order,
	// each once, at most MaxReferences.
	References []string `json:"references,omitempty"`
	// The form's content: the one of the document's form is set.
	FamilyCard *FamilyCardApplication `json:"family_card,omitempty"`
	Complaint  *ComplaintOrMotion     `json:"complaint,omitempty"`
	Report     *PlacesReport          `json:"report,omitempty"`
}

// MaxReferences is how many distinct case references an extract keeps.
const MaxReferences = 20

// Read reads doc once: Detect, then the form's own parser, then the case references its text
// names. A document Detect refuses, or one that does not follow its form, is refused with an
// *Error, as Detect and the Parse functions refuse it.
func Read(doc []byte, lim Limits) (Extract, error) {
	det, err := Detect(doc, lim)
	if err != nil {
		return Extract{}, err
	}
	ex := Extract{Version: ExtractVersion, Detection: det}
	if k := formOf(det.Namespace); k.read != nil {
		if err := k.read(doc, det, &ex); err != nil {
			return Extract{}, err
		}
	}
	ex.References = References(text(doc))
	return ex, nil
}

// referenceRE finds case references (<unit>.<JRWA class>.<seq>.<year>) in text.
var referenceRE = regexp.MustCompile(`\b[A-Z][A-Z0-9]{1,7}(?:-[A-Z0-9]{1,4})?\.[0-9]{1,4}\.[0-9]{1,7}\.[0-9]{4}\b`)

// References returns the case references s names, in order, each once, at most MaxReferences.
func References(s string) []string {
	var out []string
	for _, m := range referenceRE.FindAllString(s, -1) {
		if len(out) == MaxReferences {
			break
		}
		if !contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// maxText is how much of a document's text is searched for references.
const maxText = 1 << 20

// text returns the character data of doc, a space between elements, leaving out signatures
// (their digests and certificates are no one's words) and stopping at maxText. doc has passed
// Detect, so it is well-formed and within the limits.
func text(doc []byte) string {
	var b strings.Builder
	d := newDecoder(bytesWithoutBOM(doc))
	inSignature := 0
	for b.Len() < maxText {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) || err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if inSignature > 0 || (t.Name.Space == nsDsig && t.Name.Local == "Signature") {
				inSignature++
			}
			b.WriteByte(' ')
		case xml.EndElement:
			if inSignature > 0 {
				inSignature--
			}
			b.WriteByte(' ')
		case xml.CharData:
			if inSignature == 0 {
				b.Write(t)
			}
		}
	}
	return b.String()
}
