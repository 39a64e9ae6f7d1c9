// Package institutions keeps the database of institutions the Observatory receives reports
// from (care facilities, social-assistance centres, county family-support centres,
// organisations), and tells whether the sender of a report is one of them: known by its REGON
// or its ePUAP identifier, active on the day, and named as the database names it.
// Administrators edit the list; every change is checked and recorded in the audit log in the
// same transaction.
package institutions

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/domain/problem"
	"github.com/obieg/obieg/internal/records/audit"
)

// Kinds of institution, with their Polish names. The first four are the kinds of facility of
// the report form (forms.Facility*).
var kindNames = map[string]string{
	forms.FacilityCareHome:            "dom pomocy społecznej",
	forms.FacilityChildCare:           "placówka opiekuńczo-wychowawcza",
	forms.FacilityTherapeuticRegional: "regionalna placówka opiekuńczo-terapeutyczna",
	forms.FacilityRoundTheClock:       "placówka zapewniająca całodobową opiekę",
	"ops":                             "ośrodek pomocy społecznej",
	"pcpr":                            "powiatowe centrum pomocy rodzinie",
	"gmina":                           "gmina",
	"powiat":                          "powiat",
	"organizacja-pozarzadowa":         "organizacja pozarządowa",
	"inna":                            "inna instytucja",
}

// Kind is a kind of institution: its code and Polish name.
type Kind struct{ Code, Name string }

// Kinds returns the kinds of institution, by Polish name.
func Kinds() []Kind {
	var ks []Kind
	for c, n := range kindNames {
		ks = append(ks, Kind{c, n})
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].Name < ks[j].Name })
	return ks
}

// KindName returns the Polish name of a kind of institution, or the code itself when it is not
// one.
func KindName(code string) string {
	if n, ok := kindNames[code]; ok {
		return n
	}
	return code
}

