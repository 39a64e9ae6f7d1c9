package main

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/obieg/obieg/internal/signatures/trust"
	"github.com/obieg/obieg/internal/signatures/xades"
)

// errNotAllPassed makes `obieg verify` exit 1.
var errNotAllPassed = errors.New("not every signature is TOTAL-PASSED")

// verifyResult is the outcome for one file in --json output.
type verifyResult struct {
	File   string        `json:"file"`
	Error  string        `json:"error,omitempty"`
	Report *xades.Report `json:"report,omitempty"`
}

func newVerifyCmd() *cobra.Command {
	var (
		asJSON, online, onlineLAN bool
		onlineTimeout             time.Duration
		detached, trustList, at   string
		listSigners, anchors, pzs []string
		policies                  []string
	)
	cmd := &cobra.Command{
		Use:   "verify FILE...",
		Short: "Verify the XAdES/XMLDSig signatures of XML files (ETSI EN 319 102-1 verdicts)",
		Long: `verify checks every signature of every file and prints, per signature, its ETSI
indication and sub-indication, the signer, the level and the claimed signing time.

Trust comes only from the command line: --trust-list (a signed EU trusted list, checked
against --trust-list-signer) gives the qualified CAs and time-stamping units, --anchor adds
certificates to trust (such as the e-ID root PLID_Root_CA, which is on no list), and
--profil-zaufany names the Profil Zaufany seal whose PodpisZP claims identify a person.
Revocation data comes from the signatures; with --online, when a signature carries none
current for a certificate, its CA's OCSP responder (or else its CRL) is asked over HTTP,
and the report says so. Addresses that are not public (loopback, private networks, link-local
such as cloud metadata) are refused, since the URLs come from the documents' certificates;
--online-private-hosts lifts that for a CA inside the office network or a test PKI.

The exit status is 0 only when every signature of every file is TOTAL-PASSED, 1 otherwise,
2 on a usage error.`,
		Example: `  obieg verify --trust-list PL_TSL.xml --trust-list-signer tsl-signer.crt wniosek.xml
  obieg verify --anchor PLID_Root_CA.crt --at 2026-06-01 --json podpis-osobisty.xml`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{errors.New("verify needs at least one FILE")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, files []string) error {
			when := time.Now()
			if at != "" {
				t, err := parseAt(at)
				if err != nil {
					return usageError{fmt.Errorf("--at: %w", err)}
				}
				when = t
			}
			opts := xades.Options{ValidationTime: when}
			if trustList != "" {
				if len(listSigners) == 0 {
					return usageError{errors.New("--trust-list needs --trust-list-signer: an unchecked list would trust whoever wrote it")}
				}
				signers, err := readCerts(listSigners)
				if err != nil {
					return usageError{fmt.Errorf("--trust-list-signer: %w", err)}
				}
				b, err := os.ReadFile(trustList)
				if err != nil {
					return usageError{fmt.Errorf("--trust-list: %w", err)}
				}
				l, _, err := trust.VerifyList(cmd.Context(), b, signers, when)
				if err != nil {
					return fmt.Errorf("--trust-list %s: %w", trustList, err)
				}
				opts = l.VerifyOptions(when)
			}
			extra, err := readCerts(anchors)
			if err != nil {
				return usageError{fmt.Errorf("--anchor: %w", err)}
			}
			opts.TrustAnchors = append(opts.TrustAnchors, extra...)
			if opts.ProfilZaufany, err = readCerts(pzs); err != nil {
				return usageError{fmt.Errorf("--profil-zaufany: %w", err)}
			}
			for _, p := range policies {
				ident, file, ok := strings.Cut(p, "=")
				if !ok || ident == "" || file == "" {
					return usageError{fmt.Errorf("--policy %q: want IDENTIFIER=FILE", p)}
				}
				b, err := os.ReadFile(file)
				if err != nil {
					return usageError{fmt.Errorf("--policy: %w", err)}
				}
				if opts.Policies == nil {
					opts.Policies = map[string][]byte{}
				}
				opts.Policies[ident] = b
			}
			if onlineLAN && !online {
				return usageError{errors.New("--online-private-hosts needs --online")}
			}
			if online {
				opts.Revocation = xades.NewHTTPFetcher(&http.Client{Timeout: onlineTimeout}, xades.FetchOptions{AllowPrivate: onlineLAN})
			}
			if detached != "" {
				b, err := os.ReadFile(detached)
				if err != nil {
					return usageError{fmt.Errorf("--detached: %w", err)}
				}
				// A detached reference names its data by URI: accept the path
				// as given, its base name, and a reference without URI.
				opts.Detached = map[string][]byte{"": b, detached: b, filepath.Base(detached): b}
			}

			allPassed := true
			var results []verifyResult
			for _, f := range files {
				res := verifyResult{File: f}
				doc, err := os.ReadFile(f)
				if err == nil {
					res.Report, err = xades.Verify(cmd.Context(), doc, opts)
				}
				switch {
				case err != nil:
					res.Error = err.Error()
					allPassed = false
				case len(res.Report.Signatures) == 0:
					allPassed = false
				}
				if res.Report != nil {
					for _, s := range res.Report.Signatures {
						if s.Indication != xades.TotalPassed {
							allPassed = false
						}
					}
				}
				results = append(results, res)
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(results); err != nil {
					return err
				}
			} else {
				for _, r := range results {
					printResult(out, r)
				}
			}
			if !allPassed {
				return errNotAllPassed
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "print the validation reports as JSON")
	f.StringVar(&detached, "detached", "", "content of the detached references (file)")
	f.StringVar(&trustList, "trust-list", "", "a signed EU trusted list (ETSI TS 119 612 XML) whose qualified CAs and TSAs to trust")
	f.StringArrayVar(&listSigners, "trust-list-signer", nil, "certificate (PEM or DER) the trusted list must be signed with (repeatable)")
	f.StringArrayVar(&anchors, "anchor", nil, "certificate (PEM or DER) to trust as an anchor, such as the e-ID root (repeatable)")
	f.StringArrayVar(&pzs, "profil-zaufany", nil, "certificate (PEM or DER) of the Profil Zaufany seal or its CA (repeatable)")
	f.StringArrayVar(&policies, "policy", nil, "signature policy document to check SigPolicyHash against, as IDENTIFIER=FILE with the identifier as signatures write it (repeatable)")
	f.StringVar(&at, "at", "", "validation time, RFC 3339 or YYYY-MM-DD (UTC midnight); default now")
	f.BoolVar(&online, "online", false, "ask OCSP responders and CRL distribution points when a signature carries no current revocation data")
	f.BoolVar(&onlineLAN, "online-private-hosts", false, "with --online, also connect to loopback and private addresses (a local CA or test PKI)")
	f.DurationVar(&onlineTimeout, "online-timeout", 10*time.Second, "with --online, the time limit of each HTTP request")
	return cmd
}

// parseAt reads an RFC 3339 time or a YYYY-MM-DD date.
func parseAt(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither RFC 3339 nor YYYY-MM-DD", s)
	}
	return t, nil
}

// readCerts reads the certificates of files, each PEM (one or more
// CERTIFICATE blocks) or DER.
func readCerts(files []string) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if !strings.Contains(string(b), "-----BEGIN") {
			c, err := xades.ParseCertificate(b)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			out = append(out, c)
			continue
		}
		n := 0
		for rest := b; ; {
			var blk *pem.Block
			blk, rest = pem.Decode(rest)
			if blk == nil {
				break
			}
			if blk.Type != "CERTIFICATE" {
				continue
			}
			c, err := xades.ParseCertificate(blk.Bytes)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			out = append(out, c)
			n++
		}
		if n == 0 {
			return nil, fmt.Errorf("%s: no CERTIFICATE in it", f)
		}
	}
	return out, nil
}

