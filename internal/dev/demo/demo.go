// Package demo loads the demonstration office that `obieg-dev` and the end-to-end tests run
// on: the units of a regional social-policy centre (DOMAIN.md), the demo filing plan of
// package jrwa, routing rules for the forms obieg recognises (with the KPA term of their
// cases), demo users, the database of institutions the demo reports come from, and sample
// letters and forms filed into the simulated ePUAP box. Loading is idempotent: it upserts
// reference data, and files samples only into an office that has received nothing yet.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/obieg/obieg/internal/dev/simulator/compose"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	"github.com/obieg/obieg/internal/dev/testpki"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/records/audit"
	"github.com/obieg/obieg/internal/records/auth"
	"github.com/obieg/obieg/internal/records/institutions"
)

// Unit is an organisational unit of the demo office.
type Unit struct{ Code, Name string }

// Units are the units of a regional social-policy centre (DOMAIN.md, "Who we serve").
var Units = []Unit{
	{"WPS", "Wydział Polityki Społecznej"},
	{"WPIS", "Wydział ds. Pomocy i Integracji Społecznej"},
	{"OIS", "Obserwatorium Integracji Społecznej"},
	{"SEK", "Sekretariat – skargi i wnioski"},
	{"KAN", "Kancelaria"},
}

// User is a demo user.
type User struct{ Username, FullName, Position, Role, Unit string }

// Password is the password of every demo user: for demonstrations on a trusted machine only.
const Password = "obieg-demo-2026"

// Users are the demo office's people, one per role.
var Users = []User{
	{"kancelaria", "Anna Kowalska", "inspektor w kancelarii", "registry", "KAN"},
	{"kierownik.sek", "Piotr Nowak", "kierownik sekretariatu", "head", "SEK"},
	{"referent.sek", "Maria Wiśniewska", "referent", "clerk", "SEK"},
	{"kierownik.wps", "Agnieszka Dąbrowska", "kierownik Wydziału Polityki Społecznej", "head", "WPS"},
	{"referent.wps", "Michał Zieliński", "inspektor ds. karty rodzin wielodzietnych", "clerk", "WPS"},
	{"kierownik.ois", "Tomasz Wójcik", "kierownik Obserwatorium", "head", "OIS"},
	{"referent.ois", "Katarzyna Kamińska", "specjalista", "clerk", "OIS"},
	{"archiwista", "Jan Lewandowski", "archiwista zakładowy", "archivist", "KAN"},
	{"admin", "Ewa Zielińska", "administrator systemu", "admin", ""},
}

// Route is a demo routing rule: form type to JRWA class, unit and the KPA term of the case
// (as deadlines.ParseTerm reads it).
type Route struct{ FormType, Class, Unit, Term string }

// Routes are the demo routing rules; each class is a terminal class of Classes.
var Routes = []Route{
	// General letters go to general correspondence in the secretariat, which passes on what
	// belongs elsewhere.
	{forms.GeneralLetter, "0600", "SEK", "1m"},
	// Regional family card applications and duplicates: the department of social policy.
	{forms.FamilyCard, "5300", "WPS", "1m"},
	// Complaints and motions: the complaints desk; one month (art. 237, 244 KPA).
	{forms.Complaint, "0570", "SEK", "1m"},
	// Facilities' reports of free places: the bank of free places kept by the Observatory.
	{forms.FacilityReport, "5132", "OIS", "1m"},
}

// Facility is a care facility that files demo reports of free places, under its ePUAP login.
// Known says it is in the database of institutions the demo loads.
type Facility struct {
	Login, REGON, Name, Kind string
	Address                  forms.Address
	Known                    bool
}

