// Command edoreczenia-sim runs the simulated e-Doręczenia on its own: the token endpoint and
// the User Agent API on --addr, the simulator's control routes (mailboxes, clients, clock,
// faults; no token needed) on --control-addr, a listener of their own that API clients must
// not reach:
//
//	go run ./cmd/edoreczenia-sim --addr 127.0.0.1:8082 --control-addr 127.0.0.1:8083 \
//	    --mailbox 'AE:PL-12345-67890-ABCDE-12=ROPS Kraków' --clients clients.json
//
// clients.json lists the systems that may obtain tokens: [{"id": "obieg", "secret": "...",
// "scopes": ["read_messages", "write_messages", "read_settings", "write_settings"],
// "addresses": ["AE:PL-12345-67890-ABCDE-12"]}]. A client authenticating with a signed JWT
// (private_key_jwt, RS256 or ES256) has instead of "secret" a "publicKeyFile": a PEM
// certificate or public key (PKIX "PUBLIC KEY"), RSA or ECDSA P-256, its path relative to
// the clients file; or "publicKey", the same PEM inline. Without --clients one development client is
// registered, id obieg-dev, secret obieg-dev-secret, every scope, every --mailbox. Without
// --data the mailboxes and messages live in memory and are lost at exit; clients and the
// clock's advance are never kept. The clock runs with the wall clock; advance it with
// POST /sim/edoreczenia/clock/advance?by=336h on the control address. --processing delays sending tasks; --latency,
// --fail-503 and --fault-seed inject faults. See package internal/dev/simulator/edoreczeniasim
// for the routes.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/obieg/obieg/internal/dev/simulator/edoreczeniasim"
)

// Development defaults: the regional centre's mailbox, a citizen's and the dev client.
const (
	defaultOffice  = "AE:PL-12345-67890-ABCDE-12"
	defaultCitizen = "AE:PL-54321-09876-EDCBA-21"
	devClientID    = "obieg-dev"
	devSecret      = "obieg-dev-secret"
)

// config is everything edoreczenia-sim can be told. Each field has a flag; Addr and Data also
// read an environment variable as their default.
type config struct {
	Addr       string                  // --addr, EDORECZENIA_SIM_ADDR: listen address of the token endpoint and the API
	Control    string                  // --control-addr, EDORECZENIA_SIM_CONTROL_ADDR: listen address of the control routes
	Data       string                  // --data, EDORECZENIA_SIM_DATA: directory of the file store; "" keeps state in memory
	Mailboxes  map[string]string       // --mailbox ADE=name, repeatable
	Clients    []edoreczeniasim.Client // --clients FILE, or the development client
	DevClient  bool                    // no --clients: the development client was registered
	Processing time.Duration           // --processing: how long a sending task stays PENDING
	Tick       time.Duration           // --tick: how often due work (deemed delivery, callbacks) is done
	Faults     edoreczeniasim.Faults   // --latency, --fail-503, --fault-seed
	Debug      bool                    // --debug
}

type mailboxFlag map[string]string

func (m mailboxFlag) String() string { return fmt.Sprint(map[string]string(m)) }
func (m mailboxFlag) Set(v string) error {
	ade, name, _ := strings.Cut(v, "=")
	if !edoreczeniasim.ValidAddress(ade) {
		return fmt.Errorf("want ADE[=name] with ADE like %s, got %q", defaultOffice, v)
	}
	m[ade] = name
	return nil
}

