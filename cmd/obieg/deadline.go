package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/deadlines"
)

func newDeadlineCmd() *cobra.Command {
	var (
		start, term string
		exclude     []string
		asJSON      bool
	)
	cmd := &cobra.Command{
		Use:   "deadline --start DATE --term 14d|1m|2m",
		Short: "Print the due date of a KPA term (art. 57), with how it was reached",
		Long: `deadline computes the last day of a term under art. 57 KPA: the day of the event is not
counted, a month ends on the same day-number (or the month's last day), an end on a Saturday,
Sunday or public holiday moves to the next working day. --exclude adds periods not counted
into the term (art. 35 §5: suspension, the party's delay), each FROM..TO.`,
		Example: `  obieg deadline --start 2026-01-30 --term 1m
  obieg deadline --start 2026-03-02 --term 14d --exclude 2026-03-05..2026-03-09 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if start == "" || term == "" {
				return usageError{errors.New("--start and --term are required")}
			}
			s, err := civil.ParseDate(start)
			if err != nil {
				return usageError{fmt.Errorf("--start: %w", err)}
			}
			t, err := deadlines.ParseTerm(term)
			if err != nil {
				return usageError{fmt.Errorf("--term: %w", err)}
			}
			var periods []deadlines.Period
			for _, e := range exclude {
				p, err := deadlines.ParsePeriod(e)
				if err != nil {
					return usageError{fmt.Errorf("--exclude: %w", err)}
				}
				periods = append(periods, p)
			}
			ex := deadlines.Explain(s, t, deadlines.Calendar{}, periods)
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(ex)
			}
			fmt.Fprintf(out, "Termin upływa: %s (%s)\n", ex.Due, polishWeekday(ex.Due))
			for _, st := range ex.Steps {
				fmt.Fprintf(out, "  - %s [%s]\n", st.Note, st.Rule)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&start, "start", "", "date of the event that starts the term, YYYY-MM-DD (required)")
	cmd.Flags().StringVar(&term, "term", "", "length of the term: Nd (days), Nw (weeks) or Nm (months) (required)")
	cmd.Flags().StringArrayVar(&exclude, "exclude", nil, "a period not counted, FROM..TO (repeatable)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the computation as JSON")
	return cmd
}

func polishWeekday(d civil.Date) string {
	return [...]string{"niedziela", "poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota"}[d.Weekday()]
}
