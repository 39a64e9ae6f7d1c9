package activities_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/obieg/obieg/activities"
	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/adapters/edoreczenia"
	"github.com/obieg/obieg/internal/dev/devstack/stacktest"
	"github.com/obieg/obieg/internal/dev/simulator/edoreczeniasim"
	"github.com/obieg/obieg/internal/domain/edelivery"
	"github.com/obieg/obieg/internal/records/register"
)

const intakeOffice, intakeCitizen = "AE:PL-10000-00001-ROPSA-11", "AE:PL-20000-00002-JANKO-22"

// countingInbox counts the messages the service listed to the intake.
type countingInbox struct {
	*edoreczenia.Client
	listed *atomic.Int64
}

func (c countingInbox) Inbox(ctx context.Context, from time.Time, offset, limit int) ([]edelivery.Summary, error) {
	l, err := c.Client.Inbox(ctx, from, offset, limit)
	c.listed.Add(int64(len(l)))
	return l, err
}

// intake is a mailbox of the simulator holding taken letters already taken by obieg (their
// submissions recorded) and then fresh new ones, all submitted at the times at gives.
type intake struct {
	mb       *activities.Mailbox
	listed   *atomic.Int64
	simNanos *atomic.Int64 // time spent inside the simulator's handler
	pool     *pgxpool.Pool
	ids      []string
}

