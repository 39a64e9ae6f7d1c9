package soap

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
)

// Fault codes of SOAP 1.1 (written with the envelope's prefix, compared without it).
const (
	FaultClient = "Client" // the request was wrong: do not send it again unchanged
	FaultServer = "Server" // the server failed or refused for a reason of its own
)

// Fault is a SOAP 1.1 Fault. As an error it says what the peer answered; use errors.As to
// get at Kod and Komunikat of the ePUAP exception (ob:Wyjatek) in its detail.
type Fault struct {
	Code   string // faultcode without its prefix: FaultClient, FaultServer or another
	String string // faultstring
	// HasWyjatek is true when the detail held an ob:Wyjatek; Kod and Komunikat are its
	// children.
	HasWyjatek bool
	Kod        int
	Komunikat  string
	// Detail names the detail element holding Kod and Komunikat when it is not ob:Wyjatek:
	// FileRepo answers with fc:WyjatekTyp (NSFileRepo). Zero means ob:Wyjatek.
	Detail xml.Name
}

// NSFileRepo is the namespace of FileRepo's messages (filerepocore.xsd), prefix "fc".
const NSFileRepo = "http://wsdl.epuap.gov.pl/filerepocore/"

// Error describes the fault.
func (f *Fault) Error() string {
	if f.HasWyjatek {
		return fmt.Sprintf("soap fault %s: %s (wyjatek kod %d: %s)", f.Code, f.String, f.Kod, f.Komunikat)
	}
	return fmt.Sprintf("soap fault %s: %s", f.Code, f.String)
}

// wyjatek is ob:Wyjatek (WyjatekTyp), children unqualified.
type wyjatek struct {
	Kod       int    `xml:"kod"`
	Komunikat string `xml:"komunikat"`
}

type faultXML struct {
	Code   string `xml:"faultcode"`
	String string `xml:"faultstring"`
	Actor  string `xml:"faultactor,omitempty"`
	Detail *struct {
		Wyjatek    *wyjatek `xml:"http://wsdl.epuap.gov.pl/obiekty/ Wyjatek"`
		WyjatekTyp *wyjatek `xml:"http://wsdl.epuap.gov.pl/filerepocore/ WyjatekTyp"`
	} `xml:"detail"`
}

func (e *Envelope) fault() (*Fault, error) {
	start, d, err := e.bodyStart()
	if err != nil {
		return nil, err
	}
	var fx faultXML
	if err := d.DecodeElement(&fx, &start); err != nil {
		return nil, fmt.Errorf("soap: decode fault: %w", err)
	}
	f := &Fault{String: strings.TrimSpace(fx.String)}
	f.Code = strings.TrimSpace(fx.Code)
	if i := strings.LastIndexByte(f.Code, ':'); i >= 0 {
		f.Code = f.Code[i+1:]
	}
	switch {
	case fx.Detail == nil:
	case fx.Detail.Wyjatek != nil:
		f.HasWyjatek = true
		f.Kod = fx.Detail.Wyjatek.Kod
		f.Komunikat = fx.Detail.Wyjatek.Komunikat
	case fx.Detail.WyjatekTyp != nil:
		f.HasWyjatek = true
		f.Detail = xml.Name{Space: NSFileRepo, Local: "WyjatekTyp"}
		f.Kod = fx.Detail.WyjatekTyp.Kod
		f.Komunikat = fx.Detail.WyjatekTyp.Komunikat
	}
	return f, nil
}

// MarshalFault writes an envelope holding f; the detail carries an ob:Wyjatek (or the
// element f.Detail names) when f.HasWyjatek.
func MarshalFault(f *Fault) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	buf.WriteString(`<soapenv:Envelope xmlns:soapenv="` + NSEnvelope + `"><soapenv:Body><soapenv:Fault>`)
	enc := xml.NewEncoder(&buf)
	code := f.Code
	if code == "" {
		code = FaultServer
	}
	if !strings.Contains(code, ":") {
		code = "soapenv:" + code
	}
	if err := enc.EncodeElement(code, xml.StartElement{Name: xml.Name{Local: "faultcode"}}); err != nil {
		return nil, fmt.Errorf("soap: encode fault: %w", err)
	}
	if err := enc.EncodeElement(f.String, xml.StartElement{Name: xml.Name{Local: "faultstring"}}); err != nil {
		return nil, fmt.Errorf("soap: encode fault: %w", err)
	}
	if f.HasWyjatek {
		if err := enc.EncodeToken(xml.StartElement{Name: xml.Name{Local: "detail"}}); err != nil {
			return nil, fmt.Errorf("soap: encode fault: %w", err)
		}
		start := xml.StartElement{
			Name: xml.Name{Local: "ob:Wyjatek"},
			Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns:ob"}, Value: NSObiekty}},
		}
		if f.Detail.Local != "" {
			start = xml.StartElement{
				Name: xml.Name{Local: "fc:" + f.Detail.Local},
				Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns:fc"}, Value: f.Detail.Space}},
			}
		}
		if err := enc.EncodeElement(wyjatek{Kod: f.Kod, Komunikat: f.Komunikat}, start); err != nil {
			return nil, fmt.Errorf("soap: encode fault: %w", err)
		}
		if err := enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: "detail"}}); err != nil {
			return nil, fmt.Errorf("soap: encode fault: %w", err)
		}
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("soap: encode fault: %w", err)
	}
	buf.WriteString(`</soapenv:Fault></soapenv:Body></soapenv:Envelope>`)
	return buf.Bytes(), nil
}
