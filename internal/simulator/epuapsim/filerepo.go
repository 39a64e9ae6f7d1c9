package epuapsim

import (
	"context"
	"encoding/xml"
	"fmt"
	"strconv"
	"sync"

	"github.com/obieg/obieg/internal/soap"
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

// fileRepo holds FileRepo's files in memory.
type fileRepo struct {
	mu    sync.Mutex
	seq   int
	files map[string]*repoFile
}

type repoFile struct {
	name, mimeType, encoding string
	owner                    string // podmiot allowed to download; "" anyone
	data                     []byte
	downloads                int
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
func (s *Simulator) PutFile(_ context.Context, f RepoFile) (string, error) {
	if len(f.Data) == 0 {
		return "", fmt.Errorf("put file: %w: empty file", ErrInvalid)
	}
	s.repo.mu.Lock()
	defer s.repo.mu.Unlock()
	s.repo.seq++
	id := strconv.Itoa(100000 + s.repo.seq)
	s.repo.files[id] = &repoFile{
		name: cmpOr(f.Filename, "zalacznik.bin"), mimeType: cmpOr(f.MimeType, "application/octet-stream"),
		encoding: f.Encoding, owner: f.Owner, data: f.Data,
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

func (s *Simulator) downloadFile(_ context.Context, r *request) (xml.Name, any, error) {
	var req schema.DownloadFileParam
	if err := r.env.DecodeBody(&req); err != nil {
		return xml.Name{}, nil, badRequest(KodBladZapytania, "decode DownloadFileParam: %w", err)
	}
	if err := s.authorize(req.Subject, r.cert); err != nil {
		return xml.Name{}, nil, err
	}
	once := s.faults.Get().FileRepoOnce
	s.repo.mu.Lock()
	defer s.repo.mu.Unlock()
	f, ok := s.repo.files[req.FileID]
	switch {
	case !ok || (f.owner != "" && f.owner != req.Subject):
		return xml.Name{}, nil, badRequest(KodNieznanyPlik, "no file %q", req.FileID)
	case once && f.downloads > 0:
		return xml.Name{}, nil, badRequest(KodNieznanyPlik, "file %q has already been downloaded", req.FileID)
	}
	f.downloads++
	return xml.Name{Space: schema.NSFileRepo, Local: "DataDocument"}, schema.DataDocument{
		File: f.data, Filename: f.name, MimeType: f.mimeType, Encoding: f.encoding,
	}, nil
}
