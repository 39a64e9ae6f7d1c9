package epuap

import "encoding/xml"

// Skrytka service: its path on an ePUAP host and the SOAPAction of its operations.
const (
	SkrytkaPath    = "/pk_external_ws/services/skrytka"
	ActionNadaj    = "http://ws.epuap.gov.pl/skrytka/nadaj"
	ActionNadajAny = "http://ws.epuap.gov.pl/skrytka/nadajAny"
)

// NSObiektyExt is the namespace of ext:Dokument (obiektyExt.xsd), the body of nadajAny.
const NSObiektyExt = "http://wsdl.epuap.gov.pl/obiekty/ext/"

// NSUPO is the namespace of UPP and UPD documents (root pos:Dokument).
const NSUPO = "http://crd.gov.pl/xml/schematy/UPO/2008/05/09/"

// Names of the headers of nadaj and nadajAny, all in NS.
var (
	HeaderIdentyfikatorPodmiotu = xml.Name{Space: NS, Local: "IdentyfikatorPodmiotu"}
	HeaderAdresSkrytki          = xml.Name{Space: NS, Local: "AdresSkrytki"}
	HeaderAdresOdpowiedzi       = xml.Name{Space: NS, Local: "AdresOdpowiedzi"}
	HeaderCzyProbne             = xml.Name{Space: NS, Local: "CzyProbne"}
	HeaderDaneDodatkowe         = xml.Name{Space: NS, Local: "DaneDodatkowe"}
	HeaderNazwaPliku            = xml.Name{Space: NS, Local: "NazwaPliku"}
)

// DokumentNadaj is the body of nadaj: ob:Dokument (DokumentTyp), the file sent.
type DokumentNadaj struct {
	XMLName xml.Name `xml:"http://wsdl.epuap.gov.pl/obiekty/ Dokument"`
	Dokument
}

// DokumentAny is the body of nadajAny: ext:Dokument (anyType), the XML document itself.
type DokumentAny struct {
	XMLName xml.Name `xml:"http://wsdl.epuap.gov.pl/obiekty/ext/ Dokument"`
	Inner   []byte   `xml:",innerxml"`
}

// OdpowiedzSkrytki is the answer of nadaj and nadajAny (OdpowiedzSkrytkiTyp).
// IdentyfikatorUpp and Zalacznik (the UPP, urzędowe poświadczenie przedłożenia) are
// optional in the schema.
type OdpowiedzSkrytki struct {
	XMLName                xml.Name  `xml:"http://wsdl.epuap.gov.pl/obiekty/ OdpowiedzSkrytki"`
	Status                 Status    `xml:"status"`
	IdentyfikatorDokumentu string    `xml:"identyfikatorDokumentu"`
	IdentyfikatorUpp       string    `xml:"identyfikatorUpp,omitempty"`
	StatusOdbiorcy         *Status   `xml:"statusOdbiorcy"`
	Zalacznik              *Dokument `xml:"zalacznik"`
}