func loadConfig(args []string) (config, error) {
	cfg := config{Addr: envOr("EDORECZENIA_SIM_ADDR", "127.0.0.1:8082"), Control: envOr("EDORECZENIA_SIM_CONTROL_ADDR", "127.0.0.1:8083"), Data: os.Getenv("EDORECZENIA_SIM_DATA"), Mailboxes: map[string]string{}}
	fs := flag.NewFlagSet("edoreczenia-sim", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: edoreczenia-sim [flags]\n\nRuns the simulated e-Doręczenia: the OAuth2 token endpoint (%s) and the User Agent API (%s/{ADE}/...) on --addr, the simulator's control routes (%s/...), which need no token, on --control-addr.\n\nFlags:\n",
			edoreczeniasim.TokenPath, edoreczeniasim.APIPrefix, edoreczeniasim.SimPrefix)
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen `address` of the token endpoint and the API (env EDORECZENIA_SIM_ADDR)")
	fs.StringVar(&cfg.Control, "control-addr", cfg.Control, "listen `address` of the control routes, which need no token: keep it unreachable by API clients (env EDORECZENIA_SIM_CONTROL_ADDR)")
	fs.StringVar(&cfg.Data, "data", cfg.Data, "`directory` keeping mailboxes and messages across restarts; empty keeps them in memory (env EDORECZENIA_SIM_DATA)")
	fs.Var(mailboxFlag(cfg.Mailboxes), "mailbox", "mailbox to create, `ADE=name`; repeatable (default "+defaultOffice+" and "+defaultCitizen+")")
	clients := fs.String("clients", "", "JSON `file` of API clients: [{\"id\", \"secret\" or \"publicKeyFile\" or \"publicKey\" (PEM), \"scopes\", \"addresses\"}] (default: client "+devClientID+", secret "+devSecret+")")
	fs.DurationVar(&cfg.Processing, "processing", 0, "how long a sending task stays PENDING (`duration`)")
	fs.DurationVar(&cfg.Tick, "tick", time.Second, "how often to do what is due: deemed deliveries, callbacks (`duration`)")
	fs.DurationVar(&cfg.Faults.Latency, "latency", 0, "delay every API request by `duration`")
	fs.Float64Var(&cfg.Faults.Error503, "fail-503", 0, "answer this `fraction` of API requests with 503")
	fs.Uint64Var(&cfg.Faults.Seed, "fault-seed", 1, "`seed` of the fault fraction")
	fs.BoolVar(&cfg.Debug, "debug", false, "log at debug level")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if cfg.Faults.Error503 < 0 || cfg.Faults.Error503 > 1 {
		return config{}, fmt.Errorf("--fail-503 must be between 0 and 1, got %v", cfg.Faults.Error503)
	}
	if cfg.Control == "" || cfg.Control == cfg.Addr {
		return config{}, fmt.Errorf("--control-addr %q must be set and differ from --addr: the control routes need no token", cfg.Control)
	}
	if cfg.Tick <= 0 || cfg.Processing < 0 {
		return config{}, errors.New("--tick must be positive and --processing not negative")
	}
	if len(cfg.Mailboxes) == 0 {
		cfg.Mailboxes = map[string]string{defaultOffice: "Regionalny Ośrodek Polityki Społecznej", defaultCitizen: "Jan Kowalski"}
	}
	if *clients != "" {
		list, err := loadClients(*clients)
		if err != nil {
			return config{}, err
		}
		cfg.Clients = list
	} else {
		dev := edoreczeniasim.Client{ID: devClientID, Secret: devSecret, Scopes: []string{edoreczeniasim.ScopeReadMessages,
			edoreczeniasim.ScopeWriteMessages, edoreczeniasim.ScopeReadSettings, edoreczeniasim.ScopeWriteSettings}}
		for ade := range cfg.Mailboxes {
			dev.Addresses = append(dev.Addresses, ade)
		}
		cfg.Clients, cfg.DevClient = []edoreczeniasim.Client{dev}, true
	}
	return cfg, nil
}

