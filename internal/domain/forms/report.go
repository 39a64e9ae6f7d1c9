package forms

import (
	"encoding/xml"
	"fmt"
	"slices"

	"github.com/obieg/obieg/internal/domain/civil"
)

// Kinds of facility (RodzajPlacowki).
const (
	FacilityCareHome            = "dom-pomocy-spolecznej"
	FacilityChildCare           = "placowka-opiekunczo-wychowawcza"
	FacilityTherapeuticRegional = "regionalna-placowka-opiekunczo-terapeutyczna"
	FacilityRoundTheClock       = "placowka-calodobowej-opieki"
)

// PlaceTypes returns the types of places a facility reports (Miejsca@typ): the kinds of
// social-welfare homes of art. 56 of the Social Assistance Act, and places for children and
// young people in care and education facilities. It is a fresh slice on every call.
func PlaceTypes() []string { return slices.Clone(placeTypes) }

var placeTypes = []string{
	"podeszly-wiek",
	"przewlekle-somatycznie-chorzy",
	"przewlekle-psychicznie-chorzy",
	"dorosli-niepelnosprawni-intelektualnie",
	"dzieci-niepelnosprawne-intelektualnie",
	"niepelnosprawni-fizycznie",
	"uzaleznieni-od-alkoholu",
	"dzieci-i-mlodziez",
}

// PlacesReport is a care facility's report of its places (form FacilityReport), for the bank
// of free places.
type PlacesReport struct {
	Envelope
	Place    string // MiejscowoscDokumentu
	Title    string
	Facility Facility
	From, To civil.Date // the period reported (Okres), From <= To
	Places   []Places
	// PreparedBy and Phone name who prepared the report (Sporzadzil); may be empty.
	PreparedBy string
	Phone      string
}

// Facility identifies the reporting facility.
type Facility struct {
	REGON   string // 9 or 14 digits with a valid check digit
	Name    string
	Kind    string // one of the Facility constants
	Address Address
}

// Places are the places of one type: Free = Total - Occupied.
type Places struct {
	Type                  string // one of PlaceTypes()
	Total, Occupied, Free int
}

type xReport struct {
	XMLName xml.Name `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 Dokument"`
	Opis    *xOpis   `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 OpisDokumentu"`
	Dane    *xDane   `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 DaneDokumentu"`
	Tresc   *struct {
		Miejscowosc *string `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 MiejscowoscDokumentu"`
		Tytul       *string `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 Tytul"`
		Placowka    *struct {
			REGON   *string      `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 REGON"`
			Nazwa   *string      `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 Nazwa"`
			Rodzaj  *string      `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 RodzajPlacowki"`
			Adres   *xAddress    `xml:"http://crd.gov.pl/xml/schematy/adres/2009/11/09/ Adres"`
			Unknown []anyElement `xml:",any"`
		} `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 Placowka"`
		Okres *struct {
			Od      *string      `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 Od"`
			Do      *string      `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 Do"`
			Unknown []anyElement `xml:",any"`
		} `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 Okres"`
		Miejsca *struct {
			Miejsca []struct {
				Typ     *string      `xml:"typ,attr"`
				Ogolem  *string      `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 Ogolem"`
				Zajete  *string      `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 Zajete"`
				Wolne   *string      `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 Wolne"`
				Unknown []anyElement `xml:",any"`
			} `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 Miejsca"`
			Unknown []anyElement `xml:",any"`
		} `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 MiejscaWedlugTypu"`
		Sporzadzil *struct {
			Kto     *string      `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 ImieNazwisko"`
			Telefon *string      `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 Telefon"`
			Unknown []anyElement `xml:",any"`
		} `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 Sporzadzil"`
		Zalaczniki *xZalaczniki `xml:"http://crd.gov.pl/xml/schematy/struktura/2009/11/16/ Zalaczniki"`
		Unknown    []anyElement `xml:",any"`
	} `xml:"urn:obieg:wzor:sprawozdanie-placowki:2026-1 TrescDokumentu"`
	Unknown []anyElement `xml:",any"`
}

// ParseFacilityReport reads a facility's report of places (form FacilityReport) with the
// safety of Detect and checks it against its form, and that the REGON's check digit is right,
// the period is in order, each type of place is reported once and free = total - occupied.
// A document that does not pass is refused with an *Error (ReasonInvalid when it is of this
// form but breaks it).
func ParseFacilityReport(doc []byte, lim Limits) (PlacesReport, error) {
	det, err := Detect(doc, lim)
	if err != nil {
		return PlacesReport{}, err
	}
	return readFacilityReport(doc, det)
}

