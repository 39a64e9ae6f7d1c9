package archive

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/filename"
	"github.com/obieg/obieg/internal/domain/jrwa"
	"github.com/obieg/obieg/internal/domain/ndap"
)

// Kind is the kind of a document in a case's package.
type Kind string

// The kinds of document a package holds.
const (
	Incoming   Kind = "incoming"   // a letter as received (ePUAP, e-Doręczenia), exactly its bytes
	Attachment Kind = "attachment" // an attachment of a letter, as received
	Report     Kind = "report"     // the ETSI validation report of a document's signatures
	Letter     Kind = "letter"     // a document of the office, signed XML
	Rendering  Kind = "rendering"  // the PDF of an office document (Of names the XML)
	Proof      Kind = "proof"      // a proof of delivery: e-Doręczenia's evidence, ePUAP's UPD
	History    Kind = "history"    // the case history (metryka sprawy), XML or PDF
	Audit      Kind = "audit"      // the case's entries of the audit log
)

// polish names each kind as the metadata's typ/rodzaj says it.
var polish = map[Kind]string{
	Incoming: "pismo wpływające", Attachment: "załącznik", Report: "raport weryfikacji podpisu",
	Letter: "pismo urzędu", Rendering: "wizualizacja pisma", Proof: "dowód doręczenia",
	History: "metryka sprawy", Audit: "dziennik zdarzeń sprawy",
}

// Document is one document of a case to be archived, as the archive's activity describes it
// from the case file.
type Document struct {
	// ID is obieg's identifier of the document: a UUID, or the SHA-256 of bytes as received.
	ID   string
	Kind Kind
	// Name is the file's name as given (by the sender, or by obieg); the package stores the
	// file under a safe form of it.
	Name   string
	Title  string
	Format string // media type
	Size   int64
	// Date is when the document was received (Incoming, Attachment) or created (others).
	Date time.Time
	// Signed is when an office document was signed; zero otherwise.
	Signed time.Time
	// Sent is the day an office document was sent; zero if it was not.
	Sent civil.Date
	// Creator made the document: the sender of a letter received, the office (with its unit and
	// employee) for its own documents, the delivery service for a proof.
	Creator ndap.Party
	// Approver signed an office document; nil otherwise.
	Approver *ndap.Party
	// Recipient is the addressee of an office document, or the office for a letter received.
	Recipient *ndap.Party
	// Of is the ID of the document this one belongs to: the letter of an attachment, the XML
	// of a rendering, the letter a proof or a report is about.
	Of string
	// Restricted keeps the document's content out of what the archive may make available
	// (personal data): only its metadata is available. Letters of parties are restricted.
	Restricted bool
}

// Case is what the package says of the case itself.
type Case struct {
	Reference    string // znak sprawy
	Title        string
	Class        string // the JRWA class
	ClassHeading string
	Category     jrwa.Category
	Opened       civil.Date
	Closed       civil.Date
	// Office is the office, with the unit that handled the case.
	Office ndap.Party
}

// File is one file of a laid-out package: its path inside the bag's payload (under data/),
// and, for a metadata file, its content. A document's bytes are the caller's to copy.
type File struct {
	Path string
	// Document is the document stored at Path; nil for a metadata file.
	Document *Document
	// Metadata is the content of a metadata file; nil for a document.
	Metadata []byte
}

// Payload directories, as the state archive expects them, inside the bag's data/.
const (
	DocumentsDir = "data/dokumenty"
	MetadataDir  = "data/metadane"
	CasesDir     = "data/sprawy"
)

// Lay lays out the package of case c with its documents: each document under
// data/dokumenty/ as NN-name (numbered in the order given, so names never clash and the order
// is kept), its metadata at the same path under data/metadane/ with .xml added, and the case's
// metadata under data/sprawy/. Every metadata file is checked against what the state
// archives' schema requires (ndap.Marshal).
func Lay(c Case, docs []Document) ([]File, error) {
	if c.Reference == "" || c.Title == "" || c.Closed.IsZero() || c.Opened.IsZero() || c.Closed.Before(c.Opened) {
		return nil, fmt.Errorf("%w: case %q lacks its reference, title or dates", ErrInvalid, c.Reference)
	}
	if err := c.Category.Validate(); err != nil {
		return nil, fmt.Errorf("%w: case %s: %w", ErrInvalid, c.Reference, err)
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%w: case %s has no document", ErrInvalid, c.Reference)
	}
	ids := map[string]bool{}
	for _, d := range docs {
		if d.ID == "" || ids[d.ID] {
			return nil, fmt.Errorf("%w: case %s: document id %q empty or twice", ErrInvalid, c.Reference, d.ID)
		}
		ids[d.ID] = true
	}
	var files []File
	for i, d := range docs {
		if d.Of != "" && !ids[d.Of] {
			return nil, fmt.Errorf("%w: case %s: document %s belongs to %s, which is not in the package", ErrInvalid, c.Reference, d.ID, d.Of)
		}
		p := path.Join(DocumentsDir, fmt.Sprintf("%02d-%s", i+1, filename.Safe(d.Name, string(d.Kind))))
		meta, err := ndap.Marshal(documentMetadata(c, d))
		if err != nil {
			return nil, fmt.Errorf("case %s, document %s: %w", c.Reference, d.ID, err)
		}
		files = append(files, File{Path: p, Document: &docs[i]}, File{Path: MetadataPath(p), Metadata: meta})
	}
	meta, err := ndap.Marshal(caseMetadata(c, docs))
	if err != nil {
		return nil, fmt.Errorf("case %s: %w", c.Reference, err)
	}
	files = append(files, File{Path: CasePath(c.Reference), Metadata: meta})
	return files, nil
}

