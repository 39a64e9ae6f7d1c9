package trust

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"
)

type qcStatement struct {
	ID   asn1.ObjectIdentifier
	Info asn1.RawValue `asn1:"optional"`
}

var (
	qcCompliance = asn1.ObjectIdentifier{0, 4, 0, 1862, 1, 1}
	qcSSCD       = asn1.ObjectIdentifier{0, 4, 0, 1862, 1, 4}
	qcTypeOID    = asn1.ObjectIdentifier{0, 4, 0, 1862, 1, 6}
	qcTypeESign  = asn1.ObjectIdentifier{0, 4, 0, 1862, 1, 6, 1}
	qcTypeESeal  = asn1.ObjectIdentifier{0, 4, 0, 1862, 1, 6, 2}
)

func qcExtension(tb testing.TB, ids []asn1.ObjectIdentifier, typ asn1.ObjectIdentifier) pkix.Extension {
	tb.Helper()
	var stmts []qcStatement
	for _, id := range ids {
		stmts = append(stmts, qcStatement{ID: id})
	}
	if typ != nil {
		info, err := asn1.Marshal([]asn1.ObjectIdentifier{typ})
		if err != nil {
			tb.Fatal(err)
		}
		stmts = append(stmts, qcStatement{ID: qcTypeOID, Info: asn1.RawValue{FullBytes: info}})
	}
	v, err := asn1.Marshal(stmts)
	if err != nil {
		tb.Fatal(err)
	}
	return pkix.Extension{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 3}, Value: v}
}

// leafCert makes a self-signed stand-in for a certificate a Polish QCA
// issued: Qualify reads its fields; the chain's signatures are checked
// by internal/signatures/xades, not here.
func leafCert(tb testing.TB, ku x509.KeyUsage, policies []asn1.ObjectIdentifier, ext []pkix.Extension) *x509.Certificate {
	tb.Helper()
	var oids []x509.OID
	for _, p := range policies {
		o, err := x509.OIDFromInts(toUint64(p))
		if err != nil {
			tb.Fatal(err)
		}
		oids = append(oids, o)
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber:    big.NewInt(7),
		Subject:         pkix.Name{CommonName: "Jan Kowalski", SerialNumber: "PNOPL-44051401359"},
		NotBefore:       time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:        time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:        ku,
		Policies:        oids,
		ExtraExtensions: ext,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatalf("create certificate: %v", err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatalf("parse certificate: %v", err)
	}
	return c
}

func TestQualify(t *testing.T) {
	l := polishList(t)
	szafir := readCert(t, "QCA-COPE_SZAFIR_Kwalifikowany.cer")
	certum2017 := readCert(t, "QCA-Certum_QCA_2017.cer")
	certum := readCert(t, "QCA-CERTUM_QCA.cer")
	szafirPolicy := []asn1.ObjectIdentifier{{1, 2, 616, 1, 113571, 1, 1}}
	certumPolicy := []asn1.ObjectIdentifier{{1, 2, 616, 1, 113527, 2, 4, 1, 11}}
	nr := x509.KeyUsageContentCommitment
	tests := []struct {
		name   string
		leaf   *x509.Certificate
		issuer *x509.Certificate
		at     time.Time
		want   string
	}{
		{name: "SZAFIR criteria met: list qualifiers say QC for e-signatures on a QSCD", leaf: leafCert(t, nr, szafirPolicy, nil), issuer: szafir, at: issued, want: QESig},
		{name: "SZAFIR criteria missed (extra key usage), certificate claims nothing", leaf: leafCert(t, nr|x509.KeyUsageDigitalSignature, szafirPolicy, nil), issuer: szafir, at: issued, want: NotQC},
		{name: "certificate's own QC statements", leaf: leafCert(t, nr, nil, []pkix.Extension{qcExtension(t, []asn1.ObjectIdentifier{qcCompliance, qcSSCD}, qcTypeESign)}), issuer: szafir, at: issued, want: QESig},
		{name: "QSCD status as in certificate, none claimed", leaf: leafCert(t, nr, certumPolicy, []pkix.Extension{qcExtension(t, []asn1.ObjectIdentifier{qcCompliance}, qcTypeESign)}), issuer: certum2017, at: issued, want: AdESigQC},
		{name: "seal certificate from a CA for e-signatures only", leaf: leafCert(t, nr, nil, []pkix.Extension{qcExtension(t, []asn1.ObjectIdentifier{qcCompliance, qcSSCD}, qcTypeESeal)}), issuer: certum, at: issued, want: NotQC},
		{name: "seal certificate from a CA for seals too", leaf: leafCert(t, nr, nil, []pkix.Extension{qcExtension(t, []asn1.ObjectIdentifier{qcCompliance, qcSSCD}, qcTypeESeal)}), issuer: szafir, at: issued, want: QESeal},
		{name: "service not approved at the signing time", leaf: leafCert(t, nr, szafirPolicy, nil), issuer: szafir, at: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), want: NotQC},
		{name: "issuer not on the list", leaf: leafCert(t, nr, szafirPolicy, nil), issuer: leafCert(t, x509.KeyUsageCertSign, nil, nil), at: issued, want: NoService},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, detail := l.Qualify([]*x509.Certificate{tt.leaf, tt.issuer}, tt.at)
			if got != tt.want {
				t.Errorf("got %s (%s), want %s", got, detail, tt.want)
			}
		})
	}
}

func toUint64(o asn1.ObjectIdentifier) []uint64 {
	out := make([]uint64, len(o))
	for i, v := range o {
		out[i] = uint64(v)
	}
	return out
}
