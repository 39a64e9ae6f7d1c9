package epuapsim

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"sync"

	"github.com/obieg/obieg/internal/adapters/soap"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// maxFileRequest caps a FileRepo request: an uploaded file travels Base64-encoded in it.
const maxFileRequest = 64 << 20

var fileRepoService = &service{
	name:        "filerepo",
	wsdl:        schema.FileRepoWSDL,
	maxRequest:  maxFileRequest,
	faultDetail: xml.Name{Space: soap.NSFileRepo, Local: "WyjatekTyp"},
	ops: []operation{
		{"", xml.Name{Space: schema.NSFileRepo, Local: "UploadFileParam"}, (*Simulator).uploadFile},
		{"", xml.Name{Space: schema.NSFileRepo, Local: "DownloadFileParam"}, (*Simulator).downloadFile},
	},
}

// downloads counts the downloads of each FileRepo file, for Faults.FileRepoOnce. The count
// is the simulator's behaviour, not data: it starts afresh at every start.
type downloads struct {
	mu sync.Mutex
	n  map[string]int
}

// RepoFile is a large attachment to put into FileRepo.
type RepoFile struct {
	Filename string
	MimeType string
	Encoding string
	// Owner, when set, is the only podmiot that may download the file.
	Owner string
	Data  []byte
}

// PutFile stores f in FileRepo, as a citizen's large attachment would be, and returns its
// fileId: forms point at it as https://epuap.gov.pl/file-download-servlet/DownloadServlet?fileId=<id>.
func (s *Simulator) PutFile(ctx context.Context, f RepoFile) (string, error) {
	if len(f.Data) == 0 {
		return "", fmt.Errorf("put file: %w: empty file", ErrInvalid)
	}
	f.Filename = cmpOr(f.Filename, "zalacznik.bin")
	f.MimeType = cmpOr(f.MimeType, "application/octet-stream")
	id, err := s.repo.Put(ctx, f)
	if err != nil {
		return "", fmt.Errorf("put file %s: %w", f.Filename, err)
	}
	return id, nil
}

// DownloadURL returns the address forms use for a FileRepo file.
func DownloadURL(fileID string) string {
	return "https://epuap.gov.pl/file-download-servlet/DownloadServlet?fileId=" + fileID
}

func (s *Simulator) uploadFile(ctx context.Context, r *request) (xml.Name, any, error) {
	var req schema.UploadFileParam
	if err := r.env.DecodeBody(&req); err != nil {
		return xml.Name{}, nil, badRequest(KodBladZapytania, "decode UploadFileParam: %w", err)
	}
	if err := s.authorize(req.Subject, r.cert); err != nil {
		return xml.Name{}, nil, err
	}
	id, err := s.PutFile(ctx, RepoFile{Filename: req.Filename, MimeType: req.MimeType, Encoding: req.Encoding, Data: req.File})
	if err != nil {
		return xml.Name{}, nil, badRequest(KodBladZapytania, "%w", err)
	}
	return xml.Name{Space: schema.NSFileRepo, Local: "fileId5"}, schema.FileID5{Value: id}, nil
}

func (s *Simulator) downloadFile(ctx context.Context, r *request) (xml.Name, any, error) {
	var req schema.DownloadFileParam
	if err := r.env.DecodeBody(&req); err != nil {
		return xml.Name{}, nil, badRequest(KodBladZapytania, "decode DownloadFileParam: %w", err)
	}
	if err := s.authorize(req.Subject, r.cert); err != nil {
		return xml.Name{}, nil, err
	}
	f, err := s.repo.Get(ctx, req.FileID)
	switch {
	case errors.Is(err, ErrNotFound) || (err == nil && f.Owner != "" && f.Owner != req.Subject):
		return xml.Name{}, nil, badRequest(KodNieznanyPlik, "no file %q", req.FileID)
	case err != nil:
		return xml.Name{}, nil, fmt.Errorf("downloadFile %s: %w", req.FileID, err)
	}
	once := s.faults.Get().FileRepoOnce
	s.downloads.mu.Lock()
	defer s.downloads.mu.Unlock()
	if once && s.downloads.n[req.FileID] > 0 {
		return xml.Name{}, nil, badRequest(KodNieznanyPlik, "file %q has already been downloaded", req.FileID)
	}
	s.downloads.n[req.FileID]++
	return xml.Name{Space: schema.NSFileRepo, Local: "DataDocument"}, schema.DataDocument{
		File: f.Data, Filename: f.Filename, MimeType: f.MimeType, Encoding: f.Encoding,
	}, nil
}
