// Package audit keeps obieg's tamper-evident audit log: an append-only, hash-chained record
// of every action on and every read of a case file, and of logins and refusals. A case's
// history (metryka sprawy) is the list of its entries (List with ObjectType "case").
//
// # The chain
//
// Each entry gets the next sequence number, without gaps: appends lock the one-row chain
// head (table audit_head) in their transaction, so they serialize and a rolled-back append
// leaves no hole. Each entry stores the hash of the entry before it (prev_hash; 32 zero bytes
// for the first) and its own hash: SHA-256 over a versioned, length-prefixed encoding of
// its sequence number, time (UTC, microseconds), actor, actor role, action, object type and
// id, unit, details (canonical JSON with sorted keys), idempotency key and prev_hash. The
// head row holds the last sequence number and hash.
//
// Verify walks the chain in order and names the first entry that was changed (its content
// no longer hashes to its stored hash), removed (a gap in the sequence, or the log ends
// before the head), reordered (its prev_hash is not the hash of the entry before it) or
// added beyond the head. `obieg audit verify` runs it.
//
// # Hash encoding, version 1
//
// An independent verifier can be written from this (hash_test.go pins a test vector). The
// input to SHA-256 is the concatenation of these fields, each written as its length in
// bytes (4 bytes, big-endian) followed by its bytes:
//
//	"obieg.audit.v1"
//	seq              8 bytes, big-endian
//	occurred_at      UTC, layout "2006-01-02T15:04:05.000000Z" (always 6 fraction digits)
//	actor            UTF-8
//	actor_role       UTF-8
//	action           UTF-8
//	object_type      UTF-8
//	object_id        UTF-8
//	unit_code        UTF-8
//	details          canonical JSON, below
//	idempotency_key  UTF-8, empty when none
//	prev_hash        32 bytes
//
// Canonical JSON is the details object re-encoded with object keys sorted by their UTF-8
// bytes, no whitespace, strings as UTF-8 escaped as Go's encoding/json does with HTML
// escaping off: " and \ and \b \f \n \r \t with a backslash, other characters below
// U+0020 and U+2028, U+2029 as \u00xx and \u2028, \u2029 (lower-case hex), all else as is.
// Numbers are 64-bit integers written in plain decimal; Append refuses any other number,
// since PostgreSQL's jsonb would rewrite it. The version column of each row says which
// encoding its hash uses; a future version gets a new tag and the old rows keep theirs.
//
// # What it proves and what it does not
//
// The database refuses UPDATE, DELETE and TRUNCATE of audit_log with triggers, which stops
// mistakes and every role but the table's owner and superusers. Those can disable the
// triggers; the chain is for them: any edit, deletion or reordering of existing entries
// breaks it, and Verify finds where. (By default obieg's processes connect with the
// DATABASE_URL that ran the migrations, so they own the table; a deployment that wants the triggers to bind obieg
// itself runs migrations as another role and grants obieg's role only SELECT and INSERT on
// audit_log and SELECT and UPDATE on audit_head.)
//
// The chain does not prove that nothing was rewritten by someone who can write the database
// freely: such a person can recompute every hash from the first changed entry to the end and
// the head with it, and the chain verifies again. Only a head written down outside the
// database defeats that. An administrator should regularly record the output of
// `obieg audit head` (sequence number and hash) somewhere the database's administrators
// cannot change: a signed report, a ticket, another organisation's system, paper. Later,
// `obieg audit verify --anchor N:HASH` proves entries 1..N are those that were anchored;
// only entries after the last anchor can have been rewritten undetectably. Nor does the log
// prove that an event was recorded at all: it records what obieg's code appends, at the time
// the caller gives.
//
// # Personal data
//
// Entries name users by username and objects by reference or id. Details must not hold PESEL
// or other personal identifiers: the log is kept as long as the cases and read by
// administrators and auditors. Append refuses a details key containing "pesel" and a string
// value that is a valid PESEL (11 digits with a correct check digit).
package audit
