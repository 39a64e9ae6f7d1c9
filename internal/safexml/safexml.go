package safexml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/beevik/etree"
	"golang.org/x/text/encoding/charmap"
)

// Error kinds returned (wrapped) by Parse. Test them with errors.Is.
var (
	// ErrTooLarge means the input exceeds Limits.MaxBytes.
	ErrTooLarge = errors.New("xml document too large")
	// ErrDTD means the input holds a document type declaration.
	ErrDTD = errors.New("xml document type declarations are not allowed")
	// ErrTooDeep means elements nest deeper than Limits.MaxDepth.
	ErrTooDeep = errors.New("xml document nested too deeply")
	// ErrTooManyElements means the input holds more than Limits.MaxElements elements.
	ErrTooManyElements = errors.New("xml document has too many elements")
	// ErrMalformed means the input is not well-formed XML.
	ErrMalformed = errors.New("xml document not well-formed")
	// ErrCharset means the declared encoding is not supported.
	ErrCharset = errors.New("xml encoding not supported")
)

// Limits bounds what Parse accepts. A zero field takes the value of the
// same field in DefaultLimits; a negative field means no limit.
type Limits struct {
	// MaxBytes caps the size of the input in bytes, before decoding.
	// Default 16 MiB.
	MaxBytes int64
	// MaxDepth caps element nesting; the root element is at depth 1.
	// Default 256.
	MaxDepth int
	// MaxElements caps the number of elements in the document.
	// Default 200,000 (the Polish trusted list has about 20,000).
	MaxElements int
}

// DefaultLimits are the limits used for fields left zero in a Limits value.
var DefaultLimits = Limits{
	MaxBytes:    16 << 20,
	MaxDepth:    256,
	MaxElements: 200_000,
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes == 0 {
		l.MaxBytes = DefaultLimits.MaxBytes
	}
	if l.MaxDepth == 0 {
		l.MaxDepth = DefaultLimits.MaxDepth
	}
	if l.MaxElements == 0 {
		l.MaxElements = DefaultLimits.MaxElements
	}
	return l
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Parse reads an XML document from r under the limits lim and returns it as
// an etree document. The input is checked completely before the tree is
// built, so a refused document costs at most one streaming pass.
func Parse(r io.Reader, lim Limits) (*etree.Document, error) {
	lim = lim.withDefaults()
	var data []byte
	var err error
	if lim.MaxBytes > 0 {
		data, err = io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
		if err == nil && int64(len(data)) > lim.MaxBytes {
			return nil, fmt.Errorf("parse xml: more than %d bytes: %w", lim.MaxBytes, ErrTooLarge)
		}
	} else {
		data, err = io.ReadAll(r)
	}
	if err != nil {
		return nil, fmt.Errorf("parse xml: read input: %w", err)
	}
	return ParseBytes(data, lim)
}

// ParseBytes is Parse over a byte slice.
func ParseBytes(data []byte, lim Limits) (*etree.Document, error) {
	lim = lim.withDefaults()
	if lim.MaxBytes > 0 && int64(len(data)) > lim.MaxBytes {
		return nil, fmt.Errorf("parse xml: more than %d bytes: %w", lim.MaxBytes, ErrTooLarge)
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if err := check(data, lim); err != nil {
		return nil, fmt.Errorf("parse xml: %w", err)
	}
	data = normalizeAttrWhitespace(data)
	doc := etree.NewDocument()
	doc.ReadSettings = etree.ReadSettings{
		CharsetReader: charsetReader,
		MaxDepth:      max(lim.MaxDepth, 0) + 1,
	}
	if lim.MaxDepth < 0 {
		doc.ReadSettings.MaxDepth = 1 << 30
	}
	if err := doc.ReadFromBytes(data); err != nil {
		return nil, fmt.Errorf("parse xml: %w: %v", ErrMalformed, err)
	}
	if doc.Root() == nil {
		return nil, fmt.Errorf("parse xml: no root element: %w", ErrMalformed)
	}
	return doc, nil
}

// check streams through data and enforces the limits and what can be
// checked token by token (no DTD, one root, no text outside it, no
// duplicate attributes); tag matching is left to the tree builder.
func check(data []byte, lim Limits) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = charsetReader
	depth, elements, roots := 0, 0, 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			if errors.Is(err, ErrCharset) {
				return err
			}
			return fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if roots > 1 {
					return fmt.Errorf("%w: more than one root element", ErrMalformed)
				}
			}
			depth++
			elements++
			if lim.MaxDepth > 0 && depth > lim.MaxDepth {
				return fmt.Errorf("%w: deeper than %d", ErrTooDeep, lim.MaxDepth)
			}
			if lim.MaxElements > 0 && elements > lim.MaxElements {
				return fmt.Errorf("%w: more than %d", ErrTooManyElements, lim.MaxElements)
			}
			if err := checkAttrs(t.Attr); err != nil {
				return err
			}
		case xml.EndElement:
			depth--
		case xml.Directive:
			return fmt.Errorf("%w: <!%s", ErrDTD, firstWord(t))
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return fmt.Errorf("%w: text outside the root element", ErrMalformed)
			}
		}
	}
	// RawToken does not match start and end tags: ParseBytes leaves that to
	// the tree builder, which matches every end tag with its start tag
	// (etree, strict) and fails with ErrMalformed; this pass only bounds
	// the work before the tree is built.
	if roots == 0 {
		return fmt.Errorf("%w: no root element", ErrMalformed)
	}
	return nil
}

func checkAttrs(attrs []xml.Attr) error {
	for i := range attrs {
		for j := i + 1; j < len(attrs); j++ {
			if attrs[i].Name == attrs[j].Name {
				return fmt.Errorf("%w: duplicate attribute %s", ErrMalformed, qname(attrs[i].Name))
			}
		}
	}
	return nil
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

func firstWord(b []byte) string {
	s := string(b)
	if i := strings.IndexAny(s, " \t\r\n["); i >= 0 {
		s = s[:i]
	}
	if len(s) > 20 {
		s = s[:20]
	}
	return s
}

// charsetReader decodes the encodings Polish public-sector XML uses, and
// the Western European ones foreign signers still declare.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return input, nil
	case "iso-8859-2", "iso8859-2", "latin2", "l2", "iso_8859-2":
		return charmap.ISO8859_2.NewDecoder().Reader(input), nil
	case "windows-1250", "cp1250", "x-cp1250":
		return charmap.Windows1250.NewDecoder().Reader(input), nil
	case "iso-8859-1", "iso8859-1", "latin1", "l1", "iso_8859-1":
		return charmap.ISO8859_1.NewDecoder().Reader(input), nil
	case "windows-1252", "cp1252":
		return charmap.Windows1252.NewDecoder().Reader(input), nil
	default:
		return nil, fmt.Errorf("%w: %q", ErrCharset, label)
	}
}
