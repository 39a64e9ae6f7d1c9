package auth_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/devstack/stacktest"
	"github.com/obieg/obieg/internal/domain/problem"
	"github.com/obieg/obieg/internal/records/auth"
)

func TestMain(m *testing.M) { stacktest.Main(m) }

// TestAdministration adds, changes, deactivates and reactivates a user and resets their
// password as an administrator would; checks that an administrator cannot deactivate or
// demote themselves, that a deactivated user cannot sign in, and that every change is in the
// audit log.
func TestAdministration(t *testing.T) {
	ctx := context.Background()
	pool, _ := stacktest.Pool(t)
	if _, err := pool.Exec(ctx, `INSERT INTO units (code, name) VALUES ('OIS', 'Obserwatorium'), ('WPS', 'Wydział')`); err != nil {
		t.Fatal(err)
	}
	s := auth.New(pool)
	who := auth.Who{Username: "admin", Role: "admin", At: time.Now()}
	if err := s.Register(ctx, auth.User{Username: "admin", FullName: "Ewa Zielińska", Role: auth.RoleAdmin}, "haslo-administratora", who); err != nil {
		t.Fatal(err)
	}
	password := auth.GeneratePassword()
	if len(password) != 16 || password == auth.GeneratePassword() {
		t.Errorf("generated password %q", password)
	}
	if err := s.Register(ctx, auth.User{Username: "referent.ois", FullName: " Katarzyna Kamińska ", Position: "specjalista", Role: auth.RoleClerk, Unit: "OIS"}, password, who); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, "referent.ois", password); err != nil {
		t.Errorf("sign in with the password given: %v", err)
	}

	refusals := []struct {
		name  string
		u     auth.User
		pass  string
		field string
	}{
		{"bad username", auth.User{Username: "Referent OIS", FullName: "X", Role: auth.RoleClerk, Unit: "OIS"}, password, "username"},
		{"clerk without a unit", auth.User{Username: "x1", FullName: "X", Role: auth.RoleClerk}, password, "unit"},
		{"unknown unit", auth.User{Username: "x2", FullName: "X", Role: auth.RoleHead, Unit: "NIE"}, password, "unit"},
		{"unknown role", auth.User{Username: "x3", FullName: "X", Role: "boss"}, password, "role"},
		{"short password", auth.User{Username: "x4", FullName: "X", Role: auth.RoleArchivist}, "krotkie", "password"},
		{"no name", auth.User{Username: "x5", Role: auth.RoleArchivist}, password, "full_name"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Register(ctx, tt.u, tt.pass, who)
			if problem.KindOf(err) != problem.Invalid || problem.FieldMap(err)[tt.field] == "" {
				t.Errorf("got %v, want refused on %s", err, tt.field)
			}
		})
	}
	if err := s.Register(ctx, auth.User{Username: "referent.ois", FullName: "X", Role: auth.RoleArchivist}, password, who); problem.FieldMap(err)["username"] == "" {
		t.Errorf("a username in use: got %v, want it refused on the username", err)
	}

	a, err := s.Change(ctx, "referent.ois", auth.Change{FullName: "Katarzyna Kamińska", Position: "starszy specjalista", Role: auth.RoleHead, Unit: "WPS"}, who)
	if err != nil || a.Role != auth.RoleHead || a.Unit != "WPS" || a.Position != "starszy specjalista" || !a.Active {
		t.Errorf("change: got %+v, %v", a, err)
	}
	if _, err := s.Change(ctx, "nikt", auth.Change{FullName: "X", Role: auth.RoleArchivist}, who); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("change of a missing user: got %v, want ErrNotFound", err)
	}
	if _, err := s.Change(ctx, "admin", auth.Change{FullName: "Ewa Zielińska", Role: auth.RoleArchivist}, who); problem.KindOf(err) != problem.Refused {
		t.Errorf("demoting oneself: got %v, want it refused", err)
	}
	if _, err := s.SetActive(ctx, "admin", false, who); problem.KindOf(err) != problem.Refused {
		t.Errorf("deactivating oneself: got %v, want it refused", err)
	}

	if a, err := s.SetActive(ctx, "referent.ois", false, who); err != nil || a.Active {
		t.Fatalf("deactivate: got %+v, %v", a, err)
	}
	if _, err := s.Authenticate(ctx, "referent.ois", password); !errors.Is(err, auth.ErrBadCredentials) {
		t.Errorf("a deactivated user signs in: %v", err)
	}
	if _, err := s.Get(ctx, "referent.ois"); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("a deactivated user is still active: %v", err)
	}
	if _, err := s.SetActive(ctx, "referent.ois", false, who); err != nil {
		t.Errorf("deactivate again: %v", err)
	}
	if a, err := s.SetActive(ctx, "referent.ois", true, who); err != nil || !a.Active {
		t.Errorf("reactivate: got %+v, %v", a, err)
	}
	if err := s.ResetPassword(ctx, "referent.ois", "nowe-haslo-referenta", who); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, "referent.ois", "nowe-haslo-referenta"); err != nil {
		t.Errorf("sign in with the reset password: %v", err)
	}
	if err := s.ResetPassword(ctx, "nikt", "nowe-haslo-referenta", who); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("reset of a missing user: got %v, want ErrNotFound", err)
	}
	list, err := s.List(ctx)
	if err != nil || len(list) != 2 {
		t.Errorf("list: got %+v, %v", list, err)
	}

	rows, err := pool.Query(ctx, `SELECT action FROM audit_log WHERE object_id = 'referent.ois' AND actor = 'admin' ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for rows.Next() {
		var a string
		rows.Scan(&a)
		actions = append(actions, a)
	}
	want := "user.created user.changed user.deactivated user.reactivated user.password_reset"
	if got := strings.Join(actions, " "); got != want {
		t.Errorf("audited %s, want %s", got, want)
	}
}
