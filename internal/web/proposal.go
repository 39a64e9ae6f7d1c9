package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/obieg/obieg/internal/domain/blob"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/drafts"
	"github.com/obieg/obieg/internal/domain/familycard"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/domain/lifecycle"
	"github.com/obieg/obieg/internal/records/auth"
	"github.com/obieg/obieg/internal/records/register"
)

// proposalView is the proposed draft as the case page shows it in the draft form.
type proposalView struct {
	drafts.Draft
	Notes []string
}

// propose proposes the draft of case c (package drafts) from its form, read from the stored
// submission that opened the case as the case's activities read it: the raw bucket, under the
// form limits. A form that cannot be parsed gives the answer skeleton with a note; a store
// that fails is an error. finding is the handler's finding on a complaint, when known.
func (s *Server) propose(ctx context.Context, c casefile.Case, finding drafts.Finding, now time.Time) (drafts.Proposal, error) {
	in := drafts.Input{
		Case: drafts.Case{Reference: c.Reference, Title: c.Title, Office: s.office,
			ReceivedOn: civil.DateOf(c.OpenedAt.In(civil.Warsaw))},
		FormType: c.FormType, On: civil.DateOf(now.In(civil.Warsaw)), Rules: familycard.DefaultRules(), Finding: finding,
	}
	var unread string
	if c.OriginSubmissionID != uuid.Nil {
		sub, err := s.registry.Get(ctx, c.OriginSubmissionID)
		if errors.Is(err, register.ErrNotFound) {
			return drafts.Propose(in), nil
		}
		if err != nil {
			return drafts.Proposal{}, fmt.Errorf("read the submission of case %s: %w", c.Reference, err)
		}
		in.Case.ReceivedOn, in.Case.Party = civil.DateOf(sub.ReceivedAt.In(civil.Warsaw)), sub.SenderName
		if c.FormType == forms.FamilyCard || c.FormType == forms.Complaint {
			unread, err = s.readCaseForm(ctx, c, sub, &in)
			if err != nil {
				return drafts.Proposal{}, err
			}
		}
	}
	p := drafts.Propose(in)
	if unread != "" {
		p.Notes = append(p.Notes, unread)
	}
	return p, nil
}

// readCaseForm puts the form of case c, as read at intake from its submission sub, into in.
// It returns a note for the handler when the form cannot be read as its type.
func (s *Server) readCaseForm(ctx context.Context, c casefile.Case, sub register.Submission, in *drafts.Input) (string, error) {
	const unread = "Nie udało się odczytać formularza sprawy: zaproponowano ogólny szkielet odpowiedzi."
	if s.extracts == nil || sub.RawKey == "" {
		return unread, nil
	}
	ex, err := s.extracts.Of(ctx, blob.Ref{Bucket: s.rawBucket, Key: sub.RawKey, SHA256: sub.SHA256, Size: sub.Size})
	var ferr *forms.Error
	if errors.Is(err, blob.ErrNotFound) || errors.Is(err, blob.ErrTooLarge) || errors.As(err, &ferr) {
		return unread, nil
	}
	if err != nil {
		return "", fmt.Errorf("read the form of case %s: %w", c.Reference, err)
	}
	in.FamilyCard, in.Complaint = ex.FamilyCard, ex.Complaint
	if (c.FormType == forms.FamilyCard && in.FamilyCard == nil) || (c.FormType == forms.Complaint && in.Complaint == nil) {
		return unread, nil
	}
	return "", nil
}

// draftProposalAPI answers GET /api/v1/cases/{ref}/draft-proposal: the proposed draft of the
// case, to submit with the submit-draft action. It is a read of the case file, authorised and
// recorded as one.
func (s *Server) draftProposalAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	finding := drafts.Finding(r.URL.Query().Get("finding"))
	switch finding {
	case "", drafts.Founded, drafts.Unfounded:
	default:
		return badRequest("Parametr finding musi mieć wartość founded albo unfounded.", errors.New("bad finding "+string(finding)))
	}
	c, _, err := s.readCaseFile(r, u)
	if err != nil {
		return err
	}
	p, err := s.propose(r.Context(), c, finding, time.Now())
	if err != nil {
		return err
	}
	if p.Body == nil {
		p.Body = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"reference": c.Reference, "proposal": p, "draft": p.Draft()})
	return nil
}

// offersDraft reports whether the submit-draft form is among the actions.
func offersDraft(actions []lifecycle.Offer) bool {
	for _, a := range actions {
		if a.Name == lifecycle.SubmitDraft {
			return true
		}
	}
	return false
}
