package activities

import (
	"cmp"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/adapters/s3"
	"github.com/obieg/obieg/internal/adapters/soap"
	"github.com/obieg/obieg/internal/domain/blob"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/casehistory"
	"github.com/obieg/obieg/internal/domain/deadlines"
	"github.com/obieg/obieg/internal/domain/delivery"
	"github.com/obieg/obieg/internal/domain/epuapbox"
	"github.com/obieg/obieg/internal/domain/letters"
	"github.com/obieg/obieg/internal/records/cases"
	"github.com/obieg/obieg/internal/records/deliveries"
	"github.com/obieg/obieg/internal/records/register"
)

// Doreczyciel is what forwarding needs of ePUAP's doręczyciel service
// (*epuap.DoreczycielClient).
type Doreczyciel interface {
	// Dorecz hands a signed document to ePUAP for delivery with proof of receipt and returns
	// the ids ePUAP gave it; a refusal is a *soap.Fault or *epuap.StatusError error.
	Dorecz(ctx context.Context, o epuap.DeliveryOrder) (epuap.Ordered, error)
}

var _ Doreczyciel = (*epuap.DoreczycielClient)(nil)

// Forwarding holds the activities that send a forwarded case's submission to the competent
// public body through ePUAP's doręczyciel, and take in the UPD (urzędowe poświadczenie
// doręczenia) ePUAP returns to the office's box once the body has collected it.
type Forwarding struct {
	Deliveries *deliveries.Store
	Cases      *cases.Store
	Registry   *register.Store
	Blob       *s3.Client
	// RawBucket keeps submissions as received, DocumentsBucket the office's documents.
	RawBucket       string
	DocumentsBucket string
	// Client is the office's doręczyciel; nil when none is configured, and then nothing is
	// sent. ReplyBox is the office's box address, where ePUAP sends the UPDs.
	Client   Doreczyciel
	ReplyBox string
	// Certs are ePUAP's pinned signing certificates: a UPD signed otherwise is refused.
	Certs []*x509.Certificate
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// forwardPart is one document sent to the competent body.
type forwardPart struct {
	submission, documentID uuid.UUID
	bucket, key, fileName  string
	contentType            string
}

// ForwardToBody sends the case's submission, exactly as it was received, to the competent
// body's ePUAP box through doręczyciel, followed by the signed forwarding letter if the case
// has one; each is one sending recorded once per key. A sending is recorded before ePUAP is
// asked, and its order right after ePUAP answers, so that a retry sends only what has not
// been sent. Doręczyciel has no draft step: a crash between ePUAP's answer and its record
// orders that document a second time (the body receives it twice, and the UPD of the
// unrecorded order matches no sending: it is quarantined for the registry clerk).
func (a *Forwarding) ForwardToBody(ctx context.Context, in contract.ForwardSendInput) (contract.ForwardSent, error) {
	if a.Client == nil {
		return contract.ForwardSent{}, temporal.NewNonRetryableApplicationError(
			"doręczanie przez ePUAP nie jest skonfigurowane (EPUAP_DORECZYCIEL_URL)", contract.ErrTypeNoEPUAP, nil)
	}
	if !epuapbox.Valid(in.Box) {
		return contract.ForwardSent{}, invalid(fmt.Errorf("adres skrytki ePUAP ma postać /podmiot/skrytka, nie %q", in.Box))
	}
	parts, err := a.parts(ctx, in.CaseID)
	if err != nil {
		return contract.ForwardSent{}, err
	}
	var out contract.ForwardSent
	for i, p := range parts {
		d, err := a.Deliveries.Ensure(ctx, delivery.Delivery{CaseID: in.CaseID, DocumentID: p.documentID, SubmissionID: p.submission,
			Channel: delivery.ChannelEPUAP, Address: in.Box, CreatedAt: in.At, CreatedBy: in.By}, fmt.Sprintf("%s/%d", in.Key, i))
		if err != nil {
			return contract.ForwardSent{}, classify(err)
		}
		if d.Status == delivery.StatusNew {
			if d, err = a.order(ctx, d, p, in); err != nil {
				return contract.ForwardSent{}, err
			}
		}
		out.Deliveries = append(out.Deliveries, d)
		if d.Status == delivery.StatusRejected {
			out.Rejected = d.Reason
			break
		}
	}
	return out, nil
}

// parts lists what is sent of the case: its submission as received, then its latest signed
// forwarding letter if there is one.
func (a *Forwarding) parts(ctx context.Context, caseID uuid.UUID) ([]forwardPart, error) {
	c, err := a.Cases.GetByID(ctx, caseID)
	if errors.Is(err, cases.ErrNotFound) {
		return nil, invalid(err)
	}
	if err != nil {
		return nil, err
	}
	if c.OriginSubmissionID == uuid.Nil {
		return nil, invalid(fmt.Errorf("sprawa %s nie ma pisma, które można przekazać", c.Reference))
	}
	sub, err := a.Registry.Get(ctx, c.OriginSubmissionID)
	if errors.Is(err, register.ErrNotFound) {
		return nil, invalid(err)
	}
	if err != nil {
		return nil, err
	}
	parts := []forwardPart{{submission: sub.ID, bucket: a.RawBucket, key: sub.RawKey,
		fileName: cmp.Or(sub.FileName, c.Reference+".xml"), contentType: cmp.Or(sub.ContentType, "text/xml")}}
	docs, err := a.Cases.Documents(ctx, caseID)
	if err != nil {
		return nil, err
	}
	for i := len(docs) - 1; i >= 0; i-- {
		if d := docs[i]; d.Kind == letters.KindForwardNotice && d.Status == "signed" {
			parts = append(parts, forwardPart{documentID: d.ID, bucket: a.DocumentsBucket, key: d.XMLKey,
				fileName: c.Reference + "-przekazanie.xml", contentType: "application/xml"})
			break
		}
	}
	return parts, nil
}

// order hands one part to doręczyciel and records ePUAP's answer: ordered, or refused for
// good. Other failures are returned for Temporal to retry.
func (a *Forwarding) order(ctx context.Context, d delivery.Delivery, p forwardPart, in contract.ForwardSendInput) (delivery.Delivery, error) {
	data, err := a.Blob.Get(ctx, p.bucket, p.key, 64<<20)
	if errors.Is(err, blob.ErrNotFound) {
		return delivery.Delivery{}, invalid(fmt.Errorf("document %s to forward: %w", p.key, err))
	}
	if err != nil {
		return delivery.Delivery{}, fmt.Errorf("document %s to forward: %w", p.key, err)
	}
	o, err := a.Client.Dorecz(ctx, epuap.DeliveryOrder{
		AdresSkrytki: in.Box, AdresOdpowiedzi: a.ReplyBox,
		IdentyfikatorDokumentu: d.ID.String(), IdentyfikatorSprawy: in.Reference,
		NazwaPliku: p.fileName, TypPliku: p.contentType, Zawartosc: data,
	})
	var fault *soap.Fault
	var status *epuap.StatusError
	switch {
	case errors.As(err, &fault):
		reason := fmt.Sprintf("ePUAP nie przyjął doręczenia do skrytki %s: %s", in.Box, cmp.Or(fault.Komunikat, fault.String))
		if err := a.Deliveries.Rejected(ctx, d.ID, reason); err != nil {
			return delivery.Delivery{}, err
		}
		return a.Deliveries.Get(ctx, d.ID)
	case errors.As(err, &status):
		reason := fmt.Sprintf("ePUAP nie przyjął doręczenia do skrytki %s (status %d): %s", in.Box, status.Kod, status.Komunikat)
		if err := a.Deliveries.Rejected(ctx, d.ID, reason); err != nil {
			return delivery.Delivery{}, err
		}
		return a.Deliveries.Get(ctx, d.ID)
	case err != nil:
		return delivery.Delivery{}, err
	}
	if o.IdentyfikatorDokumentu == "" {
		// Without it the UPD could not be tied to the sending.
		return delivery.Delivery{}, fmt.Errorf("dorecz to %s: ePUAP gave the document no id (order %q)", in.Box, o.IdentyfikatorZlecenia)
	}
	if err := a.Deliveries.Ordered(ctx, d.ID, o.IdentyfikatorDokumentu, o.IdentyfikatorZlecenia, a.now()); err != nil {
		return delivery.Delivery{}, classify(err)
	}
	activity.GetLogger(ctx).Info("forwarded through ePUAP", "delivery_id", d.ID, "box", in.Box, "order", o.IdentyfikatorZlecenia)
	return a.Deliveries.Get(ctx, d.ID)
}

func (a *Forwarding) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// maxUPD caps what is read of a UPD.
const maxUPD = 1 << 20

// TakeUPD reads the UPD r, stored as pulled, verifies its signature against ePUAP's pinned
// certificates, and records the delivery it proves: the sending whose ePUAP document id it
// names is delivered on the day the addressee collected it, with the UPD's id and the stored
// UPD as its proof, and the case's history says so. Both records are idempotent, so a retry
// or a redelivery of the same UPD records nothing twice. A UPD that does not verify, or that
// names no sending of the office, is not an error: the answer says why, for the intake to
// quarantine it.
func (a *Forwarding) TakeUPD(ctx context.Context, r contract.Received) (contract.UPDTaken, error) {
	data, err := a.Blob.Get(ctx, r.Raw.Bucket, r.Raw.Key, maxUPD)
	switch {
	case errors.Is(err, blob.ErrTooLarge):
		return contract.UPDTaken{Reason: contract.ReasonUPDInvalid, Detail: "poświadczenie większe niż 1 MiB"}, nil
	case errors.Is(err, blob.ErrNotFound):
		return contract.UPDTaken{}, invalid(fmt.Errorf("stored UPD is missing: %w", err))
	case err != nil:
		return contract.UPDTaken{}, fmt.Errorf("read UPD: %w", err)
	}
	if len(a.Certs) == 0 {
		return contract.UPDTaken{Reason: contract.ReasonUPDInvalid, Detail: "nie można sprawdzić podpisu poświadczenia: brak przypiętego certyfikatu ePUAP (EPUAP_SIGNING_CERT)"}, nil
	}
	upd, err := epuap.VerifyUPD(data, a.Certs, a.now())
	if err != nil {
		return contract.UPDTaken{Reason: contract.ReasonUPDInvalid, Detail: "poświadczenie doręczenia nie jest ważne: " + err.Error()}, nil
	}
	if upd.DataOdbioru.IsZero() {
		return contract.UPDTaken{Reason: contract.ReasonUPDInvalid, Detail: fmt.Sprintf("poświadczenie %s nie ma daty odbioru: to nie jest UPD", upd.IdentyfikatorPoswiadczenia)}, nil
	}
	d, err := a.Deliveries.ByMessage(ctx, upd.IdentyfikatorDokumentu)
	if errors.Is(err, deliveries.ErrNotFound) || (err == nil && d.Channel != delivery.ChannelEPUAP) {
		return contract.UPDTaken{Reason: contract.ReasonUPDUnmatched, Detail: fmt.Sprintf("UPD %s poświadcza doręczenie dokumentu %s, którego urząd nie wysyłał przez ePUAP",
			upd.IdentyfikatorPoswiadczenia, upd.IdentyfikatorDokumentu)}, nil
	}
	if err != nil {
		return contract.UPDTaken{}, fmt.Errorf("sending of UPD %s: %w", upd.IdentyfikatorPoswiadczenia, err)
	}
	if d.Status == delivery.StatusRejected || d.Status == delivery.StatusNew {
		return contract.UPDTaken{Reason: contract.ReasonUPDUnmatched, Detail: fmt.Sprintf("UPD %s dotyczy wysyłki %s, która nie została nadana (stan %s)",
			upd.IdentyfikatorPoswiadczenia, d.ID, d.Status)}, nil
	}
	on := deadlines.WarsawDate(upd.DataOdbioru)
	// The UPD is the sending's proof of receipt, kept with the office's documents as the
	// proofs of e-Doręczenia are; its signature verified against ePUAP's pinned certificate.
	ref, err := a.Blob.PutContentAt(ctx, a.DocumentsBucket, ProofPrefix, data, "application/xml")
	if err != nil {
		return contract.UPDTaken{}, fmt.Errorf("keep UPD %s: %w", upd.IdentyfikatorPoswiadczenia, err)
	}
	if err := a.Deliveries.Delivered(ctx, d.ID, on, false, upd.IdentyfikatorPoswiadczenia, delivery.Proof{Key: ref.Key, SHA256: ref.SHA256,
		Size: ref.Size, Signature: delivery.ProofPassed, SignatureDetail: "UPD podpisane przez ePUAP (przypięty certyfikat EPUAP_SIGNING_CERT)"}); err != nil {
		return contract.UPDTaken{}, classify(err)
	}
	body := cmp.Or(upd.Adresat.Nazwa, upd.Adresat.Identyfikator)
	e := casehistory.DeliveredToBody(body, d.Address, d.SubmissionID == uuid.Nil, on, upd.IdentyfikatorPoswiadczenia)
	act := casefile.Action{At: a.now(), Actor: casefile.SystemActor, ActorName: "obieg (system)", Code: e.Code, Data: e.Data}
	if d.DocumentID != uuid.Nil {
		act.DocumentID = d.DocumentID.String()
	}
	// The entry is appended to the history; the case's stage is its workflow's alone.
	if _, err := a.Cases.Note(ctx, d.CaseID, "upd/"+d.ID.String(), act); err != nil {
		return contract.UPDTaken{}, classify(err)
	}
	c, err := a.Cases.GetByID(ctx, d.CaseID)
	if err != nil {
		return contract.UPDTaken{}, fmt.Errorf("case of sending %s: %w", d.ID, err)
	}
	activity.GetLogger(ctx).Info("UPD taken", "case_ref", c.Reference, "delivery_id", d.ID, "upd", upd.IdentyfikatorPoswiadczenia)
	return contract.UPDTaken{Delivery: d.ID, CaseID: c.ID}, nil
}
