package web

import (
	"mime"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDownloadName(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Oświadczenie.pdf", "Oświadczenie.pdf"},
		{"a Windows path", `C:\Users\jan\Pulpit\skan.pdf`, "skan.pdf"},
		{"traversal", "../../etc/passwd", "passwd"},
		{"control characters", "a\r\nX-Evil: 1\x00.pdf", "a__X-Evil: 1_.pdf"},
		{"right-to-left override", "faktura\u202Efdp.exe", "faktura_fdp.exe"},
		{"invalid UTF-8", "a\xffb.txt", "a_b.txt"},
		{"nothing left", " ../. ", "zalacznik-1"},
		{"long, extension kept", strings.Repeat("ą", 200) + ".pdf", strings.Repeat("ą", 146) + ".pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := downloadName(tt.in, "zalacznik-1"); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestContentDisposition(t *testing.T) {
	tests := []struct{ in, want string }{
		{"skan.pdf", `attachment; filename="skan.pdf"; filename*=UTF-8''skan.pdf`},
		{"Załącznik nr 1 – oświadczenie.pdf", `attachment; filename="Zalacznik nr 1 - oswiadczenie.pdf"; filename*=UTF-8''Za%C5%82%C4%85cznik%20nr%201%20%E2%80%93%20o%C5%9Bwiadczenie.pdf`},
		{`a"b\c%d;e.txt`, `attachment; filename="a_b_c_d;e.txt"; filename*=UTF-8''a%22b%5Cc%25d%3Be.txt`},
		{"日本.txt", `attachment; filename="__.txt"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt`},
	}
	for _, tt := range tests {
		got := contentDisposition(tt.in)
		if got != tt.want {
			t.Errorf("contentDisposition(%q):\ngot  %s\nwant %s", tt.in, got, tt.want)
		}
		// What a client reads back is the name given.
		if _, params, err := mime.ParseMediaType(got); err != nil || params["filename"] != tt.in {
			t.Errorf("contentDisposition(%q) parses as %q, %v", tt.in, params["filename"], err)
		}
	}
}

func TestServedType(t *testing.T) {
	tests := []struct{ in, want string }{
		{"application/pdf", "application/pdf"},
		{"Application/PDF; name=x", "application/pdf"},
		{"image/jpeg", "image/jpeg"},
		{"text/html", "application/octet-stream"},
		{"image/svg+xml", "application/octet-stream"},
		{"application/xhtml+xml", "application/octet-stream"},
		{"application/javascript", "application/octet-stream"},
		{"", "application/octet-stream"},
		{"nonsense", "application/octet-stream"},
	}
	for _, tt := range tests {
		if got := servedType(tt.in); got != tt.want {
			t.Errorf("servedType(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzDownloadHeaders: whatever name a sender writes, the header is one line of visible
// ASCII that reads back as the name offered.
func FuzzDownloadHeaders(f *testing.F) {
	f.Add("Załącznik nr 1 – oświadczenie.pdf")
	f.Add("a\r\nSet-Cookie: x=1")
	f.Add(`..\"\u202e.exe`)
	f.Fuzz(func(t *testing.T, name string) {
		safe := downloadName(name, "plik")
		if safe == "" || !utf8.ValidString(safe) || strings.ContainsAny(safe, "/\\\r\n\x00") {
			t.Fatalf("downloadName(%q) = %q", name, safe)
		}
		cd := contentDisposition(safe)
		for _, b := range []byte(cd) {
			if b < 0x20 || b > 0x7e {
				t.Fatalf("header %q has byte %#x", cd, b)
			}
		}
		if _, params, err := mime.ParseMediaType(cd); err != nil || params["filename"] != safe {
			t.Fatalf("%q parses as %q, %v; want %q", cd, params["filename"], err, safe)
		}
	})
}

// TestSignerNote tells the clerk when the signer is not the sender the box names.
func TestSignerNote(t *testing.T) {
	for _, tt := range []struct {
		signer, sender string
		note           bool
	}{
		{"Jan Testowy", "Jan Testowy", false},
		{"JAN TESTOWY", "Testowy Jan", false},
		{"Anna Nowak", "Jan Kowalski", true},
		{"Anna Nowak", "Dom Dziecka nr 1 w Łodzi", true},
		{"", "Jan Kowalski", false},
		{"Anna Nowak", "", false},
	} {
		got := signerNote(tt.signer, tt.sender)
		if (got != "") != tt.note || (tt.note && (!strings.Contains(got, tt.signer) || !strings.Contains(got, tt.sender))) {
			t.Errorf("signer %q, sender %q: got %q, want a note: %v", tt.signer, tt.sender, got, tt.note)
		}
	}
}
