package testpki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/big"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/obieg/obieg/internal/signatures/xades"
)

// KeyType is the kind of key of an end-entity certificate.
type KeyType int

// Key types.
const (
	ECDSAP256 KeyType = iota
	RSA2048
)

func (k KeyType) String() string {
	if k == RSA2048 {
		return "RSA-2048"
	}
	return "ECDSA P-256"
}

// Options control New.
type Options struct {
	// Seed makes the PKI reproducible: the same seed gives the same keys,
	// names, serial numbers, validity periods and PESEL numbers.
	Seed uint64
	// At is the time the PKI is built for: every certificate but the
	// expired one is valid from a year before it to two years after.
	// Required (the package never reads the clock).
	At time.Time
	// BaseURL, when set (such as an httptest.Server's URL), is where the
	// certificates say their revocation data is: OCSP responder
	// BaseURL/ocsp/<issuer> in the AIA of what QualifiedCA issues, CRL
	// BaseURL/crl/<issuer>.crl as the distribution point of every issued
	// certificate; RevocationHandler serves both. Empty: URLs under
	// example.invalid, which nothing answers.
	BaseURL string
}

// Person is a citizen named in certificates and Profil Zaufany claims.
type Person struct {
	GivenName, FamilyName string
	// PESEL is in the fake range (born in 22xx, month + 60), with a valid
	// check digit: no living person has it.
	PESEL string
	// Account is the ePUAP account id.
	Account string
}

// Entity is a key with its certificate, issued by Issuer (nil for a root).
// It is an xades.Signer.
type Entity struct {
	Key    crypto.Signer
	Cert   *x509.Certificate
	Issuer *Entity
	// Name is a short file-name-friendly name, used by WriteFiles.
	Name string
}

var _ xades.Signer = (*Entity)(nil)

// Public returns the public key.
func (e *Entity) Public() crypto.PublicKey { return e.Key.Public() }

// Sign signs digest with the entity's key.
func (e *Entity) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return e.Key.Sign(r, digest, opts)
}

// Certificate returns the entity's certificate.
func (e *Entity) Certificate() *x509.Certificate { return e.Cert }

// Chain returns the issuing certificates up to, not including, the
// self-signed root.
func (e *Entity) Chain() []*x509.Certificate {
	var out []*x509.Certificate
	for i := e.Issuer; i != nil && i.Issuer != nil; i = i.Issuer {
		out = append(out, i.Cert)
	}
	return out
}

// Root returns the self-signed root the entity chains to.
func (e *Entity) Root() *Entity {
	r := e
	for r.Issuer != nil {
		r = r.Issuer
	}
	return r
}

// PKI is the whole test PKI.
type PKI struct {
	At time.Time

	// Root is the national root of the qualified hierarchy; QualifiedCA
	// issues the qualified certificates and is the CA/QC service of the
	// trusted list; OCSP answers for it; TSA is its qualified
	// time-stamping unit (TSA/QTST on the list); TSLSigner signs the list.
	Root, QualifiedCA, OCSP, TSA, TSLSigner *Entity
	// ProfilZaufany is the ministry's seal that makes Profil Zaufany
	// signatures (a qualified e-seal certificate under QualifiedCA).
	ProfilZaufany *Entity
	// EIDRoot and EIDCA stand for PLID_Root_CA and the pl.ID
	// Authorization CA: not on the trusted list.
	EIDRoot, EIDCA *Entity
	// UntrustedRoot is a root nobody trusts.
	UntrustedRoot *Entity

	// Citizen holds a qualified certificate for e-signatures with an ECDSA
	// P-256 key, CitizenRSA the same person with RSA-2048.
	Citizen, CitizenRSA *Entity
	// Expired's certificate expired a year before At; Revoked's was
	// revoked 30 days before At; Untrusted's chains to UntrustedRoot;
	// EIDCitizen holds an e-ID ("podpis osobisty") certificate.
	Expired, Revoked, Untrusted, EIDCitizen *Entity

	// Person is the holder of the Citizen certificates; EIDPerson of the
	// e-ID one.
	Person, EIDPerson Person

	rng     *rand.ChaCha8
	baseURL string
	serial  uint64
	revoked map[string]time.Time // serial (decimal) -> revocation time
}

