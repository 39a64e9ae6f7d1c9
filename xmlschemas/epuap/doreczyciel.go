package epuap

import "encoding/xml"

// Doręczyciel service (doreczyciel.wsdl): its path on an ePUAP host, its WSDL and the
// SOAPAction of its operations. dorecz hands a document over for delivery with proof of
// receipt (UPD, urzędowe poświadczenie doręczenia); odbierz collects such a document on the
// strength of a signed UPD.
const (
	DoreczycielPath = "/pk_external_ws/services/doreczyciel"
	DoreczycielWSDL = "doreczyciel.wsdl"
	ActionDorecz    = "http://ws.epuap.gov.pl/doreczyciel/dorecz"
	ActionOdbierz   = "http://ws.epuap.gov.pl/doreczyciel/odbierz"
)

// Names of the headers that dorecz adds to those of nadaj (HeaderIdentyfikatorPodmiotu,
// HeaderAdresSkrytki, HeaderAdresOdpowiedzi, HeaderCzyProbne, HeaderDaneDodatkowe), all in
// NS. HeaderUPD is a DokumentTyp; odbierz carries the UPD in the body instead.
var (
	HeaderTerminDoreczenia       = xml.Name{Space: NS, Local: "TerminDoreczenia"}
	HeaderIdentyfikatorDokumentu = xml.Name{Space: NS, Local: "IdentyfikatorDokumentu"}
	HeaderIdentyfikatorSprawy    = xml.Name{Space: NS, Local: "IdentyfikatorSprawy"}
	HeaderUPD                    = xml.Name{Space: NS, Local: "UPD"}
)

// UPD is the element ob:UPD (DokumentTyp): a UPD file, the body of odbierz and an optional
// header of dorecz.
type UPD struct {
	XMLName xml.Name `xml:"http://wsdl.epuap.gov.pl/obiekty/ UPD"`
	Dokument
}

// OdpowiedzDoreczyciela is the answer of dorecz (OdpowiedzDoreczycielaTyp): ePUAP's id of
// the document and of the delivery order (zlecenie). Both are nillable; nothing in it is
// the UPD, which ePUAP issues only when the addressee collects the document.
type OdpowiedzDoreczyciela struct {
	XMLName                xml.Name `xml:"http://wsdl.epuap.gov.pl/obiekty/ OdpowiedzDoreczyciela"`
	Status                 Status   `xml:"status"`
	IdentyfikatorDokumentu Nillable `xml:"identyfikatorDokumentu"`
	IdentyfikatorZlecenia  Nillable `xml:"identyfikatorZlecenia"`
}

// StatusDoreczyciela is the answer of odbierz: a bare StatusTyp.
type StatusDoreczyciela struct {
	XMLName xml.Name `xml:"http://wsdl.epuap.gov.pl/obiekty/ StatusDoreczyciela"`
	Status
}
