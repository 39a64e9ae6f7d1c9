package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/casehistory"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/delivery"
	"github.com/obieg/obieg/internal/domain/lifecycle"
	"github.com/obieg/obieg/internal/domain/problem"
	"github.com/obieg/obieg/internal/records/audit"
	"github.com/obieg/obieg/internal/records/auth"
	"github.com/obieg/obieg/internal/records/cases"
	"github.com/obieg/obieg/internal/records/deliveries"
	"github.com/obieg/obieg/internal/records/register"
	"github.com/obieg/obieg/internal/render/metryka"
)

// CaseFiles is what the case page needs of the case store.
type CaseFiles interface {
	Get(ctx context.Context, ref string) (casefile.Case, error)
	History(ctx context.Context, caseID uuid.UUID) ([]casefile.Action, error)
	Documents(ctx context.Context, caseID uuid.UUID) ([]casefile.Document, error)
	Document(ctx context.Context, caseID, id uuid.UUID) (casefile.Document, error)
	Register(ctx context.Context, class string, units []string, limit int) ([]cases.RegisterEntry, error)
}

// Deliveries is what the case page needs of the sendings (*deliveries.Store).
type Deliveries interface {
	// OfCase returns the sendings of a case, oldest first.
	OfCase(ctx context.Context, caseID uuid.UUID) ([]delivery.Delivery, error)
	// Get returns a sending, deliveries.ErrNotFound if there is none.
	Get(ctx context.Context, id uuid.UUID) (delivery.Delivery, error)
}

var _ Deliveries = (*deliveries.Store)(nil)

// maxProof is the largest proof of receipt served; the client keeps none over 4 MiB.
const maxProof = 16 << 20

// DocumentBytes reads stored documents.
type DocumentBytes interface {
	Get(ctx context.Context, bucket, key string, max int64) ([]byte, error)
}

// ActionRequest is a person's action on a case, as the forms and the API carry it.
type ActionRequest struct {
	Action       string    `json:"-"`
	Actor        auth.User `json:"-"`
	Assignee     string    `json:"assignee,omitempty"`
	Instructions string    `json:"instructions,omitempty"`
	Note         string    `json:"note,omitempty"`
	Items        string    `json:"items,omitempty"`
	Days         int       `json:"days,omitempty"`
	Summary      string    `json:"summary,omitempty"`
	Body         string    `json:"body,omitempty"`
	Reason       string    `json:"reason,omitempty"`
	Date         string    `json:"date,omitempty"`
	Method       string    `json:"method,omitempty"`
	Address      string    `json:"address,omitempty"` // the party's electronic delivery address
	// BoxAddress is the competent body's ePUAP box, "/podmiot/skrytka", when a case is
	// forwarded there through doręczyciel; optional.
	BoxAddress string `json:"box_address,omitempty"`
	Kind       string `json:"kind,omitempty"` // of a draft: odpowiedz or decyzja
	Basis      string `json:"basis,omitempty"`
	Ruling     string `json:"ruling,omitempty"`
	// Title and Instruction of a draft: the answer's title, the decision's instruction on
	// appeal.
	Title       string `json:"title,omitempty"`
	Instruction string `json:"instruction,omitempty"`
}

// ErrActionRefused is wrapped by a case's or a submission's refusal of an action (who may not,
// or not now), for callers that tell a refusal apart; the error itself is of kind
// problem.Refused with the reason in Polish, which the web shows.
var ErrActionRefused = errors.New("action refused")

// ErrNoSuchAction means the action name is unknown: of kind problem.NotFound.
var ErrNoSuchAction = problem.NewNotFound("Nie ma takiej czynności.", errors.New("no such action"))

// CaseActions carries people's actions to the cases' workflows. Act returns the case's new
// stage; a refusal of kind problem.Refused, wrapping ErrActionRefused, when the case refuses;
// ErrNoSuchAction for an unknown action.
type CaseActions interface {
	Act(ctx context.Context, ref string, req ActionRequest) (stage string, err error)
}