// printResult writes the human summary of one file.
func printResult(w io.Writer, r verifyResult) {
	fmt.Fprintf(w, "%s\n", r.File)
	if r.Error != "" {
		fmt.Fprintf(w, "  error: %s\n", r.Error)
		return
	}
	if len(r.Report.Signatures) == 0 {
		fmt.Fprintln(w, "  no signatures")
		return
	}
	for i, s := range r.Report.Signatures {
		verdict := string(s.Indication)
		if s.SubIndication != "" {
			verdict += "/" + string(s.SubIndication)
		}
		name := fmt.Sprintf("signature %d", i+1)
		if s.ID != "" {
			name += " (" + s.ID + ")"
		}
		if s.CounterSignatureOf != "" {
			name += ", counter-signature of " + s.CounterSignatureOf
		}
		if caveat, ok := coverageCaveat[s.Coverage]; ok {
			// On the verdict's own line, so that nobody reads a
			// TOTAL-PASSED without it.
			verdict += "; it signs " + caveat
		}
		fmt.Fprintf(w, "  %s: %s\n", name, verdict)
		if s.Signer != nil && s.Signer.Subject != "" {
			fmt.Fprintf(w, "    signer: %s\n", s.Signer.Subject)
		}
		if s.Signer != nil && s.Signer.Claimed != nil {
			c := s.Signer.Claimed
			state := "claimed, not confirmed (not made with a configured Profil Zaufany seal)"
			if c.Confirmed {
				state = "confirmed by the Profil Zaufany seal"
			}
			fmt.Fprintf(w, "    Profil Zaufany (%s): %s %s, %s\n", c.Form, c.GivenName, c.FamilyName, state)
		}
		line := "    level: " + string(s.Level)
		if s.Qualification != "" {
			line += ", qualification: " + s.Qualification
		}
		if s.ClaimedSigningTime != nil {
			line += ", signing time: " + s.ClaimedSigningTime.Format(time.RFC3339)
		}
		fmt.Fprintln(w, line)
		printScope(w, s)
		for _, c := range s.Checks {
			// Where fetched revocation data came from is worth a line even
			// when it passed.
			if c.Status == xades.Failed || c.Status == xades.Unknown || strings.HasPrefix(c.Name, "online revocation data") {
				fmt.Fprintf(w, "    %s %s: %s\n", strings.ToLower(string(c.Status)), c.Name, c.Detail)
			}
		}
	}
}

