package audit

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/obieg/obieg/internal/dev/devstack/stacktest"
)

func TestMain(m *testing.M) { stacktest.Main(m) }

var t0 = time.Date(2026, 3, 2, 9, 15, 0, 123456789, time.UTC)

// entry returns the i-th entry of a test chain: reads and transitions of two cases.
func entry(i int) Entry {
	ref := "OIS.5131.1.2026"
	if i%2 == 1 {
		ref = "WPS-I.0570.3.2026"
	}
	return Entry{
		OccurredAt: t0.Add(time.Duration(i) * time.Minute),
		Actor:      fmt.Sprintf("clerk%d", i%3),
		ActorRole:  "clerk",
		Action:     ActionCaseRead,
		ObjectType: "case",
		ObjectID:   ref,
		Unit:       strings.SplitN(ref, ".", 2)[0],
		Details:    map[string]any{"status": "open", "i": i, "doc": map[string]any{"id": fmt.Sprint(i), "tags": []any{"a", "b"}}},
	}
}

// chain appends n entries to a fresh log and returns it with its pool.
func chain(t testing.TB, n int) (*Log, *pgxpool.Pool) {
	t.Helper()
	pool, _ := stacktest.Pool(t)
	l := New(pool)
	for i := 1; i <= n; i++ {
		if _, err := l.Append(context.Background(), entry(i)); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
	}
	return l, pool
}