// offered returns the actions u may be offered on c, as the action table (package lifecycle)
// says: by who they are to the case, its stage and what else the action needs. The
// workflow checks every action again and is the authority; the table makes the page offer
// only what the workflow takes.
func offered(u auth.User, c casefile.Case) []lifecycle.Offer {
	return lifecycle.Offers(lifecycle.Actor{Username: u.Username, Role: string(u.Role), Unit: u.Unit}, caseSummary(c))
}

// caseSummary is what the action table needs of the case, from its projection.
func caseSummary(c casefile.Case) lifecycle.Case {
	return lifecycle.Case{Stage: c.Stage, Unit: c.Unit, Assignee: c.Assignee, FormType: c.FormType, AppealReview: c.AppealReview}
}

// caseFor returns the case ref if u may see it; another unit's case is refused as if it did
// not exist to them, and the refusal logged.
func (s *Server) caseFor(ctx context.Context, u auth.User, ref string) (casefile.Case, error) {
	c, err := s.caseFiles.Get(ctx, ref)
	if errors.Is(err, cases.ErrNotFound) {
		return casefile.Case{}, &httpError{code: http.StatusNotFound, message: "Nie ma takiej sprawy.", err: err}
	}
	if err != nil {
		return casefile.Case{}, err
	}
	if !u.Cases().Allows(c.Unit) {
		return casefile.Case{}, forbidden(u, "see case "+ref)
	}
	return c, nil
}

// readCaseFile returns the case of the request's {ref} with its history, if u may see it,
// and records the read in the audit log: every way of reading a case file goes through here.
func (s *Server) readCaseFile(r *http.Request, u auth.User) (casefile.Case, []casefile.Action, error) {
	c, err := s.caseFor(r.Context(), u, r.PathValue("ref"))
	if err != nil {
		return casefile.Case{}, nil, err
	}
	history, err := s.caseFiles.History(r.Context(), c.ID)
	if err != nil {
		return casefile.Case{}, nil, err
	}
	for i, a := range history {
		history[i].Description = casehistory.Describe(a.Code, a.Data, a.Description)
	}
	if err := s.recordRead(r, u, c); err != nil {
		return casefile.Case{}, nil, err
	}
	return c, history, nil
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request, u auth.User) error {
	c, history, err := s.readCaseFile(r, u)
	if err != nil {
		return err
	}
	docs, err := s.caseFiles.Documents(r.Context(), c.ID)
	if err != nil {
		return err
	}
	sendings, err := s.sendings(r.Context(), c.ID)
	if err != nil {
		return err
	}
	// The incoming letter: a page still serves when it cannot be read, saying so.
	var letter *incomingView
	if v, err := s.incoming(r.Context(), c, "/sprawy/"+url.PathEscape(c.Reference)+"/wplyw", true); err == nil {
		letter = &v
	} else if !errors.Is(err, register.ErrNotFound) {
		s.logger.ErrorContext(r.Context(), "read the incoming letter", "case_ref", c.Reference, "err", err)
		letter = &incomingView{Problem: "Nie udało się odczytać pisma wpływającego."}
	}
	actions := offered(u, c)
	// The draft form opens with the proposed draft; the page serves without it when it
	// cannot be made.
	var proposal proposalView
	if offersDraft(actions) {
		p, err := s.propose(r.Context(), c, "", time.Now())
		if err != nil {
			s.logger.ErrorContext(r.Context(), "propose draft", "case_ref", c.Reference, "err", err)
		} else {
			proposal = proposalView{Draft: p.Draft(), Notes: p.Notes}
		}
	}
	return s.render(w, r, "case.html", map[string]any{
		"Title": "Sprawa " + c.Reference, "Nav": "sprawy", "Case": c, "History": history, "Documents": docs, "Deliveries": sendings,
		"Stage": c.Stage.Label(), "Actions": actions, "User": &u, "Proposal": proposal, "Letter": letter,
		"Done": r.URL.Query().Get("wykonano"), "Refused": r.URL.Query().Get("odmowa"),
	})
}