// Certificate policies and statements of Polish qualified certificates.
var (
	// OIDPolicyQCPn is QCP-n-qscd (ETSI EN 319 411-2): qualified
	// certificate for a natural person, key on a QSCD.
	OIDPolicyQCPn = asn1.ObjectIdentifier{0, 4, 0, 194112, 1, 2}
	// OIDPolicyQCPl is QCP-l-qscd: qualified certificate for a legal
	// person (an e-seal), key on a QSCD.
	OIDPolicyQCPl = asn1.ObjectIdentifier{0, 4, 0, 194112, 1, 3}
	// OIDPolicyTest is the test CA's own policy (an arc of the Polish
	// country OID, 1.2.616, reserved here for tests).
	OIDPolicyTest = asn1.ObjectIdentifier{1, 2, 616, 1, 999, 1, 1}
	// OIDPolicyEID stands for the pl.ID personal-signature policy.
	OIDPolicyEID = asn1.ObjectIdentifier{1, 2, 616, 1, 999, 2, 1}

	oidQCStatements       = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 3}
	oidQcCompliance       = asn1.ObjectIdentifier{0, 4, 0, 1862, 1, 1}
	oidQcSSCD             = asn1.ObjectIdentifier{0, 4, 0, 1862, 1, 4}
	oidQcPDS              = asn1.ObjectIdentifier{0, 4, 0, 1862, 1, 5}
	oidQcType             = asn1.ObjectIdentifier{0, 4, 0, 1862, 1, 6}
	oidQcTypeESign        = asn1.ObjectIdentifier{0, 4, 0, 1862, 1, 6, 1}
	oidQcTypeESeal        = asn1.ObjectIdentifier{0, 4, 0, 1862, 1, 6, 2}
	oidPKIXQCSyntaxV2     = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 11, 2}
	oidSemanticsNatural   = asn1.ObjectIdentifier{0, 4, 0, 194121, 1, 1}
	oidSemanticsLegal     = asn1.ObjectIdentifier{0, 4, 0, 194121, 1, 2}
	oidOrganizationID     = asn1.ObjectIdentifier{2, 5, 4, 97}
	oidEKUTSLSigning      = asn1.ObjectIdentifier{0, 4, 0, 2231, 3, 0}
	oidEKUTimeStampingExt = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidOCSPNoCheck        = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 5}
)

