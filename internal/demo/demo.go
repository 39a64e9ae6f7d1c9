// Package demo loads the demonstration office that `obieg dev` and the end-to-end tests run
// on: the units of a regional social-policy centre (DOMAIN.md), the demo filing plan of
// package jrwa, routing rules for the forms obieg recognises, demo users, and sample letters
// filed into the simulated ePUAP box. Loading is idempotent: it upserts reference data, and
// files samples only into an office that has received nothing yet.
package demo

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/obieg/obieg/internal/auth"
	"github.com/obieg/obieg/internal/forms"
	"github.com/obieg/obieg/internal/jrwa"
	"github.com/obieg/obieg/internal/simulator/compose"
	"github.com/obieg/obieg/internal/simulator/epuapsim"
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
	{"kierownik.ois", "Tomasz Wójcik", "kierownik Obserwatorium", "head", "OIS"},
	{"referent.ois", "Katarzyna Kamińska", "specjalista", "clerk", "OIS"},
	{"archiwista", "Jan Lewandowski", "archiwista zakładowy", "archivist", "KAN"},
	{"admin", "Ewa Zielińska", "administrator systemu", "admin", ""},
}

// Routes are the demo routing rules: form type to JRWA class and unit.
var Routes = []struct{ FormType, Class, Unit string }{
	// General letters go to general correspondence in the secretariat, which passes on what
	// belongs elsewhere.
	{forms.GeneralLetter, "0600", "SEK"},
}

// Seed upserts the demo office's reference data: units, the demo filing plan, routing
// rules and users; a demo user without a password gets Password.
func Seed(ctx context.Context, pool *pgxpool.Pool) error {
	plan, err := jrwa.DemoPlan()
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
			if _, err := tx.Exec(ctx, `INSERT INTO routing_rules (form_type, jrwa_symbol, unit_code) VALUES ($1, $2, $3)
				ON CONFLICT (form_type) DO NOTHING`, r.FormType, r.Class, r.Unit); err != nil {
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
