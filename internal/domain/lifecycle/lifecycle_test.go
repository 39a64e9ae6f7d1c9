package lifecycle

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/obieg/obieg/internal/dev/golden"
	"github.com/obieg/obieg/internal/domain/civil"
)

const dotFile = "../../../docs/lifecycle.dot"

// The state diagram in the docs is the table's.
func TestDotUpToDate(t *testing.T) {
	var b bytes.Buffer
	if err := WriteDot(&b); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, dotFile, b.Bytes())
}

// Every row names known stages and relations, a label, an input and who refuses otherwise.
func TestTableWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range Actions() {
		if seen[a.Name] {
			t.Errorf("action %s: twice in the table", a.Name)
		}
		seen[a.Name] = true
		if a.Label == "" || a.Input == nil || len(a.Who) == 0 || len(a.From) == 0 || len(a.To) == 0 {
			t.Errorf("action %s: label, input, who, from and to are required", a.Name)
		}
		if a.ByPeople() && a.WhoRefusal == "" {
			t.Errorf("action %s: no refusal for who may not", a.Name)
		}
		for _, s := range slices.Concat(a.From, a.To) {
			if !s.Known() {
				t.Errorf("action %s: unknown stage %q", a.Name, s)
			}
		}
		for _, v := range a.Variants {
			if !slices.Contains(a.From, v.Stage) {
				t.Errorf("action %s: a variant in stage %s it is not possible in", a.Name, v.Stage)
			}
		}
		if a.ByPeople() && a.Input.From(Actor{}, Request{}) == nil {
			t.Errorf("action %s: people do it, but its input is not made from a request", a.Name)
		}
	}
	for _, s := range Stages() {
		if s.Closing() {
			continue
		}
		if !slices.ContainsFunc(actions, func(a Action) bool { return slices.Contains(a.From, s) }) {
			t.Errorf("open stage %s: no action leads out of it", s)
		}
	}
}

var (
	head     = Actor{Username: "kierownik.sek", Role: RoleHead, Unit: "SEK"}
	clerk    = Actor{Username: "referent.sek", Role: RoleClerk, Unit: "SEK"}
	other    = Actor{Username: "referent2.sek", Role: RoleClerk, Unit: "SEK"}
	registry = Actor{Username: "kancelaria", Role: RoleRegistry, Unit: "KAN"}
	stranger = Actor{Username: "kierownik.ois", Role: RoleHead, Unit: "OIS"}
)

