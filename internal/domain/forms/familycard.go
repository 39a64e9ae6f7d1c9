package forms

import (
	"encoding/xml"
	"fmt"

	"github.com/obieg/obieg/internal/domain/civil"
)

// CardRequest is what a family card application asks for.
type CardRequest string

// Kinds of family card application (RodzajWniosku).
const (
	CardNew       CardRequest = "nowa-karta"
	CardDuplicate CardRequest = "duplikat"
)

// Relationship is a family member's place in the family (StopienPokrewienstwa).
type Relationship string

// Relationships of family members to the applicant, who is a parent.
const (
	Applicant   Relationship = "wnioskodawca"
	Spouse      Relationship = "malzonek"
	Child       Relationship = "dziecko"
	FosterChild Relationship = "dziecko-w-pieczy"
)

// Education kinds (RodzajNauki).
const (
	School     = "szkola"
	University = "uczelnia"
)

// Disability degrees (Stopien): the degrees of the disability certificate, and the certificate
// of disability of a child under 16, which has no degree.
const (
	DisabilityMild     = "lekki"
	DisabilityModerate = "umiarkowany"
	DisabilitySevere   = "znaczny"
	DisabilityUnder16  = "orzeczenie-do-16"
)

// ParentalAuthority is a parent's declaration on parental authority (WladzaRodzicielska).
type ParentalAuthority string

// Parental authority declarations.
const (
	AuthorityHeld       ParentalAuthority = "przysluguje"
	AuthorityDeprived   ParentalAuthority = "pozbawiony"
	AuthorityRestricted ParentalAuthority = "ograniczona-piecza" // restricted by placing the child in foster care
)

// CardForm is the form of the card a member asks for (FormaKarty).
type CardForm string

// Card forms.
const (
	CardTraditional CardForm = "tradycyjna"
	CardElectronic  CardForm = "elektroniczna"
	CardBoth        CardForm = "obie"
)

// FamilyCardApplication is an application for the regional large-family card (regulation of
// 27 Jul 2017, §3).
type FamilyCardApplication struct {
	Envelope
	Place   string      // MiejscowoscDokumentu
	Title   string      // Tytul
	Request CardRequest // new card or duplicate
	Members []FamilyMember
	// Truthful is the applicant's declaration that the data are true (Oswiadczenie).
	Truthful bool
}

// FamilyMember is one member of the family in the application, the applicant included.
type FamilyMember struct {
	Relationship     Relationship
	FirstNames       string // Imiona
	Surname          string
	FatherFamilyName string // NazwiskoRodoweOjca
	MotherFamilyName string // NazwiskoRodoweMatki
	BirthDate        civil.Date
	PESEL            string     // empty when IDDocument is given
	IDDocument       IDDocument // zero when PESEL is given
	Address          Address
	Correspondence   *Address // nil: the same as Address
	// Married is the spouse's marriage to the applicant (ZwiazekMalzenski); nil when not given.
	Married    *bool
	Education  *Education
	Disability *Disability
	Foster     *FosterPlacement
	// ResidenceValidUntil is the end of a foreigner's residence document; zero when not given.
	ResidenceValidUntil civil.Date
	// Authority is a parent's declaration on parental authority; empty when not given.
	Authority ParentalAuthority
	// CountOnly: the member is listed only to be counted (WnioskujeOKarte false), such as an
	// adult child who no longer gets a card; no card is asked for them.
	CountOnly bool
	Card      CardForm
}

// IDDocument is an identity document of a member who has no PESEL.
type IDDocument struct {
	Kind   string // RodzajDokumentu, e.g. "paszport"
	Number string // SeriaINumer
}

// Education is a member's school or university attendance (Nauka).
type Education struct {
	Kind       string // School or University
	Name       string
	Address    Address
	From       civil.Date
	PlannedEnd civil.Date // PlanowaneZakonczenie
}

// Disability is a member's disability certificate (Niepelnosprawnosc).
type Disability struct {
	Degree string // one of the Disability constants
	// ValidUntil is the last day of the certificate's validity; zero when Indefinite.
	ValidUntil civil.Date
	Indefinite bool
}

// FosterPlacement is a foster child's placement (PieczaZastepcza).
type FosterPlacement struct {
	From  civil.Date
	Until civil.Date // zero: no end date set
}

