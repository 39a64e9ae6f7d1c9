// Command xades is the obieg side of the XAdES benchmark (run.sh): it
// makes the test documents and times xades.Verify on one core.
//
//	xades gen -out DIR
//	    writes DIR/pz-form.xml, a ~5 KB ePUAP form signed the Profil
//	    Zaufany way by the test PKI (XAdES-B-B, as ePUAP makes them), and
//	    the certificates to trust it: DIR/pz-seal.pem (pinned, as obieg
//	    is configured for Profil Zaufany), DIR/pz-root.pem and
//	    DIR/pz-intermediate.pem (for xmlsec1's chain check).
//	xades verify -n N [-anchor CERT]... [-at TIME] FILE
//	    verifies FILE N times and prints "FILE N WALL CPU INDICATION"
//	    (seconds of wall-clock and of CPU time, user and system).
package main

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/obieg/obieg/internal/dev/testpki"
	"github.com/obieg/obieg/internal/signatures/xades"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: xades gen -out DIR | xades verify -n N [-anchor CERT]... [-at TIME] FILE")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(ctx, os.Args[2:])
	case "verify":
		err = verify(ctx, os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "xades:", err)
		os.Exit(1)
	}
}

// signedAt is the time of the benchmark's test PKI and signature.
var signedAt = time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)

func gen(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	out := fs.String("out", "", "directory to write into")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("gen: -out is required")
	}
	p, err := testpki.New(testpki.Options{Seed: 1, At: signedAt})
	if err != nil {
		return err
	}
	// A general letter of about 5 KB once signed.
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<wnio:Dokument xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/" xmlns:str="http://crd.gov.pl/xml/schematy/struktura/2009/11/16/" xmlns:meta="http://crd.gov.pl/xml/schematy/meta/2009/11/16/">
  <wnio:OpisDokumentu><meta:Data typDaty="utworzony">2026-06-01</meta:Data></wnio:OpisDokumentu>
  <wnio:TrescDokumentu>
    <wnio:MiejscowoscDokumentu>Łódź</wnio:MiejscowoscDokumentu>
    <wnio:Tytul>Pismo ogólne do podmiotu publicznego</wnio:Tytul>
    <wnio:Informacje>
`)
	for i := 0; b.Len() < 500; i++ {
		fmt.Fprintf(&b, "      <wnio:Informacja>Akapit %d: proszę o informację w sprawie Karty Dużej Rodziny.</wnio:Informacja>\n", i+1)
	}
	b.WriteString("    </wnio:Informacje>\n  </wnio:TrescDokumentu>\n</wnio:Dokument>\n")
	// As ePUAP makes them: XAdES-B-B by the seal, no revocation data.
	doc, err := xades.Sign(ctx, []byte(b.String()), p.ProfilZaufany, xades.SignOptions{
		SigningTime:  signedAt,
		ClaimedRoles: []string{p.Person.PodpisZP()},
	})
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"pz-form.xml":         doc,
		"pz-root.pem":         p.Root.CertPEM(),
		"pz-intermediate.pem": p.QualifiedCA.CertPEM(),
		"pz-seal.pem":         p.ProfilZaufany.CertPEM(),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(*out, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

func verify(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	n := fs.Int("n", 100, "number of verifications")
	at := fs.String("at", "2026-06-02T00:00:00Z", "validation time (RFC 3339)")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the timed loop to this file")
	var anchors multi
	fs.Var(&anchors, "anchor", "trust anchor certificate, PEM or DER (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("verify: one FILE")
	}
	when, err := time.Parse(time.RFC3339, *at)
	if err != nil {
		return fmt.Errorf("verify: -at: %w", err)
	}
	opts := xades.Options{ValidationTime: when}
	for _, a := range anchors {
		b, err := os.ReadFile(a)
		if err != nil {
			return err
		}
		if blk, _ := pem.Decode(b); blk != nil {
			b = blk.Bytes
		}
		c, err := x509.ParseCertificate(b)
		if err != nil {
			return fmt.Errorf("verify: %s: %w", a, err)
		}
		opts.TrustAnchors = append(opts.TrustAnchors, c)
	}
	file := fs.Arg(0)
	doc, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	rep, err := xades.Verify(ctx, doc, opts)
	if err != nil {
		return err
	}
	verdict := "no-signature"
	if len(rep.Signatures) > 0 {
		verdict = string(rep.Signatures[0].Indication)
		if s := rep.Signatures[0].SubIndication; s != "" {
			verdict += "/" + string(s)
		}
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start, cpu0 := time.Now(), cpuTime()
	for range *n {
		if _, err := xades.Verify(ctx, doc, opts); err != nil {
			return err
		}
	}
	fmt.Printf("%s %d %.6f %.6f %s\n", file, *n, time.Since(start).Seconds(), cpuTime()-cpu0, verdict)
	return nil
}

// cpuTime returns the user and system CPU time of the process, in seconds:
// on a shared machine it measures the work done, where wall-clock time
// also counts what other processes took.
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
