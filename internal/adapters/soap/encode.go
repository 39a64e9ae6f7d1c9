package soap

import (
	"bytes"
	"encoding/xml"
	"fmt"
)

// Marshal writes a SOAP 1.1 envelope, without a header, whose body holds v as an element
// named name. The element is written with a namespace prefix ("ob" for NSObiekty, "ns1"
// otherwise) and no default namespace, so the children that encoding/xml writes from v's
// untagged-namespace fields stay unqualified, as the ePUAP schemas (no
// elementFormDefault) require. v's own XMLName is ignored.
//
// Marshal is the one place envelopes are built; a WS-Security signer will take its output.
func Marshal(name xml.Name, v any) ([]byte, error) {
	return MarshalWithHeaders(nil, name, v)
}

// HeaderBlock is one element of soap:Header: Value encoded as an element named Name, the
// way Marshal encodes the body.
type HeaderBlock struct {
	Name  xml.Name
	Value any
}

// MarshalWithHeaders is Marshal with a soap:Header holding headers, in order (skrytka's
// nadaj carries its addressing as headers).
func MarshalWithHeaders(headers []HeaderBlock, name xml.Name, v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	buf.WriteString(`<soapenv:Envelope xmlns:soapenv="` + NSEnvelope + `">`)
	if len(headers) > 0 {
		buf.WriteString(`<soapenv:Header>`)
		for _, h := range headers {
			if err := encodeElement(&buf, h.Name, h.Value); err != nil {
				return nil, err
			}
		}
		buf.WriteString(`</soapenv:Header>`)
	}
	buf.WriteString(`<soapenv:Body>`)
	if err := encodeElement(&buf, name, v); err != nil {
		return nil, err
	}
	buf.WriteString(`</soapenv:Body></soapenv:Envelope>`)
	return buf.Bytes(), nil
}

// prefixes are the prefixes written for well-known namespaces; others get "ns1".
var prefixes = map[string]string{
	NSObiekty:                               "ob",
	NSFileRepo:                              "fc",
	"http://wsdl.epuap.gov.pl/obiekty/ext/": "ext",
}

func encodeElement(buf *bytes.Buffer, name xml.Name, v any) error {
	enc := xml.NewEncoder(buf)
	prefix, ok := prefixes[name.Space]
	if !ok {
		prefix = "ns1"
	}
	start := xml.StartElement{Name: xml.Name{Local: name.Local}}
	if name.Space != "" {
		start.Name.Local = prefix + ":" + name.Local
		start.Attr = []xml.Attr{{Name: xml.Name{Local: "xmlns:" + prefix}, Value: name.Space}}
	}
	if err := enc.EncodeElement(v, start); err != nil {
		return fmt.Errorf("soap: encode %s: %w", name.Local, err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("soap: encode %s: %w", name.Local, err)
	}
	return nil
}
