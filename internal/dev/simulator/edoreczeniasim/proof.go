package edoreczeniasim

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/xml"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/obieg/obieg/internal/signatures/xades"
)

// ProofNamespace is the namespace of the evidence documents the simulator issues. It is the
// simulator's own: the official template of the proof of receipt
// (http://crd.gov.pl/wzor/2021/09/01/10856/) is not published with the contract, and a
// document that claimed its namespace without following its structure would be mistaken for
// the real thing by anything that tells documents apart by namespace.
const ProofNamespace = "urn:obieg:edoreczeniasim:dowod:1"

// Message types of GET /evidences/{messageType}/{evidenceId}: PURDE, the electronic
// registered delivery, and PUH, the hybrid postal service, which the simulator does not offer.
const (
	MessageTypePURDE = "purde"
	MessageTypePUH   = "puh"
)

// SignerName is the common name of the simulator's own evidence-signing certificate.
const SignerName = "KSDE-SIM"

// WithEvidenceSigner makes the simulator sign its evidence documents with signer; by default
// it makes a throwaway ECDSA key with a self-signed SignerName certificate on first use.
func WithEvidenceSigner(signer xades.Signer) Option {
	return func(s *Simulator) { s.evSigner = signer }
}

// evidenceSigner returns the key evidence documents are signed with.
func (s *Simulator) evidenceSigner() (xades.Signer, error) {
	s.evOnce.Do(func() {
		if s.evSigner != nil {
			return
		}
		s.evSigner, s.evErr = SelfSigned(SignerName, s.wall())
	})
	return s.evSigner, s.evErr
}

