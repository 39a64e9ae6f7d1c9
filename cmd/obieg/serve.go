package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/obieg/obieg/internal/adapters/db"
	"github.com/obieg/obieg/internal/app"
	"github.com/obieg/obieg/internal/config"
)

func newServerCmd(cfg *config.Config) *cobra.Command {
	return &cobra.Command{
		Use:   "server",
		Short: "Run the web server (pages and JSON API)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checked(cfg, true); err != nil {
				return err
			}
			logger := newLogger(cfg)
			svc, err := app.Connect(cmd.Context(), *cfg, logger)
			if err != nil {
				return err
			}
			defer svc.Close()
			h, err := svc.WebHandler()
			if err != nil {
				return err
			}
			svc.StartArchiveProbe(cmd.Context())
			// Without the subscription the cases still learn of deliveries, by their own
			// sparse checks: a service that is down now does not keep the server from starting.
			if err := svc.SubscribeCallbacks(cmd.Context()); err != nil {
				logger.Warn("no e-Doręczenia callbacks; cases check for evidences and the intake lists the mailbox on their own", "err", err)
			}
			logger.Info("web server listening", "addr", cfg.HTTPAddr)
			return app.Serve(cmd.Context(), cfg.HTTPAddr, h, logger)
		},
	}
}

func newWorkerCmd(cfg *config.Config) *cobra.Command {
	return &cobra.Command{
		Use:   "worker",
		Short: "Run a Temporal worker and keep the intake of the office's ePUAP box running",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checked(cfg, true); err != nil {
				return err
			}
			if cfg.EpuapPullURL == "" {
				return usageError{errors.New("configuration: EPUAP_PULL_URL is required by the worker")}
			}
			logger := newLogger(cfg)
			svc, err := app.Connect(cmd.Context(), *cfg, logger)
			if err != nil {
				return err
			}
			defer svc.Close()
			if err := svc.EnsureBuckets(cmd.Context()); err != nil {
				return err
			}
			svc.StartArchiveProbe(cmd.Context())
			security, err := svc.EpuapSecurity()
			if err != nil {
				return err
			}
			if security == nil {
				logger.Warn("EPUAP_KEY_FILE not set: ePUAP requests go unsigned and answers unverified; only an insecure simulator accepts that")
			}
			trust, err := app.LoadTrust(cmd.Context(), *cfg, time.Now())
			if err != nil {
				return err
			}
			w, err := svc.NewWorker(cmd.Context(), svc.Box(cfg.EpuapPullURL, security...), svc.Files(cfg.EpuapFileRepoURL, security...), trust)
			if err != nil {
				return err
			}
			if err := w.Start(); err != nil {
				return fmt.Errorf("start worker: %w", err)
			}
			defer w.Stop()
			id, err := svc.StartIntake(cmd.Context())
			if err != nil {
				return err
			}
			mailbox, err := svc.StartMailboxIntake(cmd.Context())
			if err != nil {
				return err
			}
			logger.Info("worker running", "task_queue", cfg.TaskQueue, "intake", id, "mailbox_intake", mailbox)
			<-cmd.Context().Done()
			return nil
		},
	}
}

func newMigrateCmd(cfg *config.Config) *cobra.Command {
	var status bool
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending database migrations (or list them with --status)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.DatabaseURL == "" {
				return usageError{errors.New("configuration: DATABASE_URL is required")}
			}
			if status {
				list, err := db.Status(cmd.Context(), cfg.DatabaseURL)
				if err != nil {
					return err
				}
				for _, m := range list {
					fmt.Fprintf(cmd.OutOrStdout(), "%05d  %-8s  %s\n", m.Source.Version, m.State, m.Source.Path)
				}
				return nil
			}
			return db.Migrate(cmd.Context(), cfg.DatabaseURL, newLogger(cfg))
		},
	}
	cmd.Flags().BoolVar(&status, "status", false, "list migrations and whether each is applied, change nothing")
	return cmd
}
