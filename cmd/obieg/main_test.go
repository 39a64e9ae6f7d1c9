package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/obieg/obieg/internal/adapters/db"
	"github.com/obieg/obieg/internal/dev/demo"
	"github.com/obieg/obieg/internal/dev/devstack/stacktest"
	"github.com/obieg/obieg/internal/records/auth"
)

func TestMain(m *testing.M) { stacktest.Main(m) }

// run executes the command line args with env as the environment and stdin as input.
func run(t *testing.T, env map[string]string, stdin string, args ...string) (string, error, bool) {
	t.Helper()
	var out bytes.Buffer
	var started bool
	root := newRoot(func(k string) string { return env[k] }, &out, &started)
	root.SetArgs(args)
	root.SetIn(strings.NewReader(stdin))
	root.SetErr(&out)
	err := root.ExecuteContext(context.Background())
	return out.String(), err, started
}

func TestDeadline(t *testing.T) {
	out, err, _ := run(t, nil, "", "deadline", "--start", "2026-01-30", "--term", "1m")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "Termin upływa: 2026-03-02 (poniedziałek)\n") {
		t.Errorf("got %q, want the due date 2026-03-02 first", out)
	}
	out, err, _ = run(t, nil, "", "deadline", "--start", "2026-03-02", "--term", "14d", "--exclude", "2026-03-05..2026-03-09", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var ex struct {
		Due          string `json:"due"`
		ExcludedDays int    `json:"excluded_days"`
	}
	if err := json.Unmarshal([]byte(out), &ex); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	// 2 Mar + 14 days = 16 Mar, extended by the 5 excluded days to 21 Mar, a Saturday: 23 Mar.
	if ex.Due != "2026-03-23" || ex.ExcludedDays != 5 {
		t.Errorf("got due %s with %d excluded days, want 2026-03-23 with 5", ex.Due, ex.ExcludedDays)
	}
}

func TestLifecycle(t *testing.T) {
	out, err, _ := run(t, nil, "", "lifecycle")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Stany sprawy:") || !strings.Contains(out, "settle") || !strings.Contains(out, "wymaga: termin na odwołanie upłynął, a wpłynęły w nim pisma") {
		t.Errorf("got %q, want the stages and the actions with their needs", out)
	}
	dot, err, _ := run(t, nil, "", "lifecycle", "--dot")
	if err != nil {
		t.Fatal(err)
	}
	if committed, err := os.ReadFile("../../docs/lifecycle.dot"); err != nil || string(committed) != dot {
		t.Errorf("obieg lifecycle --dot differs from docs/lifecycle.dot (%v)", err)
	}
	out, err, _ = run(t, nil, "", "lifecycle", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var table struct {
		Stages  []struct{ Stage string }
		Actions []struct{ Name, Input string }
	}
	if err := json.Unmarshal([]byte(out), &table); err != nil || len(table.Stages) != 15 || len(table.Actions) == 0 || table.Actions[0].Input == "" {
		t.Errorf("--json: %v, %d stages, actions %v", err, len(table.Stages), table.Actions)
	}
}

// TestUsageErrors checks that a wrong command line is a usage error (exit code 2).
func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"unknown command", nil, []string{"bogus"}},
		{"unknown flag", nil, []string{"deadline", "--bogus"}},
		{"missing flag", nil, []string{"deadline", "--term", "1m"}},
		{"bad date", nil, []string{"deadline", "--start", "2026-02-30", "--term", "1m"}},
		{"bad term", nil, []string{"deadline", "--start", "2026-02-01", "--term", "1y"}},
		{"bad environment", map[string]string{"OBIEG_INTAKE_INTERVAL": "soon"}, []string{"deadline", "--start", "2026-02-01", "--term", "1m"}},
		{"no database", nil, []string{"migrate"}},
		{"lifecycle in two forms", nil, []string{"lifecycle", "--dot", "--json"}},
		{"lifecycle with an argument", nil, []string{"lifecycle", "settle"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err, started := run(t, tt.env, "", tt.args...)
			var ue usageError
			if err == nil || (started && !errors.As(err, &ue)) {
				t.Errorf("got error %v (command line accepted: %v), want a usage error", err, started)
			}
		})
	}
}

func TestUserCommands(t *testing.T) {
	url := stacktest.Database(t)
	ctx := context.Background()
	pool, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if err := demo.Seed(ctx, pool); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DATABASE_URL": url}
	if _, err, _ := run(t, env, "", "user", "add", "--username", "nowy.referent", "--name", "Zofia Nowa", "--role", "clerk", "--unit", "OIS"); err != nil {
		t.Fatalf("user add: %v", err)
	}
	if _, err, _ := run(t, env, "", "user", "add", "--username", "bez.komorki", "--name", "X", "--role", "clerk"); err == nil {
		t.Error("a clerk without a unit was added")
	}
	if _, err, _ := run(t, env, "krotkie\n", "user", "passwd", "nowy.referent"); err == nil {
		t.Error("a short password was accepted")
	}
	if _, err, _ := run(t, env, "dlugie-haslo-referenta\n", "user", "passwd", "nowy.referent"); err != nil {
		t.Fatalf("user passwd: %v", err)
	}
	u, err := auth.New(pool).Authenticate(ctx, "nowy.referent", "dlugie-haslo-referenta")
	if err != nil || u.Unit != "OIS" || u.Role != auth.RoleClerk {
		t.Errorf("sign in as the new user: %+v, %v", u, err)
	}
}
