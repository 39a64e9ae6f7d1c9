package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/obieg/obieg/internal/adapters/db"
	"github.com/obieg/obieg/internal/config"
	"github.com/obieg/obieg/internal/records/audit"
)

func newAuditCmd(cfg *config.Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Check the tamper-evident audit log (verify) or print its head for anchoring (head)",
		Long: `The audit log records every action on and every read of a case file, each entry
hash-chained to the one before. 'audit verify' walks the chain and names the first entry that
was changed, removed, reordered or added behind obieg's back; 'audit head' prints the last
entry's number and hash, to be written down outside the database (an anchor) and checked
later with 'audit verify --anchor'.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return usageError{errors.New("audit needs a subcommand: verify or head")}
		},
	}
	cmd.AddCommand(newAuditVerifyCmd(cfg), newAuditHeadCmd(cfg))
	return cmd
}

func newAuditVerifyCmd(cfg *config.Config) *cobra.Command {
	var (
		from, to int64
		anchor   string
		asJSON   bool
	)
	cmd := &cobra.Command{
		Use:   "verify [--from N] [--to N | --anchor N:HASH] [--json]",
		Short: "Verify the audit log's hash chain; exit 1 when it is broken",
		Long: `verify checks every entry from --from to --to (default: the whole log up to its head)
and prints the first broken one with the reason: changed (its content no longer matches its
hash), removed (missing), reordered (its link to the entry before is broken) or added (beyond
the chain head). --anchor N:HASH, as printed earlier by 'obieg audit head', verifies up to
entry N and checks that its hash is still HASH: that proves nothing up to N was rewritten,
even by someone able to recompute the chain.

Exit codes: 0 intact, 1 broken (or the database could not be read), 2 wrong usage.`,
		Example: `  obieg audit verify
  obieg audit verify --from 1000 --to 2000 --json
  obieg audit verify --anchor 1234:3f1c...e9`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from < 0 || to < 0 {
				return usageError{errors.New("--from and --to are entry numbers, 1 or more")}
			}
			var (
				anchorSeq  int64
				anchorHash audit.Hash
			)
			if anchor != "" {
				if cmd.Flags().Changed("to") {
					return usageError{errors.New("give --to or --anchor, not both")}
				}
				var err error
				if anchorSeq, anchorHash, err = parseAnchor(anchor); err != nil {
					return usageError{fmt.Errorf("--anchor: %w", err)}
				}
				to = anchorSeq
			}
			if to != 0 && to < max(from, 1) {
				return usageError{fmt.Errorf("--to %d is before --from %d", to, from)}
			}
			if cfg.DatabaseURL == "" {
				return usageError{errors.New("configuration: DATABASE_URL is required")}
			}
			pool, err := db.Open(cmd.Context(), cfg.DatabaseURL)
			if err != nil {
				return err
			}
			defer pool.Close()
			rep, err := audit.New(pool).Verify(cmd.Context(), from, to)
			if err != nil {
				return err
			}
			if anchor != "" && rep.Intact {
				switch {
				case rep.To < anchorSeq:
					rep.Intact = false
					rep.Broken = &audit.Break{Seq: rep.To + 1, Reason: audit.ReasonRemoved, Detail: fmt.Sprintf(
						"the log ends at entry %d, before the anchored entry %d", rep.To, anchorSeq)}
				case rep.LastHash != anchorHash:
					rep.Intact = false
					rep.Broken = &audit.Break{Seq: anchorSeq, Reason: audit.ReasonChanged, Detail: fmt.Sprintf(
						"hash %s differs from the anchor %s: entries up to %d were rewritten", rep.LastHash, anchorHash, anchorSeq)}
				}
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(rep); err != nil {
					return err
				}
			} else {
				printReport(out, rep, anchor != "")
			}
			if !rep.Intact {
				return fmt.Errorf("audit log broken at entry %d: %s", rep.Broken.Seq, rep.Broken.Reason)
			}
			return nil
		},
	}
	cmd.Flags().Int64Var(&from, "from", 0, "first entry to verify (default: the first)")
	cmd.Flags().Int64Var(&to, "to", 0, "last entry to verify (default: the chain head)")
	cmd.Flags().StringVar(&anchor, "anchor", "", "N:HASH printed by 'obieg audit head': verify up to entry N and check its hash")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

func printReport(out io.Writer, rep audit.Report, anchored bool) {
	if rep.Intact && rep.Checked == 0 {
		fmt.Fprintf(out, "Audit log: no entries from %d (the head is at %d).\n", rep.From, rep.HeadSeq)
		return
	}
	if rep.Intact {
		fmt.Fprintf(out, "Audit log intact: entries %d..%d verified (%d).\n", rep.From, rep.To, rep.Checked)
		if rep.Checked > 0 {
			fmt.Fprintf(out, "Last entry verified: %d:%s\n", rep.To, rep.LastHash)
		}
		if anchored {
			fmt.Fprintln(out, "It matches the anchor.")
		}
		return
	}
	fmt.Fprintf(out, "Audit log BROKEN at entry %d: %s\n  %s\n", rep.Broken.Seq, rep.Broken.Reason, rep.Broken.Detail)
	if rep.Checked > 0 {
		fmt.Fprintf(out, "Entries %d..%d verified before it.\n", rep.From, rep.From+rep.Checked-1)
	}
}

func newAuditHeadCmd(cfg *config.Config) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "head [--json]",
		Short: "Print the number and hash of the audit log's last entry, to write down as an anchor",
		Long: `head prints the last entry's number and hash as N:HASH. Record it somewhere the database's
administrators cannot change (a signed report, a ticket, another system, paper), regularly;
'obieg audit verify --anchor N:HASH' later proves that entries 1..N are unchanged.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.DatabaseURL == "" {
				return usageError{errors.New("configuration: DATABASE_URL is required")}
			}
			pool, err := db.Open(cmd.Context(), cfg.DatabaseURL)
			if err != nil {
				return err
			}
			defer pool.Close()
			seq, hash, err := audit.New(pool).Head(cmd.Context())
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return json.NewEncoder(out).Encode(struct {
					Seq  int64      `json:"seq"`
					Hash audit.Hash `json:"hash"`
				}{seq, hash})
			}
			fmt.Fprintf(out, "%d:%s\n", seq, hash)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print {\"seq\": N, \"hash\": HASH}")
	return cmd
}

// parseAnchor parses N:HASH.
func parseAnchor(s string) (int64, audit.Hash, error) {
	n, h, ok := strings.Cut(s, ":")
	if !ok {
		return 0, audit.Hash{}, fmt.Errorf("%q: want N:HASH as printed by 'obieg audit head'", s)
	}
	seq, err := strconv.ParseInt(n, 10, 64)
	if err != nil || seq < 1 {
		return 0, audit.Hash{}, fmt.Errorf("%q: entry number %q: want 1 or more", s, n)
	}
	hash, err := audit.ParseHash(h)
	if err != nil {
		return 0, audit.Hash{}, err
	}
	return seq, hash, nil
}
