package activities

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/google/uuid"

	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/cases"
	"github.com/obieg/obieg/internal/domain/blob"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/casehistory"
)

// referenceRE finds case references (znak sprawy, <unit>.<JRWA class>.<seq>.<year>) in a
// document's bytes. Base64 has no dot, so a reference cannot be read out of an attachment's
// content by chance.
var referenceRE = regexp.MustCompile(`\b[A-Z]{2,8}\.[0-9]{1,4}\.[0-9]{1,7}\.[0-9]{4}\b`)

// maxReferences is how many distinct references of a document are looked up.
const maxReferences = 20

// JoinExisting joins the submission to the first open case whose reference its document
// names (the party's reply to a call to remedy, a further letter in the matter), and
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
	data, err := a.Blob.Get(ctx, in.Raw.Bucket, in.Raw.Key, a.Limits.MaxBytes)
	if errors.Is(err, blob.ErrTooLarge) {
		return contract.Joined{}, nil
	}
	if err != nil {
		return contract.Joined{}, fmt.Errorf("read submission %s: %w", in.SubmissionID, err)
	}
	seen := map[string]bool{}
	for _, m := range referenceRE.FindAll(data, -1) {
		ref := string(m)
		if seen[ref] {
			continue
		}
		if seen[ref] = true; len(seen) > maxReferences {
			break
		}
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