func TestAppendVerifyList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := stacktest.Pool(t)
	l := New(pool)

	rep, err := l.Verify(ctx, 0, 0)
	if err != nil || !rep.Intact || rep.Checked != 0 {
		t.Fatalf("empty log: Verify = %+v, %v; want intact, 0 checked", rep, err)
	}

	var appended []Recorded
	for i := 1; i <= 7; i++ {
		r, err := l.Append(ctx, entry(i))
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		if r.Seq != int64(i) {
			t.Errorf("append %d: got seq %d, want %d", i, r.Seq, i)
		}
		if i == 1 && r.PrevHash != (Hash{}) {
			t.Errorf("first entry: got prev_hash %s, want zeros", r.PrevHash)
		}
		if i > 1 && r.PrevHash != appended[i-2].Hash {
			t.Errorf("entry %d: prev_hash %s is not entry %d's hash %s", i, r.PrevHash, i-1, appended[i-2].Hash)
		}
		appended = append(appended, r)
	}

	rep, err = l.Verify(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Intact || rep.Checked != 7 || rep.From != 1 || rep.To != 7 || rep.LastHash != appended[6].Hash || rep.HeadHash != appended[6].Hash {
		t.Errorf("Verify = %+v; want intact, 7 checked, last hash %s", rep, appended[6].Hash)
	}
	seq, head, err := l.Head(ctx)
	if err != nil || seq != 7 || head != appended[6].Hash {
		t.Errorf("Head = %d, %s, %v; want 7, %s", seq, head, err, appended[6].Hash)
	}
	rep, err = l.Verify(ctx, 3, 5)
	if err != nil || !rep.Intact || rep.Checked != 3 || rep.LastHash != appended[4].Hash {
		t.Errorf("Verify(3, 5) = %+v, %v; want intact, 3 checked", rep, err)
	}
	rep, err = l.Verify(ctx, 9, 0)
	if err != nil || !rep.Intact || rep.Checked != 0 {
		t.Errorf("Verify(9, 0) on 7 entries = %+v, %v; want intact, nothing checked", rep, err)
	}
	if _, err := l.Verify(ctx, 5, 3); !errors.Is(err, ErrInvalid) {
		t.Errorf("Verify(5, 3): got %v, want ErrInvalid", err)
	}

	history, err := l.List(ctx, Filter{ObjectType: "case", ObjectID: "WPS-I.0570.3.2026"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Recorded{appended[0], appended[2], appended[4], appended[6]}
	if !reflect.DeepEqual(history, want) {
		t.Errorf("case history:\ngot  %+v\nwant %+v", history, want)
	}
	byActor, err := l.List(ctx, Filter{Actor: "clerk1", AfterSeq: 1, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(byActor) != 1 || byActor[0].Seq != 4 {
		t.Errorf("clerk1 after 1, limit 1: got %+v, want entry 4", byActor)
	}
}

// TestDetailsSurviveJSONB checks that details PostgreSQL's jsonb stores differently (keys
// reordered, escapes decoded, spacing) still hash the same when read back.
func TestDetailsSurviveJSONB(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := stacktest.Pool(t)
	l := New(pool)
	for i, d := range []map[string]any{
		nil,
		{},
		{"long key first": 1, "b": 2, "a": 3, "ą": 4, "Z": 5},
		{"s": "<&> \"quoted\" back\\slash\nnew line\ttab \u2028 \u00e9 zażółć 😀 \x7f"},
		{"n": []any{int64(9223372036854775807), int64(-9223372036854775808), 0, -1}},
		{"deep": map[string]any{"x": []any{map[string]any{"y": nil, "z": true}, []any{}, map[string]any{}}}},
		{"": "empty key", "k": ""},
	} {
		e := entry(i)
		e.Details = d
		if _, err := l.Append(ctx, e); err != nil {
			t.Fatalf("append %v: %v", d, err)
		}
	}
	if rep, err := l.Verify(ctx, 0, 0); err != nil || !rep.Intact {
		t.Errorf("Verify = %+v, %v; want intact", rep, err)
	}
}

func TestConcurrentAppends(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := stacktest.Pool(t)
	l := New(pool)
	const workers, each = 8, 25
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		seqs = map[int64]bool{}
	)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				e := entry(w*each + i)
				r, err := l.Append(ctx, e)
				if err != nil {
					t.Errorf("worker %d append %d: %v", w, i, err)
					return
				}
				mu.Lock()
				seqs[r.Seq] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for s := int64(1); s <= workers*each; s++ {
		if !seqs[s] {
			t.Errorf("seq %d was not handed out", s)
		}
	}
	rep, err := l.Verify(ctx, 0, 0)
	if err != nil || !rep.Intact || rep.Checked != workers*each {
		t.Errorf("Verify = %+v, %v; want intact with %d entries", rep, err, workers*each)
	}
}

// tamper runs sql against the log's table with its triggers disabled, as the table owner or
// a superuser could.
func tamper(t testing.TB, pool *pgxpool.Pool, sql string, args ...any) {
	t.Helper()
	ctx := context.Background()
	for _, s := range []string{
		"ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
		"ALTER TABLE audit_head DISABLE TRIGGER audit_head_forward_only",
	} {
		if _, err := pool.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if _, err := pool.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("tamper: %v", err)
	}
}

// rehash recomputes the stored hash of entry seq from its (changed) content, as an attacker
// who knows the encoding would.
func rehash(t testing.TB, l *Log, pool *pgxpool.Pool, seq int64) Hash {
	t.Helper()
	ctx := context.Background()
	rows, err := pool.Query(ctx, selectEntries+" WHERE seq = $1", seq)
	if err != nil {
		t.Fatal(err)
	}
	r, err := pgx.CollectExactlyOneRow(rows, scanRow)
	if err != nil {
		t.Fatal(err)
	}
	details, _, err := canonicalJSON(r.details)
	if err != nil {
		t.Fatal(err)
	}
	var prev Hash
	copy(prev[:], r.prev)
	h, err := entryHash(int(r.version), r.seq, &r.entry, details, prev)
	if err != nil {
		t.Fatal(err)
	}
	tamper(t, pool, "UPDATE audit_log SET hash = $1 WHERE seq = $2", h[:], seq)
	return h
}

const swap45 = `
	UPDATE audit_log a SET (version, occurred_at, actor, actor_role, action, object_type, object_id,
		unit_code, details, idempotency_key, prev_hash, hash) =
		(SELECT b.version, b.occurred_at, b.actor, b.actor_role, b.action, b.object_type, b.object_id,
			b.unit_code, b.details, b.idempotency_key, b.prev_hash, b.hash
		 FROM audit_log b WHERE b.seq = CASE a.seq WHEN 4 THEN 5 ELSE 4 END)
	WHERE a.seq IN (4, 5)`

func TestVerifyFindsTampering(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(t *testing.T, l *Log, pool *pgxpool.Pool)
		seq    int64
		reason Reason
	}{
		{"detail updated", func(t *testing.T, l *Log, pool *pgxpool.Pool) {
			tamper(t, pool, `UPDATE audit_log SET details = jsonb_set(details, '{status}', '"closed"') WHERE seq = 4`)
		}, 4, ReasonChanged},
		{"actor updated", func(t *testing.T, l *Log, pool *pgxpool.Pool) {
			tamper(t, pool, `UPDATE audit_log SET actor = 'someone' WHERE seq = 6`)
		}, 6, ReasonChanged},
		{"time moved by a microsecond", func(t *testing.T, l *Log, pool *pgxpool.Pool) {
			tamper(t, pool, `UPDATE audit_log SET occurred_at = occurred_at + interval '1 microsecond' WHERE seq = 2`)
		}, 2, ReasonChanged},
		{"idempotency key set", func(t *testing.T, l *Log, pool *pgxpool.Pool) {
			tamper(t, pool, `UPDATE audit_log SET idempotency_key = 'x' WHERE seq = 3`)
		}, 3, ReasonChanged},
		{"first entry deleted", func(t *testing.T, l *Log, pool *pgxpool.Pool) {
			tamper(t, pool, `DELETE FROM audit_log WHERE seq = 1`)
		}, 1, ReasonRemoved},
		{"entry deleted", func(t *testing.T, l *Log, pool *pgxpool.Pool) {
			tamper(t, pool, `DELETE FROM audit_log WHERE seq = 4`)
		}, 4, ReasonRemoved},
		{"entry deleted and later ones renumbered", func(t *testing.T, l *Log, pool *pgxpool.Pool) {
			tamper(t, pool, `DELETE FROM audit_log WHERE seq = 4`)
			for s := 5; s <= 10; s++ {
				tamper(t, pool, `UPDATE audit_log SET seq = seq - 1 WHERE seq = $1`, s)
			}
		}, 4, ReasonReordered},
		{"last entry deleted", func(t *testing.T, l *Log, pool *pgxpool.Pool) {
			tamper(t, pool, `DELETE FROM audit_log WHERE seq = 10`)
		}, 10, ReasonRemoved},
		{"contents of two entries swapped", func(t *testing.T, l *Log, pool *pgxpool.Pool) {
			tamper(t, pool, swap45)
		}, 4, ReasonReordered},
		{"entry changed and rehashed, next link not fixed", func(t *testing.T, l *Log, pool *pgxpool.Pool) {
			tamper(t, pool, `UPDATE audit_log SET object_id = 'OIS.5131.99.2026' WHERE seq = 4`)
			rehash(t, l, pool, 4)
		}, 5, ReasonReordered},
		{"last entry changed and rehashed", func(t *testing.T, l *Log, pool *pgxpool.Pool) {
			tamper(t, pool, `UPDATE audit_log SET action = 'case.closed' WHERE seq = 10`)
			rehash(t, l, pool, 10)
		}, 10, ReasonChanged},
		{"entry inserted beyond the head", func(t *testing.T, l *Log, pool *pgxpool.Pool) {
			tamper(t, pool, `INSERT INTO audit_log SELECT 11, version, occurred_at, actor, actor_role, action,
				object_type, object_id, unit_code, details, NULL, hash, hash FROM audit_log WHERE seq = 10`)
		}, 11, ReasonAdded},
		{"head rolled back", func(t *testing.T, l *Log, pool *pgxpool.Pool) {
			tamper(t, pool, `UPDATE audit_head SET seq = 9, hash = (SELECT hash FROM audit_log WHERE seq = 9)`)
		}, 10, ReasonAdded},
		{"version changed", func(t *testing.T, l *Log, pool *pgxpool.Pool) {
			tamper(t, pool, `UPDATE audit_log SET version = 2 WHERE seq = 7`)
		}, 7, ReasonChanged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			l, pool := chain(t, 10)
			tt.change(t, l, pool)
			rep, err := l.Verify(ctx, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Intact || rep.Broken == nil {
				t.Fatalf("Verify = %+v; want broken at %d (%s)", rep, tt.seq, tt.reason)
			}
			if rep.Broken.Seq != tt.seq || rep.Broken.Reason != tt.reason {
				t.Errorf("got broken at %d (%s: %s), want %d (%s)", rep.Broken.Seq, rep.Broken.Reason, rep.Broken.Detail, tt.seq, tt.reason)
			}
			if rep.Checked != tt.seq-1 {
				t.Errorf("got %d checked, want %d", rep.Checked, tt.seq-1)
			}
		})
	}
}

// TestVerifyRange checks that a range before a change verifies, and one across it does not.
func TestVerifyRange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l, pool := chain(t, 10)
	tamper(t, pool, `UPDATE audit_log SET unit_code = 'X' WHERE seq = 6`)
	if rep, err := l.Verify(ctx, 1, 5); err != nil || !rep.Intact {
		t.Errorf("Verify(1, 5) = %+v, %v; want intact", rep, err)
	}
	if rep, err := l.Verify(ctx, 7, 0); err != nil || !rep.Intact {
		t.Errorf("Verify(7, 0) = %+v, %v; want intact (entry 6's stored hash is trusted)", rep, err)
	}
	if rep, err := l.Verify(ctx, 5, 8); err != nil || rep.Broken == nil || rep.Broken.Seq != 6 {
		t.Errorf("Verify(5, 8) = %+v, %v; want broken at 6", rep, err)
	}
	tamper(t, pool, `DELETE FROM audit_log WHERE seq = 2`)
	if rep, err := l.Verify(ctx, 3, 4); err != nil || rep.Broken == nil || rep.Broken.Seq != 2 || rep.Broken.Reason != ReasonRemoved {
		t.Errorf("Verify(3, 4) = %+v, %v; want entry 2 removed", rep, err)
	}
}

func TestTriggersRefuseChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, pool := chain(t, 3)
	for _, sql := range []string{
		`UPDATE audit_log SET actor = 'x' WHERE seq = 2`,
		`DELETE FROM audit_log WHERE seq = 3`,
		`TRUNCATE audit_log`,
		`DELETE FROM audit_head`,
		`TRUNCATE audit_head`,
		`UPDATE audit_head SET seq = 2`,
		`UPDATE audit_head SET seq = 5`,
	} {
		_, err := pool.Exec(ctx, sql)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
			t.Errorf("%s: got %v, want refused (insufficient_privilege)", sql, err)
		}
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM audit_log`).Scan(&n); err != nil || n != 3 {
		t.Errorf("got %d entries (%v), want 3", n, err)
	}
}

func TestAppendRefusesInvalid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := stacktest.Pool(t)
	l := New(pool)
	tests := []struct {
		name   string
		change func(e *Entry)
	}{
		{"pesel key", func(e *Entry) { e.Details = map[string]any{"pesel": "x"} }},
		{"pesel key in other case", func(e *Entry) { e.Details = map[string]any{"applicant_PESEL": "x"} }},
		{"nested pesel key", func(e *Entry) {
			e.Details = map[string]any{"members": []any{map[string]any{"Pesel": "x"}}}
		}},
		{"pesel value", func(e *Entry) { e.Details = map[string]any{"id": "44051401359"} }},
		{"pesel object id", func(e *Entry) { e.ObjectID = "44051401359" }},
		{"fraction", func(e *Entry) { e.Details = map[string]any{"amount": 12.5} }},
		{"nul", func(e *Entry) { e.Details = map[string]any{"note": "a\x00b"} }},
		{"no time", func(e *Entry) { e.OccurredAt = time.Time{} }},
		{"no actor", func(e *Entry) { e.Actor = "" }},
		{"no object type", func(e *Entry) { e.ObjectType = "" }},
		{"action not a code", func(e *Entry) { e.Action = "Read case" }},
		{"invalid utf-8", func(e *Entry) { e.Actor = "a\xffb" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := entry(1)
			tt.change(&e)
			if _, err := l.Append(ctx, e); !errors.Is(err, ErrInvalid) {
				t.Errorf("got %v, want ErrInvalid", err)
			}
		})
	}
	if seq, _, err := l.Head(ctx); err != nil || seq != 0 {
		t.Errorf("head at %d (%v) after refused appends, want 0", seq, err)
	}
}

func TestIdempotentAppend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l, pool := chain(t, 2)
	e := entry(3)
	e.IdempotencyKey = "submission/epuap/123:registered"
	first, err := l.Append(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append(ctx, entry(4)); err != nil {
		t.Fatal(err)
	}
	again := entry(5) // a retry with other content still returns the first entry
	again.IdempotencyKey = e.IdempotencyKey
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			r, err := l.Append(ctx, again)
			if err != nil {
				t.Errorf("append again: %v", err)
				return
			}
			if !reflect.DeepEqual(r, first) {
				t.Errorf("append again:\ngot  %+v\nwant %+v", r, first)
			}
		})
	}
	wg.Wait()
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM audit_log`).Scan(&n); err != nil || n != 4 {
		t.Errorf("got %d entries (%v), want 4", n, err)
	}
	if rep, err := l.Verify(ctx, 0, 0); err != nil || !rep.Intact {
		t.Errorf("Verify = %+v, %v; want intact", rep, err)
	}
}

