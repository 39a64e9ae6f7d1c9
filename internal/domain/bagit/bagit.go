// Package bagit writes and checks BagIt bags (RFC 8493, version 1.0), the form in which obieg
// packs an archived case: the payload under data/, bagit.txt, bag-info.txt, a SHA-256 and a
// SHA-512 payload manifest, and tag manifests of both algorithms over every tag file. The tag
// manifest is what obieg seals (signs and time-stamps) and records in its audit chain, so a
// changed, removed, added or rebuilt file of a bag is found by Check.
//
// The package is pure: it renders the tag files from the payload's sizes and digests (the
// caller hashes the bytes as it streams them to storage) and checks a bag read through an
// fs.FS, so that the same check runs on a package exported to a directory without obieg's
// database, S3 or network.
package bagit

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/obieg/obieg/internal/domain/problem"
)

// Version is the BagIt version obieg writes.
const Version = "1.0"

// Names of the tag files.
const (
	Declaration     = "bagit.txt"
	Info            = "bag-info.txt"
	ManifestSHA256  = "manifest-sha256.txt"
	ManifestSHA512  = "manifest-sha512.txt"
	TagManifest256  = "tagmanifest-sha256.txt"
	TagManifest512  = "tagmanifest-sha512.txt"
	PayloadDir      = "data"
	payloadDirSlash = PayloadDir + "/"
)

// ErrInvalid is wrapped by the errors of a bag that cannot be written as asked; it is of
// kind problem.Invalid.
var ErrInvalid = problem.NewInvalid("", errors.New("bagit: invalid bag"))

// File is a file of a bag with its digests, hex in lower case.
type File struct {
	// Path is the file's path in the bag, slash-separated: data/... for payload files.
	Path   string
	Size   int64
	SHA256 string
	SHA512 string
}

// Metadata are the bag-info.txt elements obieg writes, in order, besides Bagging-Date and
// Payload-Oxum, which Tags computes.
type Metadata struct {
	SourceOrganization  string // the office
	ExternalIdentifier  string // the case reference
	ExternalDescription string
	// Other are further elements (label, value), written after the standard ones.
	Other [][2]string
}

// Tags renders the tag files of a bag of payload files (each under data/), bagged at at:
// bagit.txt, bag-info.txt and the two payload manifests, returned by name with their
// contents. The caller stores them, hashes them, and passes them with TagManifests.
func Tags(payload []File, meta Metadata, at time.Time) (map[string][]byte, error) {
	var octets int64
	seen := map[string]bool{}
	for _, f := range payload {
		if err := checkPath(f.Path); err != nil {
			return nil, err
		}
		if !strings.HasPrefix(f.Path, payloadDirSlash) {
			return nil, fmt.Errorf("%w: payload file %q is not under %s", ErrInvalid, f.Path, payloadDirSlash)
		}
		if seen[f.Path] {
			return nil, fmt.Errorf("%w: payload file %q twice", ErrInvalid, f.Path)
		}
		seen[f.Path] = true
		if len(f.SHA256) != 64 || len(f.SHA512) != 128 || f.Size < 0 {
			return nil, fmt.Errorf("%w: payload file %q lacks its size or digests", ErrInvalid, f.Path)
		}
		octets += f.Size
	}
	var info strings.Builder
	element := func(label, value string) {
		if value = oneLine(value); value != "" {
			fmt.Fprintf(&info, "%s: %s\n", label, value)
		}
	}
	element("Source-Organization", meta.SourceOrganization)
	element("External-Identifier", meta.ExternalIdentifier)
	element("External-Description", meta.ExternalDescription)
	element("Bagging-Date", at.Format(time.DateOnly))
	element("Payload-Oxum", fmt.Sprintf("%d.%d", octets, len(payload)))
	for _, kv := range meta.Other {
		element(kv[0], kv[1])
	}
	return map[string][]byte{
		Declaration:    []byte("BagIt-Version: " + Version + "\nTag-File-Character-Encoding: UTF-8\n"),
		Info:           []byte(info.String()),
		ManifestSHA256: manifest(payload, func(f File) string { return f.SHA256 }),
		ManifestSHA512: manifest(payload, func(f File) string { return f.SHA512 }),
	}, nil
}

// TagManifests renders the two tag manifests over the tag files given (every tag file but the
// tag manifests themselves).
func TagManifests(tags []File) (sha256, sha512 []byte, err error) {
	for _, f := range tags {
		if err := checkPath(f.Path); err != nil {
			return nil, nil, err
		}
		if strings.HasPrefix(f.Path, payloadDirSlash) || f.Path == TagManifest256 || f.Path == TagManifest512 {
			return nil, nil, fmt.Errorf("%w: %q is not a tag file a tag manifest lists", ErrInvalid, f.Path)
		}
	}
	return manifest(tags, func(f File) string { return f.SHA256 }), manifest(tags, func(f File) string { return f.SHA512 }), nil
}

// manifest writes one line per file, "<digest> <path>", sorted by path.
func manifest(files []File, digest func(File) string) []byte {
	sorted := slices.Clone(files)
	slices.SortFunc(sorted, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	var b strings.Builder
	for _, f := range sorted {
		fmt.Fprintf(&b, "%s %s\n", digest(f), encodePath(f.Path))
	}
	return []byte(b.String())
}

// encodePath percent-encodes what a manifest line cannot carry (RFC 8493 §2.1.3).
func encodePath(p string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(p)
}

// decodePath undoes encodePath.
func decodePath(p string) string {
	return strings.NewReplacer("%25", "%", "%0D", "\r", "%0A", "\n", "%0d", "\r", "%0a", "\n").Replace(p)
}

// checkPath refuses a path that could leave the bag or that is not in canonical form.
func checkPath(p string) error {
	switch {
	case p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") || strings.ContainsRune(p, 0):
		return fmt.Errorf("%w: path %q", ErrInvalid, p)
	case path.Clean(p) != p || p == ".." || strings.HasPrefix(p, "../"):
		return fmt.Errorf("%w: path %q is not clean or leaves the bag", ErrInvalid, p)
	}
	return nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