// readFacilityReport is ParseFacilityReport of a document Detect has read as det.
func readFacilityReport(doc []byte, det Detection) (PlacesReport, error) {
	var x xReport
	if err := decode(doc, det, FacilityReport, &x); err != nil {
		return PlacesReport{}, err
	}
	var p problems
	p.unknown("Dokument", x.Unknown, true)
	r := PlacesReport{Envelope: p.envelope(x.Opis, x.Dane, true, det)}
	t := x.Tresc
	if t == nil {
		p.add("TrescDokumentu", "missing")
		return PlacesReport{}, p.err(FacilityReport)
	}
	p.unknown("TrescDokumentu", t.Unknown, false)
	r.Place = p.text("TrescDokumentu/MiejscowoscDokumentu", t.Miejscowosc)
	r.Title = p.text("TrescDokumentu/Tytul", t.Tytul)
	if f := t.Placowka; f == nil {
		p.add("TrescDokumentu/Placowka", "missing")
	} else {
		at := "TrescDokumentu/Placowka"
		p.unknown(at, f.Unknown, false)
		r.Facility = Facility{
			Name: p.text(at+"/Nazwa", f.Nazwa),
			Kind: p.oneOf(at+"/RodzajPlacowki", f.Rodzaj, FacilityCareHome, FacilityChildCare, FacilityTherapeuticRegional, FacilityRoundTheClock),
		}
		switch {
		case f.REGON == nil:
			p.add(at+"/REGON", "missing")
		case !ValidREGON(*f.REGON):
			p.add(at+"/REGON", "%q is not 9 or 14 digits with a valid check digit", truncate(*f.REGON, 20))
		default:
			r.Facility.REGON = *f.REGON
		}
		if f.Adres == nil {
			p.add(at+"/Adres", "missing")
		} else if a := p.address(at+"/Adres", f.Adres); a != nil {
			r.Facility.Address = *a
		}
	}
	if o := t.Okres; o == nil {
		p.add("TrescDokumentu/Okres", "missing")
	} else {
		p.unknown("TrescDokumentu/Okres", o.Unknown, false)
		r.From = p.date("TrescDokumentu/Okres/Od", o.Od)
		r.To = p.date("TrescDokumentu/Okres/Do", o.Do)
		if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
			p.add("TrescDokumentu/Okres/Do", "before Od")
		}
	}
	if m := t.Miejsca; m == nil {
		p.add("TrescDokumentu/MiejscaWedlugTypu", "missing")
	} else {
		p.unknown("TrescDokumentu/MiejscaWedlugTypu", m.Unknown, false)
		switch n := len(m.Miejsca); {
		case n == 0:
			p.add("TrescDokumentu/MiejscaWedlugTypu/Miejsca", "missing")
		case n > 20:
			p.add("TrescDokumentu/MiejscaWedlugTypu/Miejsca", "more than 20 types")
		}
		seen := map[string]bool{}
		for i, xm := range m.Miejsca {
			at := fmt.Sprintf("TrescDokumentu/MiejscaWedlugTypu/Miejsca[%d]", i+1)
			p.unknown(at, xm.Unknown, false)
			pl := Places{
				Type:     p.oneOf(at+"/@typ", xm.Typ, placeTypes...),
				Total:    p.number(at+"/Ogolem", xm.Ogolem),
				Occupied: p.number(at+"/Zajete", xm.Zajete),
				Free:     p.number(at+"/Wolne", xm.Wolne),
			}
			if pl.Type != "" && seen[pl.Type] {
				p.add(at+"/@typ", "type %s reported twice", pl.Type)
			}
			seen[pl.Type] = true
			if pl.Occupied > pl.Total {
				p.add(at+"/Zajete", "%d occupied of %d places", pl.Occupied, pl.Total)
			} else if pl.Free != pl.Total-pl.Occupied {
				p.add(at+"/Wolne", "%d free, want %d - %d = %d", pl.Free, pl.Total, pl.Occupied, pl.Total-pl.Occupied)
			}
			r.Places = append(r.Places, pl)
		}
	}
	if s := t.Sporzadzil; s != nil {
		p.unknown("TrescDokumentu/Sporzadzil", s.Unknown, false)
		r.PreparedBy = p.text("TrescDokumentu/Sporzadzil/ImieNazwisko", s.Kto)
		r.Phone = p.optText("TrescDokumentu/Sporzadzil/Telefon", s.Telefon)
	}
	p.attachments("TrescDokumentu/Zalaczniki", t.Zalaczniki)
	if err := p.err(FacilityReport); err != nil {
		return PlacesReport{}, err
	}
	return r, nil
}

// ValidREGON reports whether s is a REGON: 9 digits, or 14 digits for a local unit, with the
// check digit of the statistical office's weights.
func ValidREGON(s string) bool {
	var weights []int
	switch len(s) {
	case 9:
		weights = []int{8, 9, 2, 3, 4, 5, 6, 7}
	case 14:
		weights = []int{2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8}
	default:
		return false
	}
	sum := 0
	for i, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
		if i < len(weights) {
			sum += int(c-'0') * weights[i]
		}
	}
	return sum%11%10 == int(s[len(s)-1]-'0')
}
