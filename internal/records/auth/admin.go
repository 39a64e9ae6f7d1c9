package auth

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"golang.org/x/crypto/bcrypt"

	"github.com/obieg/obieg/internal/domain/problem"
	"github.com/obieg/obieg/internal/records/audit"
)

// Account is a user as administrators see them: with whether they may sign in.
type Account struct {
	User
	Active bool `json:"active"`
}

// Who is the administrator making a change, for the audit log.
type Who struct {
	Username, Role string
	At             time.Time
}

// ownAccount is the refusal of an administrator's deactivating or demoting themselves, of
// kind problem.Refused.
func ownAccount(username string) error {
	return problem.NewRefused("Nie możesz dezaktywować własnego konta ani odebrać sobie roli administratora.",
		fmt.Errorf("administrator %s may not deactivate or demote themselves", username))
}

// fieldOrder is the order of a user's fields on the page, in which their errors are given.
var fieldOrder = []string{"username", "full_name", "position", "role", "unit", "password"}

// invalid returns the refusal of a change of user username with the fields at fault, of
// kind problem.Invalid.
func invalid(username string, bad map[string]string) error {
	var fields []problem.FieldError
	for _, f := range fieldOrder {
		if m, ok := bad[f]; ok {
			fields = append(fields, problem.FieldError{Field: f, Message: m})
		}
	}
	return problem.NewInvalid("", fmt.Errorf("invalid user %s: %d fields", username, len(fields)), fields...)
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9._-]{2,64}$`)

// Roles returns the roles, with their Polish names, in the order administrators choose them.
func Roles() []struct{ Code, Name string } {
	return []struct{ Code, Name string }{
		{string(RoleClerk), "referent (prowadzi sprawy komórki)"},
		{string(RoleHead), "kierownik komórki"},
		{string(RoleRegistry), "kancelaria"},
		{string(RoleArchivist), "archiwista"},
		{string(RoleAdmin), "administrator"},
	}
}

// check validates the fields of u an administrator sets.
func check(u User, bad map[string]string) {
	switch n := utf8.RuneCountInString(strings.TrimSpace(u.FullName)); {
	case n == 0:
		bad["full_name"] = "Podaj imię i nazwisko."
	case n > 200:
		bad["full_name"] = "Imię i nazwisko może mieć najwyżej 200 znaków."
	}
	if utf8.RuneCountInString(u.Position) > 200 {
		bad["position"] = "Stanowisko może mieć najwyżej 200 znaków."
	}
	switch u.Role {
	case RoleRegistry, RoleClerk, RoleHead, RoleArchivist, RoleAdmin:
	default:
		bad["role"] = "Wybierz rolę z listy."
	}
	if (u.Role == RoleClerk || u.Role == RoleHead) && u.Unit == "" {
		bad["unit"] = "Referent i kierownik muszą mieć komórkę."
	}
}

func checkPassword(password string, bad map[string]string) {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		bad["password"] = fmt.Sprintf("Hasło musi mieć co najmniej %d znaków.", MinPasswordLength)
	}
}

// refused turns the database's refusal of a unit that does not exist into an error of kind
// problem.Invalid on the field unit.
func refused(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23503" {
		return problem.NewInvalid("", err, problem.FieldError{Field: "unit", Message: "Nie ma takiej komórki."})
	}
	return err
}

// passwordAlphabet leaves out characters easily mistaken for one another (0 O, 1 l I).
const passwordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// GeneratePassword returns a random password of 16 characters (about 93 bits), for an
// administrator to hand over once.
func GeneratePassword() string {
	b := make([]byte, 16)
	rand.Read(b)
	for i := range b {
		b[i] = passwordAlphabet[int(b[i])%len(passwordAlphabet)]
	}
	return string(b)
}

const accountColumns = `username, full_name, position, role, coalesce(unit_code, ''), NOT disabled`

func scanAccount(row pgx.CollectableRow) (Account, error) {
	var a Account
	err := row.Scan(&a.Username, &a.FullName, &a.Position, &a.Role, &a.Unit, &a.Active)
	return a, err
}

// List returns every user, active or not, by username.
func (s *Store) List(ctx context.Context) ([]Account, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+accountColumns+` FROM users ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	list, err := pgx.CollectRows(rows, scanAccount)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return list, nil
}

