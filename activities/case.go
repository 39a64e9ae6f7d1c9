package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/adapters/s3"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/complaints"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/domain/letters"
	"github.com/obieg/obieg/internal/records/auth"
	"github.com/obieg/obieg/internal/records/cases"
	"github.com/obieg/obieg/internal/records/extracts"
	"github.com/obieg/obieg/internal/records/institutions"
	"github.com/obieg/obieg/internal/records/register"
	"github.com/obieg/obieg/internal/render/letterpdf"
	"github.com/obieg/obieg/internal/signatures/xades"
)

// Case holds the activities of the case workflow.
type Case struct {
	Cases *cases.Store
	Users *auth.Store
	// Blob and Bucket keep the documents the office produces.
	Blob *s3.Client
	// Extracts gives what was read of a case's form at intake.
	Extracts *extracts.Store
	Bucket   string
	// Office and Place head the office's letters.
	Office, Place string
	// Limits cap what is read of a case's form; Competence says what the centre handles
	// itself, for classifying complaints.
	Limits     forms.Limits
	Competence complaints.Competence
	// Institutions is the database of institutions the senders of reports are checked
	// against; Registry says who sent the document a case was opened from.
	Institutions *institutions.Store
	Registry     *register.Store
	// Signer signs the office's answers and decisions (XAdES); nil when no key is
	// configured, and then nothing can be signed. TSA, when set, makes them B-T.
	Signer xades.Signer
	TSA    xades.TSA
	// ValidationData, when set, gives the OCSP responses and CRLs of the signing certificate
	// at a time, embedded in the signature so that it verifies without fetching them.
	ValidationData func(ctx context.Context, at time.Time) (ocsps, crls [][]byte, err error)
}

// Apply records one step of a case: its new standing and the history entry, once per key.
func (a *Case) Apply(ctx context.Context, st casefile.Step) (bool, error) {
	applied, err := a.Cases.Apply(ctx, st)
	if errors.Is(err, cases.ErrNotFound) {
		return false, invalid(err)
	}
	return applied, classify(err)
}

// CheckAssignee returns the user who may handle a case of unit: an active clerk or head of
// that unit. Anyone else is refused with a non-retryable error.
func (a *Case) CheckAssignee(ctx context.Context, username, unit string) (contract.Assignee, error) {
	u, err := a.Users.Get(ctx, username)
	if errors.Is(err, auth.ErrNotFound) {
		return contract.Assignee{}, invalid(fmt.Errorf("nie ma aktywnego użytkownika %s", username))
	}
	if err != nil {
		return contract.Assignee{}, err
	}
	if u.Unit != unit || (u.Role != auth.RoleClerk && u.Role != auth.RoleHead) {
		return contract.Assignee{}, invalid(fmt.Errorf("%s nie jest referentem ani kierownikiem komórki %s", username, unit))
	}
	return contract.Assignee{Username: u.Username, Name: u.FullName, Position: u.Position}, nil
}

// IssueLetter renders a letter as XML and PDF, stores both in the documents bucket and
// records the document in its case (as a draft until signed). Repeated with the same key it
// returns the document issued the first time.
func (a *Case) IssueLetter(ctx context.Context, in contract.IssueInput) (casefile.Document, error) {
	l, err := a.letter(ctx, in, true)
	if err != nil {
		return casefile.Document{}, err
	}
	xmlDoc, err := letters.XML(l)
	if err != nil {
		return casefile.Document{}, invalid(err)
	}
	return a.store(ctx, in, l, xmlDoc, "draft")
}

// SignLetter renders a letter (an answer or decision the head has accepted), signs its XML
// with the office's key as an enveloped XAdES signature (B-B, or B-T with a TSA), stores the
// signed XML and its PDF and records the document as signed. Without a signing key it fails
// with ErrTypeNoSigner, non-retryable.
func (a *Case) SignLetter(ctx context.Context, in contract.IssueInput) (casefile.Document, error) {
	if a.Signer == nil {
		return casefile.Document{}, temporal.NewNonRetryableApplicationError(
			"podpisywanie nie jest skonfigurowane (OBIEG_SIGNING_KEY, OBIEG_SIGNING_CERTS)", contract.ErrTypeNoSigner, nil)
	}
	l, err := a.letter(ctx, in, false)
	if err != nil {
		return casefile.Document{}, err
	}
	l.SignedBy = a.Signer.Certificate().Subject.CommonName
	xmlDoc, err := letters.XML(l)
	if err != nil {
		return casefile.Document{}, invalid(err)
	}
	opts := xades.SignOptions{SigningTime: in.At, TSA: a.TSA}
	if a.ValidationData != nil {
		// Without them the signature is B-B and verifiers look the status up themselves: an
		// unreachable responder must not stop the office from signing.
		ocsps, crls, err := a.ValidationData(ctx, in.At)
		if err != nil {
			activity.GetLogger(ctx).Warn("signing without embedded revocation data", "err", err)
		} else {
			opts.OCSPResponses, opts.CRLs = ocsps, crls
		}
	}
	signed, err := xades.Sign(ctx, xmlDoc, a.Signer, opts)
	if err != nil {
		return casefile.Document{}, fmt.Errorf("sign letter: %w", err)
	}
	return a.store(ctx, in, l, signed, "signed")
}

// letter completes the letter of in with what the office and the case say.
func (a *Case) letter(ctx context.Context, in contract.IssueInput, draft bool) (letters.Letter, error) {
	c, err := a.Cases.GetByID(ctx, in.CaseID)
	if err != nil {
		return letters.Letter{}, invalid(err)
	}
	l := in.Letter
	l.Office, l.Place, l.Unit, l.Draft = a.Office, a.Place, c.UnitName, draft
	return l, nil
}

// store keeps a letter's XML and its PDF in the documents bucket and records the document.
func (a *Case) store(ctx context.Context, in contract.IssueInput, l letters.Letter, xmlDoc []byte, status string) (casefile.Document, error) {
	pdf, err := letterpdf.PDF(l)
	if err != nil {
		return casefile.Document{}, invalid(err)
	}
	xmlRef, err := a.Blob.PutContentAt(ctx, a.Bucket, "documents/", xmlDoc, "application/xml")
	if err != nil {
		return casefile.Document{}, fmt.Errorf("store letter: %w", err)
	}
	pdfRef, err := a.Blob.PutContentAt(ctx, a.Bucket, "documents/", pdf, "application/pdf")
	if err != nil {
		return casefile.Document{}, fmt.Errorf("store letter: %w", err)
	}
	d, err := a.Cases.AddDocument(ctx, casefile.Document{CaseID: in.CaseID, Kind: l.Kind, Title: l.Title, Status: status,
		XMLKey: xmlRef.Key, PDFKey: pdfRef.Key, SHA256: xmlRef.SHA256, CreatedAt: in.At, CreatedBy: in.By}, in.Key)
	return d, classify(err)
}
