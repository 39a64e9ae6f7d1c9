package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/obieg/obieg/internal/domain/casefile"
)

// ErrInvalid means an entry cannot be recorded as given: a required field is missing, the
// action code is malformed, or the details hold a personal identifier or a value that would
// not survive storage unchanged. Retrying does not help.
var ErrInvalid = errors.New("invalid audit entry")

// SystemActor is the actor of entries recorded by workflows rather than by a person.
const SystemActor = casefile.SystemActor

// Action codes in use. An action code is lower-case words joined by dots, the object first.
const (
	ActionCaseOpened            = "case.opened"
	ActionCaseRead              = "case.read"
	ActionSubmissionRegistered  = "submission.registered"
	ActionSubmissionQuarantined = "submission.quarantined"
	ActionAuthLogin             = "auth.login"
	ActionAuthDenied            = "auth.denied"
)

var actionPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)

// Entry is one event to record: who did what to which object, when.
type Entry struct {
	// OccurredAt is when the event happened, given by the caller (a workflow's time, a
	// request's time); it is kept to the microsecond.
	OccurredAt time.Time `json:"occurred_at"`
	// Actor is the username of who acted, or SystemActor.
	Actor string `json:"actor"`
	// ActorRole is the actor's role at the time (registry, clerk, head, archivist, admin,
	// system).
	ActorRole string `json:"actor_role"`
	// Action is a stable code such as ActionCaseRead.
	Action string `json:"action"`
	// ObjectType and ObjectID name what was acted on: "case" and a case reference,
	// "submission" and its id, "user" and a username.
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id"`
	// Unit is the code of the organisational unit the object belongs to, if any.
	Unit string `json:"unit_code"`
	// Details are further facts as a JSON object: document ids, statuses, reasons. Never
	// PESEL or other personal identifiers: a key containing "pesel" or a string value that is
	// a valid PESEL is refused. Numbers must be 64-bit integers; put other numbers in strings.
	Details map[string]any `json:"details"`
	// IdempotencyKey, when not empty, makes the append happen once: appending again with the
	// same key returns the entry first recorded with it. Use a business key, such as the
	// workflow id and the step.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
}

// Recorded is an entry as stored in the log, with its place in the chain.
type Recorded struct {
	Seq int64 `json:"seq"`
	Entry
	// Version is the version of the hash encoding.
	Version  int  `json:"version"`
	PrevHash Hash `json:"prev_hash"`
	Hash     Hash `json:"hash"`
}

// Log is the audit log in PostgreSQL.
type Log struct {
	pool *pgxpool.Pool
}

// New returns the log kept in pool's database.
func New(pool *pgxpool.Pool) *Log { return &Log{pool: pool} }

// Append records e at the end of the chain in its own transaction and returns it as stored.
// With an IdempotencyKey already in the log it records nothing and returns the entry first
// recorded under that key. Errors wrap ErrInvalid when e cannot be recorded.
func (l *Log) Append(ctx context.Context, e Entry) (Recorded, error) {
	var r Recorded
	err := pgx.BeginFunc(ctx, l.pool, func(tx pgx.Tx) error {
		var err error
		r, err = l.AppendTx(ctx, tx, e)
		return err
	})
	return r, err
}

