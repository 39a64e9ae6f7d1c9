package activities

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/dev/devstack/stacktest"
)

// TestRedeliveryWithOtherBytes starts a submission, then receives a document under the same
// box document id twice more, once with the same bytes and once with other bytes, on the
// real Temporal and S3: each time the submission is the first one (so the box is confirmed
// as before), and only the other bytes give a warning, which names both hashes and where the
// second bytes are, and carries no content.
func TestRedeliveryWithOtherBytes(t *testing.T) {
	ctx := context.Background()
	tc := stacktest.Temporal(t)
	blob, bucket := stacktest.Blob(t, false)
	prefix := stacktest.TaskQueue(t) + "/"
	intake := &Intake{Temporal: tc, TaskQueue: stacktest.TaskQueue(t), SubmissionWorkflow: "SubmissionNotRunHere", IDPrefix: prefix}

	logs := &capturedLog{}
	var s testsuite.WorkflowTestSuite
	s.SetLogger(logs)
	env := s.NewTestActivityEnvironment()
	env.RegisterActivity(intake)

	received := func(content string) contract.Received {
		ref, err := blob.PutContent(ctx, bucket, []byte(content), "application/xml")
		if err != nil {
			t.Fatal(err)
		}
		return contract.Received{Channel: contract.ChannelEDoreczenia, BoxDocumentID: "AE/2026/0001",
			SenderID: "AE:PL-00000-00000-AAAAA-00", FileName: "pismo.xml", ContentType: "application/xml",
			ReceivedAt: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC), Raw: ref}
	}
	first, again, other := received("<Pismo>pierwsze</Pismo>"), received("<Pismo>pierwsze</Pismo>"), received("<Pismo>inne</Pismo>")
	wantID := SubmissionWorkflowID(prefix, first.Channel, first.BoxDocumentID)
	t.Cleanup(func() { _ = tc.TerminateWorkflow(context.Background(), wantID, "", "test over") })

	for i, r := range []contract.Received{first, again, other} {
		v, err := env.ExecuteActivity(intake.StartSubmission, r)
		if err != nil {
			t.Fatalf("start %d: %v", i, err)
		}
		var id string
		if err := v.Get(&id); err != nil {
			t.Fatal(err)
		}
		if id != wantID {
			t.Fatalf("start %d: workflow %s, want %s", i, id, wantID)
		}
		warnings := logs.warnings()
		if want := max(0, i-1); len(warnings) != want {
			t.Fatalf("after start %d: %d warnings %v, want %d", i, len(warnings), warnings, want)
		}
	}
	w := logs.warnings()[0]
	for k, want := range map[string]any{
		"workflow_id": wantID, "box_document_id": first.BoxDocumentID, "channel": first.Channel,
		"sha256_submission": first.Raw.SHA256, "sha256_redelivered": other.Raw.SHA256,
		"redelivered_bucket": bucket, "redelivered_key": other.Raw.Key,
	} {
		if got := w.kv[k]; got != want {
			t.Errorf("warning %q: %s = %v, want %v", w.msg, k, got, want)
		}
	}
	for _, v := range w.kv {
		if s := fmt.Sprint(v); slices.Contains([]string{"<Pismo>inne</Pismo>", first.SenderID}, s) {
			t.Errorf("warning %q logs %q", w.msg, s)
		}
	}
	// The second bytes are where the warning says.
	if _, err := blob.Find(ctx, bucket, other.Raw.Key); err != nil {
		t.Errorf("redelivered bytes at %s: %v", other.Raw.Key, err)
	}
}

type logEntry struct {
	level, msg string
	kv         map[string]any
}

// capturedLog is a Temporal SDK logger keeping what it is told.
type capturedLog struct {
	mu      sync.Mutex
	entries []logEntry
}

func (l *capturedLog) add(level, msg string, keyvals []any) {
	kv := map[string]any{}
	for i := 0; i+1 < len(keyvals); i += 2 {
		kv[fmt.Sprint(keyvals[i])] = keyvals[i+1]
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, logEntry{level, msg, kv})
}

func (l *capturedLog) Debug(msg string, keyvals ...any) { l.add("debug", msg, keyvals) }
func (l *capturedLog) Info(msg string, keyvals ...any)  { l.add("info", msg, keyvals) }
func (l *capturedLog) Warn(msg string, keyvals ...any)  { l.add("warn", msg, keyvals) }
func (l *capturedLog) Error(msg string, keyvals ...any) { l.add("error", msg, keyvals) }

func (l *capturedLog) warnings() []logEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []logEntry
	for _, e := range l.entries {
		if e.level == "warn" {
			out = append(out, e)
		}
	}
	return out
}