// loadClients reads the --clients file.
func loadClients(file string) ([]edoreczeniasim.Client, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("--clients: %w", err)
	}
	var list []struct {
		ID            string   `json:"id"`
		Secret        string   `json:"secret"`
		PublicKey     string   `json:"publicKey"`
		PublicKeyFile string   `json:"publicKeyFile"`
		Scopes        []string `json:"scopes"`
		Addresses     []string `json:"addresses"`
	}
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("--clients %s: %w", file, err)
	}
	var out []edoreczeniasim.Client
	for _, c := range list {
		client := edoreczeniasim.Client{ID: c.ID, Secret: c.Secret, Scopes: c.Scopes, Addresses: c.Addresses}
		pub := []byte(c.PublicKey)
		switch {
		case c.PublicKey != "" && c.PublicKeyFile != "":
			return nil, fmt.Errorf("--clients %s: client %q: publicKey or publicKeyFile, not both", file, c.ID)
		case c.PublicKeyFile != "":
			path := c.PublicKeyFile
			if !filepath.IsAbs(path) {
				path = filepath.Join(filepath.Dir(file), path)
			}
			if pub, err = os.ReadFile(path); err != nil {
				return nil, fmt.Errorf("--clients %s: client %q: %w", file, c.ID, err)
			}
		}
		if len(pub) > 0 {
			if client.PublicKey, err = edoreczeniasim.ParsePublicKey(pub); err != nil {
				return nil, fmt.Errorf("--clients %s: client %q: %w", file, c.ID, err)
			}
		}
		out = append(out, client)
	}
	return out, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func main() {
	cfg, err := loadConfig(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "edoreczenia-sim:", err)
		os.Exit(2)
	}
	level := slog.LevelInfo
	if cfg.Debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		log.Error("edoreczenia-sim failed", "err", fmt.Errorf("listen on %s: %w", cfg.Addr, err))
		os.Exit(1)
	}
	ctl, err := net.Listen("tcp", cfg.Control)
	if err != nil {
		log.Error("edoreczenia-sim failed", "err", fmt.Errorf("listen on %s: %w", cfg.Control, err))
		os.Exit(1)
	}
	if err := run(ctx, cfg, ln, ctl, log); err != nil {
		log.Error("edoreczenia-sim failed", "err", err)
		os.Exit(1)
	}
}

// run serves the token endpoint and the API on ln and the control routes on ctl until ctx
// ends.
func run(ctx context.Context, cfg config, ln, ctl net.Listener, log *slog.Logger) error {
	var store edoreczeniasim.Store = edoreczeniasim.NewMemStore()
	if cfg.Data != "" {
		fs, err := edoreczeniasim.OpenFileStore(cfg.Data)
		if err != nil {
			return err
		}
		store = fs
	}
	sim := edoreczeniasim.New(store, time.Now, log,
		edoreczeniasim.WithProcessing(cfg.Processing), edoreczeniasim.WithFaults(cfg.Faults))
	for ade, name := range cfg.Mailboxes {
		if _, err := sim.CreateMailbox(ctx, ade, name); err != nil {
			return err
		}
	}
	for _, c := range cfg.Clients {
		if err := sim.RegisterClient(c); err != nil {
			return err
		}
	}
	if cfg.DevClient {
		log.Warn("no --clients: development client registered", "client_id", devClientID)
	}
	srv := &http.Server{
		Handler:           sim.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	ctlSrv := &http.Server{
		Handler:           sim.ControlHandler(),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	base := "http://" + ln.Addr().String()
	log.Info("edoreczenia-sim listening", "token", base+edoreczeniasim.TokenPath, "api", base+edoreczeniasim.APIPrefix,
		"control", "http://"+ctl.Addr().String()+edoreczeniasim.SimPrefix, "mailboxes", len(cfg.Mailboxes), "clients", len(cfg.Clients))

	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	go func() { errc <- ctlSrv.Serve(ctl) }()
	tick := time.NewTicker(cfg.Tick)
	defer tick.Stop()
serve:
	for {
		select {
		case err := <-errc:
			return fmt.Errorf("serve: %w", err)
		case <-tick.C:
			if err := sim.Tick(ctx); err != nil {
				log.Error("tick", "err", err)
			}
		case <-ctx.Done():
			break serve
		}
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := errors.Join(srv.Shutdown(shutdownCtx), ctlSrv.Shutdown(shutdownCtx)); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	log.Info("edoreczenia-sim stopped")
	return nil
}
