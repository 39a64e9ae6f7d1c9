package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Reason says how the chain is broken.
type Reason string

// Reasons Verify gives for the first broken entry.
const (
	// ReasonChanged: the entry's content no longer matches its hash, or (at the head) its
	// hash no longer matches the chain head: it was edited.
	ReasonChanged Reason = "changed"
	// ReasonRemoved: the entry is missing, a gap in the sequence (or the log ends before
	// the chain head): it was deleted.
	ReasonRemoved Reason = "removed"
	// ReasonReordered: the entry's prev_hash is not the hash of the entry before it: entries
	// were moved, or the entry before was edited and its hash recomputed.
	ReasonReordered Reason = "reordered"
	// ReasonAdded: an entry lies beyond the chain head: it was inserted outside obieg.
	ReasonAdded Reason = "added"
)

// Break is where and why the chain is broken.
type Break struct {
	Seq    int64  `json:"seq"`
	Reason Reason `json:"reason"`
	Detail string `json:"detail"`
}

// Report is the outcome of Verify.
type Report struct {
	// From and To are the range of sequence numbers verified.
	From int64 `json:"from"`
	To   int64 `json:"to"`
	// Checked is how many entries were checked before the first break (all when intact).
	Checked int64 `json:"checked"`
	// LastHash is the hash of the last entry checked: compare it with a head written down
	// earlier (see Log.Head) to prove nothing before it was rewritten.
	LastHash Hash `json:"last_hash"`
	// HeadSeq and HeadHash are the chain head when verification began.
	HeadSeq  int64 `json:"head_seq"`
	HeadHash Hash  `json:"head_hash"`
	// Intact is true when no break was found; Broken is the first break otherwise.
	Intact bool   `json:"intact"`
	Broken *Break `json:"broken,omitempty"`
}

// verifyBatch is how many entries Verify reads at a time.
const verifyBatch = 1000

// Verify checks the entries from..to (inclusive; from 0 means the first, to 0 means the
// chain head when it starts) and reports the first one broken: removed (a gap in seq),
// reordered (its link to the entry before is broken), changed (its content does not match
// its hash). Verifying up to the head also checks the last entry against the chain head and
// that nothing lies beyond it. The link of entry from is checked against the stored hash of
// entry from-1, which is trusted. Entries are read in batches, never all at once; appends
// made meanwhile are not verified. A broken chain is a Report, not an error; the error is
// for failing to read the log, or (wrapping ErrInvalid) for a range with to before from.
func (l *Log) Verify(ctx context.Context, from, to int64) (Report, error) {
	if from < 1 {
		from = 1
	}
	if to != 0 && to < from {
		return Report{}, fmt.Errorf("%w: verify range %d..%d ends before it starts", ErrInvalid, from, to)
	}
	var (
		rep      = Report{From: from}
		headHash []byte
		maxSeq   *int64
	)
	// One statement, one snapshot: the head and the highest seq agree.
	if err := l.pool.QueryRow(ctx, `SELECT h.seq, h.hash, (SELECT max(seq) FROM audit_log) FROM audit_head h`).
		Scan(&rep.HeadSeq, &headHash, &maxSeq); err != nil {
		return Report{}, fmt.Errorf("verify audit log: read chain head: %w", err)
	}
	copy(rep.HeadHash[:], headHash)
	rep.To = rep.HeadSeq
	if to != 0 && to < rep.To {
		rep.To = to
	}
	toHead := rep.To == rep.HeadSeq
	if from > rep.To {
		rep.Intact = true // nothing in the range yet
		return rep, nil
	}

	var prev Hash
	if from > 1 {
		var b []byte
		err := l.pool.QueryRow(ctx, `SELECT hash FROM audit_log WHERE seq = $1`, from-1).Scan(&b)
		if errors.Is(err, pgx.ErrNoRows) {
			return rep.broken(from-1, ReasonRemoved, fmt.Sprintf("entry %d, before the range, is missing", from-1)), nil
		}
		if err != nil {
			return Report{}, fmt.Errorf("verify audit log: read entry %d: %w", from-1, err)
		}
		copy(prev[:], b)
	}

	next := from
	for next <= rep.To {
		rows, err := l.pool.Query(ctx, selectEntries+` WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
			next, rep.To, verifyBatch)
		if err != nil {
			return Report{}, fmt.Errorf("verify audit log from %d: %w", next, err)
		}
		batch, err := pgx.CollectRows(rows, scanRow)
		if err != nil {
			return Report{}, fmt.Errorf("verify audit log from %d: %w", next, err)
		}
		if len(batch) == 0 {
			break
		}
		for _, r := range batch {
			if r.seq != next {
				return rep.broken(next, ReasonRemoved, missing(next, r.seq-1)), nil
			}
			if !bytes.Equal(r.prev, prev[:]) {
				return rep.broken(r.seq, ReasonReordered, fmt.Sprintf(
					"prev_hash %x is not the hash of entry %d (%s)", r.prev, r.seq-1, prev)), nil
			}
			details, _, err := canonicalJSON(r.details)
			if err != nil {
				return rep.broken(r.seq, ReasonChanged, fmt.Sprintf("details cannot be read: %v", err)), nil
			}
			h, err := entryHash(int(r.version), r.seq, &r.entry, details, prev)
			if err != nil {
				return rep.broken(r.seq, ReasonChanged, err.Error()), nil
			}
			if !bytes.Equal(h[:], r.hash) {
				return rep.broken(r.seq, ReasonChanged, fmt.Sprintf(
					"content hashes to %s, stored hash is %x", h, r.hash)), nil
			}
			prev = h
			rep.LastHash = h
			rep.Checked++
			next++
		}
	}
	if next <= rep.To {
		return rep.broken(next, ReasonRemoved, missing(next, rep.To)+fmt.Sprintf(" (the chain head is at %d)", rep.HeadSeq)), nil
	}
	if toHead && rep.To > 0 && prev != rep.HeadHash {
		rep.Checked--
		return rep.broken(rep.To, ReasonChanged, fmt.Sprintf(
			"hash %s differs from the chain head's %s", prev, rep.HeadHash)), nil
	}
	if toHead && maxSeq != nil && *maxSeq > rep.HeadSeq {
		return rep.broken(rep.HeadSeq+1, ReasonAdded, fmt.Sprintf(
			"entries up to %d lie beyond the chain head %d", *maxSeq, rep.HeadSeq)), nil
	}
	rep.Intact = true
	return rep, nil
}

func (rep Report) broken(seq int64, reason Reason, detail string) Report {
	rep.Broken = &Break{Seq: seq, Reason: reason, Detail: detail}
	return rep
}

func missing(from, to int64) string {
	if from == to {
		return fmt.Sprintf("entry %d is missing", from)
	}
	return fmt.Sprintf("entries %d..%d are missing", from, to)
}
