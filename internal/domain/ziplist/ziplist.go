// Package ziplist lists the entries of a ZIP archive a sender attached to a letter, without
// decompressing anything: names, sizes as the archive declares them, and times. Names are
// decoded as UTF-8 when the archive says so (general purpose flag bit 11) or when they are
// valid UTF-8, else as CP852 (DOS Latin-2), the code page Polish Windows tools write
// without setting the flag. Names that would escape a folder on extraction are shown, and
// flagged. The input is untrusted: the number of entries listed is capped, and a
// "zip bomb" costs nothing since no entry is read.
package ziplist

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Entry is one file or folder of an archive.
type Entry struct {
	// Name is the entry's path decoded for display; control and bidirectional formatting
	// characters are replaced by U+FFFD.
	Name string `json:"name"`
	// Encoding is how Name was decoded: utf-8 or cp852.
	Encoding string `json:"encoding"`
	Dir      bool   `json:"dir,omitempty"`
	// Size and Compressed are what the archive declares, unchecked.
	Size       uint64    `json:"size"`
	Compressed uint64    `json:"compressed_size"`
	Modified   time.Time `json:"modified,omitzero"`
	Encrypted  bool      `json:"encrypted,omitempty"`
	// Unsafe is set when the name is an absolute path, names a drive, climbs out with "..",
	// or held characters that were replaced: extracting it as named would be unsafe.
	Unsafe bool `json:"unsafe,omitempty"`
}

// Listing is the table of contents of an archive.
type Listing struct {
	Entries []Entry `json:"entries"`
	// Total is the number of entries the archive holds; more than len(Entries) when the
	// listing was cut at the limit.
	Total int `json:"total"`
}

// Truncated reports whether the listing leaves entries out.
func (l Listing) Truncated() bool { return l.Total > len(l.Entries) }

// ErrNotZIP means the bytes are not a readable ZIP archive.
var ErrNotZIP = errors.New("not a ZIP archive")

// utf8Flag is the general purpose bit that says names are UTF-8 (APPNOTE 4.4.4, bit 11).
const utf8Flag = 0x800

// List reads the central directory of data and returns at most max entries. Data that is
// not a ZIP archive gives an error wrapping ErrNotZIP. The directory is read whole by
// archive/zip, so memory follows len(data), which the caller bounds; no entry is
// decompressed.
func List(data []byte, max int) (Listing, error) {
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return Listing{}, fmt.Errorf("%w: %v", ErrNotZIP, err)
	}
	out := Listing{Entries: []Entry{}, Total: len(r.File)}
	for _, f := range r.File[:min(len(r.File), max)] {
		name, enc := DecodeName([]byte(f.Name), f.Flags&utf8Flag != 0)
		shown, replaced := displayable(name)
		e := Entry{Name: shown, Encoding: enc, Dir: strings.HasSuffix(name, "/") || strings.HasSuffix(name, `\`),
			Size: f.UncompressedSize64, Compressed: f.CompressedSize64, Encrypted: f.Flags&1 != 0,
			Unsafe: replaced || Unsafe(name)}
		if !f.Modified.IsZero() {
			e.Modified = f.Modified
		}
		out.Entries = append(out.Entries, e)
	}
	return out, nil
}

// DecodeName decodes an entry name as stored: as UTF-8 when flagged so (invalid bytes
// replaced) or when it is valid UTF-8, else as CP852. It returns the name and the encoding
// used, "utf-8" or "cp852".
func DecodeName(raw []byte, utf8Flagged bool) (string, string) {
	if utf8Flagged || utf8.Valid(raw) {
		return strings.ToValidUTF8(string(raw), "\uFFFD"), "utf-8"
	}
	s, err := charmap.CodePage852.NewDecoder().Bytes(raw)
	if err != nil { // CP852 maps every byte; this is not expected
		return strings.ToValidUTF8(string(raw), "\uFFFD"), "utf-8"
	}
	return string(s), "cp852"
}

// Unsafe reports whether name, taken as a path with / or \ separators, is absolute, names
// a drive or a UNC share, or has a ".." element.
func Unsafe(name string) bool {
	n := strings.ReplaceAll(name, `\`, "/")
	if strings.HasPrefix(n, "/") || (len(n) >= 2 && n[1] == ':') {
		return true
	}
	for _, el := range strings.Split(n, "/") {
		if el == ".." {
			return true
		}
	}
	return false
}

// displayable replaces control and bidirectional formatting characters (which could hide
// a name's real extension) with U+FFFD and reports whether it replaced any.
func displayable(name string) (string, bool) {
	replaced := false
	out := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			replaced = true
			return '\uFFFD'
		}
		return r
	}, name)
	return out, replaced
}