func TestAllows(t *testing.T) {
	delivered := Case{Stage: Delivered, Unit: "SEK", Assignee: "referent.sek"}
	review := delivered
	review.AppealReview = true
	tests := []struct {
		name    string
		action  string
		c       Case
		in      any
		refused string // "" when allowed
	}{
		{"head assigns", Assign, Case{Stage: New, Unit: "SEK"}, AssignInput{Actor: head, Assignee: "referent.sek"}, ""},
		{"another unit's head", Assign, Case{Stage: New, Unit: "SEK"}, AssignInput{Actor: stranger, Assignee: "x"}, "sprawy komórki SEK dekretuje tylko jej kierownik"},
		{"no assignee", Assign, Case{Stage: New, Unit: "SEK"}, AssignInput{Actor: head}, "nie wskazano prowadzącego"},
		{"wrong stage", Assign, Case{Stage: Signed, Unit: "SEK"}, AssignInput{Actor: head, Assignee: "x"}, "czynność niemożliwa, gdy sprawa ma stan signed"},
		{"remedy too short", RequestRemedy, Case{Stage: Assigned, Unit: "SEK", Assignee: "referent.sek"}, RemedyInput{Actor: clerk, Items: "podpis", Days: 3},
			"termin na usunięcie braków to co najmniej 7 dni (art. 64 § 2 k.p.a.)"},
		{"not the handler", SubmitDraft, Case{Stage: Assigned, Unit: "SEK", Assignee: "referent.sek"}, DraftInput{Actor: other, Summary: "x"}, "projekt przedkłada prowadzący sprawę"},
		{"registry records a delivery", RecordDelivery, Case{Stage: Signed, Unit: "SEK"}, DeliveryInput{Actor: registry, Date: "2026-03-09", Method: "osobiście"}, ""},
		{"a delivery tomorrow", RecordDelivery, Case{Stage: Signed, Unit: "SEK", Today: civil.Date{Year: 2026, Month: 3, Day: 8}},
			DeliveryInput{Actor: registry, Date: "2026-03-09", Method: "osobiście"}, "data doręczenia nie może być późniejsza niż dziś"},
		{"a delivery on no date", RecordDelivery, Case{Stage: Signed, Unit: "SEK"}, DeliveryInput{Actor: registry, Date: "9 marca", Method: "osobiście"},
			"data doręczenia w postaci RRRR-MM-DD"},
		{"settle while the appeal period runs", Settle, delivered, NoteInput{Actor: clerk}, "sprawa zakończy się sama z upływem terminu na odwołanie (0000-00-00)"},
		{"settle after letters in the period", Settle, review, NoteInput{Actor: clerk}, ""},
		{"appeal forwarded by ePUAP", Forward, Case{Stage: Appealed, Unit: "SEK"}, ForwardInput{Actor: head, Body: "SKO", Reason: "art. 133", BoxAddress: "/sko/skrytka"},
			"przekazania odwołania z aktami przez ePUAP obieg jeszcze nie wykonuje: przekaż akta i odnotuj przekazanie bez adresu skrytki"},
		{"dispatch to no address", Dispatch, Case{Stage: Signed, Unit: "SEK"}, DispatchInput{Actor: registry, Address: "AE:PL-nie-adres"},
			"adres do doręczeń elektronicznych ma postać AE:PL-12345-67890-ABCDE-12"},
		{"dispatch", Dispatch, Case{Stage: Signed, Unit: "SEK"}, DispatchInput{Actor: registry, Address: "AE:PL-12345-67890-ABCDE-12"}, ""},
		{"forward to no box", Forward, Case{Stage: Assigned, Unit: "SEK"}, ForwardInput{Actor: head, Body: "Wojewoda", Reason: "nadzór", BoxAddress: "skrytka"},
			"adres skrytki ePUAP ma postać /podmiot/skrytka"},
		{"cards outside a card case", GrantCards, Case{Stage: Assigned, Unit: "SEK", Assignee: "referent.sek"}, NoteInput{Actor: clerk}, "to nie jest wniosek o kartę"},
		{"evidence of another message", Evidence, Case{Stage: Dispatched, AwaitedMessage: "msg-1"}, EvidenceInput{MessageID: "msg-2"}, "sprawa nie czeka na dowód doręczenia wiadomości msg-2"},
		{"evidence awaited", Evidence, Case{Stage: Dispatched, AwaitedMessage: "msg-1"}, EvidenceInput{MessageID: "msg-1"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ok := Lookup(tt.action)
			if !ok {
				t.Fatalf("no action %s", tt.action)
			}
			err := a.Allows(tt.c, tt.in)
			var r *Refusal
			switch {
			case tt.refused == "" && err != nil:
				t.Errorf("got %v, want allowed", err)
			case tt.refused != "" && (!errors.As(err, &r) || r.Reason != tt.refused):
				t.Errorf("got %v, want refused: %s", err, tt.refused)
			}
		})
	}
}

// The page offers settling only when the workflow takes it: after the appeal period, with
// letters in it.
func TestOffersFollowNeeds(t *testing.T) {
	delivered := Case{Stage: Delivered, Unit: "SEK", Assignee: "referent.sek"}
	names := func(os []Offer) []string {
		var out []string
		for _, o := range os {
			out = append(out, o.Name)
		}
		return out
	}
	if got := names(Offers(clerk, delivered)); slices.Contains(got, Settle) {
		t.Errorf("got offers %v while the appeal period runs, want no %s", got, Settle)
	}
	delivered.AppealReview = true
	if got := names(Offers(clerk, delivered)); !slices.Contains(got, Settle) || !slices.Contains(got, RecordAppeal) {
		t.Errorf("got offers %v after the period with letters, want %s and %s", got, Settle, RecordAppeal)
	}
	if got := names(Offers(registry, Case{Stage: Dispatched, Unit: "SEK"})); len(got) != 0 {
		t.Errorf("got offers %v on a dispatched case, want none (evidence is obieg's)", got)
	}
	appealed := Offers(head, Case{Stage: Appealed, Unit: "SEK"})
	if len(appealed) != 1 || appealed[0].Label != "Odnotuj przekazanie odwołania z aktami organowi odwoławczemu" || slices.Contains(appealed[0].Fields, "box_address") {
		t.Errorf("got %+v on an appealed case, want the appeal's forwarding without a box", appealed)
	}
}
