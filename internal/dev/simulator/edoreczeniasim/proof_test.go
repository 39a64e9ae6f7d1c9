package edoreczeniasim_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/simulator/edoreczeniasim"
	"github.com/obieg/obieg/internal/signatures/xades"
)

// TestEvidenceFile: the proof of receipt of a collected letter and of one deemed delivered
// download as signed XML naming the message, its parties, dates and attachments, the same
// bytes at every download; the signature verifies with the simulator's certificate as anchor
// and not without it. Every exchange passes the Conforming check.
func TestEvidenceFile(t *testing.T) {
	key, err := edoreczeniasim.SelfSigned(edoreczeniasim.SignerName, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, edoreczeniasim.WithEvidenceSigner(key))
	tok := e.token(t, "ezd", "s3cret", "")
	p := edoreczeniasim.APIPrefix + "/" + office

	collected := e.send(t, tok, citizen)
	if _, err := e.sim.Collect(context.Background(), citizen, collected); err != nil {
		t.Fatal(err)
	}
	deemed := e.send(t, tok, citizen)
	if err := e.sim.Advance(context.Background(), edoreczeniasim.DeemedAfter+time.Minute); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		name, id, reason, dateElement string
	}{
		{"collected", collected, edoreczeniasim.ReasonCollected, "DataOdbioru"},
		{"deemed", deemed, edoreczeniasim.ReasonDeemed, "DataUznaniaZaDoreczona"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			evs := e.evidences(t, tok, tt.id)
			if len(evs) != 2 || evs[1].Type != edoreczeniasim.EvidenceProofOfReceipt || evs[1].ReasonID != tt.reason {
				t.Fatalf("evidences: got %+v, want A.1 and BP.OX %s", evs, tt.reason)
			}
			path := p + "/evidences/purde/" + evs[1].EvidenceID
			status, doc := e.call(t, tok, "GET", path, nil)
			if status != 200 {
				t.Fatalf("GET %s: got %d %s, want 200", path, status, doc)
			}
			for _, want := range []string{edoreczeniasim.ProofNamespace, "<IdentyfikatorWiadomosci>" + tt.id + "<",
				"<IdentyfikatorDowodu>" + evs[1].EvidenceID + "<", "<RodzajDowodu>BP.OX<", `Kod="` + tt.reason + `"`,
				office, citizen, "<NazwaPliku>decyzja.pdf<", "<Rozmiar>16<", "<DataNadania>", "<DataPrzyjecia>",
				"<DataUdostepnienia>", "<" + tt.dateElement + ">" + evs[1].EventDate.UTC().Format(time.RFC3339Nano) + "<",
				"<DataDoreczenia>", "ds:Signature"} {
				if !strings.Contains(string(doc), want) {
					t.Errorf("the proof lacks %q:\n%s", want, doc)
				}
			}
			if _, again := e.call(t, tok, "GET", path, nil); !bytes.Equal(again, doc) {
				t.Error("a second download answered other bytes")
			}
			var w struct {
				Evidences []struct {
					Downloaded bool `json:"downloaded"`
				}
			}
			e.must(t, 200, tok, "GET", p+"/messages/"+tt.id+"/evidences?downloaded=true", nil, &w)
			if len(w.Evidences) != 1 {
				t.Errorf("downloaded evidences: got %d, want the proof", len(w.Evidences))
			}

			for _, tc := range []struct {
				name    string
				anchors []*x509.Certificate
				want    xades.Indication
			}{
				{"untrusted", nil, xades.Indeterminate},
				{"anchored", []*x509.Certificate{key.Certificate()}, xades.TotalPassed},
			} {
				rep, err := xades.Verify(context.Background(), doc, xades.Options{ValidationTime: e.sim.Now(), TrustAnchors: tc.anchors})
				if err != nil {
					t.Fatal(err)
				}
				if len(rep.Signatures) != 1 || rep.Signatures[0].Indication != tc.want {
					b, _ := json.MarshalIndent(rep, "", " ")
					t.Errorf("%s: got %s, want %s", tc.name, b, tc.want)
				}
			}
		})
	}

	// PUH, an unknown evidence, another mailbox's evidence: 400 NOT_FOUND; a type the
	// contract does not list: 400.
	evs := e.evidences(t, tok, collected)
	citizenTok := e.token(t, "citizen-app", "c", "")
	for _, tt := range []struct {
		tok, path, code string
	}{
		{tok, p + "/evidences/puh/" + evs[1].EvidenceID, "NOT_FOUND"},
		{tok, p + "/evidences/purde/no-such-evidence", "NOT_FOUND"},
		{citizenTok, edoreczeniasim.APIPrefix + "/" + citizen + "/evidences/purde/" + evs[1].EvidenceID, "NOT_FOUND"},
		{tok, p + "/evidences/epo/" + evs[1].EvidenceID, "INVALID_REQUEST"},
	} {
		status, b := e.call(t, tt.tok, "GET", tt.path, nil)
		if status != 400 || !strings.Contains(string(b), tt.code) {
			t.Errorf("GET %s: got %d %s, want 400 %s", tt.path, status, b, tt.code)
		}
	}
}
