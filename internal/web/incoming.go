package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/obieg/obieg/internal/adapters/edoreczenia"
	"github.com/obieg/obieg/internal/domain/blob"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/filename"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/domain/problem"
	"github.com/obieg/obieg/internal/domain/ziplist"
	"github.com/obieg/obieg/internal/records/auth"
	"github.com/obieg/obieg/internal/records/register"
)

// Limits on what the incoming letter's views read.
const (
	// maxIncomingFile is the largest document or attachment served as received.
	maxIncomingFile = 64 << 20
	// maxZIPEntries is the most entries of one ZIP attachment listed.
	maxZIPEntries = 500
)

// incomingView is the letter a case was opened from, as the case page and the API show it.
type incomingView struct {
	RegisterNumber string     `json:"register_number,omitempty"`
	RegisteredAt   *time.Time `json:"registered_at,omitempty"`
	ReceivedAt     time.Time  `json:"received_at"`
	Channel        string     `json:"channel"`
	ChannelName    string     `json:"-"`
	// Sender is the sender as the box named them; SenderID their box's identifier of them.
	Sender   string `json:"sender"`
	SenderID string `json:"sender_id,omitempty"`
	FormType string `json:"form_type,omitempty"`
	Title    string `json:"title,omitempty"`
	// Letter is the readable text of a general letter; nil for other documents.
	Letter      *letterText      `json:"letter,omitempty"`
	Signature   signatureView    `json:"signature"`
	Document    fileView         `json:"document"`
	Attachments []attachmentView `json:"attachments"`
	// Problem says why the document's contents could not be read; it is still served.
	Problem string `json:"problem,omitempty"`
	// docKey and reportKey are the keys of the document and the report in the raw bucket.
	docKey, reportKey string
}

type letterText struct {
	Place string   `json:"place,omitempty"`
	Kind  string   `json:"kind,omitempty"`
	Text  []string `json:"text"`
}

type signatureView struct {
	Status string `json:"status,omitempty"` // unsigned, passed, indeterminate, failed; "" when not verified
	Text   string `json:"text"`
	Signer string `json:"signer,omitempty"`
	// SignerNotSender tells the clerk, in Polish, that the letter was signed by someone other
	// than the sender the box names; "" when they are the same or one is unknown.
	SignerNotSender string `json:"signer_not_sender,omitempty"`
	// Report is the download of the ETSI validation report, when stored.
	Report string `json:"report,omitempty"`
}

type fileView struct {
	Name   string `json:"name"`
	Type   string `json:"content_type"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256,omitempty"`
	// Download is where it is served; "" when it cannot be.
	Download string `json:"download,omitempty"`
}

type attachmentView struct {
	N int `json:"n"`
	fileView
	// Source: inline (carried in the document), filerepo (ePUAP FileRepo, stored beside
	// it) or edoreczenia (a file of the e-Doręczenia message).
	Source  string `json:"source"`
	Problem string `json:"problem,omitempty"`
	// ZIP is the table of contents of a ZIP attachment, names decoded.
	ZIP        *ziplist.Listing `json:"zip,omitempty"`
	ZIPProblem string           `json:"zip_problem,omitempty"`
	data       []byte           // inline attachments: the decoded bytes
	key        string           // stored attachments: the key in the raw bucket
}

// SizeText says the size for a link's text.
func (f fileView) SizeText() string { return sizeText(f.Size) }

// wallclock writes a time as its own zone reads it: an archive's entry times are the
// creator's local clock (MS-DOS times have no zone), so converting them would mislead.
func wallclock(t time.Time) string { return t.Format("2006-01-02 15:04") }

// sizeOf says a size, int64 or uint64, for a page.
func sizeOf(v any) string {
	switch n := v.(type) {
	case int64:
		return sizeText(n)
	case uint64:
		if n > 1<<62 {
			return strconv.FormatUint(n, 10) + " B"
		}
		return sizeText(int64(n))
	}
	return fmt.Sprint(v)
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return strings.Replace(strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64), ".", ",", 1) + " MB"
	case n >= 1<<10:
		return strings.Replace(strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64), ".", ",", 1) + " kB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

