package epuapsim

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"math/big"
	"strconv"
	"time"

	"github.com/obieg/obieg/internal/adapters/wssec"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// maxSkrytkaRequest caps a nadaj request: the document travels in it.
const maxSkrytkaRequest = 32 << 20

var skrytkaService = &service{
	name:       "skrytka",
	wsdl:       schema.SkrytkaWSDL,
	maxRequest: maxSkrytkaRequest,
	ops: []operation{
		{schema.ActionNadaj, obName("Dokument"), (*Simulator).nadaj},
		{schema.ActionNadajAny, xml.Name{Space: schema.NSObiektyExt, Local: "Dokument"}, (*Simulator).nadaj},
	},
}

// nadajHeaders are the SOAP headers of nadaj and nadajAny.
type nadajHeaders struct {
	podmiot, adres, odpowiedz, nazwaPliku string
	probne                                bool
	dodatkowe                             []byte
}

func (s *Simulator) decodeNadajHeaders(r *request) (nadajHeaders, error) {
	var h nadajHeaders
	var dodatkowe schema.Base64
	var probne bool
	for _, f := range []struct {
		name     xml.Name
		v        any
		required bool
	}{
		{schema.HeaderIdentyfikatorPodmiotu, &h.podmiot, true},
		{schema.HeaderAdresSkrytki, &h.adres, true},
		{schema.HeaderAdresOdpowiedzi, &h.odpowiedz, false},
		{schema.HeaderCzyProbne, &probne, false},
		{schema.HeaderDaneDodatkowe, &dodatkowe, false},
		{schema.HeaderNazwaPliku, &h.nazwaPliku, false},
	} {
		found, err := r.env.DecodeHeader(f.name, f.v)
		if err != nil {
			return h, badRequest(KodBladZapytania, "header %s: %w", f.name.Local, err)
		}
		if !found && f.required {
			return h, badRequest(KodBladZapytania, "no %s header", f.name.Local)
		}
	}
	h.probne, h.dodatkowe = probne, dodatkowe
	return h, nil
}

// nadaj serves nadaj and nadajAny: the document goes to the end of the addressee box's
// queue (unless CzyProbne) and the answer carries its id and a signed UPP.
func (s *Simulator) nadaj(ctx context.Context, r *request) (xml.Name, any, error) {
	h, err := s.decodeNadajHeaders(r)
	if err != nil {
		return xml.Name{}, nil, err
	}
	if err := s.authorize(h.podmiot, r.cert); err != nil {
		return xml.Name{}, nil, err
	}
	var doc schema.Dokument
	if r.op.action == schema.ActionNadajAny {
		var any schema.DokumentAny
		if err := r.env.DecodeBody(&any); err != nil {
			return xml.Name{}, nil, badRequest(KodBladZapytania, "decode ext:Dokument: %w", err)
		}
		doc = schema.Dokument{NazwaPliku: cmpOr(h.nazwaPliku, "dokument.xml"), TypPliku: "text/xml", Zawartosc: any.Inner}
	} else {
		var d schema.DokumentNadaj
		if err := r.env.DecodeBody(&d); err != nil {
			return xml.Name{}, nil, badRequest(KodBladZapytania, "decode ob:Dokument: %w", err)
		}
		doc = d.Dokument
	}
	if len(doc.Zawartosc) == 0 {
		return xml.Name{}, nil, badRequest(KodBladZapytania, "empty document")
	}
	to, err := s.boxAt(ctx, h.adres)
	if err != nil {
		return xml.Name{}, nil, err
	}
	it := s.sentItem(to, h, doc, r.cert)
	name := obName("OdpowiedzSkrytki")
	if h.probne {
		return name, schema.OdpowiedzSkrytki{
			Status:                 schema.Status{Kod: schema.StatusOK, Komunikat: "Nadanie próbne: dokument nie został przekazany adresatowi"},
			IdentyfikatorDokumentu: it.ID,
		}, nil
	}
	it, err = s.store.Append(ctx, it)
	if err != nil {
		return xml.Name{}, nil, fmt.Errorf("nadaj to %s: %w", to.Address, err)
	}
	uppID := "UPP-" + strconv.FormatUint(it.Seq, 10)
	upp, err := s.upp(uppID, it)
	if err != nil {
		return xml.Name{}, nil, fmt.Errorf("nadaj to %s: %w", to.Address, err)
	}
	return name, schema.OdpowiedzSkrytki{
		Status:                 ok("OK"),
		IdentyfikatorDokumentu: it.ID,
		IdentyfikatorUpp:       uppID,
		Zalacznik:              &schema.Dokument{NazwaPliku: "UPP.xml", TypPliku: "text/xml", Zawartosc: upp},
	}, nil
}