type xFamilyCard struct {
	XMLName xml.Name `xml:"urn:obieg:wzor:karta-rodziny:2026-1 Dokument"`
	Opis    *xOpis   `xml:"urn:obieg:wzor:karta-rodziny:2026-1 OpisDokumentu"`
	Dane    *xDane   `xml:"urn:obieg:wzor:karta-rodziny:2026-1 DaneDokumentu"`
	Tresc   *struct {
		Miejscowosc *string `xml:"urn:obieg:wzor:karta-rodziny:2026-1 MiejscowoscDokumentu"`
		Tytul       *string `xml:"urn:obieg:wzor:karta-rodziny:2026-1 Tytul"`
		Rodzaj      *string `xml:"urn:obieg:wzor:karta-rodziny:2026-1 RodzajWniosku"`
		Czlonkowie  *struct {
			Czlonek []xMember    `xml:"urn:obieg:wzor:karta-rodziny:2026-1 Czlonek"`
			Unknown []anyElement `xml:",any"`
		} `xml:"urn:obieg:wzor:karta-rodziny:2026-1 CzlonkowieRodziny"`
		Oswiadczenie *string      `xml:"urn:obieg:wzor:karta-rodziny:2026-1 Oswiadczenie"`
		Zalaczniki   *xZalaczniki `xml:"http://crd.gov.pl/xml/schematy/struktura/2009/11/16/ Zalaczniki"`
		Unknown      []anyElement `xml:",any"`
	} `xml:"urn:obieg:wzor:karta-rodziny:2026-1 TrescDokumentu"`
	Unknown []anyElement `xml:",any"`
}

type xMember struct {
	Pokrewienstwo *string `xml:"urn:obieg:wzor:karta-rodziny:2026-1 StopienPokrewienstwa"`
	Imiona        *string `xml:"urn:obieg:wzor:karta-rodziny:2026-1 Imiona"`
	Nazwisko      *string `xml:"urn:obieg:wzor:karta-rodziny:2026-1 Nazwisko"`
	Ojca          *string `xml:"urn:obieg:wzor:karta-rodziny:2026-1 NazwiskoRodoweOjca"`
	Matki         *string `xml:"urn:obieg:wzor:karta-rodziny:2026-1 NazwiskoRodoweMatki"`
	DataUrodzenia *string `xml:"urn:obieg:wzor:karta-rodziny:2026-1 DataUrodzenia"`
	PESEL         *string `xml:"urn:obieg:wzor:karta-rodziny:2026-1 PESEL"`
	Dokument      *struct {
		Rodzaj  *string      `xml:"urn:obieg:wzor:karta-rodziny:2026-1 RodzajDokumentu"`
		Numer   *string      `xml:"urn:obieg:wzor:karta-rodziny:2026-1 SeriaINumer"`
		Unknown []anyElement `xml:",any"`
	} `xml:"urn:obieg:wzor:karta-rodziny:2026-1 DokumentTozsamosci"`
	Adres          *xAddressHolder `xml:"urn:obieg:wzor:karta-rodziny:2026-1 AdresZamieszkania"`
	Korespondencja *xAddressHolder `xml:"urn:obieg:wzor:karta-rodziny:2026-1 AdresDoKorespondencji"`
	Malzenstwo     *string         `xml:"urn:obieg:wzor:karta-rodziny:2026-1 ZwiazekMalzenski"`
	Nauka          *struct {
		Rodzaj  *string         `xml:"urn:obieg:wzor:karta-rodziny:2026-1 RodzajNauki"`
		Nazwa   *string         `xml:"urn:obieg:wzor:karta-rodziny:2026-1 NazwaSzkoly"`
		Adres   *xAddressHolder `xml:"urn:obieg:wzor:karta-rodziny:2026-1 AdresSzkoly"`
		Od      *string         `xml:"urn:obieg:wzor:karta-rodziny:2026-1 NaukaOd"`
		Koniec  *string         `xml:"urn:obieg:wzor:karta-rodziny:2026-1 PlanowaneZakonczenie"`
		Unknown []anyElement    `xml:",any"`
	} `xml:"urn:obieg:wzor:karta-rodziny:2026-1 Nauka"`
	Niepelnosprawnosc *struct {
		Stopien      *string `xml:"urn:obieg:wzor:karta-rodziny:2026-1 Stopien"`
		WazneDo      *string `xml:"urn:obieg:wzor:karta-rodziny:2026-1 OrzeczenieWazneDo"`
		Bezterminowe *struct {
			Unknown []anyElement `xml:",any"`
		} `xml:"urn:obieg:wzor:karta-rodziny:2026-1 OrzeczenieBezterminowe"`
		Unknown []anyElement `xml:",any"`
	} `xml:"urn:obieg:wzor:karta-rodziny:2026-1 Niepelnosprawnosc"`
	Piecza *struct {
		Od      *string      `xml:"urn:obieg:wzor:karta-rodziny:2026-1 Od"`
		Do      *string      `xml:"urn:obieg:wzor:karta-rodziny:2026-1 Do"`
		Unknown []anyElement `xml:",any"`
	} `xml:"urn:obieg:wzor:karta-rodziny:2026-1 PieczaZastepcza"`
	Pobyt     *string      `xml:"urn:obieg:wzor:karta-rodziny:2026-1 DokumentPobytuWaznyDo"`
	Wladza    *string      `xml:"urn:obieg:wzor:karta-rodziny:2026-1 WladzaRodzicielska"`
	Wnioskuje *string      `xml:"urn:obieg:wzor:karta-rodziny:2026-1 WnioskujeOKarte"`
	Forma     *string      `xml:"urn:obieg:wzor:karta-rodziny:2026-1 FormaKarty"`
	Unknown   []anyElement `xml:",any"`
}

