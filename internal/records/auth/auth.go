// Package auth knows who may use obieg and what each may see: users with a role and a unit,
// passwords checked against bcrypt hashes, and the rules of access (a clerk or head sees the
// cases of their own unit only; the registry works the incoming side; the archivist and the
// administrator see every case). The web edge asks it; it keeps no session state itself.
package auth

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/bcrypt"

	"github.com/obieg/obieg/internal/domain/problem"
)

// Role is what a user does in the office.
type Role string

// Roles.
const (
	RoleRegistry  Role = "registry"  // kancelaria: incoming register, quarantine, routing
	RoleClerk     Role = "clerk"     // prowadzący sprawę: works the cases of their unit
	RoleHead      Role = "head"      // kierownik: assigns and accepts in their unit
	RoleArchivist Role = "archivist" // archiwista: every case, for the archive
	RoleAdmin     Role = "admin"     // administrator: reference data, users
)

// User is a person who signs in.
type User struct {
	Username string `json:"username"`
	FullName string `json:"full_name"`
	Position string `json:"position"`
	Role     Role   `json:"role"`
	Unit     string `json:"unit,omitempty"`
}

// Scope says which units' cases a user may see: All, or the units listed.
type Scope struct {
	All   bool
	Units []string
}

// Cases returns the scope of cases u may see.
func (u User) Cases() Scope {
	switch u.Role {
	case RoleArchivist, RoleAdmin:
		return Scope{All: true}
	case RoleClerk, RoleHead:
		if u.Unit != "" {
			return Scope{Units: []string{u.Unit}}
		}
	}
	return Scope{}
}

// Allows reports whether the scope includes the cases of unit.
func (s Scope) Allows(unit string) bool {
	if s.All {
		return true
	}
	for _, u := range s.Units {
		if u == unit {
			return true
		}
	}
	return false
}

// Empty reports whether the scope includes no case at all.
func (s Scope) Empty() bool { return !s.All && len(s.Units) == 0 }

// MayViewIncoming reports whether u may see the incoming side: the register and the
// quarantine, with senders' names.
func (u User) MayViewIncoming() bool { return u.Role == RoleRegistry || u.Role == RoleAdmin }

// ErrBadCredentials means the username or the password is wrong, or the account is
// disabled; which one is deliberately not said. It is of kind problem.Refused.
var ErrBadCredentials = problem.NewRefused("Nieprawidłowy login lub hasło.", errors.New("wrong username or password"))

// ErrNotFound means no such user; it is of kind problem.NotFound.
var ErrNotFound = problem.NewNotFound("Nie ma takiego użytkownika.", errors.New("user not found"))

// MinPasswordLength is the shortest password SetPassword accepts.
const MinPasswordLength = 12

// Store keeps users in PostgreSQL.
type Store struct {
	pool *pgxpool.Pool
}

// New returns a store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// dummyHash is compared against when a user does not exist, so that a wrong username takes
// as long as a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("obieg: no such user"), bcrypt.DefaultCost)

// Authenticate returns the user whose username and password these are, or ErrBadCredentials.
func (s *Store) Authenticate(ctx context.Context, username, password string) (User, error) {
	var u User
	var hash *string
	var disabled bool
	err := s.pool.QueryRow(ctx, `SELECT username, full_name, position, role, coalesce(unit_code, ''), password_hash, disabled
		FROM users WHERE username = $1`, username).Scan(&u.Username, &u.FullName, &u.Position, &u.Role, &u.Unit, &hash, &disabled)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && (hash == nil || disabled)) {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, fmt.Errorf("authenticate %s: %w", username, err)
	}
	if bcrypt.CompareHashAndPassword([]byte(*hash), []byte(password)) != nil {
		return User{}, ErrBadCredentials
	}
	return u, nil
}

// Get returns an active user.
func (s *Store) Get(ctx context.Context, username string) (User, error) {
	var u User
	err := s.pool.QueryRow(ctx, `SELECT username, full_name, position, role, coalesce(unit_code, '')
		FROM users WHERE username = $1 AND NOT disabled`, username).Scan(&u.Username, &u.FullName, &u.Position, &u.Role, &u.Unit)
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, fmt.Errorf("%w: %s", ErrNotFound, username)
	}
	if err != nil {
		return User{}, fmt.Errorf("get user %s: %w", username, err)
	}
	return u, nil
}

// SetPassword sets the password of username; it must have at least MinPasswordLength
// characters.
func (s *Store) SetPassword(ctx context.Context, username, password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return fmt.Errorf("password of %s: at least %d characters", username, MinPasswordLength)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("hash password of %s: %w", username, err)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE users SET password_hash = $2 WHERE username = $1`, username, string(hash))
	if err != nil {
		return fmt.Errorf("set password of %s: %w", username, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%w: %s", ErrNotFound, username)
	}
	return nil
}

// usernameInUse is the refusal of a username another user has: of kind problem.Invalid, on
// the field username.
func usernameInUse(username string) error {
	return problem.NewInvalid("", fmt.Errorf("user %s exists", username),
		problem.FieldError{Field: "username", Message: "Użytkownik o tym loginie już istnieje."})
}

// Create adds a user without a password (SetPassword gives one). A clerk or head needs a unit.
func (s *Store) Create(ctx context.Context, u User) error {
	switch u.Role {
	case RoleRegistry, RoleClerk, RoleHead, RoleArchivist, RoleAdmin:
	default:
		return fmt.Errorf("role %q: want registry, clerk, head, archivist or admin", u.Role)
	}
	if (u.Role == RoleClerk || u.Role == RoleHead) && u.Unit == "" {
		return fmt.Errorf("a %s needs a unit", u.Role)
	}
	var unit *string
	if u.Unit != "" {
		unit = &u.Unit
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO users (username, full_name, position, role, unit_code)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING`, u.Username, u.FullName, u.Position, u.Role, unit)
	if err != nil {
		return fmt.Errorf("create user %s: %w", u.Username, err)
	}
	if tag.RowsAffected() == 0 {
		return usernameInUse(u.Username)
	}
	return nil
}