// sentItem is the item that a document sent by an office (nadaj, nadajAny, dorecz) becomes
// in the box to: sent now by the podmiot of the headers h, with its id set. The system
// that sent it is named by the signing certificate, when there is one.
func (s *Simulator) sentItem(to Box, h nadajHeaders, doc schema.Dokument, cert *x509.Certificate) Item {
	system := ""
	if cert != nil {
		system = cert.Subject.CommonName
	}
	it := Item{
		Podmiot:         to.Podmiot,
		NazwaSkrytki:    to.Name,
		AdresSkrytki:    to.Address,
		Sender:          Sender{Identyfikator: h.podmiot, TypOsoby: "P", NazwiskoNazwa: h.podmiot, Zgoda: true},
		System:          system,
		AdresOdpowiedzi: h.odpowiedz,
		DaneDodatkowe:   h.dodatkowe,
		NazwaPliku:      cmpOr(doc.NazwaPliku, "dokument.xml"),
		TypPliku:        cmpOr(doc.TypPliku, "text/xml"),
		Zawartosc:       doc.Zawartosc,
		DataNadania:     s.now().UTC().Truncate(time.Millisecond),
	}
	it.identify() // final once the store has given it its sending time
	return it
}

// boxAt finds the box at an address, of any podmiot.
func (s *Simulator) boxAt(ctx context.Context, adres string) (Box, error) {
	boxes, err := s.store.Boxes(ctx)
	if err != nil {
		return Box{}, fmt.Errorf("find box %s: %w", adres, err)
	}
	for _, b := range boxes {
		if b.Address == adres {
			return b, nil
		}
	}
	return Box{}, badRequest(KodNieznanaSkrytka, "no box at %q: %w", adres, ErrUnknownBox)
}

// upp returns the UPP (urzędowe poświadczenie przedłożenia) of a filed item: a
// poświadczenie naming the addressee box's owner, the sender, when the item was put into
// the box and its id.
func (s *Simulator) upp(id string, it Item) ([]byte, error) {
	sum := sha256.Sum256(it.Zawartosc)
	return s.poswiadczenie([]posField{
		{name: "IdentyfikatorPoswiadczenia", text: id},
		{name: "Adresat", party: &party{nazwa: it.Podmiot, id: it.Podmiot}},
		{name: "Nadawca", party: senderParty(it)},
		{name: "DataDoreczenia", text: it.DataNadania.Format(time.RFC3339Nano)},
		{name: "DataWytworzeniaPoswiadczenia", text: s.now().UTC().Format(time.RFC3339Nano)},
		{name: "IdentyfikatorDokumentu", text: it.ID},
		{name: "InformacjaUzupelniajaca", text: fmt.Sprintf(
			"Dokument %s przedłożony do skrytki %s; SHA-256 treści %s", it.NazwaPliku, it.AdresSkrytki, hex.EncodeToString(sum[:]))},
	})
}

// uppSigner returns the key UPPs are signed with and its certificate: the simulator's
// answer-signing key, or, when it has none (WS-Security off), a throwaway RSA key with a
// self-signed certificate made on first use.
func (s *Simulator) uppSigner() (crypto.Signer, *x509.Certificate, error) {
	if s.signer != nil {
		return s.signer.Key, s.signer.Cert, nil
	}
	s.uppOnce.Do(func() {
		s.uppKey, s.uppCert, s.uppErr = throwawayKey("ePUAP symulator UPP", s.now())
	})
	return s.uppKey, s.uppCert, s.uppErr
}

func throwawayKey(cn string, now time.Time) (crypto.Signer, *x509.Certificate, error) {
	s, err := SelfSigned(cn, now)
	if err != nil {
		return nil, nil, fmt.Errorf("UPP key: %w", err)
	}
	return s.Key, s.Cert, nil
}

// selfSign makes a self-signed certificate for key named cn, valid for ten years from now.
func selfSign(key crypto.Signer, cn string, now time.Time) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn, Organization: []string{"obieg epuap-sim"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(10, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("self-sign %s: %w", cn, err)
	}
	return x509.ParseCertificate(der)
}

// SelfSigned makes a throwaway RSA key and a self-signed certificate named cn, valid for ten
// years from now: the answer-signing identity of a simulator run without one configured.
func SelfSigned(cn string, now time.Time) (*wssec.Signer, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	cert, err := selfSign(key, cn, now)
	if err != nil {
		return nil, err
	}
	return wssec.NewSigner(key, cert)
}
