package bagit_test

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/obieg/obieg/internal/domain/bagit"
)

func file(p, content string) (bagit.File, []byte) {
	s256, s512 := sha256.Sum256([]byte(content)), sha512.Sum512([]byte(content))
	return bagit.File{Path: p, Size: int64(len(content)), SHA256: hex.EncodeToString(s256[:]), SHA512: hex.EncodeToString(s512[:])}, []byte(content)
}

// build makes a whole bag in memory from the payload given, as obieg's archive writes one.
func build(t *testing.T, payload map[string]string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	var files []bagit.File
	for p, c := range payload {
		f, b := file(p, c)
		files = append(files, f)
		fsys[p] = &fstest.MapFile{Data: b}
	}
	tags, err := bagit.Tags(files, bagit.Metadata{SourceOrganization: "Regionalny Ośrodek Polityki Społecznej w Łodzi",
		ExternalIdentifier: "WPS.5300.4.2026", ExternalDescription: "Wniosek o przyznanie\nkarty"}, time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var tagFiles []bagit.File
	for name, b := range tags {
		f, _ := file(name, string(b))
		tagFiles = append(tagFiles, f)
		fsys[name] = &fstest.MapFile{Data: b}
	}
	m256, m512, err := bagit.TagManifests(tagFiles)
	if err != nil {
		t.Fatal(err)
	}
	fsys[bagit.TagManifest256] = &fstest.MapFile{Data: m256}
	fsys[bagit.TagManifest512] = &fstest.MapFile{Data: m512}
	return fsys
}

var payload = map[string]string{
	"data/dokumenty/wniosek.xml":             "<Dokument>wniosek</Dokument>",
	"data/metadane/wniosek.xml.xml":          "<dokument/>",
	"data/sprawy/WPS.5300.4.2026.xml":        "<dokument>sprawa</dokument>",
	"data/dokumenty/załącznik 1 – zgoda.pdf": "%PDF-1.7 ...",
}

func TestCheckWholeBag(t *testing.T) {
	probs, err := bagit.Check(build(t, payload))
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) > 0 {
		t.Errorf("got problems %v, want none", probs)
	}
}

// TestCheckFindsDamage changes a bag as damage or tampering would and expects each to be
// reported with the file it concerns.
func TestCheckFindsDamage(t *testing.T) {
	tests := []struct {
		name   string
		change func(fstest.MapFS)
		path   string
		what   string
	}{
		{"byte changed", func(f fstest.MapFS) { f["data/dokumenty/wniosek.xml"].Data[3] ^= 1 }, "data/dokumenty/wniosek.xml", "changed"},
		{"file removed", func(f fstest.MapFS) { delete(f, "data/sprawy/WPS.5300.4.2026.xml") }, "data/sprawy/WPS.5300.4.2026.xml", "missing"},
		{"file added", func(f fstest.MapFS) { f["data/dokumenty/extra.txt"] = &fstest.MapFile{Data: []byte("x")} }, "data/dokumenty/extra.txt", "not listed"},
		{"manifest rebuilt", func(f fstest.MapFS) {
			// A payload file replaced and the payload manifest rewritten to match: the tag
			// manifest still names the old manifest.
			g, b := file("data/dokumenty/wniosek.xml", "<Dokument>inny</Dokument>")
			f["data/dokumenty/wniosek.xml"].Data = b
			old := string(f[bagit.ManifestSHA256].Data)
			want, _ := file("data/dokumenty/wniosek.xml", payload["data/dokumenty/wniosek.xml"])
			f[bagit.ManifestSHA256].Data = []byte(strings.Replace(old, want.SHA256, g.SHA256, 1))
		}, bagit.ManifestSHA256, "changed"},
		{"no declaration", func(f fstest.MapFS) { delete(f, bagit.Declaration) }, bagit.Declaration, "not a bag"},
		{"tag manifest gone", func(f fstest.MapFS) { delete(f, bagit.TagManifest512) }, bagit.TagManifest512, "missing"},
		{"oxum", func(f fstest.MapFS) {
			f[bagit.Info].Data = []byte(strings.Replace(string(f[bagit.Info].Data), "Payload-Oxum: ", "Payload-Oxum: 1", 1))
		}, bagit.Info, "changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := build(t, payload)
			tt.change(fsys)
			probs, err := bagit.Check(fsys)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(probs, func(p bagit.Problem) bool { return p.Path == tt.path && strings.Contains(p.What, tt.what) }) {
				t.Errorf("got problems %v, want one on %s saying %q", probs, tt.path, tt.what)
			}
		})
	}
}

func TestTagsRefuses(t *testing.T) {
	ok, _ := file("data/a", "a")
	for name, f := range map[string]bagit.File{
		"outside data": {Path: "a", Size: 1, SHA256: ok.SHA256, SHA512: ok.SHA512},
		"traversal":    {Path: "data/../a", Size: 1, SHA256: ok.SHA256, SHA512: ok.SHA512},
		"absolute":     {Path: "/data/a", Size: 1, SHA256: ok.SHA256, SHA512: ok.SHA512},
		"no digest":    {Path: "data/a", Size: 1},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := bagit.Tags([]bagit.File{f}, bagit.Metadata{}, time.Now()); !errors.Is(err, bagit.ErrInvalid) {
				t.Errorf("got %v, want ErrInvalid", err)
			}
		})
	}
	if _, err := bagit.Tags([]bagit.File{ok, ok}, bagit.Metadata{}, time.Now()); !errors.Is(err, bagit.ErrInvalid) {
		t.Errorf("a file twice: got %v, want ErrInvalid", err)
	}
}

// TestPathsEncoded writes a file name with a line break and a percent sign so that the
// manifest line stays one line, and reads it back.
func TestPathsEncoded(t *testing.T) {
	fsys := build(t, map[string]string{"data/100% zgody\nna piśmie.txt": "x"})
	if m := string(fsys[bagit.ManifestSHA256].Data); !strings.Contains(m, "data/100%25 zgody%0Ana piśmie.txt\n") {
		t.Errorf("manifest line %q", m)
	}
	if probs, err := bagit.Check(fsys); err != nil || len(probs) > 0 {
		t.Errorf("got %v, %v; want no problem", probs, err)
	}
}

// TestBagOnDisk writes a bag to a directory and checks it through os.DirFS, as an offline
// verification of an exported package does.
func TestBagOnDisk(t *testing.T) {
	dir := t.TempDir()
	for p, f := range build(t, payload) {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	probs, err := bagit.Check(os.DirFS(dir))
	if err != nil || len(probs) > 0 {
		t.Fatalf("got %v, %v; want no problem", probs, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data", "dokumenty", "wniosek.xml"), []byte("zmienione"), 0o644); err != nil {
		t.Fatal(err)
	}
	if probs, _ := bagit.Check(os.DirFS(dir)); len(probs) == 0 {
		t.Error("a file changed on disk is not reported")
	}
}

func FuzzCheckManifest(f *testing.F) {
	f.Add([]byte("e3b0 data/a\n"), []byte("a"))
	f.Add([]byte("zz data/../../etc/passwd\n\n"), []byte(""))
	f.Fuzz(func(t *testing.T, manifest, content []byte) {
		fsys := build(t, map[string]string{"data/a": string(content)})
		fsys[bagit.ManifestSHA256] = &fstest.MapFile{Data: manifest}
		if _, err := bagit.Check(fsys); err != nil {
			t.Fatalf("a hostile manifest made Check fail instead of reporting: %v", err)
		}
	})
}
