package epuap_test

import (
	"bytes"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/adapters/soap"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

func TestFileRepo(t *testing.T) {
	p := newPKI(t)
	sim, base := newSecureSim(t, p, p.epuap)
	hc := &http.Client{Timeout: 10 * time.Second}
	c := epuap.NewFileRepoClient(base+schema.FileRepoPath, hc, box.Podmiot,
		epuap.WithSigner(p.office), epuap.WithPinnedCertificates(p.epuap.Cert))
	big := bytes.Repeat([]byte("załącznik "), 200_000)
	id, err := sim.PutFile(t.Context(), epuapsim.RepoFile{Filename: "skan.pdf", MimeType: "application/pdf", Data: big})
	if err != nil {
		t.Fatal(err)
	}
	got, err := epuap.FileID(epuapsim.DownloadURL(id))
	if err != nil || got != id {
		t.Fatalf("FileID(DownloadURL(%s)) = %q, %v", id, got, err)
	}
	for i := range 2 {
		data, err := c.Download(t.Context(), id)
		if err != nil || !bytes.Equal(data, big) {
			t.Fatalf("download %d: got %d bytes, %v; want the file", i+1, len(data), err)
		}
	}

	uploaded, err := c.Upload(t.Context(), "odpowiedz.pdf", "application/pdf", []byte("%PDF-1.7"))
	if err != nil {
		t.Fatal(err)
	}
	sim.SetFaults(epuapsim.Faults{FileRepoOnce: true})
	if data, err := c.Download(t.Context(), uploaded); err != nil || string(data) != "%PDF-1.7" {
		t.Fatalf("download of an uploaded file: got %q, %v", data, err)
	}
	tests := []struct {
		name   string
		client *epuap.FileRepoClient
		id     string
		kod    int
	}{
		{"second download refused", c, uploaded, epuapsim.KodNieznanyPlik},
		{"unknown file", c, "999", epuapsim.KodNieznanyPlik},
		{"unsigned", epuap.NewFileRepoClient(base+schema.FileRepoPath, hc, box.Podmiot), id, epuapsim.KodBladPodpisu},
		{"other office's subject", epuap.NewFileRepoClient(base+schema.FileRepoPath, hc, "Inny_Urzad", epuap.WithSigner(p.office)), id, epuapsim.KodBrakUprawnien},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.client.Download(t.Context(), tt.id)
			var f *soap.Fault
			if !errors.As(err, &f) || f.Kod != tt.kod || f.Detail.Space != schema.NSFileRepo {
				t.Fatalf("got %v, want a fault with fc:WyjatekTyp kod %d", err, tt.kod)
			}
		})
	}
}

func TestFileID(t *testing.T) {
	tests := []struct {
		name, url, want string
		wantErr         bool
	}{
		{name: "servlet", url: "https://epuap.gov.pl/file-download-servlet/DownloadServlet?fileId=12345", want: "12345"},
		{name: "white space", url: " https://epuap.gov.pl/file-download-servlet/DownloadServlet?fileId=7\n", want: "7"},
		{name: "no fileId", url: "https://epuap.gov.pl/file-download-servlet/DownloadServlet", wantErr: true},
		{name: "not a URL", url: "%zz", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := epuap.FileID(tt.url)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("got %q, %v; want %q, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}
