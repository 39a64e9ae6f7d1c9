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
// an etree document. The tree is built in the one pass that checks the
// input, which stops at the first fault or limit: a refused document costs
// at most that partial pass.
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
	data = normalizeAttrWhitespace(data)
	doc, err := build(data, lim)
	if err != nil {
		return nil, fmt.Errorf("parse xml: %w", err)
	}
	return doc, nil
}

// build reads data with encoding/xml (strict) in one pass and builds the
// tree as etree's own reader would, enforcing the limits and the rules
// token by token: the work done on a refused document is bounded by the
// limits, as nothing past the first fault is read.
func build(data []byte, lim Limits) (*etree.Document, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = charsetReader
	doc := etree.NewDocument()
	stack := []*etree.Element{&doc.Element}
	elements, roots := 0, 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			if errors.Is(err, ErrCharset) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		top := stack[len(stack)-1]
		depth := len(stack) - 1
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if roots > 1 {
					return nil, fmt.Errorf("%w: more than one root element", ErrMalformed)
				}
			}
			elements++
			if lim.MaxDepth > 0 && depth+1 > lim.MaxDepth {
				return nil, fmt.Errorf("%w: deeper than %d", ErrTooDeep, lim.MaxDepth)
			}
			if lim.MaxElements > 0 && elements > lim.MaxElements {
				return nil, fmt.Errorf("%w: more than %d", ErrTooManyElements, lim.MaxElements)
			}
			if err := checkAttrs(t.Attr); err != nil {
				return nil, err
			}
			el := etree.NewElement("")
			el.Space, el.Tag = t.Name.Space, t.Name.Local
			for _, a := range t.Attr {
				// CreateAttr splits its key at a colon; the names are set
				// as the decoder read them, like etree's reader does.
				at := el.CreateAttr("\x00", a.Value)
				at.Space, at.Key = a.Name.Space, a.Name.Local
			}
			top.AddChild(el)
			stack = append(stack, el)
		case xml.EndElement:
			if depth == 0 || top.Tag != t.Name.Local || top.Space != t.Name.Space {
				return nil, fmt.Errorf("%w: unexpected end element </%s>", ErrMalformed, qname(t.Name))
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return nil, fmt.Errorf("%w: text outside the root element", ErrMalformed)
			}
			// SetData marks whitespace-only text, as etree's reader does.
			top.CreateText("").SetData(string(t))
		case xml.Comment:
			top.CreateComment(string(t))
		case xml.ProcInst:
			top.CreateProcInst(t.Target, string(t.Inst))
		case xml.Directive:
			return nil, fmt.Errorf("%w: <!%s", ErrDTD, firstWord(t))
		}
	}
	if len(stack) != 1 {
		return nil, fmt.Errorf("%w: element <%s> not closed", ErrMalformed, stack[len(stack)-1].FullTag())
	}
	if roots == 0 {
		return nil, fmt.Errorf("%w: no root element", ErrMalformed)
	}
	return doc, nil
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
