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
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	buf.WriteString(`<soapenv:Envelope xmlns:soapenv="` + NSEnvelope + `"><soapenv:Body>`)
	enc := xml.NewEncoder(&buf)
	prefix := "ns1"
	if name.Space == NSObiekty {
		prefix = "ob"
	}
	start := xml.StartElement{Name: xml.Name{Local: name.Local}}
	if name.Space != "" {
		start.Name.Local = prefix + ":" + name.Local
		start.Attr = []xml.Attr{{Name: xml.Name{Local: "xmlns:" + prefix}, Value: name.Space}}
	}
	if err := enc.EncodeElement(v, start); err != nil {
		return nil, fmt.Errorf("soap: encode %s: %w", name.Local, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("soap: encode %s: %w", name.Local, err)
	}
	buf.WriteString(`</soapenv:Body></soapenv:Envelope>`)
	return buf.Bytes(), nil
}
