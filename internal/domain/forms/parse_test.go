package forms

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// lintXSD returns a function that validates doc with xmllint against a form XSD of
// xmlschemas/forms (by file name), and whether xmllint is there. Without xmllint (Debian
// package libxml2-utils) the caller skips XSD checks, except under CI=true, where lintXSD
// fails the test.
func lintXSD(t testing.TB) (lint func(t testing.TB, xsd string, doc []byte) (valid bool, out string), ok bool) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint not found: install the Debian package libxml2-utils")
		}
		t.Log("xmllint not found (Debian package libxml2-utils): XSD checks skipped; CI=true makes this a failure")
		return nil, false
	}
	return func(t testing.TB, xsd string, doc []byte) (bool, string) {
		t.Helper()
		file := filepath.Join(t.TempDir(), "doc.xml")
		if err := os.WriteFile(file, doc, 0o600); err != nil {
			t.Fatal(err)
		}
		schema := filepath.Join("..", "..", "..", "xmlschemas", "forms", xsd)
		out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", schema, file).CombinedOutput()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("run xmllint: %v", err)
		}
		return err == nil, string(out)
	}, true
}

func readSample(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestParseRefuses breaks valid samples in the ways a sender can and checks that each parser
// refuses with the reason and a detail naming the place.
func TestParseRefuses(t *testing.T) {
	card := readSample(t, "karta-rodziny-seed1.xml")
	complaint := readSample(t, "skarga-wniosek-seed1.xml")
	report := readSample(t, "sprawozdanie-placowki-seed1.xml")
	type parser func([]byte, Limits) error
	parseCard := func(b []byte, l Limits) error { _, err := ParseFamilyCard(b, l); return err }
	parseComplaint := func(b []byte, l Limits) error { _, err := ParseComplaint(b, l); return err }
	parseReport := func(b []byte, l Limits) error { _, err := ParseFacilityReport(b, l); return err }
	tests := []struct {
		name   string
		parse  parser
		doc    string
		reason Reason
		detail string // a part of the detail
	}{ // the XSD refuses every one of these with reason invalid too, except the Go rules (goOnly)
		{"card: not xml", parseCard, "%PDF", ReasonNotXML, ""},
		{"card: DTD", parseCard, `<!DOCTYPE a [<!ENTITY x "y">]>` + card[strings.Index(card, "<wnio:Dokument"):], ReasonDTD, ""},
		{"card: a general letter", parseCard, readSample(t, "pismo-ogolne-2017.xml"), ReasonInvalid, "not karta-rodziny"},
		{"card: relationship out of the list", parseCard, strings.Replace(card, ">malzonek<", ">konkubent<", 1), ReasonInvalid, "StopienPokrewienstwa"},
		{"card: impossible date", parseCard, strings.Replace(card, "<wnio:DataUrodzenia>2017-10-31", "<wnio:DataUrodzenia>2017-02-30", 1), ReasonInvalid, "DataUrodzenia"},
		{"card: two applicants", parseCard, strings.Replace(card, ">malzonek<", ">wnioskodawca<", 1), ReasonInvalid, "exactly one"},
		{"card: unknown element", parseCard, strings.Replace(card, "<wnio:FormaKarty>", "<wnio:Ulubione>lody</wnio:Ulubione><wnio:FormaKarty>", 1), ReasonInvalid, "Ulubione"},
		{"card: element in another namespace", parseCard, strings.Replace(card, "<wnio:Imiona>Grzegorz</wnio:Imiona>", `<x:Imiona xmlns:x="urn:x">Grzegorz</x:Imiona>`, 1), ReasonInvalid, "Imiona"},
		{"card: empty name", parseCard, strings.Replace(card, "<wnio:Imiona>Grzegorz</wnio:Imiona>", "<wnio:Imiona> </wnio:Imiona>", 1), ReasonInvalid, "Imiona: empty"},
		{"card: PESEL of 10 digits", parseCard, strings.Replace(card, "<wnio:PESEL>46672803970<", "<wnio:PESEL>4667280397<", 1), ReasonInvalid, "PESEL"},
		{"card: declaration not boolean", parseCard, strings.Replace(card, "<wnio:Oswiadczenie>true<", "<wnio:Oswiadczenie>tak<", 1), ReasonInvalid, "Oswiadczenie"},
		{"card: no members", parseCard, card[:strings.Index(card, "<wnio:CzlonkowieRodziny>")] + "<wnio:CzlonkowieRodziny/>" + card[strings.Index(card, "</wnio:CzlonkowieRodziny>")+len("</wnio:CzlonkowieRodziny>"):], ReasonInvalid, "Czlonek: missing"},
		{"card: element repeated", parseCard, strings.Replace(card, "<wnio:Imiona>Grzegorz</wnio:Imiona>", "<wnio:Imiona>Grzegorz</wnio:Imiona><wnio:Imiona>Jan</wnio:Imiona>", 1), ReasonInvalid, "Imiona repeated"},
		{"card: bad postal code", parseCard, strings.Replace(card, "<adr:KodPocztowy>34-600<", "<adr:KodPocztowy>34600<", 1), ReasonInvalid, "KodPocztowy"},
		{"complaint: kind out of the list", parseComplaint, strings.Replace(complaint, "<wnio:RodzajPisma>skarga<", "<wnio:RodzajPisma>petycja<", 1), ReasonInvalid, "RodzajPisma"},
		{"complaint: no content", parseComplaint, cut(complaint, "<wnio:Tresc>", "</wnio:Tresc>"), ReasonInvalid, "Tresc: missing"},
		{"complaint: no subject", parseComplaint, cut(complaint, "<wnio:Przedmiot>", "</wnio:Przedmiot>"), ReasonInvalid, "Przedmiot: missing"},
		{"report: bad REGON", parseReport, strings.Replace(report, "<wnio:REGON>993901429<", "<wnio:REGON>993901428<", 1), ReasonInvalid, "REGON"},
		{"report: more occupied than total", parseReport, strings.Replace(report, "<wnio:Zajete>130<", "<wnio:Zajete>140<", 1), ReasonInvalid, "occupied"},
		{"report: negative count", parseReport, strings.Replace(report, "<wnio:Wolne>1<", "<wnio:Wolne>-1<", 1), ReasonInvalid, "Wolne"},
		{"report: period backwards", parseReport, strings.Replace(report, "<wnio:Do>2026-06-30<", "<wnio:Do>2026-05-30<", 1), ReasonInvalid, "before Od"},
		{"report: place type twice", parseReport, strings.Replace(report, `typ="przewlekle-somatycznie-chorzy"`, `typ="podeszly-wiek"`, 1), ReasonInvalid, "twice"},
		{"report: unknown place type", parseReport, strings.Replace(report, `typ="podeszly-wiek"`, `typ="hotel"`, 1), ReasonInvalid, "@typ"},
	}
	goOnly := map[string]bool{"card: two applicants": true, "report: bad REGON": true, "report: more occupied than total": true,
		"report: period backwards": true, "report: place type twice": true, "card: a general letter": true}
	lint, haveLint := lintXSD(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.reason == ReasonInvalid && haveLint && !goOnly[tt.name] {
				schema := map[string]string{"card": "karta-rodziny.xsd", "complaint": "skarga-wniosek.xsd", "report": "sprawozdanie-placowki.xsd"}[strings.SplitN(tt.name, ":", 2)[0]]
				if ok, out := lint(t, schema, []byte(tt.doc)); ok {
					t.Errorf("xmllint accepts the document against %s, want it refused as the parser does\n%s", schema, out)
				}
			}
			err := tt.parse([]byte(tt.doc), DefaultLimits)
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("got error %v, want a *forms.Error", err)
			}
			if fe.Reason != tt.reason {
				t.Fatalf("got reason %s (%s), want %s", fe.Reason, fe.Detail, tt.reason)
			}
			if !strings.Contains(fe.Detail, tt.detail) {
				t.Errorf("got detail %q, want it to mention %q", fe.Detail, tt.detail)
			}
		})
	}
}