func (s *Server) caseAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	c, history, err := s.readCaseFile(r, u)
	if err != nil {
		return err
	}
	docs, err := s.caseFiles.Documents(r.Context(), c.ID)
	if err != nil {
		return err
	}
	if docs == nil {
		docs = []casefile.Document{}
	}
	sendings, err := s.sendings(r.Context(), c.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"case": c, "history": history, "documents": docs, "deliveries": sendings})
	return nil
}

// sendings returns the sendings of a case, none when the server has no store of them.
func (s *Server) sendings(ctx context.Context, caseID uuid.UUID) ([]delivery.Delivery, error) {
	if s.deliveries == nil {
		return []delivery.Delivery{}, nil
	}
	out, err := s.deliveries.OfCase(ctx, caseID)
	if err != nil {
		return nil, fmt.Errorf("sendings of case %s: %w", caseID, err)
	}
	if out == nil {
		out = []delivery.Delivery{}
	}
	return out, nil
}

// recordRead records in the audit log that u read the case file of c. A read that cannot
// be recorded is not served.
func (s *Server) recordRead(r *http.Request, u auth.User, c casefile.Case) error {
	_, err := s.audit.Append(r.Context(), audit.Entry{OccurredAt: time.Now(), Actor: u.Username, ActorRole: string(u.Role),
		Action: audit.ActionCaseRead, ObjectType: "case", ObjectID: c.Reference, Unit: c.Unit,
		Details: map[string]any{"via": viaOf(r), "path": r.URL.Path}})
	if err != nil {
		return fmt.Errorf("record read of %s: %w", c.Reference, err)
	}
	return nil
}

func viaOf(r *http.Request) string {
	if isAPI(r) {
		return "api"
	}
	return "page"
}

// act carries out an action and reports the outcome as an error fit for the person.
func (s *Server) act(ctx context.Context, u auth.User, ref string, req ActionRequest) (string, error) {
	if _, err := s.caseFor(ctx, u, ref); err != nil {
		return "", err
	}
	req.Actor = u
	stage, err := s.actions.Act(ctx, ref, req)
	if err != nil {
		return "", err
	}
	s.logger.InfoContext(ctx, "case action", "username", u.Username, "case_ref", ref, "action", req.Action, "stage", stage)
	return stage, nil
}

func (s *Server) caseActionAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	var req ActionRequest
	if err := decodeAction(w, r, &req); err != nil {
		return err
	}
	req.Action = r.PathValue("action")
	stage, err := s.act(r.Context(), u, r.PathValue("ref"), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"stage": stage})
	return nil
}

func (s *Server) caseActionForm(w http.ResponseWriter, r *http.Request, u auth.User) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return badRequest("Nieprawidłowy formularz.", err)
	}
	f := r.PostForm
	days, _ := strconv.Atoi(f.Get("days"))
	req := ActionRequest{Action: r.PathValue("action"), Assignee: f.Get("assignee"), Instructions: f.Get("instructions"),
		Note: f.Get("note"), Items: f.Get("items"), Days: days, Summary: f.Get("summary"), Body: f.Get("body"), Reason: f.Get("reason"),
		Date: f.Get("date"), Method: f.Get("method"), Address: strings.TrimSpace(f.Get("address")), BoxAddress: strings.TrimSpace(f.Get("box_address")),
		Kind: f.Get("kind"), Basis: f.Get("basis"), Ruling: f.Get("ruling"), Title: f.Get("title"), Instruction: f.Get("instruction")}
	ref := r.PathValue("ref")
	_, err := s.act(r.Context(), u, ref, req)
	return backAfter(w, r, "/sprawy/"+url.PathEscape(ref), req.Action, err)
}

// decodeAction reads an action's JSON body into v, refusing unknown fields.
func decodeAction(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("Nieprawidłowe dane czynności (JSON).", err)
	}
	return nil
}

// caseHistoryFile serves the case history (metryka) in format, xml or pdf; it is a read of
// the case file and recorded as one.
func (s *Server) caseHistoryFile(format string) func(w http.ResponseWriter, r *http.Request, u auth.User) error {
	return func(w http.ResponseWriter, r *http.Request, u auth.User) error {
		return s.writeCaseHistory(w, r, u, format)
	}
}

