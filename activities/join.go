package activities

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/domain/blob"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/casehistory"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/records/cases"
)

// JoinExisting joins the submission to the first open case whose reference its document
// names (the references of its extract, read from its text at inspection) (the party's reply to a call to remedy, a further letter in the matter), and
// returns that case; none named, or none open, returns an empty Joined and the submission is
// routed as a new matter. Repeated, it returns the case joined the first time.
func (a *Submission) JoinExisting(ctx context.Context, in contract.JoinInput) (contract.Joined, error) {
	sub, err := a.Registry.Get(ctx, in.SubmissionID)
	if err != nil {
		return contract.Joined{}, classify(err)
	}
	if sub.JoinedCaseID != uuid.Nil {
		c, err := a.Cases.GetByID(ctx, sub.JoinedCaseID)
		if err != nil {
			return contract.Joined{}, err
		}
		return contract.Joined{CaseID: c.ID, Reference: c.Reference, Unit: c.Unit}, nil
	}
	ex, err := a.Extracts.Of(ctx, in.Raw)
	var refusal *forms.Error
	if errors.Is(err, blob.ErrTooLarge) || errors.As(err, &refusal) {
		return contract.Joined{}, nil
	}
	if err != nil {
		return contract.Joined{}, fmt.Errorf("read submission %s: %w", in.SubmissionID, err)
	}
	for _, ref := range ex.References {
		c, err := a.Cases.Get(ctx, ref)
		if errors.Is(err, cases.ErrNotFound) {
			continue
		}
		if err != nil {
			return contract.Joined{}, err
		}
		if c.Status != "open" || c.OriginSubmissionID == in.SubmissionID {
			continue
		}
		if err := a.Registry.Join(ctx, in.SubmissionID, c.ID); err != nil {
			return contract.Joined{}, classify(err)
		}
		return contract.Joined{CaseID: c.ID, Reference: c.Reference, Unit: c.Unit}, nil
	}
	return contract.Joined{}, nil
}

// NoteJoined writes a joined letter into the history of a case that no longer runs (it ended
// between the letter's registration and its joining). It appends the entry and changes
// nothing else: the case's stage is its workflow's alone.
func (a *Submission) NoteJoined(ctx context.Context, in contract.NoteJoinedInput) error {
	_, err := a.Cases.Note(ctx, in.CaseID, in.Key, casefile.Action{At: in.At, Actor: casefile.SystemActor, ActorName: "obieg (system)",
		Code: casehistory.CodeLetterJoined, Data: in.Data, Description: in.Description})
	return classify(err)
}