// cut removes from s the first element that starts with open and ends with close.
func cut(s, open, close string) string {
	i := strings.Index(s, open)
	j := strings.Index(s, close)
	if i < 0 || j < i {
		return s
	}
	return s[:i] + s[j+len(close):]
}

func TestParseAcceptsVariants(t *testing.T) {
	card := readSample(t, "karta-rodziny-seed1.xml")
	tests := []struct {
		name string
		doc  string
	}{
		{"byte order mark", "\xef\xbb\xbf" + card},
		{"two signatures", strings.Replace(card, "</wnio:Dokument>", `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:Object/><ds:Object/></ds:Signature><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></wnio:Dokument>`, 1)},
		{"signature last", strings.Replace(card, "</wnio:Dokument>", `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/></ds:Signature></wnio:Dokument>`, 1)},
		{"date with spaces", strings.Replace(card, "<wnio:DataUrodzenia>2017-10-31", "<wnio:DataUrodzenia> 2017-10-31 ", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app, err := ParseFamilyCard([]byte(tt.doc), DefaultLimits)
			if err != nil {
				t.Fatalf("ParseFamilyCard: %v", err)
			}
			if got := app.Members[2].BirthDate.String(); got != "2017-10-31" {
				t.Errorf("got birth date %s, want 2017-10-31", got)
			}
		})
	}
}

func TestValidREGON(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"123456785", true},
		{"123456786", false},
		{"12345678512347", true},
		{"12345678512348", false},
		{"12345678", false},
		{"12345678a", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := ValidREGON(tt.in); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// fuzzLimits keep fuzzing fast.
var fuzzLimits = Limits{MaxBytes: 1 << 16, MaxDepth: 32, MaxElements: 2000}

// checkRefusal fails unless err is nil or a *forms.Error.
func checkRefusal(t *testing.T, err error) {
	t.Helper()
	var fe *Error
	if err != nil && !errors.As(err, &fe) {
		t.Fatalf("error %v is not a *forms.Error", err)
	}
}

func FuzzParseFamilyCard(f *testing.F) {
	f.Add([]byte(readSample(f, "karta-rodziny-seed1.xml")))
	f.Fuzz(func(t *testing.T, doc []byte) {
		app, err := ParseFamilyCard(doc, fuzzLimits)
		checkRefusal(t, err)
		if err == nil && len(app.Members) == 0 {
			t.Fatal("accepted an application without members")
		}
	})
}

func FuzzParseComplaint(f *testing.F) {
	f.Add([]byte(readSample(f, "skarga-wniosek-seed1.xml")))
	f.Fuzz(func(t *testing.T, doc []byte) {
		c, err := ParseComplaint(doc, fuzzLimits)
		checkRefusal(t, err)
		if err == nil && (c.Kind == "" || c.Subject == "") {
			t.Fatal("accepted a complaint without kind or subject")
		}
	})
}

func FuzzParseFacilityReport(f *testing.F) {
	f.Add([]byte(readSample(f, "sprawozdanie-placowki-seed1.xml")))
	f.Fuzz(func(t *testing.T, doc []byte) {
		r, err := ParseFacilityReport(doc, fuzzLimits)
		checkRefusal(t, err)
		if err != nil {
			return
		}
		for _, p := range r.Places {
			if p.Free != p.Total-p.Occupied || p.Occupied > p.Total {
				t.Fatalf("accepted places that do not add up: %+v", p)
			}
		}
	})
}