// AppendTx records e inside the caller's transaction tx, so that a change and its audit
// entry commit or roll back together; otherwise it is Append. It locks the chain head until
// tx ends, which serializes every other append: keep tx short. tx must run at READ COMMITTED
// (PostgreSQL's default); at a stricter isolation level a concurrent append makes it fail
// with a serialization error, to be retried as a whole.
func (l *Log) AppendTx(ctx context.Context, tx pgx.Tx, e Entry) (Recorded, error) {
	details, decoded, err := prepare(&e)
	if err != nil {
		return Recorded{}, fmt.Errorf("append audit %s: %w", e.Action, err)
	}
	var (
		headSeq  int64
		headHash []byte
	)
	if err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit_head FOR UPDATE`).Scan(&headSeq, &headHash); err != nil {
		return Recorded{}, fmt.Errorf("append audit %s: lock chain head: %w", e.Action, err)
	}
	if e.IdempotencyKey != "" {
		// Under the head lock: an append with this key committed before it is visible now.
		rows, err := tx.Query(ctx, selectEntries+` WHERE idempotency_key = $1`, e.IdempotencyKey)
		if err != nil {
			return Recorded{}, fmt.Errorf("append audit %s: look up idempotency key: %w", e.Action, err)
		}
		existing, err := pgx.CollectRows(rows, scanRow)
		if err != nil {
			return Recorded{}, fmt.Errorf("append audit %s: look up idempotency key: %w", e.Action, err)
		}
		if len(existing) > 0 {
			return existing[0].recorded()
		}
	}
	r := Recorded{Seq: headSeq + 1, Entry: e, Version: Version}
	r.Details = decoded
	copy(r.PrevHash[:], headHash)
	if r.Hash, err = entryHash(r.Version, r.Seq, &r.Entry, details, r.PrevHash); err != nil {
		return Recorded{}, err
	}
	var key *string
	if e.IdempotencyKey != "" {
		key = &e.IdempotencyKey
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO audit_log (seq, version, occurred_at, actor, actor_role, action, object_type,
			object_id, unit_code, details, idempotency_key, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13)`,
		r.Seq, r.Version, r.OccurredAt, r.Actor, r.ActorRole, r.Action, r.ObjectType,
		r.ObjectID, r.Unit, string(details), key, r.PrevHash[:], r.Hash[:]); err != nil {
		return Recorded{}, fmt.Errorf("append audit %s: insert entry %d: %w", e.Action, r.Seq, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE audit_head SET seq = $1, hash = $2`, r.Seq, r.Hash[:]); err != nil {
		return Recorded{}, fmt.Errorf("append audit %s: advance chain head: %w", e.Action, err)
	}
	return r, nil
}

// prepare checks e, normalizes its time and returns its details in canonical JSON and as
// they will read back.
func prepare(e *Entry) ([]byte, map[string]any, error) {
	if e.OccurredAt.IsZero() {
		return nil, nil, fmt.Errorf("%w: no time", ErrInvalid)
	}
	e.OccurredAt = micro(e.OccurredAt).UTC()
	if e.Actor == "" {
		return nil, nil, fmt.Errorf("%w: no actor", ErrInvalid)
	}
	if !actionPattern.MatchString(e.Action) {
		return nil, nil, fmt.Errorf("%w: action %q is not a code like case.read", ErrInvalid, e.Action)
	}
	if e.ObjectType == "" {
		return nil, nil, fmt.Errorf("%w: no object type", ErrInvalid)
	}
	for name, s := range map[string]string{
		"actor": e.Actor, "actor role": e.ActorRole, "object type": e.ObjectType,
		"object id": e.ObjectID, "unit": e.Unit, "idempotency key": e.IdempotencyKey,
	} {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return nil, nil, fmt.Errorf("%w: %s %q is not valid text", ErrInvalid, name, s)
		}
	}
	if isPESEL(e.ObjectID) {
		return nil, nil, fmt.Errorf("%w: object id looks like a PESEL: no PESEL in the audit log", ErrInvalid)
	}
	return canonicalDetails(e.Details)
}

// Head returns the sequence number and hash of the last entry (0 and 32 zero bytes while the
// log is empty). Writing them down outside the database from time to time (a printed report,
// a ticket, another system's log) anchors the chain: Verify then proves that nothing up to
// that entry was changed since, even by someone able to rewrite the whole table.
func (l *Log) Head(ctx context.Context) (int64, Hash, error) {
	var (
		seq int64
		b   []byte
		h   Hash
	)
	if err := l.pool.QueryRow(ctx, `SELECT seq, hash FROM audit_head`).Scan(&seq, &b); err != nil {
		return 0, h, fmt.Errorf("read audit chain head: %w", err)
	}
	copy(h[:], b)
	return seq, h, nil
}

// Filter selects entries for List. Empty fields do not narrow.
type Filter struct {
	// ObjectType and ObjectID select the history of one object, such as a case file
	// ("case", its reference): the metryka sprawy.
	ObjectType string
	ObjectID   string
	// Actor selects what one person (or SystemActor) did.
	Actor string
	// AfterSeq starts the list after this entry, to page through a long history.
	AfterSeq int64
	// Limit caps the number of entries; 0 means 1000.
	Limit int
}

// List returns the entries matching f in the order they were recorded.
func (l *Log) List(ctx context.Context, f Filter) ([]Recorded, error) {
	if f.Limit <= 0 {
		f.Limit = 1000
	}
	where := []string{"seq > $1"}
	args := []any{f.AfterSeq}
	for _, c := range []struct{ col, val string }{
		{"object_type", f.ObjectType}, {"object_id", f.ObjectID}, {"actor", f.Actor},
	} {
		if c.val != "" {
			args = append(args, c.val)
			where = append(where, c.col+" = $"+strconv.Itoa(len(args)))
		}
	}
	args = append(args, f.Limit)
	rows, err := l.pool.Query(ctx, selectEntries+" WHERE "+strings.Join(where, " AND ")+
		" ORDER BY seq LIMIT $"+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("list audit entries: %w", err)
	}
	list, err := pgx.CollectRows(rows, scanRow)
	if err != nil {
		return nil, fmt.Errorf("list audit entries: %w", err)
	}
	out := make([]Recorded, 0, len(list))
	for _, r := range list {
		rec, err := r.recorded()
		if err != nil {
			return nil, fmt.Errorf("list audit entries: %w", err)
		}
		out = append(out, rec)
	}
	return out, nil
}

const selectEntries = `
	SELECT seq, version, occurred_at, actor, actor_role, action, object_type, object_id,
		unit_code, details, idempotency_key, prev_hash, hash
	FROM audit_log`

// row is an entry as read, details still raw.
type row struct {
	seq        int64
	version    int16
	entry      Entry
	details    []byte
	key        *string
	prev, hash []byte
}

func scanRow(cr pgx.CollectableRow) (row, error) {
	var r row
	err := cr.Scan(&r.seq, &r.version, &r.entry.OccurredAt, &r.entry.Actor, &r.entry.ActorRole,
		&r.entry.Action, &r.entry.ObjectType, &r.entry.ObjectID, &r.entry.Unit, &r.details, &r.key,
		&r.prev, &r.hash)
	if r.key != nil {
		r.entry.IdempotencyKey = *r.key
	}
	r.entry.OccurredAt = r.entry.OccurredAt.UTC()
	return r, err
}

// recorded converts r into a Recorded, decoding its details. It does not check them: a
// history must stay readable even when an entry was tampered with (Verify finds that).
func (r row) recorded() (Recorded, error) {
	dec := json.NewDecoder(bytes.NewReader(r.details))
	dec.UseNumber()
	var details map[string]any
	if err := dec.Decode(&details); err != nil {
		return Recorded{}, fmt.Errorf("entry %d: decode details: %w", r.seq, err)
	}
	if details == nil {
		details = map[string]any{}
	}
	rec := Recorded{Seq: r.seq, Entry: r.entry, Version: int(r.version)}
	rec.Details = details
	copy(rec.PrevHash[:], r.prev)
	copy(rec.Hash[:], r.hash)
	return rec, nil
}