func newIntake(t testing.TB, pool *pgxpool.Pool, taken, fresh int, at func(i int) time.Time) *intake {
	t.Helper()
	ctx := context.Background()
	store := edoreczeniasim.NewMemStore()
	sim := edoreczeniasim.New(store, time.Now, nil)
	for _, box := range []string{intakeOffice, intakeCitizen} {
		if _, err := sim.CreateMailbox(ctx, box, box); err != nil {
			t.Fatal(err)
		}
	}
	if err := sim.RegisterClient(edoreczeniasim.Client{ID: "obieg", Secret: "s", Addresses: []string{intakeOffice},
		Scopes: []string{edoreczenia.ScopeReadMessages}}); err != nil {
		t.Fatal(err)
	}
	in := &intake{listed: &atomic.Int64{}, simNanos: &atomic.Int64{}, pool: pool}
	var rows [][]any
	for i := range taken + fresh {
		m := edoreczeniasim.Message{Box: intakeOffice, ID: uuid.NewString(), Label: edoreczeniasim.LabelInbox, From: intakeCitizen,
			To: intakeOffice, Subject: fmt.Sprintf("Pismo %d", i), Status: edoreczeniasim.StatusWaiting, Created: at(i), Submitted: at(i), Available: at(i)}
		if err := store.PutMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
		in.ids = append(in.ids, m.ID)
		if i < taken {
			rows = append(rows, []any{uuid.New(), contract.ChannelEDoreczenia, m.ID, "wf-" + m.ID, intakeOffice, at(i), time.Now(),
				"raw/" + m.ID, fmt.Sprintf("%064x", i), int64(0), "received"})
		}
	}
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"submissions"}, []string{"id", "channel", "box_document_id", "workflow_id",
		"box_address", "received_at", "pulled_at", "raw_key", "sha256", "size_bytes", "status"}, pgx.CopyFromRows(rows)); err != nil {
		t.Fatal(err)
	}
	h := sim.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h.ServeHTTP(w, r)
		in.simNanos.Add(int64(time.Since(start)))
	}))
	t.Cleanup(srv.Close)
	c, err := edoreczenia.New(edoreczenia.Config{BaseURL: srv.URL + edoreczeniasim.APIPrefix, TokenURL: srv.URL + edoreczeniasim.TokenPath,
		ClientID: "obieg", ClientSecret: "s", Address: intakeOffice, HTTPClient: &http.Client{Timeout: time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	in.mb = &activities.Mailbox{Inbox: countingInbox{c, in.listed}, Address: intakeOffice, Registry: register.New(pool)}
	return in
}

var base = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

// TestListMailboxIncremental: an intake started anew lists from the newest letter it took,
// not the whole mailbox, and reads past a full page of taken letters sharing one date.
func TestListMailboxIncremental(t *testing.T) {
	ctx := context.Background()
	t.Run("restarted intake", func(t *testing.T) {
		pool, _ := stacktest.Pool(t)
		in := newIntake(t, pool, 500, 3, func(i int) time.Time { return base.Add(time.Duration(i) * time.Minute) })
		page, err := in.mb.ListMailbox(ctx, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.New) != 3 || page.New[0].MessageID != in.ids[500] || page.Full {
			t.Errorf("got %d new (%+v), want the 3 letters after the 500 taken", len(page.New), page.New)
		}
		if n := in.listed.Load(); n != 4 {
			t.Errorf("the service listed %d messages, want 4: the newest taken and the 3 new", n)
		}
	})
	t.Run("full page at one date", func(t *testing.T) {
		pool, _ := stacktest.Pool(t)
		in := newIntake(t, pool, 250, 1, func(int) time.Time { return base })
		page, err := in.mb.ListMailbox(ctx, base)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.New) != 1 || page.New[0].MessageID != in.ids[250] {
			t.Errorf("got %+v, want the one new letter after 250 taken at the same second", page.New)
		}
	})
}

// BenchmarkListMailbox lists a mailbox holding n letters taken already and one new: as an
// intake does every interval (from the last date it saw) and as one started anew does (from
// nothing). listed/op is how many messages the service sent to obieg; sim-ns/op is the time
// spent inside the simulator's handler, which the rest of ns/op (obieg: the client, the
// query of what was taken) does not include.
func BenchmarkListMailbox(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{100, 1000, 10000} {
		pool, _ := stacktest.Pool(b)
		in := newIntake(b, pool, n, 1, func(i int) time.Time { return base.Add(time.Duration(i) * time.Second) })
		last := base.Add(time.Duration(n-1) * time.Second)
		for _, tc := range []struct {
			name string
			from time.Time
		}{{"steady", last}, {"restarted", time.Time{}}} {
			b.Run(fmt.Sprintf("%s/taken=%d", tc.name, n), func(b *testing.B) {
				in.listed.Store(0)
				in.simNanos.Store(0)
				for b.Loop() {
					page, err := in.mb.ListMailbox(ctx, tc.from)
					if err != nil || len(page.New) != 1 {
						b.Fatalf("got %+v, %v; want the one new letter", page, err)
					}
				}
				b.ReportMetric(float64(in.listed.Load())/float64(b.N), "listed/op")
				b.ReportMetric(float64(in.simNanos.Load())/float64(b.N), "sim-ns/op")
			})
		}
		// The listing before ListMailbox started at the newest letter taken and read past
		// taken pages: an intake started anew listed the mailbox from its beginning, one page
		// of 100 per activity (and per interval), until it reached the new letter.
		b.Run(fmt.Sprintf("before/restarted/taken=%d", n), func(b *testing.B) {
			in.listed.Store(0)
			in.simNanos.Store(0)
			for b.Loop() {
				if !listFromBeginning(ctx, b, in) {
					b.Fatal("the new letter not found")
				}
			}
			b.ReportMetric(float64(in.listed.Load())/float64(b.N), "listed/op")
			b.ReportMetric(float64(in.simNanos.Load())/float64(b.N), "sim-ns/op")
		})
	}
}

// listFromBeginning is the intake's listing before this change, driven as the workflow drove
// it: pages of 100 from the beginning, each from the last date of the one before, until a
// page has a letter not taken.
func listFromBeginning(ctx context.Context, b *testing.B, in *intake) bool {
	var from time.Time
	for {
		list, err := in.mb.Inbox.Inbox(ctx, from, 0, 100)
		if err != nil {
			b.Fatal(err)
		}
		ids := make([]string, len(list))
		last := from
		for i, m := range list {
			ids[i] = m.MessageID
			if m.SubmissionDate.After(last) {
				last = m.SubmissionDate
			}
		}
		var taken int
		if err := in.pool.QueryRow(ctx, `SELECT count(*) FROM submissions WHERE channel = $1 AND box_document_id = ANY($2)`,
			contract.ChannelEDoreczenia, ids).Scan(&taken); err != nil {
			b.Fatal(err)
		}
		if taken < len(list) {
			return true
		}
		if len(list) < 100 || !last.After(from) {
			return false
		}
		from = last
	}
}