func (s *Server) writeCaseHistory(w http.ResponseWriter, r *http.Request, u auth.User, format string) error {
	c, history, err := s.readCaseFile(r, u)
	if err != nil {
		return err
	}
	doc := metryka.Case{Office: s.office, Reference: c.Reference, Title: c.Title, Unit: c.UnitName,
		Class: c.Class + " " + c.ClassHeading, OpenedAt: c.OpenedAt, Actions: history,
		PrintedAt: time.Now(), PrintedBy: u.Username}
	var data []byte
	if format == "xml" {
		data, err = metryka.XML(doc, civil.Warsaw)
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	} else {
		data, err = metryka.PDF(doc, civil.Warsaw)
		w.Header().Set("Content-Type", "application/pdf")
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", "metryka-"+c.Reference+"."+format))
	w.Write(data)
	return nil
}

// caseDocument serves a document of a case in format (xml or pdf): a read of the case file.
func (s *Server) caseDocument(format string) func(w http.ResponseWriter, r *http.Request, u auth.User) error {
	return func(w http.ResponseWriter, r *http.Request, u auth.User) error {
		id, err := uuid.Parse(r.PathValue("id"))
		if err != nil {
			return &httpError{code: http.StatusNotFound, message: "Nie ma takiego dokumentu.", err: err}
		}
		c, _, err := s.readCaseFile(r, u)
		if err != nil {
			return err
		}
		d, err := s.caseFiles.Document(r.Context(), c.ID, id)
		if errors.Is(err, cases.ErrNotFound) {
			return &httpError{code: http.StatusNotFound, message: "Nie ma takiego dokumentu.", err: err}
		}
		if err != nil {
			return err
		}
		key, ctype := d.XMLKey, "application/xml; charset=utf-8"
		if format == "pdf" {
			key, ctype = d.PDFKey, "application/pdf"
		}
		data, err := s.docs.Get(r.Context(), s.docBucket, key, 64<<20)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", d.Kind+"-"+c.Reference+"."+format))
		w.Write(data)
		return nil
	}
}

// deliveryProof serves the proof of receipt of a sending of a case, as e-Doręczenia issued
// it: a read of the case file, with the same access rules and record as its documents.
func (s *Server) deliveryProof(w http.ResponseWriter, r *http.Request, u auth.User) error {
	notFound := func(err error) error {
		return &httpError{code: http.StatusNotFound, message: "Nie ma dowodu doręczenia tej wysyłki.", err: err}
	}
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return notFound(err)
	}
	c, _, err := s.readCaseFile(r, u)
	if err != nil {
		return err
	}
	if s.deliveries == nil {
		return notFound(errors.New("no store of sendings"))
	}
	d, err := s.deliveries.Get(r.Context(), id)
	if errors.Is(err, deliveries.ErrNotFound) || (err == nil && d.CaseID != c.ID) {
		return notFound(fmt.Errorf("sending %s of case %s: %w", id, c.Reference, deliveries.ErrNotFound))
	}
	if err != nil {
		return err
	}
	if !d.Proof.Kept() {
		return notFound(fmt.Errorf("sending %s has no proof kept", id))
	}
	data, err := s.docs.Get(r.Context(), s.docBucket, d.Proof.Key, maxProof)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", "dowod-doreczenia-"+c.Reference+"-"+d.ID.String()+".xml"))
	w.Write(data)
	return nil
}

// proofText says in Polish what the check of a proof's signature found.
func proofText(p *delivery.Proof) string {
	switch {
	case p == nil:
		return ""
	case p.Missing != "":
		return "dowodu nie zachowano: " + p.Missing
	}
	switch p.Signature {
	case delivery.ProofPassed:
		return "podpis zweryfikowany, wystawca zaufany"
	case delivery.ProofIndeterminate:
		return "podpisu nie potwierdzono (" + p.SignatureDetail + ") – wystawca nie jest zaufany albo brak danych do weryfikacji"
	case delivery.ProofFailed:
		return "podpis nieważny (" + p.SignatureDetail + ")"
	}
	return "dokument bez podpisu"
}
