package epuap

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// FileRepoClient fetches and stores large attachments in ePUAP's FileRepo (filerepo.wsdl)
// on behalf of one office. ePUAP may refuse to serve a file a second time: store what
// Download returns before confirming the document that points at it.
type FileRepoClient struct {
	caller
	subject string
}

// NewFileRepoClient returns a client of FileRepo at endpoint (for example
// https://ws.epuap.gov.pl/repo-ws-ext/FileRepoService) acting for podmiot (the request's
// subject). Options as for NewPullClient.
func NewFileRepoClient(endpoint string, hc *http.Client, podmiot string, opts ...Option) *FileRepoClient {
	return &FileRepoClient{caller: newCaller(endpoint, hc, opts), subject: podmiot}
}

// Download returns the content of the file fileID (downloadFile). A refusal (unknown file,
// already downloaded) is a *soap.Fault error whose Detail is fc:WyjatekTyp.
func (c *FileRepoClient) Download(ctx context.Context, fileID string) ([]byte, error) {
	var resp schema.DataDocument
	req := schema.DownloadFileParam{FileID: fileID, Subject: c.subject}
	if err := c.call(ctx, "", xml.Name{Space: schema.NSFileRepo, Local: "DownloadFileParam"}, req, &resp); err != nil {
		return nil, fmt.Errorf("epuap: downloadFile %s: %w", fileID, err)
	}
	return resp.File, nil
}

// Upload stores data as a file named filename of media type mimeType (uploadFile) and
// returns its fileId.
func (c *FileRepoClient) Upload(ctx context.Context, filename, mimeType string, data []byte) (string, error) {
	var resp schema.FileID5
	req := schema.UploadFileParam{File: data, Filename: filename, MimeType: mimeType, Subject: c.subject}
	if err := c.call(ctx, "", xml.Name{Space: schema.NSFileRepo, Local: "UploadFileParam"}, req, &resp); err != nil {
		return "", fmt.Errorf("epuap: uploadFile %s: %w", filename, err)
	}
	id := strings.TrimSpace(resp.Value)
	if id == "" {
		return "", fmt.Errorf("epuap: uploadFile %s: no fileId in the answer", filename)
	}
	return id, nil
}

// FileID returns the fileId of a FileRepo download address as forms carry it in
// str:DaneZalacznika (https://epuap.gov.pl/file-download-servlet/DownloadServlet?fileId=N).
func FileID(downloadURL string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(downloadURL))
	if err != nil {
		return "", fmt.Errorf("epuap: attachment address: %w", err)
	}
	id := u.Query().Get("fileId")
	if id == "" {
		return "", errors.New("epuap: attachment address has no fileId")
	}
	return id, nil
}
