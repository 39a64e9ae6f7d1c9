package main

import (
	"encoding/json"
	"errors"

	"github.com/spf13/cobra"

	"github.com/obieg/obieg/internal/domain/lifecycle"
)

func newLifecycleCmd() *cobra.Command {
	var asDot, asJSON bool
	cmd := &cobra.Command{
		Use:   "lifecycle [--dot | --json]",
		Short: "Print the stages of a case and the actions of its lifecycle: who may do what, in which stage",
		Long: `lifecycle prints the case lifecycle as obieg enforces it (package lifecycle): its stages,
and for every action who may do it, from which stages, to which, and what else it needs; then
the changes of stage that no person makes. --dot prints the state diagram in Graphviz's DOT
language (docs/lifecycle.dot is its copy), --json the table as JSON.`,
		Example: `  obieg lifecycle
  obieg lifecycle --dot | dot -Tsvg > lifecycle.svg
  obieg lifecycle --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			switch {
			case asDot && asJSON:
				return usageError{errors.New("--dot and --json exclude each other")}
			case asDot:
				return lifecycle.WriteDot(out)
			case asJSON:
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(lifecycle.Describe())
			}
			return lifecycle.WriteText(out)
		},
	}
	cmd.Flags().BoolVar(&asDot, "dot", false, "print the state diagram in Graphviz's DOT language")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the stages and the action table as JSON")
	return cmd
}
