package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/obieg/obieg/internal/adapters/db"
	"github.com/obieg/obieg/internal/config"
	"github.com/obieg/obieg/internal/records/auth"
)

func newUserCmd(cfg *config.Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage the people who sign in to obieg",
	}
	var u auth.User
	var role string
	add := &cobra.Command{
		Use:     "add --username LOGIN --name 'Imię Nazwisko' --role ROLE [--unit UNIT] [--position TEXT]",
		Short:   "Add a user (then give a password with `obieg user passwd`)",
		Example: "  obieg user add --username referent.ois --name 'Katarzyna Kamińska' --role clerk --unit OIS",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.DatabaseURL == "" {
				return usageError{errors.New("configuration: DATABASE_URL is required")}
			}
			if u.Username == "" || u.FullName == "" || role == "" {
				return usageError{errors.New("--username, --name and --role are required")}
			}
			u.Role = auth.Role(role)
			pool, err := db.Open(cmd.Context(), cfg.DatabaseURL)
			if err != nil {
				return err
			}
			defer pool.Close()
			if err := auth.New(pool).Create(cmd.Context(), u); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "user %s added\n", u.Username)
			return nil
		},
	}
	add.Flags().StringVar(&u.Username, "username", "", "login: lower-case letters, digits, . _ -")
	add.Flags().StringVar(&u.FullName, "name", "", "full name, as shown in case histories")
	add.Flags().StringVar(&u.Position, "position", "", "position (stanowisko)")
	add.Flags().StringVar(&role, "role", "", "registry, clerk, head, archivist or admin")
	add.Flags().StringVar(&u.Unit, "unit", "", "unit code (required for clerk and head)")

	passwd := &cobra.Command{
		Use:   "passwd USERNAME",
		Short: "Set a user's password, read from standard input (one line)",
		Long: `passwd reads the new password from standard input, so that it never appears in the
process list or the shell history:

  printf '%s\n' "$NEW_PASSWORD" | obieg user passwd referent.ois`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cfg.DatabaseURL == "" {
				return usageError{errors.New("configuration: DATABASE_URL is required")}
			}
			line, err := bufio.NewReader(io.LimitReader(cmd.InOrStdin(), 4096)).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return fmt.Errorf("read password: %w", err)
			}
			password := strings.TrimRight(line, "\r\n")
			pool, err := db.Open(cmd.Context(), cfg.DatabaseURL)
			if err != nil {
				return err
			}
			defer pool.Close()
			if err := auth.New(pool).SetPassword(cmd.Context(), args[0], password); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "password of %s set\n", args[0])
			return nil
		},
	}
	cmd.AddCommand(add, passwd)
	return cmd
}
