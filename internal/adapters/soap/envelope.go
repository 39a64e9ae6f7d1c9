package soap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Namespaces used in envelopes.
const (
	NSEnvelope = "http://schemas.xmlsoap.org/soap/envelope/"
	NSObiekty  = "http://wsdl.epuap.gov.pl/obiekty/"
)

// ContentType is the media type of a SOAP 1.1 message.
const ContentType = "text/xml; charset=utf-8"

// Limits of Parse.
const (
	// DefaultMaxMessageSize caps a message read by ReadMessage callers that have no better
	// figure: a pulled document travels Base64-encoded inside the body.
	DefaultMaxMessageSize = 64 << 20
	maxDepth              = 64
	maxElements           = 100_000
)

// Errors of Parse and ReadMessage, wrapped with details.
var (
	ErrTooLarge  = errors.New("soap: message too large")
	ErrMalformed = errors.New("soap: malformed message")
)

var bom = []byte{0xEF, 0xBB, 0xBF}

// Envelope is a parsed SOAP 1.1 envelope.
type Envelope struct {
	// Raw is the message as received, without a byte order mark.
	Raw []byte
	// Header is the inner XML of soap:Header, nil when there is none. It is not interpreted:
	// WS-Security processing works on Raw.
	Header []byte
	// BodyName is the name of the first element of soap:Body.
	BodyName xml.Name
}

// IsFault reports whether the body holds a SOAP Fault.
func (e *Envelope) IsFault() bool {
	return e.BodyName == xml.Name{Space: NSEnvelope, Local: "Fault"}
}

// ReadMessage reads at most limit bytes from r and parses them; a longer message gives
// ErrTooLarge.
func ReadMessage(r io.Reader, limit int64) (*Envelope, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("soap: read message: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
	}
	return Parse(data)
}

// Parse checks that data is a well-formed SOAP 1.1 envelope within the limits and finds its
// header and the first element of its body.
func Parse(data []byte) (*Envelope, error) {
	data = bytes.TrimPrefix(data, bom)
	env := &Envelope{Raw: data}
	d := newDecoder(data)
	var (
		depth, elements int
		inHeader        bool
		headerStart     int64
		sawEnvelope     bool
		sawBody         bool
		path            []xml.Name
	)
	for {
		before := d.InputOffset()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, fmt.Errorf("%w: DTD or other directive not allowed", ErrMalformed)
		case xml.ProcInst:
			if t.Target != "xml" {
				return nil, fmt.Errorf("%w: processing instruction %q not allowed", ErrMalformed, t.Target)
			}
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return nil, fmt.Errorf("%w: text outside the envelope", ErrMalformed)
			}
		case xml.StartElement:
			depth++
			elements++
			if depth > maxDepth {
				return nil, fmt.Errorf("%w: nesting deeper than %d", ErrMalformed, maxDepth)
			}
			if elements > maxElements {
				return nil, fmt.Errorf("%w: more than %d elements", ErrMalformed, maxElements)
			}
			path = append(path, t.Name)
			switch depth {
			case 1:
				if sawEnvelope {
					return nil, fmt.Errorf("%w: more than one root element", ErrMalformed)
				}
				if t.Name != (xml.Name{Space: NSEnvelope, Local: "Envelope"}) {
					return nil, fmt.Errorf("%w: root is {%s}%s, want a SOAP 1.1 Envelope", ErrMalformed, t.Name.Space, t.Name.Local)
				}
				sawEnvelope = true
			case 2:
				switch {
				case t.Name == xml.Name{Space: NSEnvelope, Local: "Header"} && !sawBody && env.Header == nil:
					inHeader = true
					headerStart = d.InputOffset()
				case t.Name == xml.Name{Space: NSEnvelope, Local: "Body"} && !sawBody:
					sawBody = true
				default:
					return nil, fmt.Errorf("%w: unexpected {%s}%s in the envelope", ErrMalformed, t.Name.Space, t.Name.Local)
				}
			case 3:
				if path[1].Local == "Body" && env.BodyName.Local == "" {
					env.BodyName = t.Name
				}
			}
		case xml.EndElement:
			if depth == 2 && inHeader {
				inner := data[headerStart:before]
				env.Header = append([]byte{}, inner...)
				inHeader = false
			}
			depth--
			path = path[:len(path)-1]
		}
	}
	switch {
	case !sawEnvelope:
		return nil, fmt.Errorf("%w: no envelope", ErrMalformed)
	case !sawBody:
		return nil, fmt.Errorf("%w: no body", ErrMalformed)
	case env.BodyName.Local == "":
		return nil, fmt.Errorf("%w: empty body", ErrMalformed)
	}
	return env, nil
}

func newDecoder(data []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		switch strings.ToLower(charset) {
		case "utf-8", "utf8":
			return input, nil
		}
		return nil, fmt.Errorf("charset %q not supported, want UTF-8", charset)
	}
	return d
}

// DecodeBody decodes the first element of the body into v (a pointer, as for
// xml.Unmarshal). When the body is a SOAP Fault it returns the *Fault as the error.
func (e *Envelope) DecodeBody(v any) error {
	if e.IsFault() {
		f, err := e.fault()
		if err != nil {
			return err
		}
		return f
	}
	start, d, err := e.bodyStart()
	if err != nil {
		return err
	}
	if err := d.DecodeElement(v, &start); err != nil {
		return fmt.Errorf("soap: decode {%s}%s: %w", start.Name.Space, start.Name.Local, err)
	}
	return nil
}

// bodyStart positions a decoder of Raw on the first element of the body; the decoder keeps
// the namespace declarations of the envelope in scope.
func (e *Envelope) bodyStart() (xml.StartElement, *xml.Decoder, error) {
	d := newDecoder(e.Raw)
	depth := 0
	inBody := false
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.StartElement{}, nil, fmt.Errorf("%w: body: %w", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 2 && t.Name == (xml.Name{Space: NSEnvelope, Local: "Body"}) {
				inBody = true
			}
			if depth == 3 && inBody {
				return t, d, nil
			}
		case xml.EndElement:
			depth--
		}
	}
}

// DecodeHeader decodes the first child of soap:Header named name into v and reports whether
// there was one.
func (e *Envelope) DecodeHeader(name xml.Name, v any) (bool, error) {
	if e.Header == nil {
		return false, nil
	}
	d := newDecoder(e.Raw)
	depth := 0
	inHeader := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("%w: header: %w", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 2:
				inHeader = t.Name == xml.Name{Space: NSEnvelope, Local: "Header"}
			case depth == 3 && inHeader && t.Name == name:
				if err := d.DecodeElement(v, &t); err != nil {
					return true, fmt.Errorf("soap: decode header {%s}%s: %w", name.Space, name.Local, err)
				}
				return true, nil
			}
		case xml.EndElement:
			depth--
			if depth == 1 && inHeader {
				return false, nil
			}
		}
	}
}
