package compose

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/forms"
	schemas "github.com/obieg/obieg/xmlschemas/forms"
)

// render writes the wnio:Dokument of a form in namespace ns, with the envelope env and the
// content content writes, and returns the XML in UTF-8.
func render(ns string, env forms.Envelope, content func(b *builder)) []byte {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	b := &builder{enc: xml.NewEncoder(&buf)}
	b.enc.Indent("", "  ")
	b.start("wnio:Dokument",
		"xmlns:wnio", ns, "xmlns:meta", NSMeta, "xmlns:str", NSStruktura,
		"xmlns:adr", NSAdres, "xmlns:oso", NSOsoba, "xmlns:inst", NSInstytucja)
	b.start("wnio:OpisDokumentu")
	b.start("meta:Data", "typDaty", "utworzony")
	b.text("meta:Czas", env.Created.String())
	b.end("meta:Data")
	b.end("wnio:OpisDokumentu")
	b.start("wnio:DaneDokumentu")
	b.start("str:Naglowek")
	b.text("str:NazwaDokumentu", env.Name)
	b.end("str:Naglowek")
	b.parties("str:Adresaci", env.To)
	b.parties("str:Nadawcy", env.From)
	b.end("wnio:DaneDokumentu")
	b.start("wnio:TrescDokumentu", "format", "text/xml", "kodowanie", "XML")
	content(b)
	b.end("wnio:TrescDokumentu")
	b.end("wnio:Dokument")
	if b.err == nil {
		b.err = b.enc.Close()
	}
	if b.err != nil {
		// Only a bug (an invalid name above) can make the encoder fail.
		panic(fmt.Sprintf("compose: render form %s: %v", ns, b.err))
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}

// parties writes str:Adresaci or str:Nadawcy; nothing when ps is empty.
func (b *builder) parties(name string, ps []forms.Party) {
	if len(ps) == 0 {
		return
	}
	b.start(name)
	for _, p := range ps {
		b.start("meta:Podmiot")
		if p.Institution != "" {
			b.start("inst:Instytucja")
			b.text("inst:NazwaInstytucji", p.Institution)
			b.formAddress(p.Address)
			b.optional("inst:IdentyfikatorEPUAP", p.EPUAP)
			b.end("inst:Instytucja")
		} else {
			b.start("oso:Osoba")
			if p.PESEL != "" {
				b.start("oso:IdOsoby")
				b.text("oso:PESEL", p.PESEL)
				b.end("oso:IdOsoby")
			}
			b.text("oso:Imie", p.FirstName)
			b.text("oso:Nazwisko", p.Surname)
			b.formAddress(p.Address)
			b.end("oso:Osoba")
		}
		b.end("meta:Podmiot")
	}
	b.end(name)
}

// formAddress writes adr:Adres; nothing when a is nil.
func (b *builder) formAddress(a *forms.Address) {
	if a == nil {
		return
	}
	b.start("adr:Adres")
	b.optional("adr:KodPocztowy", a.PostalCode)
	b.optional("adr:Poczta", a.Post)
	b.text("adr:Miejscowosc", a.Town)
	b.optional("adr:Ulica", a.Street)
	b.optional("adr:Budynek", a.Building)
	b.optional("adr:Lokal", a.Flat)
	b.end("adr:Adres")
}

// wrappedAddress writes element name holding adr:Adres.
func (b *builder) wrappedAddress(name string, a forms.Address) {
	b.start(name)
	b.formAddress(&a)
	b.end(name)
}

// optionalDate writes the element only when d is not zero.
func (b *builder) optionalDate(name string, d civil.Date) {
	if !d.IsZero() {
		b.text(name, d.String())
	}
}

// FamilyCardXML renders a family card application as an unsigned wnio:Dokument of obieg's
// template urn:obieg:wzor:karta-rodziny:2026-1. A member with a zero birth date is written
// without DataUrodzenia, which the form requires: that is how the defective samples are made.
func FamilyCardXML(a forms.FamilyCardApplication) []byte {
	return render(schemas.NSFamilyCard, a.Envelope, func(b *builder) {
		b.text("wnio:MiejscowoscDokumentu", a.Place)
		b.text("wnio:Tytul", a.Title)
		b.text("wnio:RodzajWniosku", string(a.Request))
		b.start("wnio:CzlonkowieRodziny")
		for _, m := range a.Members {
			b.start("wnio:Czlonek")
			b.text("wnio:StopienPokrewienstwa", string(m.Relationship))
			b.text("wnio:Imiona", m.FirstNames)
			b.text("wnio:Nazwisko", m.Surname)
			b.text("wnio:NazwiskoRodoweOjca", m.FatherFamilyName)
			b.text("wnio:NazwiskoRodoweMatki", m.MotherFamilyName)
			b.optionalDate("wnio:DataUrodzenia", m.BirthDate)
			if m.PESEL != "" {
				b.text("wnio:PESEL", m.PESEL)
			} else {
				b.start("wnio:DokumentTozsamosci")
				b.text("wnio:RodzajDokumentu", m.IDDocument.Kind)
				b.text("wnio:SeriaINumer", m.IDDocument.Number)
				b.end("wnio:DokumentTozsamosci")
			}
			b.wrappedAddress("wnio:AdresZamieszkania", m.Address)
			if m.Correspondence != nil {
				b.wrappedAddress("wnio:AdresDoKorespondencji", *m.Correspondence)
			}
			if m.Married != nil {
				b.text("wnio:ZwiazekMalzenski", strconv.FormatBool(*m.Married))
			}
			if e := m.Education; e != nil {
				b.start("wnio:Nauka")
				b.text("wnio:RodzajNauki", e.Kind)
				b.text("wnio:NazwaSzkoly", e.Name)
				b.wrappedAddress("wnio:AdresSzkoly", e.Address)
				b.text("wnio:NaukaOd", e.From.String())
				b.text("wnio:PlanowaneZakonczenie", e.PlannedEnd.String())
				b.end("wnio:Nauka")
			}
			if d := m.Disability; d != nil {
				b.start("wnio:Niepelnosprawnosc")
				b.text("wnio:Stopien", d.Degree)
				if d.Indefinite {
					b.start("wnio:OrzeczenieBezterminowe")
					b.end("wnio:OrzeczenieBezterminowe")
				} else {
					b.text("wnio:OrzeczenieWazneDo", d.ValidUntil.String())
				}
				b.end("wnio:Niepelnosprawnosc")
			}
			if f := m.Foster; f != nil {
				b.start("wnio:PieczaZastepcza")
				b.text("wnio:Od", f.From.String())
				b.optionalDate("wnio:Do", f.Until)
				b.end("wnio:PieczaZastepcza")
			}
			b.optionalDate("wnio:DokumentPobytuWaznyDo", m.ResidenceValidUntil)
			if m.Authority != "" {
				b.text("wnio:WladzaRodzicielska", string(m.Authority))
			}
			if m.CountOnly {
				b.text("wnio:WnioskujeOKarte", "false")
			}
			b.text("wnio:FormaKarty", string(m.Card))
			b.end("wnio:Czlonek")
		}
		b.end("wnio:CzlonkowieRodziny")
		b.text("wnio:Oswiadczenie", strconv.FormatBool(a.Truthful))
	})
}

// ComplaintXML renders a complaint or motion as an unsigned wnio:Dokument of obieg's template
// urn:obieg:wzor:skarga-wniosek:2026-1. An anonymous complaint has no str:Nadawcy.
func ComplaintXML(c forms.ComplaintOrMotion) []byte {
	return render(schemas.NSComplaint, c.Envelope, func(b *builder) {
		b.optional("wnio:MiejscowoscDokumentu", c.Place)
		b.text("wnio:Tytul", c.Title)
		b.text("wnio:RodzajPisma", string(c.Kind))
		b.text("wnio:Przedmiot", c.Subject)
		if c.Concerns != nil {
			b.start("wnio:PodmiotDotyczacy")
			b.text("wnio:Nazwa", c.Concerns.Name)
			b.formAddress(c.Concerns.Address)
			b.end("wnio:PodmiotDotyczacy")
		}
		b.start("wnio:Tresc")
		for _, a := range c.Content {
			b.text("wnio:Akapit", a)
		}
		b.end("wnio:Tresc")
	})
}

// PlacesReportXML renders a facility's report of places as an unsigned wnio:Dokument of
// obieg's template urn:obieg:wzor:sprawozdanie-placowki:2026-1.
func PlacesReportXML(r forms.PlacesReport) []byte {
	return render(schemas.NSFacilityReport, r.Envelope, func(b *builder) {
		b.text("wnio:MiejscowoscDokumentu", r.Place)
		b.text("wnio:Tytul", r.Title)
		b.start("wnio:Placowka")
		b.text("wnio:REGON", r.Facility.REGON)
		b.text("wnio:Nazwa", r.Facility.Name)
		b.text("wnio:RodzajPlacowki", r.Facility.Kind)
		b.formAddress(&r.Facility.Address)
		b.end("wnio:Placowka")
		b.start("wnio:Okres")
		b.text("wnio:Od", r.From.String())
		b.text("wnio:Do", r.To.String())
		b.end("wnio:Okres")
		b.start("wnio:MiejscaWedlugTypu")
		for _, p := range r.Places {
			b.start("wnio:Miejsca", "typ", p.Type)
			b.text("wnio:Ogolem", strconv.Itoa(p.Total))
			b.text("wnio:Zajete", strconv.Itoa(p.Occupied))
			b.text("wnio:Wolne", strconv.Itoa(p.Free))
			b.end("wnio:Miejsca")
		}
		b.end("wnio:MiejscaWedlugTypu")
		if r.PreparedBy != "" {
			b.start("wnio:Sporzadzil")
			b.text("wnio:ImieNazwisko", r.PreparedBy)
			b.optional("wnio:Telefon", r.Phone)
			b.end("wnio:Sporzadzil")
		}
	})
}
