package edoreczeniasim_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/simulator/edoreczeniasim"
)

// TestStores runs the same checks against every Store; the file store is also reopened to
// check that what it holds survives.
func TestStores(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(t *testing.T) edoreczeniasim.Store
	}{
		{"memory", func(*testing.T) edoreczeniasim.Store { return edoreczeniasim.NewMemStore() }},
		{"file", func(t *testing.T) edoreczeniasim.Store {
			s, err := edoreczeniasim.OpenFileStore(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return s
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { storeConformance(t, tc.open(t)) })
	}
	t.Run("file reopened", func(t *testing.T) {
		dir := t.TempDir()
		s, err := edoreczeniasim.OpenFileStore(dir)
		if err != nil {
			t.Fatal(err)
		}
		fill(t, s)
		again, err := edoreczeniasim.OpenFileStore(dir)
		if err != nil {
			t.Fatal(err)
		}
		check(t, again)
	})
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func fill(t *testing.T, s edoreczeniasim.Store) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.PutMailbox(ctx, edoreczeniasim.Mailbox{Address: office, Name: "ROPS"}))
	must(s.PutMailbox(ctx, edoreczeniasim.Mailbox{Address: citizen, Name: "Jan"}))
	for _, id := range []string{"m2", "m1", "m3"} {
		must(s.PutMessage(ctx, edoreczeniasim.Message{Box: office, ID: id, Label: edoreczeniasim.LabelSent, To: citizen, Created: t0,
			Attachments: []edoreczeniasim.Attachment{{ID: "a", Name: "d.pdf", Data: []byte("pdf")}},
			Evidences:   []edoreczeniasim.Evidence{{ID: "e", Type: "A.1", Event: t0}}}))
	}
	must(s.PutMessage(ctx, edoreczeniasim.Message{Box: office, ID: "m1", Label: edoreczeniasim.LabelSent, Subject: "changed", Created: t0}))
	must(s.PutMessage(ctx, edoreczeniasim.Message{Box: citizen, ID: "m1", Label: edoreczeniasim.LabelInbox}))
	must(s.PutTask(ctx, edoreczeniasim.Task{Box: office, ID: "t1", Created: t0.Add(time.Minute)}))
	must(s.PutTask(ctx, edoreczeniasim.Task{Box: office, ID: "t0", Created: t0}))
	must(s.PutTask(ctx, edoreczeniasim.Task{Box: office, ID: "t2", Created: t0, Finished: true}))
	must(s.PutSubscription(ctx, edoreczeniasim.Subscription{Box: office, ID: "s", URLs: map[string]string{"onEvidence": "http://x/"}, On: true}))
}

func check(t *testing.T, s edoreczeniasim.Store) {
	t.Helper()
	ctx := context.Background()
	boxes, err := s.Mailboxes(ctx)
	if err != nil || len(boxes) != 2 || boxes[0].Address != office {
		t.Errorf("Mailboxes: got %v %v, want office then citizen", boxes, err)
	}
	msgs, err := s.Messages(ctx, office)
	if err != nil || len(msgs) != 3 || msgs[0].ID != "m2" || msgs[1].ID != "m1" || msgs[1].Subject != "changed" {
		t.Errorf("Messages: got %+v %v, want m2, m1 (replaced), m3 in insertion order", msgs, err)
	}
	if m, err := s.Message(ctx, office, "m3"); err != nil || string(m.Attachments[0].Data) != "pdf" || !m.Evidences[0].Event.Equal(t0) {
		t.Errorf("Message m3: got %+v %v", m, err)
	}
	if m, err := s.Message(ctx, citizen, "m1"); err != nil || m.Label != edoreczeniasim.LabelInbox {
		t.Errorf("citizen's copy of m1: got %+v %v", m, err)
	}
	tasks, err := s.PendingTasks(ctx)
	if err != nil || len(tasks) != 2 || tasks[0].ID != "t0" {
		t.Errorf("PendingTasks: got %+v %v, want t0, t1", tasks, err)
	}
	if sub, err := s.Subscription(ctx, office); err != nil || sub.URLs["onEvidence"] != "http://x/" || !sub.On {
		t.Errorf("Subscription: got %+v %v", sub, err)
	}
}

func storeConformance(t *testing.T, s edoreczeniasim.Store) {
	fill(t, s)
	check(t, s)
	ctx := context.Background()
	// A caller changing what it got must not change the store.
	m, _ := s.Message(ctx, office, "m3")
	m.Evidences[0].Type = "changed"
	if again, _ := s.Message(ctx, office, "m3"); again.Evidences[0].Type != "A.1" {
		t.Errorf("store changed through a returned message")
	}
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"mailbox", func() error { _, err := s.Mailbox(ctx, nobody); return err }()},
		{"message", func() error { _, err := s.Message(ctx, office, "none"); return err }()},
		{"delete message", s.DeleteMessage(ctx, office, "none")},
		{"task", func() error { _, err := s.Task(ctx, office, "none"); return err }()},
		{"subscription", func() error { _, err := s.Subscription(ctx, citizen); return err }()},
		{"delete subscription", s.DeleteSubscription(ctx, citizen)},
	} {
		t.Run("not found "+tc.name, func(t *testing.T) {
			if !errors.Is(tc.err, edoreczeniasim.ErrNotFound) {
				t.Errorf("got %v, want ErrNotFound", tc.err)
			}
		})
	}
	if err := s.DeleteMessage(ctx, office, "m2"); err != nil {
		t.Fatal(err)
	}
	if msgs, _ := s.Messages(ctx, office); len(msgs) != 2 {
		t.Errorf("after deleting m2: got %d messages, want 2", len(msgs))
	}
}
