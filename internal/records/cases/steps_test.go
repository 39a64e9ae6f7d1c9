package cases_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/demo"
	"github.com/obieg/obieg/internal/dev/devstack/stacktest"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/casehistory"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/lifecycle"
	"github.com/obieg/obieg/internal/records/cases"
	"github.com/obieg/obieg/internal/records/register"
)

func TestMain(m *testing.M) { stacktest.Main(m) }

// A step keeps its entry's code and data and moves the case; a note appends an entry and
// leaves the case's standing to its workflow; an entry of before keeps its text.
func TestApplyAndNote(t *testing.T) {
	ctx := context.Background()
	pool, _ := stacktest.Pool(t)
	if err := demo.Seed(ctx, pool); err != nil {
		t.Fatal(err)
	}
	sub, err := register.New(pool).Record(ctx, register.Submission{Channel: "epuap", BoxDocumentID: "steps-1", WorkflowID: "submission/epuap/steps-1",
		ReceivedAt: time.Now(), PulledAt: time.Now(), SenderID: "jan", SenderName: "Jan Kowalski", FileName: "pismo.xml",
		ContentType: "text/xml", RawKey: "raw/steps-1", SHA256: strings.Repeat("0", 64), Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	s := cases.New(pool)
	c, err := s.Open(ctx, sub, "SEK", "0600", "Pismo", time.Now(), civil.Warsaw)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Truncate(time.Microsecond)
	ends := civil.Date{Year: 2026, Month: 3, Day: 23}
	review := true
	e := casehistory.AppealReview(ends, 2)
	if _, err := s.Apply(ctx, casefile.Step{CaseID: c.ID, Key: "t/review", Stage: lifecycle.Delivered, AppealReview: &review,
		Action: casefile.Action{At: at, Actor: "system", ActorName: "obieg (system)", Code: e.Code, Data: e.Data}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, casefile.Step{CaseID: c.ID, Key: "t/old", Stage: lifecycle.Delivered,
		Action: casefile.Action{At: at, Actor: "system", ActorName: "obieg (system)", Code: "remark", Description: "Tekst zapisany."}}); err != nil {
		t.Fatal(err)
	}
	joined := casehistory.LetterJoined(casehistory.Letter{Number: "5/2026", Received: at, Channel: "epuap"}, "")
	for range 2 { // a retry records nothing twice
		if _, err := s.Note(ctx, c.ID, "t/joined", casefile.Action{At: at, Actor: "system", ActorName: "obieg (system)", Code: joined.Code, Data: joined.Data}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.GetByID(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Stage != lifecycle.Delivered || !got.AppealReview || got.Status != "open" {
		t.Errorf("got case in %s (appeal review %v, %s), want delivered under review, open", got.Stage, got.AppealReview, got.Status)
	}
	history, err := s.History(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(history) != 3 {
		t.Fatalf("got %d entries, want 3", len(history))
	}
	texts := []string{e.Text(), "Tekst zapisany.", joined.Text()}
	for i, a := range history {
		if got := casehistory.Describe(a.Code, a.Data, a.Description); got != texts[i] {
			t.Errorf("entry %d: got %q, want %q", i+1, got, texts[i])
		}
	}
	if history[1].Data != nil {
		t.Errorf("an entry without data reads back with data %v", history[1].Data)
	}
}
