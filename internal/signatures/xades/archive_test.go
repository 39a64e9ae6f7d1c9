package xades

import (
	"context"
	"strings"
	"testing"
	"time"
)

func archiveTimestamps(s *SignatureReport) []TimestampReport {
	var out []TimestampReport
	for _, tr := range s.Timestamps {
		if tr.Kind == "ArchiveTimeStamp" {
			out = append(out, tr)
		}
	}
	return out
}

func TestArchiveTimeStamps(t *testing.T) {
	tests := []struct {
		name, file string
		mutate     func(t *testing.T, doc string) string
		wantStatus Status
		wantLevel  Level
	}{
		{name: "XAdES-B-LTA", file: "xades-lta-valid.xml", wantStatus: Passed, wantLevel: LevelLTA},
		{name: "XAdES-A", file: "xades-extended-short-a.xml", wantStatus: Passed, wantLevel: LevelLTA},
		{name: "plugtest HU XAdES-A", file: "Signature-X-HU_POL-3.xml", wantStatus: Passed, wantLevel: LevelLTA},
		{
			// CertificateValues are unsigned: the signature stays intact but
			// the archive time-stamp, which covers them, must notice.
			name: "validation data changed after archiving", file: "xades-lta-valid.xml",
			mutate: func(t *testing.T, doc string) string {
				i := strings.Index(doc, "<xades:CertificateValues>")
				if i < 0 {
					t.Fatalf("no CertificateValues")
				}
				return doc[:i] + strings.Replace(doc[i:], "<xades:EncapsulatedX509Certificate>", "<xades:EncapsulatedX509Certificate> ", 1)
			},
			wantStatus: Failed, wantLevel: LevelLT,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := readCorpus(t, tt.file)
			if tt.mutate != nil {
				doc = tt.mutate(t, doc)
			}
			rep, err := Verify(context.Background(), []byte(doc), Options{ValidationTime: validationTime})
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			s := masters(rep)[0]
			ats := archiveTimestamps(s)
			if len(ats) != 1 || ats[0].Status != tt.wantStatus {
				t.Fatalf("got archive time-stamps %+v, want one %s", ats, tt.wantStatus)
			}
			if s.Level != tt.wantLevel {
				t.Errorf("got level %s, want %s", s.Level, tt.wantLevel)
			}
			assertCryptoIntact(t, s)
		})
	}
}

func TestRefsTimeStamps(t *testing.T) {
	tests := []struct {
		name, file string
		mutate     func(t *testing.T, doc string) string
		wantStatus Status
	}{
		{name: "XAdES-X", file: "xades-x-level.xml", wantStatus: Passed},
		{name: "XAdES-X-L", file: "xades-extended-xl.xml", wantStatus: Passed},
		{
			name: "references changed after the time-stamp", file: "xades-x-level.xml",
			mutate: func(t *testing.T, doc string) string {
				i := strings.Index(doc, "CompleteCertificateRefs")
				j := strings.Index(doc[i:], "<ds:DigestValue>")
				if i < 0 || j < 0 {
					t.Fatalf("no CompleteCertificateRefs digest")
				}
				k := i + j + len("<ds:DigestValue>")
				return doc[:k] + " " + doc[k:]
			},
			wantStatus: Failed,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := readCorpus(t, tt.file)
			if tt.mutate != nil {
				doc = tt.mutate(t, doc)
			}
			rep, err := Verify(context.Background(), []byte(doc), Options{ValidationTime: validationTime})
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			s := masters(rep)[0]
			n := 0
			for _, tr := range s.Timestamps {
				if tr.Kind == "SigAndRefsTimeStamp" {
					n++
					if tr.Status != tt.wantStatus {
						t.Errorf("got SigAndRefsTimeStamp %s (%s), want %s", tr.Status, tr.Detail, tt.wantStatus)
					}
				}
			}
			if n == 0 {
				t.Errorf("got no SigAndRefsTimeStamp, want one")
			}
			assertCryptoIntact(t, s)
		})
	}
}

func TestTimestampOrder(t *testing.T) {
	at := func(h int) *time.Time {
		x := time.Date(2026, 1, 1, h, 0, 0, 0, time.UTC)
		return &x
	}
	tests := []struct {
		name    string
		ts      []TimestampReport
		wantSub SubIndication
	}{
		{name: "in order", ts: []TimestampReport{{Kind: "SignatureTimeStamp", GenTime: at(1), Status: Passed}, {Kind: "ArchiveTimeStamp", GenTime: at(2), Status: Passed}}},
		{name: "archive before signature", ts: []TimestampReport{{Kind: "SignatureTimeStamp", GenTime: at(2), Status: Passed}, {Kind: "ArchiveTimeStamp", GenTime: at(1), Status: Passed}}, wantSub: TimestampOrderFailure},
		{name: "failed time-stamps ignored", ts: []TimestampReport{{Kind: "SignatureTimeStamp", GenTime: at(2), Status: Passed}, {Kind: "ArchiveTimeStamp", GenTime: at(1), Status: Failed}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &sigState{rep: &SignatureReport{Timestamps: tt.ts}}
			(&verifier{}).checkTimestampOrder(s)
			_, sub := verdict(s.subs)
			if sub != tt.wantSub {
				t.Errorf("got sub-indication %q, want %q", sub, tt.wantSub)
			}
		})
	}
}
