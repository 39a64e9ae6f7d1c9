package epuap

import "encoding/xml"

// NSFileRepo is the namespace of FileRepo's messages (filerepocore.xsd), prefix "fc".
const NSFileRepo = "http://wsdl.epuap.gov.pl/filerepocore/"

// FileRepo service: its path on an ePUAP host and its WSDL. Its operations have an empty
// SOAPAction: the body element names them.
const (
	FileRepoPath = "/repo-ws-ext/FileRepoService"
	FileRepoWSDL = "filerepo.wsdl"
)

// UploadFileParam is the request of uploadFile: a file to store; Subject is the podmiot on
// whose behalf it is stored.
type UploadFileParam struct {
	XMLName  xml.Name `xml:"http://wsdl.epuap.gov.pl/filerepocore/ UploadFileParam"`
	File     Base64   `xml:"file"`
	Filename string   `xml:"filename"`
	MimeType string   `xml:"mimeType"`
	Encoding string   `xml:"encoding,omitempty"`
	Subject  string   `xml:"subject"`
}

// FileID5 is the answer of uploadFile (element fc:fileId5): the stored file's id.
type FileID5 struct {
	XMLName xml.Name `xml:"http://wsdl.epuap.gov.pl/filerepocore/ fileId5"`
	Value   string   `xml:",chardata"`
}

// DownloadFileParam is the request of downloadFile: the id from a DownloadServlet URL
// (the part after fileId=) and the podmiot asking.
type DownloadFileParam struct {
	XMLName xml.Name `xml:"http://wsdl.epuap.gov.pl/filerepocore/ DownloadFileParam"`
	FileID  string   `xml:"fileId"`
	Subject string   `xml:"subject"`
}

// DataDocument is the answer of downloadFile.
type DataDocument struct {
	XMLName  xml.Name `xml:"http://wsdl.epuap.gov.pl/filerepocore/ DataDocument"`
	File     Base64   `xml:"file"`
	Filename string   `xml:"filename"`
	MimeType string   `xml:"mimeType"`
	Encoding string   `xml:"encoding,omitempty"`
}