// Facilities are the senders of the demo reports, one for each facility of package compose
// (by its login). All but one are in the database of institutions: the private care home
// "Złota Jesień" is not, so that a demo report shows the handler an unknown sender.
var Facilities = []Facility{
	{"dps_alberta", "993040016", "Dom Pomocy Społecznej im. św. Brata Alberta w Krakowie", forms.FacilityCareHome,
		forms.Address{PostalCode: "30-001", Post: "Kraków", Town: "Kraków", Street: "Długa", Building: "12"}, true},
	{"dps_wzgorze", "995118225", "Dom Pomocy Społecznej „Na Wzgórzu” w Tarnowie", forms.FacilityCareHome,
		forms.Address{PostalCode: "33-100", Post: "Tarnów", Town: "Tarnów", Street: "Lipowa", Building: "3"}, true},
	{"dps_dzieci", "997005330", "Dom Pomocy Społecznej dla Dzieci w Nowym Sączu", forms.FacilityCareHome,
		forms.Address{PostalCode: "33-300", Post: "Nowy Sącz", Town: "Nowy Sącz", Street: "Szkolna", Building: "8"}, true},
	{"pow_promyk", "998013449", "Placówka Opiekuńczo-Wychowawcza „Promyk” w Oświęcimiu", forms.FacilityChildCare,
		forms.Address{PostalCode: "32-600", Post: "Oświęcim", Town: "Oświęcim", Street: "Słowackiego", Building: "21"}, true},
	{"rpot", "99412020800017", "Regionalna Placówka Opiekuńczo-Terapeutyczna w Wadowicach", forms.FacilityTherapeuticRegional,
		forms.Address{PostalCode: "34-100", Post: "Wadowice", Town: "Wadowice", Street: "Lwowska", Building: "40"}, true},
	{"zlota_jesien", "996305509", "Całodobowy Dom Opieki „Złota Jesień” w Zakopanem", forms.FacilityRoundTheClock,
		forms.Address{PostalCode: "34-500", Post: "Zakopane", Town: "Zakopane", Street: "Polna", Building: "7"}, false},
}

// OtherInstitutions are demo institutions that send no demo report: a centre known by its
// ePUAP identifier only, and one no longer reporting.
var OtherInstitutions = []institutions.Institution{
	{EPUAP: "pcpr_myslenice", Name: "Powiatowe Centrum Pomocy Rodzinie w Myślenicach", Kind: "pcpr",
		Address: "ul. Piłsudskiego 7, 32-400 Myślenice", Active: true},
	{REGON: "123456785", EPUAP: "mops_bochnia", Name: "Miejski Ośrodek Pomocy Społecznej w Bochni", Kind: "ops",
		Address: "ul. Kolejowa 2, 32-700 Bochnia", Active: false},
}

// Institutions returns the demo database of institutions: the known Facilities and
// OtherInstitutions.
func Institutions() []institutions.Institution {
	var list []institutions.Institution
	for _, f := range Facilities {
		if f.Known {
			list = append(list, institutions.Institution{REGON: f.REGON, EPUAP: f.Login, Name: f.Name, Kind: f.Kind,
				Address: addressLine(f.Address), Active: true})
		}
	}
	return append(list, OtherInstitutions...)
}

func addressLine(a forms.Address) string {
	s := "ul. " + a.Street + " " + a.Building
	if a.Flat != "" {
		s += "/" + a.Flat
	}
	return s + ", " + a.PostalCode + " " + a.Town
}

// PlacesReport returns the report compose.RandomPlacesReport(seed) describes, sent by the demo
// facility of its login: its REGON, name, kind and address, and its ePUAP identifier as the
// sender's.
func PlacesReport(seed int64) compose.PlacesReportSample {
	rs := compose.RandomPlacesReport(seed)
	for _, f := range Facilities {
		if f.Login != rs.Login {
			continue
		}
		addr := f.Address
		rs.Report.Facility = forms.Facility{REGON: f.REGON, Name: f.Name, Kind: f.Kind, Address: addr}
		rs.Report.Place = addr.Town
		rs.Report.Envelope.From = []forms.Party{{Institution: f.Name, Address: &addr, EPUAP: f.Login}}
	}
	return rs
}