// New builds the PKI for opts.At from opts.Seed. The qualified CA, its
// OCSP responder and TSA are valid from three years before At, so that
// signatures can be made, stamped and checked while Expired was valid.
func New(opts Options) (*PKI, error) {
	if opts.At.IsZero() {
		return nil, errors.New("testpki: Options.At not set")
	}
	var seed [32]byte
	binary.BigEndian.PutUint64(seed[:], opts.Seed)
	copy(seed[8:], "obieg test PKI")
	p := &PKI{At: opts.At.UTC(), rng: rand.NewChaCha8(seed), baseURL: strings.TrimSuffix(opts.BaseURL, "/"), revoked: map[string]time.Time{}}
	p.Person = p.person("Jan", "Testowy", false)
	p.EIDPerson = p.person("Anna", "Próbna", true)

	at := p.At
	year := func(n int) time.Time { return at.AddDate(n, 0, 0) }
	var err error
	mk := func(name string, kt KeyType, tmpl *x509.Certificate, issuer *Entity) *Entity {
		if err != nil {
			return nil
		}
		var e *Entity
		e, err = p.issue(name, kt, tmpl, issuer)
		return e
	}
	ca := func(cn string, from, to time.Time) *x509.Certificate {
		return &x509.Certificate{
			Subject:               pkix.Name{CommonName: cn, Organization: []string{"obieg test PKI"}, Country: []string{"PL"}},
			NotBefore:             from,
			NotAfter:              to,
			BasicConstraintsValid: true,
			IsCA:                  true,
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		}
	}
	p.Root = mk("root", ECDSAP256, ca("Test Narodowe Centrum Certyfikacji", year(-5), year(15)), nil)
	qca := ca("Test Kwalifikowane CA", year(-3), year(10))
	qca.Subject.Organization = []string{"Test Dostawca Usług Zaufania sp. z o.o."}
	p.QualifiedCA = mk("qualified-ca", ECDSAP256, qca, p.Root)
	p.OCSP = mk("ocsp", ECDSAP256, &x509.Certificate{
		Subject:   pkix.Name{CommonName: "Test Kwalifikowane CA OCSP", Organization: []string{"Test Dostawca Usług Zaufania sp. z o.o."}, Country: []string{"PL"}},
		NotBefore: year(-3), NotAfter: year(2),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning},
		// id-pkix-ocsp-nocheck (RFC 6960 4.2.2.2.1): nobody checks the
		// responder's own certificate.
		ExtraExtensions: []pkix.Extension{{Id: oidOCSPNoCheck, Value: asn1.NullBytes}},
	}, p.QualifiedCA)
	tsaExt, e2 := asn1.Marshal([]asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 8}})
	if e2 != nil {
		return nil, fmt.Errorf("testpki: %w", e2)
	}
	p.TSA = mk("tsa", ECDSAP256, &x509.Certificate{
		Subject:   pkix.Name{CommonName: "Test Kwalifikowany Znacznik Czasu", Organization: []string{"Test Dostawca Usług Zaufania sp. z o.o."}, Country: []string{"PL"}},
		NotBefore: year(-3), NotAfter: year(5),
		KeyUsage:        x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtraExtensions: []pkix.Extension{{Id: oidEKUTimeStampingExt, Critical: true, Value: tsaExt}},
	}, p.QualifiedCA)
	p.TSLSigner = mk("tsl-signer", ECDSAP256, &x509.Certificate{
		Subject:   pkix.Name{CommonName: "Test Narodowy Bank Polski TSL", Organization: []string{"obieg test PKI"}, Country: []string{"PL"}},
		NotBefore: year(-1), NotAfter: year(3),
		KeyUsage:           x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		UnknownExtKeyUsage: []asn1.ObjectIdentifier{oidEKUTSLSigning},
	}, nil)
	p.ProfilZaufany = mk("profil-zaufany", RSA2048, p.sealTemplate(), p.QualifiedCA)

	p.EIDRoot = mk("eid-root", ECDSAP256, ca("Test PLID_Root_CA", year(-5), year(15)), nil)
	p.EIDCA = mk("eid-ca", ECDSAP256, ca("Test pl.ID Authorization CA", year(-3), year(10)), p.EIDRoot)
	p.UntrustedRoot = mk("untrusted-root", ECDSAP256, ca("Untrusted Test Root", year(-5), year(15)), nil)

	p.Citizen = mk("citizen", ECDSAP256, p.qualifiedTemplate(p.Person, year(-1), year(2)), p.QualifiedCA)
	p.CitizenRSA = mk("citizen-rsa", RSA2048, p.qualifiedTemplate(p.Person, year(-1), year(2)), p.QualifiedCA)
	p.Expired = mk("expired", ECDSAP256, p.qualifiedTemplate(p.Person, year(-3), year(-1)), p.QualifiedCA)
	p.Revoked = mk("revoked", ECDSAP256, p.qualifiedTemplate(p.Person, year(-1), year(2)), p.QualifiedCA)
	p.Untrusted = mk("untrusted", ECDSAP256, p.qualifiedTemplate(p.Person, year(-1), year(2)), p.UntrustedRoot)
	eid := p.personTemplate(p.EIDPerson, year(-1), year(4))
	eid.PolicyIdentifiers = []asn1.ObjectIdentifier{OIDPolicyEID}
	p.EIDCitizen = mk("eid-citizen", ECDSAP256, eid, p.EIDCA)
	if err != nil {
		return nil, err
	}
	p.revoked[p.Revoked.Cert.SerialNumber.String()] = at.AddDate(0, 0, -30)
	return p, nil
}

