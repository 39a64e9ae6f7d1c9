package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/obieg/obieg/internal/config"
)

// usageError marks an error in how the command was called (exit code 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// newRoot builds the command tree. Every command shares the one configuration, bound to
// persistent flags whose defaults come from the environment. *started becomes true once the
// command line has been accepted (cobra checks flags and arguments before the persistent
// pre-run): an error before that is a usage error.
func newRoot(getenv func(string) string, out io.Writer, started *bool) *cobra.Command {
	var cfg config.Config
	root := &cobra.Command{
		Use:   "obieg",
		Short: "Electronic case handling and records (EZD) for a regional social-policy centre",
		Long: `obieg carries documents filed through ePUAP and e-Doręczenia from the office's box
through registration, routing and case handling to archiving.

Every setting can be given as a flag or as the environment variable named in its help.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(out)
	bindErr := cfg.Bind(root.PersistentFlags(), getenv)
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if bindErr != nil {
			return usageError{bindErr}
		}
		*started = true
		return nil
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newServerCmd(&cfg),
		newWorkerCmd(&cfg),
		newMigrateCmd(&cfg),
		newDeadlineCmd(),
		newLifecycleCmd(),
		newUserCmd(&cfg),
		newAuditCmd(&cfg),
		newHealthCmd(&cfg),
		newVerifyCmd(),
	)
	return root
}

// newLogger builds the one logger of the process from the configuration.
func newLogger(cfg *config.Config) *slog.Logger {
	return cfg.NewLogger(os.Stderr)
}

// checked returns cfg after checking it, as a usage error when it is wrong.
func checked(cfg *config.Config, needServices bool) error {
	if err := cfg.Check(needServices); err != nil {
		return usageError{fmt.Errorf("configuration: %w", err)}
	}
	return nil
}
