package forms

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// URIAttachment is an attachment a form names by address instead of carrying it: ePUAP
// keeps large attachments in its FileRepo (str:Zalacznik kodowanie="URI").
type URIAttachment struct {
	Name   string `json:"name"`   // nazwaPliku
	Format string `json:"format"` // media type
	URL    string `json:"url"`    // DaneZalacznika
}

// URIAttachments lists the attachments of doc given by address, under the limits of Detect.
// A document Detect refuses gives an error of its own; the caller keeps it, and inspection
// later quarantines it with its reason.
func URIAttachments(doc []byte, lim Limits) ([]URIAttachment, error) {
	if _, err := Detect(doc, lim); err != nil {
		return nil, err
	}
	d := newDecoder(bytes.TrimPrefix(doc, []byte("\xef\xbb\xbf")))
	var out []URIAttachment
	var cur *URIAttachment
	var inData bool
	var data strings.Builder
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, &Error{Reason: ReasonNotXML, Detail: err.Error()}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space == nsStruktura && t.Name.Local == "Zalacznik" && attr(t, "kodowanie") == "URI" {
				cur = &URIAttachment{Name: attr(t, "nazwaPliku"), Format: attr(t, "format")}
			}
			if cur != nil && t.Name.Local == "DaneZalacznika" {
				inData = true
				data.Reset()
			}
		case xml.CharData:
			if inData && data.Len() < 4096 {
				data.Write(t)
			}
		case xml.EndElement:
			if inData && t.Name.Local == "DaneZalacznika" {
				inData = false
				cur.URL = strings.TrimSpace(data.String())
			}
			if cur != nil && t.Name.Space == nsStruktura && t.Name.Local == "Zalacznik" {
				if cur.URL != "" {
					out = append(out, *cur)
				}
				cur = nil
			}
		}
	}
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
