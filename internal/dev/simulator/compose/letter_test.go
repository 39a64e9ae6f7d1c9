package compose

import (
	"bytes"
	"encoding/xml"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/obieg/obieg/internal/dev/golden"
)

func TestGeneralLetterDeterministic(t *testing.T) {
	for _, seed := range []int64{0, 1, 42, -7} {
		if !bytes.Equal(GeneralLetter(seed), GeneralLetter(seed)) {
			t.Fatalf("seed %d: two different letters", seed)
		}
	}
	if bytes.Equal(GeneralLetter(1), GeneralLetter(2)) {
		t.Fatal("seeds 1 and 2 gave the same letter")
	}
}

func TestGeneralLetterWellFormed(t *testing.T) {
	for seed := range int64(200) {
		doc := GeneralLetter(seed)
		d := xml.NewDecoder(bytes.NewReader(doc))
		var root xml.Name
		var pesel strings.Builder
		inPESEL := false
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("seed %d: not well-formed: %v\n%s", seed, err, doc)
			}
			switch el := tok.(type) {
			case xml.StartElement:
				if root.Local == "" {
					root = el.Name
				}
				inPESEL = el.Name == xml.Name{Space: NSOsoba, Local: "PESEL"}
			case xml.CharData:
				if inPESEL {
					pesel.Write(el)
				}
			case xml.EndElement:
				inPESEL = false
			}
		}
		if root != (xml.Name{Space: NSTemplate, Local: "Dokument"}) {
			t.Fatalf("seed %d: root %v, want {%s}Dokument", seed, root, NSTemplate)
		}
		if p := pesel.String(); p != "" && !fake(p) {
			t.Fatalf("seed %d: PESEL %s is not in the fake range with a valid check digit", seed, p)
		}
	}
}

// fake reports whether p is an 11-digit PESEL with a valid check digit and a 22xx birth
// month (61-72).
func fake(p string) bool {
	if len(p) != 11 || strings.Trim(p, "0123456789") != "" {
		return false
	}
	month := int(p[2]-'0')*10 + int(p[3]-'0')
	return month >= 61 && month <= 72 && peselCheck(p[:10]) == int(p[10]-'0')
}

func TestFakePESELCheck(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"fake range, good check digit", "01610100010", true},
		{"fake range, bad check digit", "01610100011", false},
		{"real range", "02270803628", false},
		{"short", "0161010001", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fake(tt.in); got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestGeneralLetterGolden(t *testing.T) {
	got := GeneralLetter(1)
	golden.Check(t, filepath.Join("testdata", "letter_seed1.golden.xml"), got)
}
