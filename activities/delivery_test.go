package activities

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/adapters/edoreczenia"
	"github.com/obieg/obieg/internal/dev/devstack/stacktest"
	"github.com/obieg/obieg/internal/dev/simulator/edoreczeniasim"
	"github.com/obieg/obieg/internal/domain/delivery"
	"github.com/obieg/obieg/internal/signatures/xades"
)

// TestKeepProof keeps the proof of receipt of a letter delivered in the simulated
// e-Doręczenia: a repeated attempt (an activity retried) keeps the same bytes under the same
// key; the simulator's signer is trusted only when the office says so; an evidence the
// service has no document for is recorded missing, and an overloaded service is an error
// to retry.
func TestKeepProof(t *testing.T) {
	ctx := context.Background()
	s3, bucket := stacktest.Blob(t, false)
	key, err := edoreczeniasim.SelfSigned(edoreczeniasim.SignerName, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	const office, party = "AE:PL-10000-00001-ROPSA-11", "AE:PL-20000-00002-JANKO-22"
	sim := edoreczeniasim.New(edoreczeniasim.NewMemStore(), time.Now, nil, edoreczeniasim.WithEvidenceSigner(key))
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	for _, box := range []string{office, party} {
		if _, err := sim.CreateMailbox(ctx, box, box); err != nil {
			t.Fatal(err)
		}
	}
	if err := sim.RegisterClient(edoreczeniasim.Client{ID: "obieg", Secret: "s", Addresses: []string{office},
		Scopes: []string{edoreczenia.ScopeReadMessages, edoreczenia.ScopeWriteMessages}}); err != nil {
		t.Fatal(err)
	}
	c, err := edoreczenia.New(edoreczenia.Config{BaseURL: srv.URL + edoreczeniasim.APIPrefix, TokenURL: srv.URL + edoreczeniasim.TokenPath,
		ClientID: "obieg", ClientSecret: "s", Address: office})
	if err != nil {
		t.Fatal(err)
	}
	sent, err := c.Send(ctx, edoreczenia.Message{Recipient: party, Subject: "Decyzja",
		Attachments: []edoreczenia.Attachment{{Name: "decyzja.pdf", Data: []byte("%PDF-1.7 decyzja")}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Collect(ctx, party, sent.MessageID); err != nil {
		t.Fatal(err)
	}
	evs, err := c.Evidences(ctx, sent.MessageID)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := edoreczenia.Delivered(evs)
	if !ok {
		t.Fatalf("no proof of receipt in %+v", evs)
	}

	for _, tt := range []struct {
		name    string
		anchors []*x509.Certificate
		want    string
	}{
		{"untrusted", nil, delivery.ProofIndeterminate},
		{"trusted", []*x509.Certificate{key.Certificate()}, delivery.ProofPassed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := &Delivery{Blob: s3, Bucket: bucket, Client: c,
				Trust: func(at time.Time) xades.Options { return xades.Options{TrustAnchors: tt.anchors} }}
			first, err := a.keepProof(ctx, got.EvidenceID, sim.Now())
			if err != nil {
				t.Fatal(err)
			}
			again, err := a.keepProof(ctx, got.EvidenceID, sim.Now())
			if err != nil {
				t.Fatalf("a repeated attempt failed: %v", err)
			}
			if first.Key == "" || first.Key != again.Key || first.SHA256 != again.SHA256 || !strings.HasPrefix(first.Key, ProofPrefix) {
				t.Errorf("kept %+v, then %+v: want the same content key under %s", first, again, ProofPrefix)
			}
			if first.Signature != tt.want || !strings.Contains(first.SignatureDetail, edoreczeniasim.SignerName) || first.ReportKey == "" {
				t.Errorf("signature %s (%s), report %q; want %s by %s with a report", first.Signature, first.SignatureDetail, first.ReportKey, tt.want, edoreczeniasim.SignerName)
			}
			stored, err := s3.Get(ctx, bucket, first.Key, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(stored, []byte(sent.MessageID)) || int64(len(stored)) != first.Size {
				t.Errorf("the stored proof (%d bytes, size %d) does not name message %s", len(stored), first.Size, sent.MessageID)
			}
		})
	}

	a := &Delivery{Blob: s3, Bucket: bucket, Client: c}
	missing, err := a.keepProof(ctx, "no-such-evidence", sim.Now())
	if err != nil || missing.Key != "" || missing.Missing == "" {
		t.Errorf("an evidence without a document: got %+v, %v; want it recorded missing", missing, err)
	}
	sim.SetFaults(edoreczeniasim.Faults{Error503: 1})
	if _, err := a.keepProof(ctx, got.EvidenceID, sim.Now()); !errors.Is(err, edoreczenia.ErrTransient) {
		t.Errorf("an overloaded service: got %v, want a transient error to retry", err)
	}
}