var channelNames = map[string]string{"epuap": "ePUAP", "edoreczenia": "e-Doręczenia"}

// signatureText says the verdict on the letter's signatures in Polish.
var signatureText = map[string]string{
	"":              "podpisu nie weryfikowano",
	"unsigned":      "dokument bez podpisu",
	"passed":        "podpis zweryfikowany pozytywnie",
	"indeterminate": "podpisu nie potwierdzono – wynik nierozstrzygający",
	"failed":        "podpis nieważny",
}

// errNoLetter means the case was not opened from a submission in the register.
var errNoLetter = problem.NewNotFound("Sprawa nie ma pisma wpływającego w rejestrze.", register.ErrNotFound)

// incoming reads the letter case c was opened from: its register entry and, from the raw
// bucket, the document's text and attachments; base is where its files are served
// (/sprawy/{ref}/wplyw or /api/v1/cases/{ref}/submission). withZIP lists the entries of
// ZIP attachments, reading stored ones. A case without a letter gives errNoLetter.
func (s *Server) incoming(ctx context.Context, c casefile.Case, base string, withZIP bool) (incomingView, error) {
	if c.OriginSubmissionID == uuid.Nil || s.registry == nil {
		return incomingView{}, errNoLetter
	}
	l, err := s.registry.Letter(ctx, c.OriginSubmissionID)
	if errors.Is(err, register.ErrNotFound) {
		return incomingView{}, errNoLetter
	}
	if err != nil {
		return incomingView{}, fmt.Errorf("letter of case %s: %w", c.Reference, err)
	}
	v := incomingView{ReceivedAt: l.ReceivedAt, Channel: l.Channel, ChannelName: channelNames[l.Channel],
		Sender: l.SenderName, SenderID: l.SenderID, FormType: l.FormType, Title: l.Title,
		Signature: signatureView{Status: l.Signature.Status, Text: signatureText[l.Signature.Status], Signer: l.Signature.Signer,
			SignerNotSender: signerNote(l.Signature.Signer, l.SenderName)},
		Document:    fileView{Name: downloadName(l.FileName, "pismo-"+safeRef(c.Reference)), Type: l.ContentType, Size: l.Size, SHA256: l.SHA256},
		Attachments: []attachmentView{}}
	if v.ChannelName == "" {
		v.ChannelName = l.Channel
	}
	if l.Number.Number > 0 {
		v.RegisterNumber, v.RegisteredAt = l.Number.String(), &l.RegisteredAt
	}
	if v.Signature.Text == "" {
		v.Signature.Text = l.Signature.Status
	}
	if l.Signature.Detail != "" && l.Signature.Status != "passed" && l.Signature.Status != "unsigned" {
		v.Signature.Text += " (" + l.Signature.Detail + ")"
	}
	if l.Signature.ReportKey != "" {
		v.Signature.Report, v.reportKey = base+reportPath(base), l.Signature.ReportKey
	}
	var doc []byte
	if l.RawKey != "" && s.raw != nil {
		v.Document.Download, v.docKey = base+documentPath(base), l.RawKey
		// A form, unless the document is an e-Doręczenia message (JSON), read below.
		if mt, _, _ := mime.ParseMediaType(l.ContentType); isXMLType(l.ContentType) || (l.FormType != "" && mt != "application/json") {
			doc, err = s.raw.Get(ctx, s.rawBucket, l.RawKey, s.formLimits.MaxBytes)
			if err != nil && !errors.Is(err, blob.ErrNotFound) && !errors.Is(err, blob.ErrTooLarge) {
				return incomingView{}, fmt.Errorf("read the letter of case %s: %w", c.Reference, err)
			}
			if err != nil {
				v.Problem = "Nie udało się odczytać treści pisma."
			}
		}
	} else {
		v.Problem = "Pisma nie zachowano w obiegu."
	}
	if doc != nil {
		contents, err := forms.ReadContents(doc, s.formLimits)
		if err != nil {
			v.Problem = "Treści pisma nie da się odczytać jako formularza."
		} else {
			if l.FormType == forms.GeneralLetter {
				v.Letter = &letterText{Place: contents.Place, Kind: contents.Kind, Text: contents.Text}
				if v.Letter.Text == nil {
					v.Letter.Text = []string{}
				}
			}
			for _, a := range contents.Attachments {
				if strings.EqualFold(a.Encoding, "URI") {
					continue // stored beside the document, listed below
				}
				n := len(v.Attachments) + 1
				av := attachmentView{N: n, Source: "inline", Problem: a.Problem, data: a.Data,
					fileView: fileView{Name: downloadName(a.Name, fmt.Sprintf("zalacznik-%d", n)), Type: a.Format, Size: int64(len(a.Data))}}
				if a.Data != nil {
					sum := sha256.Sum256(a.Data)
					av.SHA256 = hex.EncodeToString(sum[:])
					av.Download = base + attachmentPath(base, n)
				}
				v.Attachments = append(v.Attachments, av)
			}
		}
	}
	if l.Channel == "edoreczenia" && v.Letter == nil {
		if err := s.messageText(ctx, l, &v); err != nil {
			return incomingView{}, fmt.Errorf("read the message of case %s: %w", c.Reference, err)
		}
	}
	source := "filerepo"
	if l.Channel == "edoreczenia" {
		source = "edoreczenia"
	}
	for _, a := range l.Stored {
		n := len(v.Attachments) + 1
		av := attachmentView{N: n, Source: source, key: a.RawKey,
			fileView: fileView{Name: downloadName(a.Name, fmt.Sprintf("zalacznik-%d", n)), Type: a.Format, Size: a.Size, SHA256: a.SHA256}}
		if a.RawKey == "" || s.raw == nil {
			av.Problem = "Załącznika nie pobrano z ePUAP – nie ma go w obiegu."
		} else {
			av.Download = base + attachmentPath(base, n)
		}
		v.Attachments = append(v.Attachments, av)
	}
	if withZIP {
		for i := range v.Attachments {
			if err := s.listZIP(ctx, &v.Attachments[i]); err != nil {
				return incomingView{}, fmt.Errorf("list attachment %d of case %s: %w", i+1, c.Reference, err)
			}
		}
	}
	return v, nil
}