// Institution is one institution of the database.
type Institution struct {
	ID int64 `json:"id"`
	// REGON and EPUAP identify the institution as its reports do: the REGON on the report
	// form, the ePUAP identifier (or box address) it sends from. At least one is set.
	REGON   string `json:"regon,omitempty"`
	EPUAP   string `json:"epuap,omitempty"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Address string `json:"address,omitempty"`
	// Active is false once an administrator deactivated it; Since and Until, when set, bound
	// the days on which its reports are accepted.
	Active bool        `json:"active"`
	Since  *civil.Date `json:"since,omitempty"`
	Until  *civil.Date `json:"until,omitempty"`
	// ChangedBy and ChangedAt say who made the last change, and when.
	ChangedBy string    `json:"changed_by"`
	ChangedAt time.Time `json:"changed_at"`
}

// ActiveOn reports whether the institution's reports are accepted on day: it is active and
// day falls within Since and Until.
func (i Institution) ActiveOn(day civil.Date) bool {
	return i.Active && (i.Since == nil || !day.Before(*i.Since)) && (i.Until == nil || !day.After(*i.Until))
}

// notFound is the error of an institution id that does not exist.
func notFound(id int64) error {
	return problem.NewNotFound("Nie ma takiej instytucji.", fmt.Errorf("institution %d not found", id))
}

// Validate checks an institution before it is saved: a valid REGON or an ePUAP identifier
// (or both), a name, a known kind, and Until not before Since. A refusal is of kind
// problem.Invalid, with the fields at fault (regon, epuap, name, kind, address, until).
func Validate(i Institution) error {
	var bad []problem.FieldError
	switch {
	case i.REGON == "" && i.EPUAP == "":
		bad = append(bad, problem.FieldError{Field: "regon", Message: "Podaj REGON albo identyfikator ePUAP instytucji."})
	case i.REGON != "" && !ValidREGON(i.REGON):
		bad = append(bad, problem.FieldError{Field: "regon", Message: "REGON to 9 albo 14 cyfr z poprawną cyfrą kontrolną."})
	}
	if i.EPUAP != "" && (strings.ContainsAny(i.EPUAP, " \t\r\n") || utf8.RuneCountInString(i.EPUAP) > 200) {
		bad = append(bad, problem.FieldError{Field: "epuap", Message: "Identyfikator ePUAP nie może zawierać spacji ani przekraczać 200 znaków."})
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(i.Name)); {
	case n == 0:
		bad = append(bad, problem.FieldError{Field: "name", Message: "Podaj nazwę instytucji."})
	case n > 200:
		bad = append(bad, problem.FieldError{Field: "name", Message: "Nazwa może mieć najwyżej 200 znaków."})
	}
	if _, ok := kindNames[i.Kind]; !ok {
		bad = append(bad, problem.FieldError{Field: "kind", Message: "Wybierz rodzaj instytucji z listy."})
	}
	if utf8.RuneCountInString(i.Address) > 300 {
		bad = append(bad, problem.FieldError{Field: "address", Message: "Adres może mieć najwyżej 300 znaków."})
	}
	if i.Since != nil && i.Until != nil && i.Until.Before(*i.Since) {
		bad = append(bad, problem.FieldError{Field: "until", Message: "Data końca nie może być wcześniejsza niż data początku."})
	}
	if len(bad) > 0 {
		return problem.NewInvalid("", fmt.Errorf("invalid institution %q", i.Name), bad...)
	}
	return nil
}

// Who is the administrator making a change, for the audit log.
type Who struct {
	Username, Role string
	At             time.Time
}

// Store keeps the institutions in PostgreSQL.
type Store struct {
	pool  *pgxpool.Pool
	audit *audit.Log
}

// New returns a store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool, audit: audit.New(pool)} }

const columns = `id, coalesce(regon, ''), coalesce(epuap, ''), name, kind, address, active, since, until, changed_by, changed_at`

func scan(row pgx.CollectableRow) (Institution, error) {
	var i Institution
	var since, until *time.Time
	if err := row.Scan(&i.ID, &i.REGON, &i.EPUAP, &i.Name, &i.Kind, &i.Address, &i.Active, &since, &until, &i.ChangedBy, &i.ChangedAt); err != nil {
		return i, err
	}
	i.Since, i.Until = date(since), date(until)
	return i, nil
}

func date(t *time.Time) *civil.Date {
	if t == nil {
		return nil
	}
	d := civil.DateOf(*t)
	return &d
}

func pgDate(d *civil.Date) *string {
	if d == nil {
		return nil
	}
	s := d.String()
	return &s
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// List returns every institution, by name.
func (s *Store) List(ctx context.Context) ([]Institution, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+columns+` FROM institutions ORDER BY lower(name), id`)
	if err != nil {
		return nil, fmt.Errorf("list institutions: %w", err)
	}
	list, err := pgx.CollectRows(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("list institutions: %w", err)
	}
	return list, nil
}

// Get returns the institution id, or an error of kind problem.NotFound.
func (s *Store) Get(ctx context.Context, id int64) (Institution, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+columns+` FROM institutions WHERE id = $1`, id)
	if err != nil {
		return Institution{}, fmt.Errorf("get institution %d: %w", id, err)
	}
	i, err := pgx.CollectExactlyOneRow(rows, scan)
	if errors.Is(err, pgx.ErrNoRows) {
		return Institution{}, notFound(id)
	}
	if err != nil {
		return Institution{}, fmt.Errorf("get institution %d: %w", id, err)
	}
	return i, nil
}

// Lookup returns the institutions whose REGON is regon or whose ePUAP identifier is epuap
// (an empty one matches nothing): none, one, or two when the REGON and the identifier belong
// to different institutions.
func (s *Store) Lookup(ctx context.Context, regon, epuap string) ([]Institution, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+columns+` FROM institutions
		WHERE ($1 <> '' AND regon = $1) OR ($2 <> '' AND epuap = $2) ORDER BY id`, regon, epuap)
	if err != nil {
		return nil, fmt.Errorf("look up institution %s %s: %w", regon, epuap, err)
	}
	list, err := pgx.CollectRows(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("look up institution %s %s: %w", regon, epuap, err)
	}
	return list, nil
}

// Create adds an institution after Validate, and returns it with its id. A REGON or an ePUAP
// identifier another institution has is refused as problem.Invalid, on that field.
func (s *Store) Create(ctx context.Context, i Institution, who Who) (Institution, error) {
	return s.save(ctx, i, who, "institution.created", `INSERT INTO institutions
		(regon, epuap, name, kind, address, active, since, until, changed_by, changed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING `+columns)
}

// Update changes the institution i.ID after Validate; of kind problem.NotFound when there is none.
func (s *Store) Update(ctx context.Context, i Institution, who Who) (Institution, error) {
	return s.save(ctx, i, who, "institution.updated", `UPDATE institutions SET regon = $1, epuap = $2, name = $3,
		kind = $4, address = $5, active = $6, since = $7, until = $8, changed_by = $9, changed_at = $10
		WHERE id = $11 RETURNING `+columns)
}

func (s *Store) save(ctx context.Context, i Institution, who Who, action, sql string) (Institution, error) {
	i.Name, i.Address = strings.TrimSpace(i.Name), strings.TrimSpace(i.Address)
	i.REGON, i.EPUAP = strings.TrimSpace(i.REGON), strings.TrimSpace(i.EPUAP)
	if err := Validate(i); err != nil {
		return Institution{}, err
	}
	args := []any{nullable(i.REGON), nullable(i.EPUAP), i.Name, i.Kind, i.Address, i.Active, pgDate(i.Since), pgDate(i.Until), who.Username, who.At}
	if action == "institution.updated" {
		args = append(args, i.ID)
	}
	var saved Institution
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		saved, err = pgx.CollectExactlyOneRow(rows, scan)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound(i.ID)
		}
		if err != nil {
			return err
		}
		_, err = s.audit.AppendTx(ctx, tx, entry(saved, who, action))
		return err
	})
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		field, what := "regon", "Inna instytucja ma już ten REGON."
		if strings.Contains(pe.ConstraintName, "epuap") {
			field, what = "epuap", "Inna instytucja ma już ten identyfikator ePUAP."
		}
		return Institution{}, problem.NewInvalid("", fmt.Errorf("save institution %q: %w", i.Name, err), problem.FieldError{Field: field, Message: what})
	}
	if err != nil && problem.KindOf(err) != problem.NotFound {
		return Institution{}, fmt.Errorf("save institution %q: %w", i.Name, err)
	}
	return saved, err
}

// Deactivate marks the institution id inactive: its reports are no longer accepted into the
// observatory. Deactivating an inactive institution changes nothing and records nothing.
func (s *Store) Deactivate(ctx context.Context, id int64, who Who) (Institution, error) {
	var saved Institution
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `UPDATE institutions SET active = false, changed_by = $2, changed_at = $3
			WHERE id = $1 AND active RETURNING `+columns, id, who.Username, who.At)
		if err != nil {
			return err
		}
		saved, err = pgx.CollectExactlyOneRow(rows, scan)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		_, err = s.audit.AppendTx(ctx, tx, entry(saved, who, "institution.deactivated"))
		return err
	})
	if err != nil {
		return Institution{}, fmt.Errorf("deactivate institution %d: %w", id, err)
	}
	if saved.ID == 0 {
		return s.Get(ctx, id)
	}
	return saved, nil
}

func entry(i Institution, who Who, action string) audit.Entry {
	details := map[string]any{"name": i.Name, "kind": i.Kind, "active": i.Active}
	for k, v := range map[string]string{"regon": i.REGON, "epuap": i.EPUAP, "address": i.Address} {
		if v != "" {
			details[k] = v
		}
	}
	if i.Since != nil {
		details["since"] = i.Since.String()
	}
	if i.Until != nil {
		details["until"] = i.Until.String()
	}
	return audit.Entry{OccurredAt: who.At, Actor: who.Username, ActorRole: who.Role, Action: action,
		ObjectType: "institution", ObjectID: fmt.Sprint(i.ID), Details: details}
}
