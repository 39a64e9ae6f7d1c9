package activities

import (
	"context"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/testsuite"

	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/dev/demo"
	"github.com/obieg/obieg/internal/dev/devstack/stacktest"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	"github.com/obieg/obieg/internal/domain/casehistory"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/delivery"
	"github.com/obieg/obieg/internal/records/cases"
	"github.com/obieg/obieg/internal/records/deliveries"
	"github.com/obieg/obieg/internal/records/register"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// TestForwardAndTakeUPD forwards a case's submission through the simulated doręczyciel and
// takes the UPDs ePUAP issues: the one of the sending is recorded once however often it is
// taken; one of a document the office did not send that way, or signed by a certificate
// ePUAP does not pin, is refused with the reason to quarantine it. A repeated forward under
// the same key sends nothing again.
func TestForwardAndTakeUPD(t *testing.T) {
	ctx := context.Background()
	pool, _ := stacktest.Pool(t)
	if err := demo.Seed(ctx, pool); err != nil {
		t.Fatal(err)
	}
	s3, bucket := stacktest.Blob(t, false)

	simID, err := epuapsim.SelfSigned("ePUAP test", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	officeID, err := epuapsim.SelfSigned("obieg test", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	sim := epuapsim.New(epuapsim.NewMemStore(), time.Now, nil, epuapsim.WithWSSecurity(simID))
	for _, b := range [][2]string{{"rops", "skrytka"}, {"uw", "skrytka"}} {
		if _, err := sim.CreateBox(ctx, b[0], b[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := sim.RegisterCertificate("rops", officeID.Cert); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	client := epuap.NewDoreczycielClient(srv.URL+schema.DoreczycielPath, http.DefaultClient, "rops",
		epuap.WithSigner(officeID), epuap.WithPinnedCertificates(simID.Cert))

	// A case of a signed submission (dorecz takes only signed documents).
	doc := []byte(`<a xmlns="urn:test"><b>pismo</b><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></a>`)
	raw, err := s3.PutContent(ctx, bucket, doc, "text/xml")
	if err != nil {
		t.Fatal(err)
	}
	sub, err := register.New(pool).Record(ctx, register.Submission{Channel: "epuap", BoxDocumentID: "fwd-1", WorkflowID: "submission/epuap/fwd-1",
		ReceivedAt: time.Now(), PulledAt: time.Now(), SenderID: "jan", SenderName: "Jan Kowalski", FileName: "pismo.xml",
		ContentType: "text/xml", RawKey: raw.Key, SHA256: raw.SHA256, Size: raw.Size})
	if err != nil {
		t.Fatal(err)
	}
	c, err := cases.New(pool).Open(ctx, sub, "SEK", "0600", "Pismo", time.Now(), civil.Warsaw)
	if err != nil {
		t.Fatal(err)
	}

	a := &Forwarding{Deliveries: deliveries.New(pool), Cases: cases.New(pool), Registry: register.New(pool), Blob: s3,
		RawBucket: bucket, DocumentsBucket: bucket, Client: client, ReplyBox: "/rops/skrytka", Certs: []*x509.Certificate{simID.Cert}}
	// run runs an activity of f as Temporal would, and decodes its result into out.
	run := func(t *testing.T, f *Forwarding, out any, fn any, arg any) error {
		t.Helper()
		var s testsuite.WorkflowTestSuite
		env := s.NewTestActivityEnvironment()
		env.RegisterActivity(f)
		v, err := env.ExecuteActivity(fn, arg)
		if err != nil {
			return err
		}
		return v.Get(out)
	}
	in := contract.ForwardSendInput{CaseID: c.ID, Reference: c.Reference, Box: "/uw/skrytka", Key: "case/x/forward/u1", By: "kierownik.sek", At: time.Now()}
	var sent contract.ForwardSent
	for range 2 {
		if err := run(t, a, &sent, a.ForwardToBody, in); err != nil {
			t.Fatal(err)
		}
	}
	if len(sent.Deliveries) != 1 || sent.Rejected != "" || sent.Deliveries[0].Status != delivery.StatusSent || sent.Deliveries[0].SubmissionID != sub {
		t.Fatalf("got %+v, want one sending of submission %s", sent, sub)
	}
	d, err := deliveries.New(pool).Get(ctx, sent.Deliveries[0].ID) // with the order's id, which results do not carry
	if err != nil {
		t.Fatal(err)
	}
	boxes, err := sim.Waiting(ctx, "uw")
	if err != nil {
		t.Fatal(err)
	}
	if w := boxes[0].Waiting; len(w) != 1 || w[0].ID != d.MessageID || w[0].SHA256 != raw.SHA256 {
		t.Fatalf("the body's box holds %+v; want the submission once, as document %s", w, d.MessageID)
	}

	// A UPD of a delivery the office ordered outside any sending it recorded.
	stray, err := client.Dorecz(ctx, epuap.DeliveryOrder{AdresSkrytki: "/uw/skrytka", AdresOdpowiedzi: "/rops/skrytka",
		NazwaPliku: "inne.xml", TypPliku: "text/xml", Zawartosc: doc})
	if err != nil {
		t.Fatal(err)
	}
	take := func(t *testing.T, upd []byte, certs ...*x509.Certificate) contract.UPDTaken {
		t.Helper()
		ref, err := s3.PutContent(ctx, bucket, upd, "text/xml")
		if err != nil {
			t.Fatal(err)
		}
		b := *a
		if certs != nil {
			b.Certs = certs
		}
		var got contract.UPDTaken
		if err := run(t, &b, &got, b.TakeUPD, contract.Received{Channel: "epuap", Raw: ref}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	collect := func(t *testing.T, order string) []byte {
		t.Helper()
		upd, err := sim.Collect(ctx, order)
		if err != nil {
			t.Fatal(err)
		}
		return upd
	}
	upd := collect(t, d.TaskID)
	for i := range 2 {
		if got := take(t, upd); got.Reason != "" || got.Delivery != d.ID || got.CaseID != c.ID {
			t.Fatalf("take %d: got %+v, want the sending %s taken", i, got, d.ID)
		}
	}
	d, err = deliveries.New(pool).Get(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != delivery.StatusDelivered || d.DeliveredOn.IsZero() || !strings.HasPrefix(d.EvidenceID, "UPD-") || !d.Proof.Kept() {
		t.Errorf("got sending %+v, want delivered with the UPD as its proof", d)
	}
	history, err := cases.New(pool).History(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var delivered []string
	for _, h := range history {
		if h.Code == "delivered_to_body" {
			delivered = append(delivered, casehistory.Describe(h.Code, h.Data, h.Description))
		}
	}
	if len(delivered) != 1 || !strings.Contains(delivered[0], "Doręczono organowi") || !strings.Contains(delivered[0], "/uw/skrytka") {
		t.Errorf("got history entries %q, want one delivery to /uw/skrytka", delivered)
	}

	other, err := epuapsim.SelfSigned("nie ePUAP", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		upd    []byte
		certs  []*x509.Certificate
		reason string
	}{
		{"names no sending", collect(t, stray.IdentyfikatorZlecenia), nil, contract.ReasonUPDUnmatched},
		{"signed by another certificate", upd, []*x509.Certificate{other.Cert}, contract.ReasonUPDInvalid},
		{"altered", []byte(strings.Replace(string(upd), d.EvidenceID, "UPD-inne", 1)), nil, contract.ReasonUPDInvalid},
		{"not XML", []byte("UPD"), nil, contract.ReasonUPDInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := take(t, tc.upd, tc.certs...)
			if got.Reason != tc.reason || got.Detail == "" || got.Delivery != uuid.Nil {
				t.Errorf("got %+v, want refused as %s with a detail", got, tc.reason)
			}
		})
	}

	// ePUAP refuses a box it does not know: the sending is recorded rejected, with the reason.
	in.Box, in.Key = "/brak/skrytka", "case/x/forward/u2"
	if err := run(t, a, &sent, a.ForwardToBody, in); err != nil {
		t.Fatal(err)
	}
	if len(sent.Deliveries) != 1 || sent.Deliveries[0].Status != delivery.StatusRejected || !strings.Contains(sent.Rejected, "/brak/skrytka") {
		t.Errorf("got %+v, want the sending rejected", sent)
	}
}