// messageText sets the letter's text from the e-Doręczenia message l came in: the
// submission's document when the message carried no XML document, else the message kept
// as its first JSON attachment. A message that cannot be read leaves the text out.
func (s *Server) messageText(ctx context.Context, l register.Letter, v *incomingView) error {
	key := ""
	if mt, _, _ := mime.ParseMediaType(l.ContentType); mt == "application/json" {
		key = l.RawKey
	} else {
		for _, a := range l.Stored {
			if mt, _, _ := mime.ParseMediaType(a.Format); mt == "application/json" && a.RawKey != "" {
				key = a.RawKey
				break
			}
		}
	}
	if key == "" || s.raw == nil {
		return nil
	}
	data, err := s.raw.Get(ctx, s.rawBucket, key, s.formLimits.MaxBytes)
	if errors.Is(err, blob.ErrNotFound) || errors.Is(err, blob.ErrTooLarge) {
		return nil
	}
	if err != nil {
		return err
	}
	m, err := edoreczenia.ParseMessage(data, l.BoxDocumentID)
	if err != nil {
		v.Problem = "Nie udało się odczytać treści wiadomości e-Doręczeń."
		return nil
	}
	v.Letter = &letterText{Text: paragraphs(m.Text)}
	return nil
}

// paragraphs splits a plain text at blank lines.
func paragraphs(text string) []string {
	out := []string{}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func documentPath(base string) string {
	if strings.HasPrefix(base, "/api/") {
		return "/document"
	}
	return "/dokument"
}

func reportPath(base string) string {
	if strings.HasPrefix(base, "/api/") {
		return "/report"
	}
	return "/raport"
}

func attachmentPath(base string, n int) string {
	if strings.HasPrefix(base, "/api/") {
		return "/attachments/" + strconv.Itoa(n)
	}
	return "/zalaczniki/" + strconv.Itoa(n)
}

// listZIP lists the entries of a, when it is a ZIP archive.
func (s *Server) listZIP(ctx context.Context, a *attachmentView) error {
	if !isZIP(a.Name, a.Type, a.data) || a.Download == "" {
		return nil
	}
	data := a.data
	if data == nil {
		if a.Size > maxIncomingFile {
			a.ZIPProblem = "Archiwum za duże, by wyświetlić jego zawartość."
			return nil
		}
		var err error
		data, err = s.raw.Get(ctx, s.rawBucket, a.key, maxIncomingFile)
		if errors.Is(err, blob.ErrNotFound) || errors.Is(err, blob.ErrTooLarge) {
			a.ZIPProblem = "Nie udało się odczytać archiwum."
			return nil
		}
		if err != nil {
			return err
		}
	}
	l, err := ziplist.List(data, maxZIPEntries)
	if err != nil {
		a.ZIPProblem = "Plik nie jest poprawnym archiwum ZIP."
		return nil
	}
	a.ZIP = &l
	return nil
}

// isZIP reports whether an attachment is a ZIP archive by its name, declared type or, for
// inline ones, its first bytes.
func isZIP(name, ctype string, data []byte) bool {
	mt, _, _ := mime.ParseMediaType(ctype)
	return strings.EqualFold(path.Ext(name), ".zip") || mt == "application/zip" || mt == "application/x-zip-compressed" ||
		bytes.HasPrefix(data, []byte("PK\x03\x04"))
}

func isXMLType(ctype string) bool {
	mt, _, _ := mime.ParseMediaType(ctype)
	return mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml")
}

// caseIncomingAPI answers GET /api/v1/cases/{ref}/submission: a read of the case file.
func (s *Server) caseIncomingAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	c, _, err := s.readCaseFile(r, u)
	if err != nil {
		return err
	}
	v, err := s.incoming(r.Context(), c, "/api/v1/cases/"+c.Reference+"/submission", true)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// incomingFile serves a file of the letter a case was opened from, as received: the
// document, attachment n or the signature validation report. Each is a read of the case
// file, recorded as one.
func (s *Server) incomingFile(what string) func(w http.ResponseWriter, r *http.Request, u auth.User) error {
	return func(w http.ResponseWriter, r *http.Request, u auth.User) error {
		c, _, err := s.readCaseFile(r, u)
		if err != nil {
			return err
		}
		v, err := s.incoming(r.Context(), c, "", false)
		if err != nil {
			return err
		}
		notFound := func(message string) error {
			return problem.NewNotFound(message, fmt.Errorf("%s of case %s: %w", what, c.Reference, blob.ErrNotFound))
		}
		var (
			name, ctype string
			data        []byte
			key         string
		)
		switch what {
		case "document":
			if v.Document.Download == "" {
				return notFound("Pisma nie zachowano w obiegu.")
			}
			name, ctype, key = v.Document.Name, v.Document.Type, v.docKey
		case "report":
			if v.reportKey == "" || s.raw == nil {
				return notFound("Nie zachowano raportu weryfikacji podpisu tego pisma.")
			}
			name, ctype, key = "raport-weryfikacji-podpisu-"+safeRef(c.Reference)+".xml", "application/xml", v.reportKey
		default:
			n, err := strconv.Atoi(r.PathValue("n"))
			if err != nil || n < 1 || n > len(v.Attachments) || v.Attachments[n-1].Download == "" {
				return notFound("Nie ma takiego załącznika albo nie można go pobrać.")
			}
			a := v.Attachments[n-1]
			name, ctype, data, key = a.Name, a.Type, a.data, a.key
		}
		if data == nil {
			data, err = s.raw.Get(r.Context(), s.rawBucket, key, maxIncomingFile)
			if errors.Is(err, blob.ErrNotFound) {
				return notFound("Pliku nie ma w magazynie dokumentów.")
			}
			if errors.Is(err, blob.ErrTooLarge) {
				return &httpError{code: http.StatusRequestEntityTooLarge, message: "Plik jest za duży, by go pobrać przez obieg.", err: err}
			}
			if err != nil {
				return err
			}
		}
		w.Header().Set("Content-Type", servedType(ctype))
		w.Header().Set("Content-Disposition", contentDisposition(name))
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.Write(data)
		return nil
	}
}

// harmlessTypes are the declared media types served as declared: none is rendered as
// active content by a browser. Anything else is served as application/octet-stream.
var harmlessTypes = map[string]bool{
	"application/pdf": true, "image/jpeg": true, "image/png": true, "image/gif": true, "image/tiff": true,
	"text/plain": true, "text/csv": true, "application/zip": true, "application/xml": true, "text/xml": true,
	"application/json": true, "application/msword": true, "application/rtf": true, "application/vnd.ms-excel": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       true,
	"application/vnd.oasis.opendocument.text":                                 true,
	"application/vnd.oasis.opendocument.spreadsheet":                          true,
	"application/pkcs7-signature":                                             true, "application/pkcs7-mime": true,
	"application/vnd.etsi.asic-e+zip": true, "application/vnd.etsi.asic-s+zip": true,
}

// servedType is the Content-Type a file declared as ctype is served with.
func servedType(ctype string) string {
	mt, _, err := mime.ParseMediaType(ctype)
	if err != nil || !harmlessTypes[mt] {
		return "application/octet-stream"
	}
	return mt
}

// signerNote says, for the clerk, that a letter was signed by someone other than the sender
// the box names: a Profil Zaufany signature of one person filed from another person's ePUAP
// account, a proxy, an employee signing for an institution. The signature stays valid; who
// acts for whom is the clerk's to check. "" when either is unknown or they name the same
// person (the same words, in any order and case).
func signerNote(signer, sender string) string {
	if strings.TrimSpace(signer) == "" || strings.TrimSpace(sender) == "" || sameName(signer, sender) {
		return ""
	}
	return fmt.Sprintf("Pismo podpisał(a) %s, a nadano je z konta %s: sprawdź, czy podpisujący działa w imieniu nadawcy (np. jako pełnomocnik lub pracownik).", signer, sender)
}

// sameName reports whether a and b are made of the same words, whatever their order and case.
func sameName(a, b string) bool {
	words := func(s string) []string {
		w := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
		slices.Sort(w)
		return w
	}
	return slices.Equal(words(a), words(b))
}

// downloadName is the file name a sender gave, made safe to offer for saving (filename.Safe).
func downloadName(name, fallback string) string { return filename.Safe(name, fallback) }

// asciiFold writes Polish letters without their diacritics; other non-ASCII characters
// become _.
var asciiFold = strings.NewReplacer("ą", "a", "ć", "c", "ę", "e", "ł", "l", "ń", "n", "ó", "o", "ś", "s", "ź", "z", "ż", "z",
	"Ą", "A", "Ć", "C", "Ę", "E", "Ł", "L", "Ń", "N", "Ó", "O", "Ś", "S", "Ź", "Z", "Ż", "Z", "–", "-")

// contentDisposition says "save as name" (RFC 6266): an ASCII filename for old clients and
// filename* with the name in UTF-8 (RFC 8187).
func contentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			return '_'
		}
		return r
	}, asciiFold.Replace(name))
	var enc strings.Builder
	for _, b := range []byte(name) {
		if ('a' <= b && b <= 'z') || ('A' <= b && b <= 'Z') || ('0' <= b && b <= '9') || strings.IndexByte("!#$&+-.^_`|~", b) >= 0 {
			enc.WriteByte(b)
		} else {
			fmt.Fprintf(&enc, "%%%02X", b)
		}
	}
	return `attachment; filename="` + ascii + `"; filename*=UTF-8''` + enc.String()
}

// safeRef writes a case reference for a file name: its slashes become hyphens.
func safeRef(ref string) string { return strings.NewReplacer("/", "-", "\\", "-").Replace(ref) }