// ParseFamilyCard reads a family card application (form FamilyCard) with the safety of Detect
// and checks it against its form. A document that is not such an application, or does not
// follow the form, is refused with an *Error (ReasonInvalid for the latter). Whether the
// family is eligible is not decided here: see package familycard.
func ParseFamilyCard(doc []byte, lim Limits) (FamilyCardApplication, error) {
	det, err := Detect(doc, lim)
	if err != nil {
		return FamilyCardApplication{}, err
	}
	return readFamilyCard(doc, det)
}

// readFamilyCard is ParseFamilyCard of a document Detect has read as det.
func readFamilyCard(doc []byte, det Detection) (FamilyCardApplication, error) {
	var x xFamilyCard
	if err := decode(doc, det, FamilyCard, &x); err != nil {
		return FamilyCardApplication{}, err
	}
	var p problems
	p.unknown("Dokument", x.Unknown, true)
	app := FamilyCardApplication{Envelope: p.envelope(x.Opis, x.Dane, true, det)}
	t := x.Tresc
	if t == nil {
		p.add("TrescDokumentu", "missing")
		return FamilyCardApplication{}, p.err(FamilyCard)
	}
	p.unknown("TrescDokumentu", t.Unknown, false)
	app.Place = p.text("TrescDokumentu/MiejscowoscDokumentu", t.Miejscowosc)
	app.Title = p.text("TrescDokumentu/Tytul", t.Tytul)
	app.Request = CardRequest(p.oneOf("TrescDokumentu/RodzajWniosku", t.Rodzaj, string(CardNew), string(CardDuplicate)))
	app.Truthful = p.boolean("TrescDokumentu/Oswiadczenie", t.Oswiadczenie)
	p.attachments("TrescDokumentu/Zalaczniki", t.Zalaczniki)
	if t.Czlonkowie == nil {
		p.add("TrescDokumentu/CzlonkowieRodziny", "missing")
		return FamilyCardApplication{}, p.err(FamilyCard)
	}
	p.unknown("TrescDokumentu/CzlonkowieRodziny", t.Czlonkowie.Unknown, false)
	switch n := len(t.Czlonkowie.Czlonek); {
	case n == 0:
		p.add("TrescDokumentu/CzlonkowieRodziny/Czlonek", "missing")
	case n > 100:
		p.add("TrescDokumentu/CzlonkowieRodziny/Czlonek", "more than 100 members")
	}
	applicants := 0
	for i, xm := range t.Czlonkowie.Czlonek {
		m := p.member(fmt.Sprintf("Czlonek[%d]", i+1), xm)
		if m.Relationship == Applicant {
			applicants++
		}
		app.Members = append(app.Members, m)
	}
	if applicants != 1 && len(t.Czlonkowie.Czlonek) > 0 {
		p.add("TrescDokumentu/CzlonkowieRodziny", "%d members are the applicant, want exactly one", applicants)
	}
	if err := p.err(FamilyCard); err != nil {
		return FamilyCardApplication{}, err
	}
	return app, nil
}

