package epuap_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"testing"

	"github.com/obieg/obieg/xmlschemas/epuap"
)

func TestFSParses(t *testing.T) {
	for _, name := range []string{epuap.PullWSDL, epuap.ObiektyPKXSD, epuap.SignPolicyWSDL, epuap.SkrytkaWSDL,
		"doreczyciel.wsdl", "filerepo.wsdl", "ZarzadzanieDokumentami.wsdl", "obiektyExt.xsd", "fecore.xsd",
		"filerepocore.xsd", "EmergencyDownload.xsd"} {
		t.Run(name, func(t *testing.T) {
			data, err := fs.ReadFile(epuap.FS(), name)
			if err != nil {
				t.Fatal(err)
			}
			d := xml.NewDecoder(bytes.NewReader(data))
			// ZarzadzanieDokumentami.wsdl declares windows-1252 but is plain ASCII.
			d.CharsetReader = func(charset string, r io.Reader) (io.Reader, error) {
				if bytes.ContainsFunc(data, func(r rune) bool { return r >= 0x80 }) {
					return nil, fmt.Errorf("%s with non-ASCII bytes", charset)
				}
				return r, nil
			}
			if err := d.Decode(new(struct{})); err != nil {
				t.Fatalf("does not parse: %v", err)
			}
		})
	}
	if _, err := fs.ReadFile(epuap.FS(), "LICENSE-EpuapBrokerLib.txt"); err != nil {
		t.Fatalf("licence not embedded: %v", err)
	}
}

func TestBase64(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{"plain", "PGEvPg==", "<a/>", false},
		{"line breaks", "PGEv\r\nPg==\n", "<a/>", false},
		{"empty", "", "", false},
		{"invalid", "PGEv!", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b epuap.Base64
			err := b.UnmarshalText([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && string(b) != tt.want {
				t.Fatalf("got %q, want %q", b, tt.want)
			}
		})
	}
}