// TestAppendTx checks that an entry appended in a transaction that rolls back leaves no
// trace and no gap, and that one that commits is there with the caller's change.
func TestAppendTx(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l, pool := chain(t, 1)
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := l.AppendTx(ctx, tx, entry(2)); err != nil || r.Seq != 2 {
		t.Fatalf("AppendTx = %d, %v; want seq 2", r.Seq, err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO units (code, name) VALUES ('OIS', 'Obserwatorium')`); err != nil {
			return err
		}
		r, err := l.AppendTx(ctx, tx, entry(3))
		if err == nil && r.Seq != 2 {
			err = fmt.Errorf("got seq %d, want 2", r.Seq)
		}
		return err
	})
	if err != nil {
		t.Fatalf("append with a change: %v", err)
	}
	if rep, err := l.Verify(ctx, 0, 0); err != nil || !rep.Intact || rep.Checked != 2 {
		t.Errorf("Verify = %+v, %v; want intact with 2 entries", rep, err)
	}
}

func BenchmarkAppend(b *testing.B) {
	ctx := context.Background()
	pool, _ := stacktest.Pool(b)
	l := New(pool)
	e := entry(1)
	for b.Loop() {
		if _, err := l.Append(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify10k(b *testing.B) {
	ctx := context.Background()
	pool, _ := stacktest.Pool(b)
	l := New(pool)
	const n = 10000
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		for i := range n {
			if _, err := l.AppendTx(ctx, tx, entry(i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rep, err := l.Verify(ctx, 0, 0)
		if err != nil || !rep.Intact || rep.Checked != n {
			b.Fatalf("Verify = %+v, %v", rep, err)
		}
	}
}
