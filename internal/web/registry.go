package web

import (
	"context"
	"fmt"
	"net/http"

	"github.com/google/uuid"

	"github.com/obieg/obieg/internal/domain/jrwa"
	"github.com/obieg/obieg/internal/domain/problem"
	"github.com/obieg/obieg/internal/records/auth"
	"github.com/obieg/obieg/internal/records/plan"
	"github.com/obieg/obieg/internal/records/register"
)

// Registry is what the registry clerk's pages need of the register.
type Registry interface {
	Get(ctx context.Context, id uuid.UUID) (register.Submission, error)
	// Letter returns a submission with its register entry, signature verdict and stored
	// attachments; register.ErrNotFound when there is none.
	Letter(ctx context.Context, id uuid.UUID) (register.Letter, error)
	ListUnrouted(ctx context.Context, limit int) ([]register.Submission, error)
}

// Targets lists where cases can be routed, and the rule of a form type.
type Targets interface {
	Targets(ctx context.Context) (units, classes []plan.Target, err error)
	Lookup(ctx context.Context, formType string) (jrwa.RoutingRule, error)
}

// SubmissionRequest is the registry clerk's decision on a submission.
type SubmissionRequest struct {
	Action string    `json:"-"` // route or dismiss
	Actor  auth.User `json:"-"`
	Unit   string    `json:"unit,omitempty"`
	Class  string    `json:"jrwa_class,omitempty"`
	Title  string    `json:"title,omitempty"`
	Note   string    `json:"note,omitempty"`
}

// SubmissionActions carries the registry clerk's decisions to the submissions' workflows.
// Act returns the submission's stage after the decision; a refusal of kind problem.Refused,
// wrapping ErrActionRefused, when the workflow refuses; ErrNoSuchAction for an unknown action.
type SubmissionActions interface {
	ActOnSubmission(ctx context.Context, workflowID string, req SubmissionRequest) (stage string, err error)
}

func (s *Server) decide(ctx context.Context, u auth.User, id string, req SubmissionRequest) (string, error) {
	if !u.MayViewIncoming() {
		return "", forbidden(u, "resolve submissions")
	}
	sid, err := uuid.Parse(id)
	if err != nil {
		return "", problem.NewNotFound("Nie ma takiego wpływu.", fmt.Errorf("submission id %q: %w", id, err))
	}
	sub, err := s.registry.Get(ctx, sid)
	if err != nil {
		return "", err
	}
	req.Actor = u
	stage, err := s.subActions.ActOnSubmission(ctx, sub.WorkflowID, req)
	if err != nil {
		return "", err
	}
	s.logger.InfoContext(ctx, "submission resolved", "username", u.Username, "submission_id", sid, "action", req.Action, "stage", stage)
	return stage, nil
}

func (s *Server) submissionActionAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	var req SubmissionRequest
	if err := decodeAction(w, r, &req); err != nil {
		return err
	}
	req.Action = r.PathValue("action")
	stage, err := s.decide(r.Context(), u, r.PathValue("id"), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"stage": stage})
	return nil
}

func (s *Server) submissionActionForm(w http.ResponseWriter, r *http.Request, u auth.User) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return badRequest("Nieprawidłowy formularz.", err)
	}
	f := r.PostForm
	req := SubmissionRequest{Action: r.PathValue("action"), Unit: f.Get("unit"), Class: f.Get("jrwa_class"), Title: f.Get("title"), Note: f.Get("note")}
	_, err := s.decide(r.Context(), u, r.PathValue("id"), req)
	return backAfter(w, r, "/kwarantanna", req.Action, err)
}
