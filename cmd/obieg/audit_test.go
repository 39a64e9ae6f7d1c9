package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/devstack/stacktest"
	"github.com/obieg/obieg/internal/records/audit"
)

// runAudit runs the command line with DATABASE_URL set to url and returns its output and
// the exit code main would give.
func runAudit(t *testing.T, url string, args ...string) (out string, code int, err error) {
	t.Helper()
	out, err, started := run(t, map[string]string{"DATABASE_URL": url}, "", args...)
	var ue usageError
	switch {
	case err == nil:
	case !started || errors.As(err, &ue):
		code = 2
	default:
		code = 1
	}
	return out, code, err
}

func TestAuditCommands(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, url := stacktest.Pool(t)
	log := audit.New(pool)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := range 5 {
		if _, err := log.Append(ctx, audit.Entry{
			OccurredAt: at.Add(time.Duration(i) * time.Second), Actor: "anowak", ActorRole: "clerk",
			Action: audit.ActionCaseRead, ObjectType: "case", ObjectID: "OIS.5131.1.2026", Unit: "OIS",
		}); err != nil {
			t.Fatal(err)
		}
	}
	seq, head, err := log.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	anchor := fmt.Sprintf("%d:%s", seq, head)

	out, code, err := runAudit(t, url, "audit", "head")
	if code != 0 || strings.TrimSpace(out) != anchor {
		t.Errorf("audit head: got %q (%v, exit %d), want %s", out, err, code, anchor)
	}

	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"intact", []string{"audit", "verify"}, 0, "intact: entries 1..5 verified (5)"},
		{"range", []string{"audit", "verify", "--from", "2", "--to", "3"}, 0, "entries 2..3 verified (2)"},
		{"anchor", []string{"audit", "verify", "--anchor", anchor}, 0, "matches the anchor"},
		{"wrong anchor", []string{"audit", "verify", "--anchor", "5:" + strings.Repeat("ab", 32)}, 1, "BROKEN at entry 5: changed"},
		{"anchor beyond the log", []string{"audit", "verify", "--anchor", "9:" + head.String()}, 1, "BROKEN at entry 6: removed"},
		{"from beyond the head", []string{"audit", "verify", "--from", "7"}, 0, "no entries from 7 (the head is at 5)"},
		{"to before from", []string{"audit", "verify", "--from", "3", "--to", "2"}, 2, ""},
		{"negative", []string{"audit", "verify", "--from", "-1"}, 2, ""},
		{"bad anchor", []string{"audit", "verify", "--anchor", "5"}, 2, ""},
		{"anchor and to", []string{"audit", "verify", "--anchor", anchor, "--to", "3"}, 2, ""},
		{"argument", []string{"audit", "verify", "now"}, 2, ""},
		{"no subcommand", []string{"audit"}, 2, ""},
		{"unknown subcommand", []string{"audit", "fix"}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, code, err := runAudit(t, url, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) {
				t.Errorf("got exit %d (%v) and %q, want exit %d and %q", code, err, out, tt.code, tt.out)
			}
		})
	}

	if _, err := pool.Exec(ctx, `ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `DELETE FROM audit_log WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	out, code, err = runAudit(t, url, "audit", "verify", "--json")
	var rep audit.Report
	if jerr := json.Unmarshal([]byte(out), &rep); jerr != nil {
		t.Fatalf("verify --json printed %q: %v", out, jerr)
	}
	if code != 1 || rep.Intact || rep.Broken == nil || rep.Broken.Seq != 3 || rep.Broken.Reason != audit.ReasonRemoved {
		t.Errorf("after deleting entry 3: got exit %d (%v), report %+v; want exit 1, entry 3 removed", code, err, rep)
	}
}

func TestAuditNeedsDatabase(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"audit", "verify"}, {"audit", "head"}} {
		if _, code, err := runAudit(t, "", args...); code != 2 {
			t.Errorf("%v without DATABASE_URL: got exit %d (%v), want 2", args, code, err)
		}
	}
}
