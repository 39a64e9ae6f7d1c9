package epuapsim_test

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// TestRepo runs the same checks against both Repos.
func TestRepo(t *testing.T) {
	for _, tt := range []struct {
		name string
		open func(t *testing.T) epuapsim.Repo
	}{
		{"MemRepo", func(t *testing.T) epuapsim.Repo { return epuapsim.NewMemRepo() }},
		{"DirRepo", func(t *testing.T) epuapsim.Repo {
			r, err := epuapsim.OpenDirRepo(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return r
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.open(t)
			want := epuapsim.RepoFile{Filename: "skan.pdf", MimeType: "application/pdf", Encoding: "base64", Owner: "ROPS_Test", Data: []byte("%PDF-1.7")}
			id, err := r.Put(t.Context(), want)
			if err != nil {
				t.Fatal(err)
			}
			other, err := r.Put(t.Context(), epuapsim.RepoFile{Filename: "b.txt", Data: []byte("b")})
			if err != nil || other == id {
				t.Fatalf("second Put: got %q, %v, want a new id", other, err)
			}
			got, err := r.Get(t.Context(), id)
			if err != nil || got.Filename != want.Filename || got.MimeType != want.MimeType || got.Encoding != want.Encoding ||
				got.Owner != want.Owner || !bytes.Equal(got.Data, want.Data) {
				t.Fatalf("Get: got %+v, %v, want %+v", got, err, want)
			}
			for _, bad := range []string{"999", "", "../" + id, id + ".bin", "0" + id, "100000"} {
				if _, err := r.Get(t.Context(), bad); !errors.Is(err, epuapsim.ErrNotFound) {
					t.Errorf("Get(%q): got %v, want ErrNotFound", bad, err)
				}
			}
		})
	}
}

// TestDirRepoRestart: a file uploaded through FileRepo is downloaded after the simulator
// restarts over the same directory, and new files get new ids.
func TestDirRepoRestart(t *testing.T) {
	dir := t.TempDir()
	big := bytes.Repeat([]byte("załącznik "), 100_000)
	repo, err := epuapsim.OpenDirRepo(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(epuapsim.New(epuapsim.NewMemStore(), newClock().Now, nil, epuapsim.WithRepo(repo)).Handler())
	c := epuap.NewFileRepoClient(srv.URL+schema.FileRepoPath, nil, box.Podmiot)
	id, err := c.Upload(t.Context(), "skan.pdf", "application/pdf", big)
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()

	repo, err = epuapsim.OpenDirRepo(dir)
	if err != nil {
		t.Fatal(err)
	}
	sim := epuapsim.New(epuapsim.NewMemStore(), newClock().Now, nil, epuapsim.WithRepo(repo))
	srv = httptest.NewServer(sim.Handler())
	defer srv.Close()
	c = epuap.NewFileRepoClient(srv.URL+schema.FileRepoPath, nil, box.Podmiot)
	got, err := c.Download(t.Context(), id)
	if err != nil || !bytes.Equal(got, big) {
		t.Fatalf("Download after restart: got %d bytes, %v, want the %d uploaded", len(got), err, len(big))
	}
	next, err := sim.PutFile(t.Context(), epuapsim.RepoFile{Data: []byte("x")})
	if err != nil || next == id {
		t.Fatalf("PutFile after restart: got %q, %v, want an id other than %s", next, err, id)
	}
	// A write interrupted before its rename leaves a .tmp file, which is ignored.
	if err := os.WriteFile(filepath.Join(dir, "999999.json.123.tmp"), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := epuapsim.OpenDirRepo(dir); err != nil {
		t.Fatalf("reopen with a leftover: %v", err)
	}
}
