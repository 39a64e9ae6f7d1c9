// Command obieg-dev runs all of obieg on this machine with demo data: what `make run` does. It
// is a command of its own so that the development stack, the simulators, the test PKI and the
// demo office are never linked into the production binary, cmd/obieg.
//
// Exit codes: 0 success, 1 failure, 2 wrong usage.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/obieg/obieg/internal/config"
	"github.com/obieg/obieg/internal/dev/devrun"
)

// usageError marks an error in how the command was called (exit code 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func newCmd(getenv func(string) string) *cobra.Command {
	var cfg config.Config
	cmd := &cobra.Command{
		Use:   "obieg-dev",
		Short: "Run all of obieg on this machine with demo data (what `make run` does)",
		Long: `obieg-dev starts a private PostgreSQL cluster, the Temporal dev server and MinIO (built by
` + "`make tools`" + `), applies migrations, loads the demo office, runs the ePUAP and e-Doręczenia
simulators, a worker and the web server, and files sample letters into the demo box on first
start. Data is kept in --dev-dir, so a second run continues where the first stopped. Ctrl-C
stops everything.

DATABASE_URL, TEMPORAL_ADDRESS and S3_ENDPOINT make it use existing services instead. Every
setting can be given as a flag or as the environment variable named in its help.`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	bindErr := cfg.Bind(cmd.Flags(), getenv)
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if bindErr != nil {
			return usageError{bindErr}
		}
		if err := cfg.Check(false); err != nil {
			return usageError{fmt.Errorf("configuration: %w", err)}
		}
		return devrun.Run(cmd.Context(), cfg, cfg.NewLogger(os.Stderr), cmd.OutOrStdout())
	}
	return cmd
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := newCmd(os.Getenv).ExecuteContext(ctx)
	if err == nil {
		return
	}
	fmt.Fprintln(os.Stderr, "obieg-dev:", err)
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(os.Stderr, "Run 'obieg-dev --help' for usage.")
		os.Exit(2)
	}
	os.Exit(1)
}
