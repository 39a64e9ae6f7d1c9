package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/obieg/obieg/internal/config"
)

// newHealthCmd asks a running web server for GET /healthz: the healthcheck of a container
// image that has no shell, curl or wget.
func newHealthCmd(cfg *config.Config) *cobra.Command {
	var target string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "health [--url URL]",
		Short: "Ask a running web server whether it is healthy: exit 0 if so, 1 if not",
		Long: `health sends GET /healthz to the web server listening on --http-addr (an unspecified
address such as 0.0.0.0 means this machine), or to --url, and exits 0 on 200 OK and 1 on
anything else. It is the container healthcheck of the obieg image, which has no shell.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if target == "" {
				u, err := healthURL(cfg.HTTPAddr)
				if err != nil {
					return usageError{err}
				}
				target = u
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
			if err != nil {
				return usageError{fmt.Errorf("--url %q: %w", target, err)}
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return fmt.Errorf("health of %s: %w", target, err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("health of %s: %s", target, resp.Status)
			}
			fmt.Fprintln(cmd.OutOrStdout(), "ok")
			return nil
		},
	}
	cmd.Flags().StringVar(&target, "url", "", "health URL to ask instead of the one --http-addr gives")
	cmd.Flags().DurationVar(&timeout, "timeout", 5*time.Second, "how long to wait for the answer")
	return cmd
}

// healthURL is the /healthz URL of a server listening on addr (OBIEG_HTTP_ADDR), asked from
// the same machine: an unspecified host is reached on loopback.
func healthURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("OBIEG_HTTP_ADDR=%q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
		if ip != nil && ip.To4() == nil {
			host = "::1"
		}
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}
