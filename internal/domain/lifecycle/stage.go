package lifecycle

// Stage is where a case stands in its workflow. The case projection in PostgreSQL (cases.stage)
// and the API (schema Stage) carry its value.
type Stage string

// Stages of a case. The first ten are open, the last five close it. Overdue is not a stage: it
// is a fact of the due date, kept beside the stage (Case.Overdue in the projection).
const (
	New               Stage = "new"                // registered, waiting to be assigned (dekretacja)
	Assigned          Stage = "assigned"           // the handler works on it
	AwaitingParty     Stage = "awaiting_party"     // a call to remedy is out (art. 64 §2); clock stopped
	Suspended         Stage = "suspended"          // proceedings suspended; clock stopped
	DraftReview       Stage = "draft_review"       // a draft waits for the head's acceptance
	AwaitingSignature Stage = "awaiting_signature" // accepted, waiting for the head's signature
	Signed            Stage = "signed"             // signed; waits to be sent, or for a delivery to be recorded
	Dispatched        Stage = "dispatched"         // sent through e-Doręczenia; waits for the proof of receipt
	Delivered         Stage = "delivered"          // delivered; the appeal period runs
	Appealed          Stage = "appealed"           // appealed: to be passed with the files to the appeal body (art. 133)
	Settled           Stage = "settled"            // delivered and the appeal period over: the case is done
	Granted           Stage = "granted"            // family cards granted to every member: no decision needed
	LeftUnexamined    Stage = "left_unexamined"    // art. 64 §2: defects not remedied
	Forwarded         Stage = "forwarded"          // art. 65 / 231: sent to the competent body
	Withdrawn         Stage = "withdrawn"          // the party withdrew the application
)

// stages are the stages in the order of a case's way, each with its label for people.
var stages = []struct {
	stage   Stage
	label   string
	closing bool
}{
	{New, "nowa – czeka na dekretację", false},
	{Assigned, "w toku", false},
	{AwaitingParty, "wezwanie do usunięcia braków – czeka na stronę", false},
	{Suspended, "postępowanie zawieszone", false},
	{DraftReview, "projekt czeka na akceptację", false},
	{AwaitingSignature, "zaakceptowana – czeka na podpis", false},
	{Signed, "podpisana – czeka na wysyłkę", false},
	{Dispatched, "wysłana przez e-Doręczenia – czeka na dowód doręczenia", false},
	{Delivered, "doręczona – biegnie termin na odwołanie", false},
	{Appealed, "odwołanie – do przekazania z aktami organowi odwoławczemu (art. 133 k.p.a.)", false},
	{Settled, "zakończona", true},
	{Granted, "karty przyznane – zakończona", true},
	{LeftUnexamined, "pozostawiona bez rozpoznania", true},
	{Forwarded, "przekazana według właściwości", true},
	{Withdrawn, "podanie wycofane", true},
}

// Stages returns every stage, open ones first, in the order of a case's way.
func Stages() []Stage {
	out := make([]Stage, len(stages))
	for i, s := range stages {
		out[i] = s.stage
	}
	return out
}

// Label says the stage in Polish, for people; "" for a stage obieg does not know.
func (s Stage) Label() string {
	for _, st := range stages {
		if st.stage == s {
			return st.label
		}
	}
	return ""
}

// Closing reports whether the stage ends the case.
func (s Stage) Closing() bool {
	for _, st := range stages {
		if st.stage == s {
			return st.closing
		}
	}
	return false
}

// Known reports whether obieg knows the stage.
func (s Stage) Known() bool { return s.Label() != "" }
