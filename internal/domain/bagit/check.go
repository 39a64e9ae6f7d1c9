package bagit

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
)

// Problem is one thing wrong with a bag: which file, and what.
type Problem struct {
	Path string `json:"path"`
	What string `json:"what"`
}

func (p Problem) String() string { return p.Path + ": " + p.What }

// maxTagFile caps the size of a tag file read by Check.
const maxTagFile = 64 << 20

// Check reads the bag in fsys and returns every problem it finds, sorted by path: a missing or
// wrong declaration, a missing manifest, a payload file missing, added, of another size or with
// another digest than its manifests say, a wrong Payload-Oxum, and the same for the tag files
// against the tag manifests. Each file is read once, both digests computed in one pass. An
// empty result means the bag is complete and valid. The error is for fsys failing, not for
// problems of the bag.
func Check(fsys fs.FS) ([]Problem, error) {
	var probs []Problem
	problem := func(p, format string, args ...any) { probs = append(probs, Problem{p, fmt.Sprintf(format, args...)}) }

	decl, err := readTag(fsys, Declaration)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		problem(Declaration, "missing: not a bag")
		return probs, nil
	case err != nil:
		return nil, err
	case !bytes.HasPrefix(decl, []byte("BagIt-Version: ")):
		problem(Declaration, "does not declare a BagIt version")
	}

	// Every file of the bag, with both digests.
	files := map[string]File{}
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			problem(p, "not a regular file")
			return nil
		}
		f, err := digest(fsys, p)
		if err != nil {
			return err
		}
		files[p] = f
		return nil
	})
	if err != nil {
		return nil, err
	}

	payload := func(p string) bool { return strings.HasPrefix(p, payloadDirSlash) }
	tag := func(p string) bool { return !payload(p) && p != TagManifest256 && p != TagManifest512 }
	for _, m := range []struct {
		name   string
		digest func(File) string
		lists  func(string) bool
	}{
		{ManifestSHA256, func(f File) string { return f.SHA256 }, payload},
		{ManifestSHA512, func(f File) string { return f.SHA512 }, payload},
		{TagManifest256, func(f File) string { return f.SHA256 }, tag},
		{TagManifest512, func(f File) string { return f.SHA512 }, tag},
	} {
		listed, err := readManifest(fsys, m.name)
		if errors.Is(err, fs.ErrNotExist) {
			problem(m.name, "missing")
			continue
		}
		if err != nil {
			probs = append(probs, Problem{m.name, err.Error()})
			continue
		}
		for p, want := range listed {
			f, ok := files[p]
			switch {
			case !m.lists(p):
				problem(m.name, "lists %s, which it must not", p)
			case !ok:
				problem(p, "missing (listed in %s)", m.name)
			case m.digest(f) != want:
				problem(p, "changed: its digest is not the one %s gives", m.name)
			}
		}
		for p := range files {
			if _, ok := listed[p]; !ok && m.lists(p) {
				problem(p, "not listed in %s: added to the bag", m.name)
			}
		}
	}

	if info, err := readTag(fsys, Info); err == nil {
		if oxum, ok := element(info, "Payload-Oxum"); ok {
			var octets, count int64
			for p, f := range files {
				if payload(p) {
					octets += f.Size
					count++
				}
			}
			if want := fmt.Sprintf("%d.%d", octets, count); oxum != want {
				problem(Info, "Payload-Oxum %s, but the payload is %s (octets.files)", oxum, want)
			}
		}
	} else if errors.Is(err, fs.ErrNotExist) {
		problem(Info, "missing")
	} else {
		return nil, err
	}

	slices.SortFunc(probs, func(a, b Problem) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.What, b.What)
	})
	return slices.Compact(probs), nil
}

// digest reads the file p once, computing both digests.
func digest(fsys fs.FS, p string) (File, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return File{}, err
	}
	defer f.Close()
	h256, h512 := sha256.New(), sha512.New()
	n, err := io.Copy(io.MultiWriter(h256, h512), f)
	if err != nil {
		return File{}, fmt.Errorf("bagit: read %s: %w", p, err)
	}
	return File{Path: p, Size: n, SHA256: hex.EncodeToString(h256.Sum(nil)), SHA512: hex.EncodeToString(h512.Sum(nil))}, nil
}

func readTag(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxTagFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxTagFile {
		return nil, fmt.Errorf("bagit: %s is larger than %d bytes", name, maxTagFile)
	}
	return b, nil
}

// readManifest reads a manifest into path -> digest (lower case hex).
func readManifest(fsys fs.FS, name string) (map[string]string, error) {
	b, err := readTag(fsys, name)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			continue
		}
		sum, p, ok := strings.Cut(line, " ")
		p = decodePath(strings.TrimLeft(p, " \t"))
		if !ok || p == "" || checkPath(p) != nil {
			return nil, fmt.Errorf("line %d is not \"<digest> <path>\" with a path inside the bag", n)
		}
		if _, dup := out[p]; dup {
			return nil, fmt.Errorf("line %d lists %s a second time", n, p)
		}
		out[p] = strings.ToLower(sum)
	}
	return out, sc.Err()
}

// element returns the value of the first bag-info element with the label.
func element(info []byte, label string) (string, bool) {
	for line := range strings.Lines(string(info)) {
		if l, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(l) == label {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}