// MetadataPath is where the metadata of the document at p is kept: dokumenty replaced by
// metadane, .xml added (data/dokumenty/a/b.pdf -> data/metadane/a/b.pdf.xml).
func MetadataPath(p string) string {
	return MetadataDir + strings.TrimPrefix(p, DocumentsDir) + ".xml"
}

// CasePath is where the metadata of the case ref is kept.
func CasePath(ref string) string {
	return path.Join(CasesDir, filename.Safe(strings.ReplaceAll(ref, "/", "-"), "sprawa")+".xml")
}

// idType is the identifier type of obieg's documents in the metadata.
const idType = "identyfikator obieg"

func documentMetadata(c Case, d Document) ndap.Document {
	m := ndap.Document{
		Access:        ndap.Access{Availability: ndap.AccessAll},
		Format:        ndap.Format{Type: d.Format, Size: ndap.Bytes(d.Size)},
		Groupings:     []ndap.Grouping{{Type: ndap.GroupCase, Code: c.Reference, Description: c.Title}},
		Identifiers:   []ndap.Identifier{{Type: idType, Value: d.ID}},
		Languages:     []ndap.Language{{Code: "pol", Name: "polski"}},
		Qualification: &ndap.Qualification{Category: c.Category.String(), Date: ndap.Day(c.Closed)},
		Creators:      []ndap.Creator{{Function: ndap.Created, Party: d.Creator}},
		Type:          ndap.Type{Category: ndap.TypeText, Kind: polish[d.Kind]},
		Title:         ndap.Title{Original: firstNonEmpty(d.Title, d.Name, polish[d.Kind])},
	}
	if d.Restricted {
		m.Access = ndap.Access{Availability: ndap.AccessMetadata, Remarks: "dane osobowe stron"}
	}
	switch d.Kind {
	case Incoming, Attachment:
		m.Dates = []ndap.Date{{Kind: ndap.DateReceived, At: ndap.Instant(d.Date)}}
	default:
		m.Dates = []ndap.Date{{Kind: ndap.DateCreated, At: ndap.Instant(d.Date)}}
	}
	if !d.Signed.IsZero() {
		m.Dates = append(m.Dates, ndap.Date{Kind: ndap.DateApproved, At: ndap.Instant(d.Signed)})
	}
	if !d.Sent.IsZero() {
		m.Dates = append(m.Dates, ndap.Date{Kind: ndap.DateSent, At: ndap.Day(d.Sent)})
	}
	if d.Approver != nil {
		m.Creators = append(m.Creators, ndap.Creator{Function: ndap.Approved, Party: *d.Approver})
	}
	if d.Recipient != nil {
		m.Recipients = []ndap.Recipient{{Party: *d.Recipient, Kind: "glowny"}}
	}
	if d.Kind == Audit {
		m.Type.Category = ndap.TypeDataset
	}
	if d.Of != "" {
		rel := ndap.References
		switch d.Kind {
		case Attachment:
			rel = ndap.IsPartOf
		case Rendering:
			rel = ndap.IsFormatOf
		}
		m.Relations = []ndap.Relation{{Identifier: ndap.Identifier{Type: idType, Value: d.Of}, Type: rel}}
	}
	return m
}

func caseMetadata(c Case, docs []Document) ndap.Document {
	m := ndap.Document{
		Dates:         []ndap.Date{{Kind: ndap.DateSpan, From: ndap.Day(c.Opened), To: ndap.Day(c.Closed)}},
		Access:        ndap.Access{Availability: ndap.AccessMetadata},
		Format:        ndap.Format{Type: "text/xml"},
		Identifiers:   []ndap.Identifier{{Type: ndap.GroupCase, Value: c.Reference}},
		Languages:     []ndap.Language{{Code: "pol", Name: "polski"}},
		Qualification: &ndap.Qualification{Category: c.Category.String(), Date: ndap.Day(c.Closed)},
		Creators:      []ndap.Creator{{Function: ndap.Created, Party: c.Office}},
		Type:          ndap.Type{Category: ndap.TypeCollection, Kind: "Sprawa"},
		Title:         ndap.Title{Original: c.Title},
	}
	if c.ClassHeading != "" {
		m.Groupings = []ndap.Grouping{{Type: "klasa JRWA", Code: c.Class, Description: c.ClassHeading}}
	}
	for _, d := range docs {
		if d.Of == "" {
			m.Relations = append(m.Relations, ndap.Relation{Identifier: ndap.Identifier{Type: idType, Value: d.ID}, Type: ndap.HasPart})
		}
	}
	return m
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