// Account returns the user username, active or not, or ErrNotFound.
func (s *Store) Account(ctx context.Context, username string) (Account, error) {
	return account(ctx, s.pool, username)
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func account(ctx context.Context, q querier, username string) (Account, error) {
	rows, err := q.Query(ctx, `SELECT `+accountColumns+` FROM users WHERE username = $1`, username)
	if err != nil {
		return Account{}, fmt.Errorf("get user %s: %w", username, err)
	}
	a, err := pgx.CollectExactlyOneRow(rows, scanAccount)
	if errors.Is(err, pgx.ErrNoRows) {
		return Account{}, fmt.Errorf("%w: %s", ErrNotFound, username)
	}
	if err != nil {
		return Account{}, fmt.Errorf("get user %s: %w", username, err)
	}
	return a, nil
}

// Register adds an active user with a password (at least MinPasswordLength characters), on
// an administrator's behalf, and records it in the audit log. A username in use is refused on the field username;
// fields that are not right are of kind problem.Invalid, with the fields at fault.
func (s *Store) Register(ctx context.Context, u User, password string, who Who) error {
	u.Username, u.FullName, u.Position = strings.TrimSpace(u.Username), strings.TrimSpace(u.FullName), strings.TrimSpace(u.Position)
	bad := map[string]string{}
	if !usernamePattern.MatchString(u.Username) {
		bad["username"] = "Login to od 2 do 64 znaków: małe litery bez polskich znaków, cyfry, kropka, podkreślenie, łącznik."
	}
	check(u, bad)
	checkPassword(password, bad)
	if len(bad) > 0 {
		return invalid(u.Username, bad)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("hash password of %s: %w", u.Username, err)
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO users (username, full_name, position, role, unit_code, password_hash)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING`, u.Username, u.FullName, u.Position, u.Role, nullUnit(u.Unit), string(hash))
		if err != nil {
			return refused(err)
		}
		if tag.RowsAffected() == 0 {
			return usernameInUse(u.Username)
		}
		return s.record(ctx, tx, who, "user.created", u.Username, map[string]any{"full_name": u.FullName,
			"position": u.Position, "role": string(u.Role), "unit": u.Unit})
	})
	if err != nil {
		return fmt.Errorf("register user %s: %w", u.Username, err)
	}
	return nil
}

// Change is what an administrator may change of a user.
type Change struct {
	FullName string `json:"full_name"`
	Position string `json:"position"`
	Role     Role   `json:"role"`
	Unit     string `json:"unit"`
}

// Change changes the name, position, role and unit of username and records it in the audit
// log. An administrator may not take the administrator's role from themselves
// (problem.Refused).
func (s *Store) Change(ctx context.Context, username string, c Change, who Who) (Account, error) {
	u := User{Username: username, FullName: strings.TrimSpace(c.FullName), Position: strings.TrimSpace(c.Position), Role: c.Role, Unit: c.Unit}
	bad := map[string]string{}
	check(u, bad)
	if len(bad) > 0 {
		return Account{}, invalid(username, bad)
	}
	if username == who.Username && u.Role != RoleAdmin {
		return Account{}, ownAccount(username)
	}
	var changed Account
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := account(ctx, tx, username)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET full_name = $2, position = $3, role = $4, unit_code = $5 WHERE username = $1`,
			username, u.FullName, u.Position, u.Role, nullUnit(u.Unit)); err != nil {
			return refused(err)
		}
		changed = Account{User: u, Active: before.Active}
		return s.record(ctx, tx, who, "user.changed", username, map[string]any{"full_name": u.FullName, "position": u.Position,
			"role": string(u.Role), "unit": u.Unit, "role_before": string(before.Role), "unit_before": before.Unit})
	})
	if err != nil {
		return Account{}, fmt.Errorf("change user %s: %w", username, err)
	}
	return changed, nil
}

// SetActive deactivates (active false) or reactivates username and records it in the audit
// log; a deactivated user cannot sign in and loses their session at the next request. An
// administrator may not deactivate themselves (problem.Refused). Setting the state a user is
// in already changes and records nothing.
func (s *Store) SetActive(ctx context.Context, username string, active bool, who Who) (Account, error) {
	if username == who.Username && !active {
		return Account{}, ownAccount(username)
	}
	var a Account
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET disabled = $2 WHERE username = $1 AND disabled = $3`, username, !active, active)
		if err != nil {
			return err
		}
		if a, err = account(ctx, tx, username); err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		action := "user.deactivated"
		if active {
			action = "user.reactivated"
		}
		return s.record(ctx, tx, who, action, username, nil)
	})
	if err != nil {
		return Account{}, fmt.Errorf("set user %s active %v: %w", username, active, err)
	}
	return a, nil
}

// ResetPassword gives username a new password (at least MinPasswordLength characters) on an
// administrator's behalf and records that, without the password, in the audit log.
func (s *Store) ResetPassword(ctx context.Context, username, password string, who Who) error {
	bad := map[string]string{}
	checkPassword(password, bad)
	if len(bad) > 0 {
		return invalid(username, bad)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("hash password of %s: %w", username, err)
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2 WHERE username = $1`, username, string(hash))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("%w: %s", ErrNotFound, username)
		}
		return s.record(ctx, tx, who, "user.password_reset", username, nil)
	})
	if err != nil {
		return fmt.Errorf("reset password of %s: %w", username, err)
	}
	return nil
}

func (s *Store) record(ctx context.Context, tx pgx.Tx, who Who, action, username string, details map[string]any) error {
	_, err := audit.New(s.pool).AppendTx(ctx, tx, audit.Entry{OccurredAt: who.At, Actor: who.Username, ActorRole: who.Role,
		Action: action, ObjectType: "user", ObjectID: username, Details: details})
	return err
}

func nullUnit(unit string) *string {
	if unit == "" {
		return nil
	}
	return &unit
}
