package ziplist

import (
	"archive/zip"
	"bytes"
	"errors"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// file is an entry to build: name as stored (bytes), whether the UTF-8 flag is set.
type file struct {
	raw  string
	utf8 bool
	body string
}

func cp852(tb testing.TB, s string) string {
	tb.Helper()
	b, err := encoding.ReplaceUnsupported(charmap.CodePage852.NewEncoder()).Bytes([]byte(s))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// build returns a ZIP archive of files, as a Windows tool would write it when utf8 is
// false: the names' bytes as given and the flag unset.
func build(tb testing.TB, files ...file) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.raw, Method: zip.Deflate, Modified: time.Date(2026, 3, 4, 10, 20, 30, 0, time.UTC), NonUTF8: !f.utf8}
		if f.utf8 {
			h.Flags |= utf8Flag
		}
		fw, err := w.CreateHeader(h)
		if err != nil {
			tb.Fatal(err)
		}
		fw.Write([]byte(f.body))
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestList(t *testing.T) {
	tests := []struct {
		name  string
		files []file
		want  []Entry // Name, Encoding, Dir, Size, Unsafe compared
		max   int
		total int
	}{
		{"CP852 without the flag",
			[]file{{raw: cp852(t, "Załącznik nr 1 - oświadczenie.pdf"), body: "pdf"}, {raw: cp852(t, "ŻÓŁĆ/"), body: ""}},
			[]Entry{{Name: "Załącznik nr 1 - oświadczenie.pdf", Encoding: "cp852", Size: 3}, {Name: "ŻÓŁĆ/", Encoding: "cp852", Dir: true}}, 10, 2},
		{"an en dash CP852 lacks is replaced and flagged",
			[]file{{raw: cp852(t, "Załącznik nr 1 – oświadczenie.pdf")}},
			[]Entry{{Name: "Załącznik nr 1 \uFFFD oświadczenie.pdf", Encoding: "cp852", Unsafe: true}}, 10, 1},
		{"UTF-8 with the flag",
			[]file{{raw: "Załącznik nr 1 – oświadczenie.pdf", utf8: true, body: "12345"}},
			[]Entry{{Name: "Załącznik nr 1 – oświadczenie.pdf", Encoding: "utf-8", Size: 5}}, 10, 1},
		{"valid UTF-8 without the flag",
			[]file{{raw: "zażółć.txt"}},
			[]Entry{{Name: "zażółć.txt", Encoding: "utf-8"}}, 10, 1},
		{"invalid UTF-8 despite the flag",
			[]file{{raw: "a\xffb.txt", utf8: true}},
			[]Entry{{Name: "a\uFFFDb.txt", Encoding: "utf-8"}}, 10, 1},
		{"path traversal shown and flagged",
			[]file{{raw: "../../etc/passwd"}, {raw: `..\..\Windows\win.ini`}, {raw: "/abs.txt"}, {raw: "C:/x.txt"}, {raw: "ok/..x/y..z"}},
			[]Entry{{Name: "../../etc/passwd", Encoding: "utf-8", Unsafe: true}, {Name: `..\..\Windows\win.ini`, Encoding: "utf-8", Unsafe: true},
				{Name: "/abs.txt", Encoding: "utf-8", Unsafe: true}, {Name: "C:/x.txt", Encoding: "utf-8", Unsafe: true}, {Name: "ok/..x/y..z", Encoding: "utf-8"}}, 10, 5},
		{"a right-to-left override hiding an extension",
			[]file{{raw: "faktura\u202Efdp.exe", utf8: true}},
			[]Entry{{Name: "faktura\uFFFDfdp.exe", Encoding: "utf-8", Unsafe: true}}, 10, 1},
		{"cut at the limit",
			[]file{{raw: "1"}, {raw: "2"}, {raw: "3"}},
			[]Entry{{Name: "1", Encoding: "utf-8"}, {Name: "2", Encoding: "utf-8"}}, 2, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := List(build(t, tt.files...), tt.max)
			if err != nil {
				t.Fatal(err)
			}
			if got.Total != tt.total || got.Truncated() != (tt.total > len(tt.want)) {
				t.Errorf("got total %d truncated %v, want %d", got.Total, got.Truncated(), tt.total)
			}
			if len(got.Entries) != len(tt.want) {
				t.Fatalf("got %d entries %+v, want %d", len(got.Entries), got.Entries, len(tt.want))
			}
			for i, e := range got.Entries {
				w := tt.want[i]
				if e.Name != w.Name || e.Encoding != w.Encoding || e.Dir != w.Dir || e.Size != w.Size || e.Unsafe != w.Unsafe {
					t.Errorf("entry %d: got %+v, want %+v", i, e, w)
				}
				if !e.Modified.Equal(time.Date(2026, 3, 4, 10, 20, 30, 0, time.UTC)) {
					t.Errorf("entry %d: got modified %v", i, e.Modified)
				}
			}
		})
	}
}

// TestListBomb: a declared size far beyond the data is reported, never inflated.
func TestListBomb(t *testing.T) {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	fw, _ := w.Create("bomba.bin")
	zeros := make([]byte, 1<<20)
	for range 64 {
		fw.Write(zeros)
	}
	w.Close()
	got, err := List(buf.Bytes(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Entries) != 1 || got.Entries[0].Size != 64<<20 || got.Entries[0].Compressed >= 1<<20 {
		t.Errorf("got %+v, want one entry of 64 MiB declared", got.Entries)
	}
}

func TestListNotZIP(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("%PDF-1.4"), build(t, file{raw: "a"})[:20]} {
		if _, err := List(data, 10); !errors.Is(err, ErrNotZIP) {
			t.Errorf("%q: got %v, want ErrNotZIP", data, err)
		}
	}
}

func TestDecodeName(t *testing.T) {
	tests := []struct {
		raw      string
		flagged  bool
		want     string
		encoding string
	}{
		{"\xa5\x86\xa9\x88\xe4\xa2\x98\xab\xbe", false, "ąćęłńóśźż", "cp852"},
		{"\xa4\x8f\xa8\x9d\xe3\xe0\x97\x8d\xbd", false, "ĄĆĘŁŃÓŚŹŻ", "cp852"},
		{"plain.txt", false, "plain.txt", "utf-8"},
		{"ąćę", true, "ąćę", "utf-8"},
	}
	for _, tt := range tests {
		got, enc := DecodeName([]byte(tt.raw), tt.flagged)
		if got != tt.want || enc != tt.encoding {
			t.Errorf("DecodeName(%q, %v): got %q %s, want %q %s", tt.raw, tt.flagged, got, enc, tt.want, tt.encoding)
		}
	}
}

func FuzzList(f *testing.F) {
	f.Add(build(f, file{raw: cp852(f, "Załącznik.pdf"), body: "x"}, file{raw: "../a", utf8: true}))
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := List(data, 5)
		if err != nil {
			if !errors.Is(err, ErrNotZIP) {
				t.Fatalf("error %v does not wrap ErrNotZIP", err)
			}
			return
		}
		if len(l.Entries) > 5 || l.Total < len(l.Entries) {
			t.Fatalf("got %d entries of %d", len(l.Entries), l.Total)
		}
		for _, e := range l.Entries {
			if !utf8.ValidString(e.Name) {
				t.Fatalf("name %q is not valid UTF-8", e.Name)
			}
		}
	})
}