// SelfSigned makes a throwaway ECDSA P-256 key with a self-signed certificate named cn,
// valid from a year before now for ten years: the evidence-signing identity of a simulator
// run without one given. No verifier trusts it unless told to.
func SelfSigned(cn string, now time.Time) (*xades.KeySigner, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn, Organization: []string{"obieg edoreczenia-sim"}, Country: []string{"PL"}},
		NotBefore:    now.AddDate(-1, 0, 0),
		NotAfter:     now.AddDate(10, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("self-sign %s: %w", cn, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return xades.NewKeySigner(key, cert)
}

// EvidenceFile returns the document of the evidence evidenceID about a message the mailbox
// box sent, as GET /evidences/{messageType}/{evidenceId} answers it: XML in ProofNamespace,
// signed with an enveloped XAdES-B-B signature by the simulator's key. It is made at the
// first download, dated the evidence's creation, and kept: every download answers the same
// bytes. The evidence is then marked downloaded. ErrInvalid for a messageType other than
// purde or puh; ErrNotFound for puh (the simulator delivers only electronically) and for an
// evidence the mailbox's sent messages do not have.
func (s *Simulator) EvidenceFile(ctx context.Context, box, messageType, evidenceID string) ([]byte, error) {
	switch messageType {
	case MessageTypePURDE:
	case MessageTypePUH:
		return nil, fmt.Errorf("evidence %s: the simulator has no hybrid (PUH) sendings: %w", evidenceID, ErrNotFound)
	default:
		return nil, fmt.Errorf("message type %q, want purde or puh: %w", messageType, ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	msgs, err := s.store.Messages(ctx, box)
	if err != nil {
		return nil, fmt.Errorf("messages of %s: %w", box, err)
	}
	for _, m := range msgs {
		if m.Label != LabelSent {
			continue
		}
		for i := range m.Evidences {
			ev := &m.Evidences[i]
			if ev.ID != evidenceID {
				continue
			}
			if len(ev.File) > 0 && ev.Downloaded {
				return ev.File, nil
			}
			if len(ev.File) == 0 {
				if ev.File, err = s.proofDocument(ctx, m, *ev); err != nil {
					return nil, fmt.Errorf("evidence %s: %w", evidenceID, err)
				}
			}
			ev.Downloaded = true
			if err := s.store.PutMessage(ctx, m); err != nil {
				return nil, fmt.Errorf("store message %s: %w", m.ID, err)
			}
			return ev.File, nil
		}
	}
	return nil, fmt.Errorf("evidence %s of a message sent from %s: %w", evidenceID, box, ErrNotFound)
}

// The evidence document. Element names are Polish, as in the official forms; the structure
// is the simulator's own (see ProofNamespace).
type (
	proofDoc struct {
		XMLName   xml.Name       `xml:"urn:obieg:edoreczeniasim:dowod:1 DowodEDoreczenia"`
		Uwaga     string         `xml:"Uwaga"`
		Dowod     proofEvidence  `xml:"Dowod"`
		Przesylka proofSending   `xml:"Przesylka"`
		Wystawca  proofAddressee `xml:"Wystawca"`
	}
	proofEvidence struct {
		Identyfikator   string      `xml:"IdentyfikatorDowodu"`
		Rodzaj          string      `xml:"RodzajDowodu"`
		Nazwa           string      `xml:"NazwaDowodu"`
		Powod           *proofCause `xml:"Powod,omitempty"`
		DataWystawienia string      `xml:"DataWystawienia"`
		DataZdarzenia   string      `xml:"DataZdarzenia"`
	}
	proofCause struct {
		Kod  string `xml:"Kod,attr"`
		Opis string `xml:",chardata"`
	}
	proofSending struct {
		IdentyfikatorWiadomosci string          `xml:"IdentyfikatorWiadomosci"`
		Temat                   string          `xml:"Temat"`
		ZnakSprawy              string          `xml:"ZnakSprawy,omitempty"`
		Nadawca                 proofAddressee  `xml:"Nadawca"`
		Adresat                 proofAddressee  `xml:"Adresat"`
		DataNadania             string          `xml:"DataNadania,omitempty"`
		DataPrzyjecia           string          `xml:"DataPrzyjecia,omitempty"`
		DataUdostepnienia       string          `xml:"DataUdostepnienia,omitempty"`
		DataOdbioru             string          `xml:"DataOdbioru,omitempty"`
		DataUznaniaZaDoreczona  string          `xml:"DataUznaniaZaDoreczona,omitempty"`
		DataDoreczenia          string          `xml:"DataDoreczenia,omitempty"`
		Zalaczniki              []proofFileInfo `xml:"Zalaczniki>Zalacznik"`
	}
	proofAddressee struct {
		Adres string `xml:"AdresDoDoreczenElektronicznych,omitempty"`
		Nazwa string `xml:"Nazwa"`
	}
	proofFileInfo struct {
		Nazwa   string      `xml:"NazwaPliku"`
		Rozmiar int         `xml:"Rozmiar"`
		Skrot   proofDigest `xml:"Skrot"`
	}
	proofDigest struct {
		Algorytm string `xml:"Algorytm,attr"`
		Wartosc  string `xml:",chardata"`
	}
)

// evidenceNames says each evidence type in Polish.
var evidenceNames = map[string]string{
	EvidenceSubmissionAcceptance: "Dowód nadania (przyjęcie przesyłki przez usługę)",
	EvidenceSubmissionRejection:  "Dowód odrzucenia przesyłki",
	EvidenceProofOfReceipt:       "Dowód otrzymania",
}

// proofDocument makes the signed document of ev about the sent message m.
func (s *Simulator) proofDocument(ctx context.Context, m Message, ev Evidence) ([]byte, error) {
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339Nano)
	}
	name := func(addr string) string {
		mb, err := s.store.Mailbox(ctx, addr)
		if err != nil {
			return ""
		}
		return mb.Name
	}
	sent := m.Created
	if t, err := s.store.Task(ctx, m.Box, m.TaskID); err == nil {
		sent = t.Created
	} else if !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("task %s: %w", m.TaskID, err)
	}
	d := proofDoc{
		Uwaga: "Dokument symulatora e-Doręczeń (obieg, edoreczeniasim) do celów rozwojowych i testowych. " +
			"Struktura zastępcza, nie wzór urzędowy dowodu otrzymania http://crd.gov.pl/wzor/2021/09/01/10856/; " +
			"podpis kluczem symulatora " + SignerName + ", któremu nie należy ufać.",
		Dowod: proofEvidence{Identyfikator: ev.ID, Rodzaj: ev.Type, Nazwa: evidenceNames[ev.Type],
			DataWystawienia: ts(ev.Created), DataZdarzenia: ts(ev.Event)},
		Przesylka: proofSending{IdentyfikatorWiadomosci: m.ID, Temat: m.Subject, ZnakSprawy: m.CaseID,
			Nadawca: proofAddressee{Adres: m.From, Nazwa: name(m.From)}, Adresat: proofAddressee{Adres: m.To, Nazwa: name(m.To)},
			DataNadania: ts(sent), DataPrzyjecia: ts(m.Submitted), DataUdostepnienia: ts(m.Available)},
		Wystawca: proofAddressee{Nazwa: SignerName + " (symulator Krajowego Systemu Doręczeń Elektronicznych)"},
	}
	if ev.ReasonID != "" || len(ev.ReasonDetails) > 0 {
		c := &proofCause{Kod: ev.ReasonID}
		if len(ev.ReasonDetails) > 0 {
			c.Opis = ev.ReasonDetails[0]
		}
		d.Dowod.Powod = c
	}
	if ev.Type == EvidenceProofOfReceipt {
		d.Przesylka.DataDoreczenia = ts(ev.Event)
		if ev.ReasonID == ReasonDeemed {
			d.Przesylka.DataUznaniaZaDoreczona = ts(ev.Event)
		} else {
			d.Przesylka.DataOdbioru = ts(ev.Event)
		}
	}
	for _, a := range m.Attachments {
		d.Przesylka.Zalaczniki = append(d.Przesylka.Zalaczniki, proofFileInfo{Nazwa: a.Name, Rozmiar: len(a.Data),
			Skrot: proofDigest{Algorytm: "SHA3-256", Wartosc: a.Hash}})
	}
	body, err := xml.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("write evidence document: %w", err)
	}
	signer, err := s.evidenceSigner()
	if err != nil {
		return nil, fmt.Errorf("evidence signing key: %w", err)
	}
	signed, err := xades.Sign(ctx, append([]byte(xml.Header), body...), signer, xades.SignOptions{
		SigningTime: ev.Created, ID: "podpis-" + ev.ID, MimeType: "text/xml"})
	if err != nil {
		return nil, fmt.Errorf("sign evidence document: %w", err)
	}
	return signed, nil
}