// Entities lists every entity of the PKI.
func (p *PKI) Entities() []*Entity {
	return []*Entity{p.Root, p.QualifiedCA, p.OCSP, p.TSA, p.TSLSigner, p.ProfilZaufany, p.EIDRoot, p.EIDCA, p.UntrustedRoot,
		p.Citizen, p.CitizenRSA, p.Expired, p.Revoked, p.Untrusted, p.EIDCitizen}
}

// RevokedAt returns when a certificate was revoked, if it was.
func (p *PKI) RevokedAt(c *x509.Certificate) (time.Time, bool) {
	t, ok := p.revoked[c.SerialNumber.String()]
	return t, ok
}

func (p *PKI) person(given, family string, female bool) Person {
	r := rand.New(p.rng)
	sex := 2 * r.IntN(5)
	if !female {
		sex++
	}
	digits := fmt.Sprintf("%02d%02d%02d%03d%d", r.IntN(100), 61+r.IntN(12), 1+r.IntN(28), r.IntN(1000), sex)
	w := [10]int{1, 3, 7, 9, 1, 3, 7, 9, 1, 3}
	sum := 0
	for i, x := range w {
		sum += int(digits[i]-'0') * x
	}
	acct := fmt.Sprintf("%s%s%02d", given[:1], family, r.IntN(100))
	return Person{GivenName: given, FamilyName: family, PESEL: digits + fmt.Sprint((10-sum%10)%10), Account: acct}
}

func (p *PKI) personTemplate(who Person, from, to time.Time) *x509.Certificate {
	return &x509.Certificate{
		Subject: pkix.Name{
			CommonName:   who.GivenName + " " + who.FamilyName,
			Country:      []string{"PL"},
			SerialNumber: "PNOPL-" + who.PESEL,
			ExtraNames: []pkix.AttributeTypeAndValue{
				{Type: asn1.ObjectIdentifier{2, 5, 4, 42}, Value: who.GivenName},
				{Type: asn1.ObjectIdentifier{2, 5, 4, 4}, Value: who.FamilyName},
			},
		},
		NotBefore: from,
		NotAfter:  to,
		KeyUsage:  x509.KeyUsageContentCommitment,
	}
}

// qualifiedTemplate is a qualified certificate for e-signatures as Polish
// QTSPs issue them: QCP-n-qscd, QcCompliance, QcSSCD, QcType-esign, QcPDS
// and the natural-person semantics identifier.
func (p *PKI) qualifiedTemplate(who Person, from, to time.Time) *x509.Certificate {
	t := p.personTemplate(who, from, to)
	t.PolicyIdentifiers = []asn1.ObjectIdentifier{OIDPolicyQCPn, OIDPolicyTest}
	t.ExtraExtensions = []pkix.Extension{qcStatements(oidQcTypeESign, oidSemanticsNatural)}
	return t
}

func (p *PKI) sealTemplate() *x509.Certificate {
	return &x509.Certificate{
		Subject: pkix.Name{
			CommonName:   "Pieczęć podpisu zaufanego (test)",
			Organization: []string{"Ministerstwo Cyfryzacji (test)"},
			Country:      []string{"PL"},
			ExtraNames:   []pkix.AttributeTypeAndValue{{Type: oidOrganizationID, Value: "VATPL-0000000000"}},
		},
		NotBefore:         p.At.AddDate(-1, 0, 0),
		NotAfter:          p.At.AddDate(2, 0, 0),
		KeyUsage:          x509.KeyUsageContentCommitment | x509.KeyUsageDigitalSignature,
		PolicyIdentifiers: []asn1.ObjectIdentifier{OIDPolicyQCPl, OIDPolicyTest},
		ExtraExtensions:   []pkix.Extension{qcStatements(oidQcTypeESeal, oidSemanticsLegal)},
	}
}