func (p *problems) member(at string, x xMember) FamilyMember {
	p.unknown(at, x.Unknown, false)
	m := FamilyMember{
		Relationship:     Relationship(p.oneOf(at+"/StopienPokrewienstwa", x.Pokrewienstwo, string(Applicant), string(Spouse), string(Child), string(FosterChild))),
		FirstNames:       p.text(at+"/Imiona", x.Imiona),
		Surname:          p.text(at+"/Nazwisko", x.Nazwisko),
		FatherFamilyName: p.text(at+"/NazwiskoRodoweOjca", x.Ojca),
		MotherFamilyName: p.text(at+"/NazwiskoRodoweMatki", x.Matki),
		BirthDate:        p.date(at+"/DataUrodzenia", x.DataUrodzenia),
		PESEL:            p.pesel(at+"/PESEL", x.PESEL),
		Card:             CardForm(p.oneOf(at+"/FormaKarty", x.Forma, string(CardTraditional), string(CardElectronic), string(CardBoth))),
	}
	switch {
	case x.PESEL != nil && x.Dokument != nil:
		p.add(at, "both PESEL and DokumentTozsamosci")
	case x.PESEL == nil && x.Dokument == nil:
		p.add(at+"/PESEL", "missing, and no DokumentTozsamosci")
	case x.Dokument != nil:
		p.unknown(at+"/DokumentTozsamosci", x.Dokument.Unknown, false)
		m.IDDocument = IDDocument{
			Kind:   p.text(at+"/DokumentTozsamosci/RodzajDokumentu", x.Dokument.Rodzaj),
			Number: p.text(at+"/DokumentTozsamosci/SeriaINumer", x.Dokument.Numer),
		}
	}
	if x.Adres == nil {
		p.add(at+"/AdresZamieszkania", "missing")
	} else if a := p.addressHolder(at+"/AdresZamieszkania", x.Adres); a != nil {
		m.Address = *a
	}
	m.Correspondence = p.addressHolder(at+"/AdresDoKorespondencji", x.Korespondencja)
	if x.Malzenstwo != nil {
		b := p.boolean(at+"/ZwiazekMalzenski", x.Malzenstwo)
		m.Married = &b
	}
	if n := x.Nauka; n != nil {
		at := at + "/Nauka"
		p.unknown(at, n.Unknown, false)
		e := &Education{
			Kind:       p.oneOf(at+"/RodzajNauki", n.Rodzaj, School, University),
			Name:       p.text(at+"/NazwaSzkoly", n.Nazwa),
			From:       p.date(at+"/NaukaOd", n.Od),
			PlannedEnd: p.date(at+"/PlanowaneZakonczenie", n.Koniec),
		}
		if n.Adres == nil {
			p.add(at+"/AdresSzkoly", "missing")
		} else if a := p.addressHolder(at+"/AdresSzkoly", n.Adres); a != nil {
			e.Address = *a
		}
		if !e.From.IsZero() && !e.PlannedEnd.IsZero() && e.PlannedEnd.Before(e.From) {
			p.add(at+"/PlanowaneZakonczenie", "before NaukaOd")
		}
		m.Education = e
	}
	if d := x.Niepelnosprawnosc; d != nil {
		at := at + "/Niepelnosprawnosc"
		p.unknown(at, d.Unknown, false)
		dis := &Disability{Degree: p.oneOf(at+"/Stopien", d.Stopien, DisabilityMild, DisabilityModerate, DisabilitySevere, DisabilityUnder16)}
		switch {
		case d.WazneDo != nil && d.Bezterminowe != nil:
			p.add(at, "both OrzeczenieWazneDo and OrzeczenieBezterminowe")
		case d.WazneDo != nil:
			dis.ValidUntil = p.date(at+"/OrzeczenieWazneDo", d.WazneDo)
		case d.Bezterminowe != nil:
			p.unknown(at+"/OrzeczenieBezterminowe", d.Bezterminowe.Unknown, false)
			dis.Indefinite = true
		default:
			p.add(at+"/OrzeczenieWazneDo", "missing, and no OrzeczenieBezterminowe")
		}
		m.Disability = dis
	}
	if f := x.Piecza; f != nil {
		at := at + "/PieczaZastepcza"
		p.unknown(at, f.Unknown, false)
		fp := &FosterPlacement{From: p.date(at+"/Od", f.Od), Until: p.optDate(at+"/Do", f.Do)}
		if !fp.Until.IsZero() && !fp.From.IsZero() && fp.Until.Before(fp.From) {
			p.add(at+"/Do", "before Od")
		}
		m.Foster = fp
	}
	m.ResidenceValidUntil = p.optDate(at+"/DokumentPobytuWaznyDo", x.Pobyt)
	if x.Wladza != nil {
		m.Authority = ParentalAuthority(p.oneOf(at+"/WladzaRodzicielska", x.Wladza, string(AuthorityHeld), string(AuthorityDeprived), string(AuthorityRestricted)))
	}
	if x.Wnioskuje != nil {
		m.CountOnly = !p.boolean(at+"/WnioskujeOKarte", x.Wnioskuje)
	}
	return m
}