// Seed upserts the demo office's reference data: units, the demo filing plan, routing
// rules, users and the database of institutions; a demo user without a password gets
// Password.
func Seed(ctx context.Context, pool *pgxpool.Pool) error {
	plan, err := Plan()
	if err != nil {
		return fmt.Errorf("demo filing plan: %w", err)
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		for _, u := range Units {
			if _, err := tx.Exec(ctx, `INSERT INTO units (code, name) VALUES ($1, $2)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name`, u.Code, u.Name); err != nil {
				return fmt.Errorf("seed unit %s: %w", u.Code, err)
			}
		}
		for _, c := range plan.Classes() {
			var category *string
			if !c.Category.IsZero() {
				s := c.Category.String()
				category = &s
			}
			if _, err := tx.Exec(ctx, `INSERT INTO jrwa_classes (symbol, heading, category) VALUES ($1, $2, $3)
				ON CONFLICT (symbol) DO UPDATE SET heading = excluded.heading, category = excluded.category`,
				c.Symbol, c.Heading, category); err != nil {
				return fmt.Errorf("seed JRWA class %s: %w", c.Symbol, err)
			}
		}
		for _, r := range Routes {
			// DO NOTHING: an administrator's later change of a rule survives a reload.
			if _, err := tx.Exec(ctx, `INSERT INTO routing_rules (form_type, jrwa_symbol, unit_code, term) VALUES ($1, $2, $3, $4)
				ON CONFLICT (form_type) DO NOTHING`, r.FormType, r.Class, r.Unit, r.Term); err != nil {
				return fmt.Errorf("seed routing of %s: %w", r.FormType, err)
			}
		}
		for _, u := range Users {
			var unit *string
			if u.Unit != "" {
				unit = &u.Unit
			}
			if _, err := tx.Exec(ctx, `INSERT INTO users (username, full_name, position, role, unit_code)
				VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING`,
				u.Username, u.FullName, u.Position, u.Role, unit); err != nil {
				return fmt.Errorf("seed user %s: %w", u.Username, err)
			}
		}
		for _, i := range Institutions() {
			// DO NOTHING: an administrator's later change of an institution survives a reload.
			var regon, epuap *string
			if i.REGON != "" {
				regon = &i.REGON
			}
			if i.EPUAP != "" {
				epuap = &i.EPUAP
			}
			if _, err := tx.Exec(ctx, `INSERT INTO institutions (regon, epuap, name, kind, address, active, changed_by, changed_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, now()) ON CONFLICT DO NOTHING`,
				regon, epuap, i.Name, i.Kind, i.Address, i.Active, audit.SystemActor); err != nil {
				return fmt.Errorf("seed institution %s: %w", i.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	users := auth.New(pool)
	for _, u := range Users {
		var missing bool
		if err := pool.QueryRow(ctx, `SELECT password_hash IS NULL FROM users WHERE username = $1`, u.Username).Scan(&missing); err != nil {
			return fmt.Errorf("seed password of %s: %w", u.Username, err)
		}
		if missing {
			if err := users.SetPassword(ctx, u.Username, Password); err != nil {
				return err
			}
		}
	}
	return nil
}

// FileLetters files n general letters, composed from seeds first, first+1, ..., into the
// box skrytka of podmiot, as their senders would through ePUAP.
func FileLetters(ctx context.Context, sim *epuapsim.Simulator, podmiot, skrytka string, first int64, n int) ([]epuapsim.Filed, error) {
	var filed []epuapsim.Filed
	for i := range int64(n) {
		l := compose.Random(first + i)
		f, err := sim.File(ctx, epuapsim.FileRequest{
			Podmiot: podmiot,
			Skrytka: skrytka,
			Sender: epuapsim.Sender{
				Identyfikator: l.Nadawca.Login,
				TypOsoby:      "F",
				ImieSkrot:     l.Nadawca.Imie,
				NazwiskoNazwa: l.Nadawca.Nazwisko,
				Zgoda:         true,
			},
			NazwaPliku: "Pismo ogólne.xml",
			TypPliku:   "text/xml",
			Zawartosc:  l.XML(),
		})
		if err != nil {
			return filed, fmt.Errorf("file demo letter %d: %w", first+i, err)
		}
		filed = append(filed, f)
	}
	return filed, nil
}

// FileBroken files documents obieg must quarantine rather than lose, to show the registry
// clerk's quarantine: one that is not XML, and one of a form obieg does not know.
func FileBroken(ctx context.Context, sim *epuapsim.Simulator, podmiot, skrytka string) ([]epuapsim.Filed, error) {
	docs := []struct{ name, typ, content string }{
		{"skan.pdf", "application/pdf", "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n"},
		{"pismo.xml", "text/xml", "<?xml version=\"1.0\"?>\n<Dokument>nieznany formularz</Dokument>"},
	}
	var filed []epuapsim.Filed
	for _, d := range docs {
		f, err := sim.File(ctx, epuapsim.FileRequest{
			Podmiot:    podmiot,
			Skrytka:    skrytka,
			Sender:     epuapsim.Sender{Identyfikator: "jan.testowy", TypOsoby: "F", ImieSkrot: "Jan", NazwiskoNazwa: "Testowy"},
			NazwaPliku: d.name,
			TypPliku:   d.typ,
			Zawartosc:  []byte(d.content),
		})
		if err != nil {
			return filed, fmt.Errorf("file demo document %s: %w", d.name, err)
		}
		filed = append(filed, f)
	}
	return filed, nil
}

// FileForms files n documents of each of obieg's own forms (family card applications,
// complaints and motions, facility reports), composed from seeds first, first+1, ..., into
// the box skrytka of podmiot. Some seeds carry the deliberate defects of package compose
// (an invalid application, anonymous or misdirected complaints, reports that do not add up).
func FileForms(ctx context.Context, sim *epuapsim.Simulator, podmiot, skrytka string, first int64, n int) ([]epuapsim.Filed, error) {
	var filed []epuapsim.Filed
	file := func(name string, sender epuapsim.Sender, doc []byte) error {
		f, err := sim.File(ctx, epuapsim.FileRequest{
			Podmiot: podmiot, Skrytka: skrytka, Sender: sender,
			NazwaPliku: name, TypPliku: "text/xml", Zawartosc: doc,
		})
		if err != nil {
			return err
		}
		filed = append(filed, f)
		return nil
	}
	for i := range int64(n) {
		seed := first + i
		fc := compose.RandomFamilyCard(seed)
		a := fc.Application.Members[0]
		if err := file("Wniosek o kartę rodziny.xml", epuapsim.Sender{Identyfikator: fc.Login, TypOsoby: "F", ImieSkrot: a.FirstNames, NazwiskoNazwa: a.Surname, Zgoda: true}, fc.XML()); err != nil {
			return filed, fmt.Errorf("file demo family card application %d: %w", seed, err)
		}
		cs := compose.RandomComplaint(seed)
		sender := epuapsim.Sender{Identyfikator: cs.Login, TypOsoby: "F", Zgoda: true}
		if au := cs.Complaint.Author; au != nil {
			sender.ImieSkrot, sender.NazwiskoNazwa = au.FirstName, au.Surname
		}
		if err := file("Skarga lub wniosek.xml", sender, cs.XML()); err != nil {
			return filed, fmt.Errorf("file demo complaint %d: %w", seed, err)
		}
		rs := PlacesReport(seed)
		f := rs.Report.Facility
		if err := file("Informacja o wolnych miejscach.xml", epuapsim.Sender{Identyfikator: rs.Login, TypOsoby: "P", NazwiskoNazwa: f.Name, REGON: f.REGON, Zgoda: true}, rs.XML()); err != nil {
			return filed, fmt.Errorf("file demo facility report %d: %w", seed, err)
		}
	}
	return filed, nil
}

// FileSignedLetters files n general letters like FileLetters, each signed with the Profil
// Zaufany seal of the test PKI in the name of its sender, as ePUAP signs a letter its user
// confirms with the trusted profile.
func FileSignedLetters(ctx context.Context, sim *epuapsim.Simulator, podmiot, skrytka string, pki *testpki.PKI, first int64, n int, at time.Time) ([]epuapsim.Filed, error) {
	var filed []epuapsim.Filed
	for i := range int64(n) {
		l := compose.Random(first + i)
		who := testpki.Person{GivenName: l.Nadawca.Imie, FamilyName: l.Nadawca.Nazwisko, PESEL: l.Nadawca.PESEL, Account: l.Nadawca.Login}
		signed, err := pki.SignProfilZaufany(ctx, l.XML(), who, at)
		if err != nil {
			return filed, fmt.Errorf("sign demo letter %d: %w", first+i, err)
		}
		f, err := sim.File(ctx, epuapsim.FileRequest{
			Podmiot: podmiot,
			Skrytka: skrytka,
			Sender: epuapsim.Sender{Identyfikator: l.Nadawca.Login, TypOsoby: "F",
				ImieSkrot: l.Nadawca.Imie, NazwiskoNazwa: l.Nadawca.Nazwisko, Zgoda: true},
			NazwaPliku: "Pismo ogólne.xml",
			TypPliku:   "text/xml",
			Zawartosc:  signed,
		})
		if err != nil {
			return filed, fmt.Errorf("file demo letter %d: %w", first+i, err)
		}
		filed = append(filed, f)
	}
	return filed, nil
}
