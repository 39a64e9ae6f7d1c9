package trust

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/sharedtest"
)

// issued is shortly after the Polish list of the test data was issued.
var issued = time.Date(2023, 9, 19, 12, 0, 0, 0, time.UTC)

func readTrust(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(sharedtest.Dir(tb, "testdata", "trust", name))
	if err != nil {
		tb.Fatalf("trust material not available: %v", err)
	}
	return b
}

func readCert(tb testing.TB, name string) *x509.Certificate {
	tb.Helper()
	c, err := x509.ParseCertificate(readTrust(tb, name))
	if err != nil {
		tb.Fatalf("parse %s: %v", name, err)
	}
	return c
}

func polishList(tb testing.TB) *List {
	tb.Helper()
	l, err := Parse(readTrust(tb, "PL_TSL_seq139_2023-09-19.xml"))
	if err != nil {
		tb.Fatalf("parse PL TSL: %v", err)
	}
	return l
}

func TestParsePolishList(t *testing.T) {
	l := polishList(t)
	services, caqc := 0, 0
	for _, p := range l.Providers {
		for _, s := range p.Services {
			services++
			if s.Type == TypeCAQC {
				caqc++
			}
		}
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"territory", l.Territory, "PL"},
		{"sequence number", l.SequenceNumber, 139},
		{"issue time", l.IssueTime, time.Date(2023, 9, 19, 8, 3, 51, 0, time.UTC)},
		{"operator", l.Operator, "National Bank of Poland"},
		{"providers", len(l.Providers), 12},
		{"services", services, 114},
		{"CA/QC services", caqc, 36},
		{"pointers", len(l.Pointers) > 0, true},
		{"next update set", l.NextUpdate.After(l.IssueTime), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestAnchorsHoldPolishQualifiedCAs(t *testing.T) {
	anchors := polishList(t).Anchors(issued)
	files, err := filepath.Glob(filepath.Join(sharedtest.Dir(t, "testdata", "trust"), "QCA-*.cer"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no QCA certificates: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			c := readCert(t, filepath.Base(f))
			for _, a := range anchors {
				if a.Equal(c) {
					return
				}
			}
			t.Errorf("got %d anchors without %s, want it among them", len(anchors), c.Subject)
		})
	}
}

func TestVerifyOptions(t *testing.T) {
	opts := polishList(t).VerifyOptions(issued)
	if !opts.ValidationTime.Equal(issued) {
		t.Errorf("got validation time %s, want %s", opts.ValidationTime, issued)
	}
	if len(opts.TrustAnchors) < 10 || len(opts.TimestampAnchors) == 0 {
		t.Errorf("got %d CA and %d TSA anchors, want at least 10 and 1", len(opts.TrustAnchors), len(opts.TimestampAnchors))
	}
}

func TestStatusHistory(t *testing.T) {
	// A CA/QC service of the list: under supervision from 2003, granted
	// at 2016-06-30T22:00:00Z, withdrawn one second later.
	withdrawnAt := time.Date(2016, 6, 30, 22, 0, 1, 0, time.UTC)
	var svc *Service
	for _, p := range polishList(t).Providers {
		for i := range p.Services {
			s := &p.Services[i]
			if s.Type == TypeCAQC && s.Status.Start.Equal(withdrawnAt) && len(s.History) == 2 && s.History[1].Start.Year() == 2003 {
				svc = s
			}
		}
	}
	if svc == nil {
		t.Fatalf("service withdrawn at %s not found", withdrawnAt)
	}
	tests := []struct {
		name     string
		at       time.Time
		positive bool
	}{
		{"before it existed", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"under supervision", time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"granted", withdrawnAt.Add(-time.Second / 2), true},
		{"withdrawn", withdrawnAt, false},
		{"now", issued, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, ok := svc.StatusAt(tt.at)
			if got := ok && Positive(st.Status); got != tt.positive {
				t.Errorf("got positive %v (status %q), want %v", got, st.Status, tt.positive)
			}
		})
	}
}

func TestVerifyList(t *testing.T) {
	pl := readTrust(t, "PL_TSL_seq139_2023-09-19.xml")
	signer := readCert(t, "PL_TSL_signer.cer")
	other := readCert(t, "QCA-CERTUM_QCA.cer")
	tests := []struct {
		name    string
		doc     []byte
		signers []*x509.Certificate
		wantErr error
	}{
		{"pinned signer", pl, []*x509.Certificate{signer}, nil},
		{"other certificate pinned", pl, []*x509.Certificate{other}, ErrUntrustedList},
		{"nothing pinned", pl, nil, ErrUntrustedList},
		{"list changed", tamper(t, pl), []*x509.Certificate{signer}, ErrUntrustedList},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, rep, err := VerifyList(context.Background(), tt.doc, tt.signers, issued)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if err == nil && (l.Territory != "PL" || rep == nil) {
				t.Errorf("got list %q and report %v, want PL and a report", l.Territory, rep)
			}
		})
	}
}