// qcStatements builds the QCStatements extension (ETSI EN 319 412-5).
func qcStatements(qcType, semantics asn1.ObjectIdentifier) pkix.Extension {
	type pds struct {
		URL      string `asn1:"ia5"`
		Language string `asn1:"printable"`
	}
	type semanticsInfo struct {
		ID asn1.ObjectIdentifier
	}
	stmts := []any{
		struct{ ID asn1.ObjectIdentifier }{oidQcCompliance},
		struct{ ID asn1.ObjectIdentifier }{oidQcSSCD},
		struct {
			ID   asn1.ObjectIdentifier
			Info []asn1.ObjectIdentifier
		}{oidQcType, []asn1.ObjectIdentifier{qcType}},
		struct {
			ID   asn1.ObjectIdentifier
			Info []pds
		}{oidQcPDS, []pds{{URL: "https://example.invalid/pds_en.pdf", Language: "en"}}},
		struct {
			ID   asn1.ObjectIdentifier
			Info semanticsInfo
		}{oidPKIXQCSyntaxV2, semanticsInfo{semantics}},
	}
	der, err := asn1.Marshal(stmts)
	if err != nil {
		panic("testpki: encode QC statements: " + err.Error()) // fixed input: a bug, not a condition
	}
	return pkix.Extension{Id: oidQCStatements, Value: der}
}

// issue makes a key of type kt and a certificate from tmpl signed by
// issuer (self-signed when issuer is nil).
func (p *PKI) issue(name string, kt KeyType, tmpl *x509.Certificate, issuer *Entity) (*Entity, error) {
	key, err := p.key(kt)
	if err != nil {
		return nil, fmt.Errorf("testpki: key for %s: %w", name, err)
	}
	p.serial++
	tmpl.SerialNumber = new(big.Int).SetUint64(0x5000_0000 + p.serial<<8 + uint64(rand.New(p.rng).IntN(256)))
	parent, signer := tmpl, crypto.Signer(key)
	if issuer != nil {
		parent, signer = issuer.Cert, issuer.Key
		crl, ocspURL := "http://crl.example.invalid/"+issuer.Name+".crl", "http://ocsp.example.invalid/qualified-ca"
		if p.baseURL != "" {
			crl, ocspURL = p.baseURL+"/crl/"+issuer.Name+".crl", p.baseURL+"/ocsp/"+issuer.Name
		}
		tmpl.CRLDistributionPoints = []string{crl}
		if issuer.Name == "qualified-ca" && name != "ocsp" {
			tmpl.OCSPServer = []string{ocspURL}
		}
	}
	der, err := x509.CreateCertificate(p.rng, tmpl, parent, key.Public(), signer)
	if err != nil {
		return nil, fmt.Errorf("testpki: certificate for %s: %w", name, err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("testpki: parse certificate for %s: %w", name, err)
	}
	return &Entity{Key: key, Cert: c, Issuer: issuer, Name: name}, nil
}

// key makes a key from the PKI's seeded stream. crypto/ecdsa and
// crypto/rsa ignore custom randomness since Go 1.26, so keys are derived
// here: an ECDSA scalar from the stream, RSA primes searched from it.
func (p *PKI) key(kt KeyType) (crypto.Signer, error) {
	if kt == ECDSAP256 {
		b := make([]byte, 32)
		for {
			p.rng.Read(b)
			if k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), b); err == nil {
				return k, nil
			}
		}
	}
	e := big.NewInt(65537)
	one := big.NewInt(1)
	for {
		pr, q := p.prime(1024), p.prime(1024)
		n := new(big.Int).Mul(pr, q)
		if pr.Cmp(q) == 0 || n.BitLen() != 2048 {
			continue
		}
		phi := new(big.Int).Mul(new(big.Int).Sub(pr, one), new(big.Int).Sub(q, one))
		d := new(big.Int).ModInverse(e, phi)
		if d == nil {
			continue
		}
		k := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n, E: 65537}, D: d, Primes: []*big.Int{pr, q}}
		if err := k.Validate(); err != nil {
			continue
		}
		k.Precompute()
		return k, nil
	}
}

func (p *PKI) prime(bits int) *big.Int {
	b := make([]byte, bits/8)
	two := big.NewInt(2)
	for {
		p.rng.Read(b)
		b[0] |= 0xC0
		b[len(b)-1] |= 1
		c := new(big.Int).SetBytes(b)
		for range 2048 {
			if c.ProbablyPrime(20) {
				return c
			}
			c.Add(c, two)
		}
	}
}