// printScope writes what a signature covers, one line per signed data
// object, and the warnings that say what it does not.
func printScope(w io.Writer, s *xades.SignatureReport) {
	fmt.Fprintf(w, "    covers: %s\n", coverageText[s.Coverage])
	for _, sc := range s.Scope {
		line := fmt.Sprintf("      %s %s: %s", sc.Type, strings.Join(sc.Locations, ", "), sc.Description)
		if len(sc.Excluded) > 0 {
			line += "; less " + strings.Join(sc.Excluded, ", ")
		}
		if len(sc.Transforms) > 0 {
			line += "; transforms " + strings.Join(sc.Transforms, ", ")
		}
		fmt.Fprintln(w, line)
	}
	for _, warn := range s.Warnings {
		fmt.Fprintf(w, "    warning: %s\n", warn)
	}
}

// coverageCaveat qualifies the verdict of a signature that does not cover
// the document a reader sees.
var coverageCaveat = map[xades.Coverage]string{
	xades.CoveragePart:             "only parts of the document",
	xades.CoverageSignatureObjects: "only data inside the signature, NOT the document's visible content",
	xades.CoverageDetached:         "only detached data",
	xades.CoverageNone:             "nothing",
}

// coverageText says what a coverage means to the reader of the document.
var coverageText = map[xades.Coverage]string{
	xades.CoverageDocument:         "the whole document (less signatures)",
	xades.CoveragePart:             "only the parts listed; the rest of the document is NOT signed",
	xades.CoverageSignatureObjects: "only data inside the signature itself; the document's visible content is NOT signed",
	xades.CoverageEnveloping:       "the objects inside the signature, which is the whole file (enveloping)",
	xades.CoverageDetached:         "only detached data outside this file",
	xades.CoverageCounterSignature: "only the countersigned signature",
	xades.CoverageNone:             "nothing: no reference to signed data holds",
}