func tamper(tb testing.TB, doc []byte) []byte {
	tb.Helper()
	out := []byte(string(doc))
	old := []byte("<TSLSequenceNumber>139<")
	i := indexOf(out, old)
	if i < 0 {
		tb.Fatalf("sequence number not found")
	}
	copy(out[i:], "<TSLSequenceNumber>140<")
	return out
}

func indexOf(b, sub []byte) int {
	for i := 0; i+len(sub) <= len(b); i++ {
		if string(b[i:i+len(sub)]) == string(sub) {
			return i
		}
	}
	return -1
}

func TestLOTLPointsToPolishSigner(t *testing.T) {
	lotl, err := Parse(readTrust(t, "eu-lotl.xml"))
	if err != nil {
		t.Fatalf("parse LOTL: %v", err)
	}
	if got := len(lotl.Pointers); got < 27 {
		t.Fatalf("got %d pointers, want at least one per member state", got)
	}
	p, ok := lotl.Pointer("PL")
	if !ok {
		t.Fatalf("got no PL pointer, want one")
	}
	if p.Location != "https://www.nccert.pl/tsl/PL_TSL.xml" {
		t.Errorf("got location %q, want https://www.nccert.pl/tsl/PL_TSL.xml", p.Location)
	}
	signer := readCert(t, "PL_TSL_signer.cer")
	found := false
	for _, c := range p.Certificates {
		found = found || c.Equal(signer)
	}
	if !found {
		t.Errorf("got %d PL signer certificates without PL_TSL_signer.cer, want it listed", len(p.Certificates))
	}
	// The LOTL's pointer certificates pin the national list's signer.
	if _, _, err := VerifyList(context.Background(), readTrust(t, "PL_TSL_seq139_2023-09-19.xml"), p.Certificates, issued); err != nil {
		t.Errorf("verify PL list with the LOTL's pointer certificates: got %v, want nil", err)
	}
}

// TestLOTLSignature verifies the LOTL against the signer certificates its
// own EU pointer lists. That is circular (in production the LOTL signers
// come from the Official Journal announcement, by configuration) but it
// exercises the signature of the 470 KB list.
func TestLOTLSignature(t *testing.T) {
	raw := readTrust(t, "eu-lotl.xml")
	lotl, err := Parse(raw)
	if err != nil {
		t.Fatalf("parse LOTL: %v", err)
	}
	p, ok := lotl.Pointer("EU")
	if !ok || len(p.Certificates) == 0 {
		t.Fatalf("got no EU pointer with certificates, want one")
	}
	if _, _, err := VerifyList(context.Background(), raw, p.Certificates, lotl.IssueTime.Add(time.Hour)); err != nil {
		t.Errorf("verify LOTL: got %v, want nil", err)
	}
}

func TestChain(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	root := newCert(t, "root", nil, now.AddDate(-5, 0, 0), now.AddDate(5, 0, 0), true)
	ca := newCert(t, "qualified CA", root, now.AddDate(-2, 0, 0), now.AddDate(3, 0, 0), true)
	leaf := newCert(t, "Jan Kowalski", ca, now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0), false)
	tests := []struct {
		name          string
		intermediates []*x509.Certificate
		anchors       []*x509.Certificate
		at            time.Time
		wantLen       int // length of the first chain; 0 for an error
	}{
		{"anchor is the issuing CA (as trusted lists list it)", nil, []*x509.Certificate{ca.cert}, now, 2},
		{"anchor is the root, CA carried by the signature", []*x509.Certificate{ca.cert}, []*x509.Certificate{root.cert}, now, 3},
		{"CA missing", nil, []*x509.Certificate{root.cert}, now, 0},
		{"no anchors", []*x509.Certificate{ca.cert}, nil, now, 0},
		{"leaf expired at that time", nil, []*x509.Certificate{ca.cert}, now.AddDate(2, 0, 0), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chains, err := Chain(leaf.cert, tt.intermediates, tt.anchors, tt.at)
			if tt.wantLen == 0 {
				if err == nil {
					t.Fatalf("got chains %v, want an error", chains)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want a chain", err)
			}
			if got := len(chains[0]); got != tt.wantLen {
				t.Errorf("got chain of %d, want %d", got, tt.wantLen)
			}
		})
	}
}

type testCert struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

var serial int64

func newCert(tb testing.TB, cn string, issuer *testCert, from, to time.Time, isCA bool) *testCert {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatalf("generate key: %v", err)
	}
	serial++
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial),
		Subject:               pkix.Name{CommonName: cn, Country: []string{"PL"}},
		NotBefore:             from,
		NotAfter:              to,
		BasicConstraintsValid: true,
		IsCA:                  isCA,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	}
	if isCA {
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	}
	parent, signer := tmpl, key
	if issuer != nil {
		parent, signer = issuer.cert, issuer.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		tb.Fatalf("create certificate %s: %v", cn, err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatalf("parse certificate %s: %v", cn, err)
	}
	return &testCert{cert: c, key: key}
}

func BenchmarkParsePolishList(b *testing.B) {
	raw := readTrust(b, "PL_TSL_seq139_2023-09-19.xml")
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(raw); err != nil {
			b.Fatal(err)
		}
	}
}
