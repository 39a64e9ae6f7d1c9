package forms

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Attachment is an attachment a form lists (str:Zalacznik): carried inline (kodowanie
// base64, decoded into Data) or named by address (kodowanie URI, URL set, Data nil).
type Attachment struct {
	Name     string `json:"name"`     // nazwaPliku, as the sender wrote it
	Format   string `json:"format"`   // media type the sender declared
	Encoding string `json:"encoding"` // kodowanie: base64, URI or what the sender wrote
	URL      string `json:"url,omitempty"`
	Data     []byte `json:"-"`
	// Problem says, in Polish, why the attachment could not be read (bad base64, over a
	// limit, an unknown encoding); Data is then nil. A broken attachment does not stop the
	// others from being read.
	Problem string `json:"problem,omitempty"`
}

// Contents is what a clerk reads of a form besides its envelope: the letter's place, title,
// kind and text, and its attachments in document order.
type Contents struct {
	Place string `json:"place,omitempty"` // MiejscowoscDokumentu
	Title string `json:"title,omitempty"` // Tytul
	// Kind is RodzajWnioskuRozszerzony@rodzaj, with @jakiInny after it when given.
	Kind string `json:"kind,omitempty"`
	// Text are the paragraphs of the letter (Informacje/Informacja of a general letter),
	// as plain text; empty for other forms.
	Text        []string     `json:"text,omitempty"`
	Attachments []Attachment `json:"attachments"`
}

// Limits on attachments when Limits leaves them zero.
const (
	DefaultMaxAttachments       = 100
	DefaultMaxAttachmentsBytes  = 64 << 20
	maxTextBytes                = 256 << 10
	maxAttachmentAttributeBytes = 1000
)

func (lim Limits) attachments() (count int, total int64) {
	count, total = lim.MaxAttachments, lim.MaxAttachmentsBytes
	if count <= 0 {
		count = DefaultMaxAttachments
	}
	if total <= 0 {
		total = DefaultMaxAttachmentsBytes
	}
	return count, total
}

// ReadContents reads the contents of doc: the text of a general letter and every attachment,
// the inline ones decoded. At most lim.MaxAttachments attachments are read and at most
// lim.MaxAttachmentsBytes decoded in all (defaults when zero); attachments beyond are listed
// with a problem and no data. A document Detect refuses gives its *Error.
func ReadContents(doc []byte, lim Limits) (Contents, error) {
	det, err := Detect(doc, lim)
	if err != nil {
		return Contents{}, err
	}
	maxCount, maxTotal := lim.attachments()
	out := Contents{Attachments: []Attachment{}}
	d := newDecoder(bytesWithoutBOM(doc))
	var (
		cur      *Attachment
		field    string // the template element whose text is being read
		text     strings.Builder
		data     bytes.Buffer
		inData   bool
		dataOver bool
		total    int64
		textLen  int
		depth    int
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Contents{}, &Error{Reason: ReasonNotXML, Detail: err.Error()}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case t.Name.Space == nsStruktura && t.Name.Local == "Zalacznik":
				cur = &Attachment{Name: clip(attr(t, "nazwaPliku")), Format: clip(attr(t, "format")), Encoding: clip(attr(t, "kodowanie"))}
			case cur != nil && t.Name.Local == "DaneZalacznika":
				inData, dataOver = true, false
				data.Reset()
			case t.Name.Space == det.Namespace && depth > 1:
				switch t.Name.Local {
				case "MiejscowoscDokumentu", "Tytul", "Informacja":
					field = t.Name.Local
					text.Reset()
				case "RodzajWnioskuRozszerzony":
					out.Kind = clip(attr(t, "rodzaj"))
					if other := attr(t, "jakiInny"); other != "" {
						out.Kind += ": " + clip(other)
					}
				}
			}
		case xml.CharData:
			switch {
			case inData:
				// the base64 of what remains of the budget, with room for line breaks
				left := maxTotal - total
				if int64(data.Len()+len(t)) > left/3*4+left/16+8 {
					dataOver = true
				}
				if !dataOver {
					data.Write(t)
				}
			case field != "":
				if textLen+len(t) <= maxTextBytes {
					text.Write(t)
					textLen += len(t)
				}
			}
		case xml.EndElement:
			depth--
			switch {
			case inData && t.Name.Local == "DaneZalacznika":
				inData = false
				if len(out.Attachments) >= maxCount {
					break
				}
				total += cur.fill(data.Bytes(), dataOver, maxTotal-total)
			case cur != nil && t.Name.Space == nsStruktura && t.Name.Local == "Zalacznik":
				if len(out.Attachments) >= maxCount {
					cur.Data, cur.URL = nil, ""
					cur.Problem = fmt.Sprintf("załącznik ponad limit %d załączników – nie odczytano", maxCount)
				}
				if cur.Problem == "" && cur.Data == nil && cur.URL == "" {
					cur.Problem = "załącznik bez treści"
				}
				out.Attachments = append(out.Attachments, *cur)
				cur = nil
			case field != "" && t.Name.Local == field:
				v := strings.TrimSpace(text.String())
				switch field {
				case "MiejscowoscDokumentu":
					out.Place = oneLine(v)
				case "Tytul":
					out.Title = oneLine(v)
				case "Informacja":
					if det.FormType == GeneralLetter && v != "" {
						out.Text = append(out.Text, v)
					}
				}
				field = ""
			}
		}
	}
	return out, nil
}

// fill decodes the attachment's data by its encoding, within budget bytes, and returns how
// many bytes it took.
func (a *Attachment) fill(raw []byte, over bool, budget int64) int64 {
	switch strings.ToLower(a.Encoding) {
	case "uri":
		a.URL = clip(strings.TrimSpace(string(raw)))
		return 0
	case "base64":
	default:
		a.Problem = fmt.Sprintf("nieznane kodowanie załącznika %q", a.Encoding)
		return 0
	}
	if over {
		a.Problem = "załączniki większe niż dopuszczalny rozmiar – nie odczytano"
		return 0
	}
	clean := bytes.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, raw)
	out := make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
	n, err := base64.StdEncoding.Decode(out, clean)
	if err != nil {
		a.Problem = "załącznik uszkodzony: nieprawidłowe kodowanie base64"
		return 0
	}
	if int64(n) > budget {
		a.Problem = "załączniki większe niż dopuszczalny rozmiar – nie odczytano"
		return 0
	}
	a.Data = out[:n]
	return int64(n)
}

// clip bounds an attribute the sender wrote.
func clip(s string) string {
	if len(s) > maxAttachmentAttributeBytes {
		s = strings.ToValidUTF8(s[:maxAttachmentAttributeBytes], "")
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
