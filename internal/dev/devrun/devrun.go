// Package devrun runs all of obieg on one machine for development and demos (make run): a
// private PostgreSQL cluster, the Temporal dev server and MinIO (internal/dev/devstack), the ePUAP
// and e-Doręczenia simulators, the demo office and its sample letters, a worker and the web
// server. It is development-only: only cmd/obieg-dev imports it, never the production binary.
package devrun

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/obieg/obieg/internal/adapters/db"
	"github.com/obieg/obieg/internal/adapters/edoreczenia"
	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/adapters/visibility"
	"github.com/obieg/obieg/internal/app"
	"github.com/obieg/obieg/internal/config"
	"github.com/obieg/obieg/internal/dev/demo"
	"github.com/obieg/obieg/internal/dev/devstack"
	"github.com/obieg/obieg/internal/dev/simulator/compose"
	"github.com/obieg/obieg/internal/dev/simulator/edoreczeniasim"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	"github.com/obieg/obieg/internal/dev/testpki"
	"github.com/obieg/obieg/internal/render/pdfdoc"
	epuapschema "github.com/obieg/obieg/xmlschemas/epuap"
)

// Ports of the development stack. They are fixed so that bookmarks keep working across runs;
// Start says clearly when one is taken.
const (
	devPostgresPort     = 54329
	devTemporalPort     = 7233
	devTemporalUIPort   = 8233
	devMinIOPort        = 9000
	devMinIOConsolePort = 9001
	devSimulatorAddr    = "127.0.0.1:8081"
	// devBodyPodmiot is a competent public body with a box in the simulated ePUAP: cases are
	// forwarded to /wojewoda-demo/skrytka with proof of delivery.
	devBodyPodmiot   = "wojewoda-demo"
	devEDeliveryAddr = "127.0.0.1:8082"
	// devEDeliveryControlAddr serves the e-Doręczenia simulator's control routes, which need
	// no token, apart from its API.
	devEDeliveryControlAddr = "127.0.0.1:8083"
)

// The development office's e-Doręczenia mailbox and the mailboxes of demo parties it can
// deliver to, in the simulated e-Doręczenia.
const devOfficeADE = "AE:PL-51234-56789-ROPSD-26"

var devPartyADEs = []struct{ Address, Name string }{
	{"AE:PL-11111-22222-KOWAL-01", "Jan Kowalski"},
	{"AE:PL-33333-44444-NOWAK-02", "Anna Nowak"},
	{"AE:PL-55555-66666-WISNI-03", "Stowarzyszenie Rodzin Wielodzietnych"},
}

// Development credentials of the private MinIO, used unless S3 credentials are configured.
const (
	devS3AccessKey = "obieg"
	devS3SecretKey = "obieg-dev-secret"
)

// demoLetters is how many sample letters a fresh development office receives, and demoForms
// how many of each of the centre's own forms.
const (
	demoLetters = 8
	demoForms   = 2
)

// Run runs the whole of obieg on one machine until ctx ends: the development stack
// (services not given in cfg are started), migrations, demo data, the ePUAP simulator, a
// worker with the intake of the demo box, and the web server. It prints the addresses and
// logins to out and stops everything it started before returning.
func Run(ctx context.Context, cfg config.Config, logger *slog.Logger, out io.Writer) (err error) {
	cfg.SecureCookies = false // plain HTTP on loopback
	if cfg.S3Endpoint == "" && cfg.S3AccessKey == "" {
		cfg.S3AccessKey, cfg.S3SecretKey = devS3AccessKey, devS3SecretKey
	}
	fmt.Fprintf(out, "obieg-dev: starting PostgreSQL, MinIO and Temporal (data in %s)...\n", cfg.DevDir)
	stack, err := devstack.Start(ctx, devstack.Options{
		Dir: cfg.DevDir, BinDir: cfg.BinDir,
		DatabaseURL: cfg.DatabaseURL, TemporalAddress: cfg.TemporalAddress, S3Endpoint: cfg.S3Endpoint,
		PostgresPort: devPostgresPort, TemporalPort: devTemporalPort, TemporalUIPort: devTemporalUIPort,
		MinIOPort: devMinIOPort, MinIOConsolePort: devMinIOConsolePort,
		Namespace: cfg.TemporalNamespace, SearchAttributes: visibility.Registered(),
		S3AccessKey: cfg.S3AccessKey, S3SecretKey: cfg.S3SecretKey,
		Logger: logger,
	})
	if err != nil {
		return err
	}
	defer func() {
		fmt.Fprintln(out, "obieg-dev: stopping...")
		if stopErr := stack.Stop(); stopErr != nil {
			err = errors.Join(err, stopErr)
		}
	}()
	cfg.DatabaseURL, cfg.TemporalAddress, cfg.S3Endpoint = stack.DatabaseURL, stack.TemporalAddress, stack.S3Endpoint

	if err := db.Migrate(ctx, cfg.DatabaseURL, logger); err != nil {
		return err
	}
	svc, err := app.Connect(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer svc.Close()
	if err := svc.EnsureBuckets(ctx); err != nil {
		return err
	}
	if err := demo.Seed(ctx, svc.Pool); err != nil {
		return err
	}

	// The simulated ePUAP, unless a real pull endpoint is configured.
	pullURL, fileRepoURL := cfg.EpuapPullURL, cfg.EpuapFileRepoURL
	boxOpts, err := svc.EpuapSecurity()
	if err != nil {
		return err
	}
	var sim *epuapsim.Simulator
	if pullURL == "" {
		// The simulator checks WS-Security as ePUAP does: it signs its answers, and accepts
		// only requests signed with a system certificate registered for the office. Both
		// identities are made afresh for each run.
		simID, err := epuapsim.SelfSigned("ePUAP-SIM-WS-Sign", time.Now())
		if err != nil {
			return err
		}
		office, err := epuapsim.SelfSigned("obieg "+cfg.EpuapPodmiot, time.Now())
		if err != nil {
			return err
		}
		boxOpts = []epuap.Option{epuap.WithSigner(office), epuap.WithPinnedCertificates(simID.Cert)}
		store, err := epuapsim.OpenFileStore(filepath.Join(cfg.DevDir, "epuap-sim"))
		if err != nil {
			return err
		}
		// FileRepo's files are kept beside the boxes: a document waiting in the box after a
		// restart still finds its attachments.
		repo, err := epuapsim.OpenDirRepo(filepath.Join(cfg.DevDir, "epuap-sim", "filerepo"))
		if err != nil {
			return err
		}
		sim = epuapsim.New(store, time.Now, logger.With("component", "epuap-sim"), epuapsim.WithWSSecurity(simID), epuapsim.WithRepo(repo))
		if err := sim.RegisterCertificate(cfg.EpuapPodmiot, office.Cert); err != nil {
			return err
		}
		if _, err := sim.CreateBox(ctx, cfg.EpuapPodmiot, cfg.EpuapBoxName); err != nil {
			return err
		}
		// A competent body's box, for forwarding cases to through doręczyciel.
		if _, err := sim.CreateBox(ctx, devBodyPodmiot, "skrytka"); err != nil {
			return err
		}
		if cfg.EpuapBoxAddress != epuapsim.BoxAddress(cfg.EpuapPodmiot, cfg.EpuapBoxName) {
			return fmt.Errorf("EPUAP_BOX_ADDRESS %q must be /%s/%s with the simulator", cfg.EpuapBoxAddress, cfg.EpuapPodmiot, cfg.EpuapBoxName)
		}
		l, err := net.Listen("tcp", devSimulatorAddr)
		if err != nil {
			return fmt.Errorf("ePUAP simulator: %w", err)
		}
		simSrv := &http.Server{Handler: sim.Handler(), ReadHeaderTimeout: 10 * time.Second}
		go simSrv.Serve(l)
		defer simSrv.Close()
		pullURL = "http://" + devSimulatorAddr + "/pk_external_ws/services/pull"
		fileRepoURL = "http://" + devSimulatorAddr + epuapschema.FileRepoPath
		// Cases are forwarded to other bodies' boxes in the simulator, and the UPDs it
		// returns are checked against its signing certificate.
		if cfg.EpuapDoreczycielURL == "" {
			svc.Doreczyciel = svc.DoreczycielClient("http://"+devSimulatorAddr+epuapschema.DoreczycielPath, boxOpts...)
		}
		svc.EpuapCerts = []*x509.Certificate{simID.Cert}
	}

	// The simulated e-Doręczenia, unless a real one is configured: the office's answers are
	// delivered through it, and its evidences come back by callback.
	var edSim *edoreczeniasim.Simulator
	if cfg.EDeliveryURL == "" {
		if edSim, err = startEDeliverySim(ctx, svc, cfg, logger); err != nil {
			return err
		}
		// Before the mailbox's intake starts, which lists the mailbox at once.
		if err := postDemoLetters(ctx, edSim, out); err != nil {
			return err
		}
	}

	// A test PKI shaped like the Polish one signs the demo letters; unless trust is
	// configured, its root and its Profil Zaufany seal are trusted, so they verify.
	pki, err := testpki.New(testpki.Options{Seed: 2026, At: time.Now()})
	if err != nil {
		return err
	}
	if cfg.TrustList == "" && cfg.TrustAnchors == "" && cfg.ProfilZaufany == "" {
		dir := filepath.Join(cfg.DevDir, "pki")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		cfg.TrustAnchors, cfg.ProfilZaufany = filepath.Join(dir, "root.pem"), filepath.Join(dir, "profil-zaufany.pem")
		if err := os.WriteFile(cfg.TrustAnchors, pki.Root.CertPEM(), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(cfg.ProfilZaufany, pki.ProfilZaufany.CertPEM(), 0o644); err != nil {
			return err
		}
	}
	// The demo office signs with a test qualified certificate of the test PKI, standing for
	// the head's own, unless a signing key is configured.
	if cfg.SigningKey == "" {
		dir := filepath.Join(cfg.DevDir, "pki")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		key, err := pki.CitizenRSA.KeyPEM()
		if err != nil {
			return err
		}
		svc.Config.SigningKey, svc.Config.SigningCerts = filepath.Join(dir, "signing-key.pem"), filepath.Join(dir, "signing-certs.pem")
		if err := os.WriteFile(svc.Config.SigningKey, key, 0o600); err != nil {
			return err
		}
		if err := os.WriteFile(svc.Config.SigningCerts, pki.CitizenRSA.ChainPEM(), 0o644); err != nil {
			return err
		}
		svc.ValidationData = func(_ context.Context, at time.Time) ([][]byte, [][]byte, error) {
			return pki.ValidationData(pki.CitizenRSA, at)
		}
	}
	trust, err := app.LoadTrust(ctx, cfg, time.Now())
	if err != nil {
		return err
	}
	w, err := svc.NewWorker(ctx, svc.Box(pullURL, boxOpts...), svc.Files(fileRepoURL, boxOpts...), trust)
	if err != nil {
		return err
	}
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	defer w.Stop()
	if _, err := svc.StartIntake(ctx); err != nil {
		return err
	}
	if _, err := svc.StartMailboxIntake(ctx); err != nil {
		return err
	}
	if sim != nil {
		if err := fileDemoDocuments(ctx, svc, sim, pki, cfg, out); err != nil {
			return err
		}
	}

	h, err := svc.WebHandler()
	if err != nil {
		return err
	}
	svc.StartArchiveProbe(ctx)
	webErr := make(chan error, 1)
	go func() { webErr <- app.Serve(ctx, cfg.HTTPAddr, h, logger) }()
	if err := svc.SubscribeCallbacks(ctx); err != nil {
		return err
	}

	printWelcome(out, cfg, stack, sim != nil, edSim != nil)
	select {
	case <-ctx.Done():
		return <-webErr
	case err := <-webErr:
		return err
	}
}

// fileDemoDocuments files sample letters and two documents for the quarantine into a
// development office that has received nothing yet; a second run reuses what is there.
func fileDemoDocuments(ctx context.Context, svc *app.Services, sim *epuapsim.Simulator, pki *testpki.PKI, cfg config.Config, out io.Writer) error {
	var received int
	if err := svc.Pool.QueryRow(ctx, `SELECT count(*) FROM submissions`).Scan(&received); err != nil {
		return fmt.Errorf("count submissions: %w", err)
	}
	boxes, err := sim.Waiting(ctx, cfg.EpuapPodmiot)
	if err != nil {
		return err
	}
	waiting := 0
	for _, b := range boxes {
		waiting += len(b.Waiting)
	}
	if received > 0 || waiting > 0 {
		return nil
	}
	if _, err := demo.FileSignedLetters(ctx, sim, cfg.EpuapPodmiot, cfg.EpuapBoxName, pki, time.Now().Unix(), demoLetters, time.Now()); err != nil {
		return err
	}
	forms, err := demo.FileForms(ctx, sim, cfg.EpuapPodmiot, cfg.EpuapBoxName, time.Now().Unix(), demoForms)
	if err != nil {
		return err
	}
	if _, err := demo.FileBroken(ctx, sim, cfg.EpuapPodmiot, cfg.EpuapBoxName); err != nil {
		return err
	}
	fmt.Fprintf(out, "obieg-dev: filed %d demo letters signed with the trusted profile, %d forms (family card, complaints, reports) and 2 documents for the quarantine into %s\n",
		demoLetters, len(forms), cfg.EpuapBoxAddress)
	return nil
}

// startEDeliverySim serves the simulated e-Doręczenia at devEDeliveryAddr until ctx ends,
// with the office's mailbox, the demo parties' and obieg as its client, and points svc's
// configuration at it; its state is kept in the development directory.
func startEDeliverySim(ctx context.Context, svc *app.Services, cfg config.Config, logger *slog.Logger) (*edoreczeniasim.Simulator, error) {
	store, err := edoreczeniasim.OpenFileStore(filepath.Join(cfg.DevDir, "edoreczenia-sim"))
	if err != nil {
		return nil, err
	}
	sim := edoreczeniasim.New(store, time.Now, logger.With("component", "edoreczenia-sim"))
	if _, err := sim.CreateMailbox(ctx, devOfficeADE, cfg.OfficeName); err != nil {
		return nil, err
	}
	for _, p := range devPartyADEs {
		if _, err := sim.CreateMailbox(ctx, p.Address, p.Name); err != nil {
			return nil, err
		}
	}
	secret := rand.Text()
	if err := sim.RegisterClient(edoreczeniasim.Client{ID: "obieg-dev", Secret: secret, Addresses: []string{devOfficeADE},
		Scopes: []string{edoreczenia.ScopeReadMessages, edoreczenia.ScopeWriteMessages, edoreczenia.ScopeReadSettings, edoreczenia.ScopeWriteSettings}}); err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", devEDeliveryAddr)
	if err != nil {
		return nil, fmt.Errorf("e-Doręczenia simulator: %w", err)
	}
	cl, err := net.Listen("tcp", devEDeliveryControlAddr)
	if err != nil {
		l.Close()
		return nil, fmt.Errorf("e-Doręczenia simulator's control routes: %w", err)
	}
	srv := &http.Server{Handler: sim.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l)
	ctlSrv := &http.Server{Handler: sim.ControlHandler(), ReadHeaderTimeout: 10 * time.Second}
	go ctlSrv.Serve(cl)
	// Items left uncollected are deemed delivered, and their callbacks made, on the tick.
	go func() {
		tick := time.NewTicker(time.Minute)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				srv.Close()
				ctlSrv.Close()
				return
			case <-tick.C:
				if err := sim.Tick(ctx); err != nil {
					logger.Warn("e-Doręczenia simulator tick", "err", err)
				}
			}
		}
	}()
	web := "http://" + cfg.HTTPAddr
	if strings.HasPrefix(cfg.HTTPAddr, ":") {
		web = "http://127.0.0.1" + cfg.HTTPAddr
	}
	c := &svc.Config
	c.EDeliveryURL, c.EDeliveryTokenURL = "http://"+devEDeliveryAddr+edoreczeniasim.APIPrefix, "http://"+devEDeliveryAddr+edoreczeniasim.TokenPath
	c.EDeliveryClientID, c.EDeliveryClientSecret, c.EDeliveryAddress = "obieg-dev", secret, devOfficeADE
	c.EDeliveryCallbackURL = web + "/callbacks/edoreczenia?token=" + rand.Text()
	return sim, nil
}

// postDemoLetters sends two letters from demo parties to a development office whose
// e-Doręczenia mailbox has received nothing yet: a plain letter with a PDF, and a complaint
// with the centre's XML form.
func postDemoLetters(ctx context.Context, sim *edoreczeniasim.Simulator, out io.Writer) error {
	content, err := sim.Messages(ctx, devOfficeADE)
	if err != nil || len(content) > 0 {
		return err
	}
	const text = "Dzień dobry, proszę o informację, kiedy zostanie rozpatrzony mój wniosek o Kartę Dużej Rodziny złożony w zeszłym miesiącu."
	doc := pdfdoc.New("Prośba o informację", devPartyADEs[0].Name, devPartyADEs[0].Name, func(page int) string { return fmt.Sprintf("strona %d", page) })
	doc.Heading(14, "Prośba o informację o terminie rozpatrzenia wniosku")
	doc.Paragraph(text)
	doc.Right(devPartyADEs[0].Name)
	pdf, err := doc.Bytes()
	if err != nil {
		return err
	}
	if _, err := sim.Post(ctx, devPartyADEs[0].Address, edoreczeniasim.Draft{To: devOfficeADE, Subject: "Prośba o informację o terminie rozpatrzenia wniosku",
		Text: text + " " + devPartyADEs[0].Name}, edoreczeniasim.Attachment{Name: "pismo.pdf", ContentType: "application/pdf", Data: pdf}); err != nil {
		return err
	}
	// An ordinary complaint: the samples' defects (anonymous, misdirected) are shown by the
	// ePUAP demo forms.
	seed := time.Now().Unix()
	for compose.RandomComplaint(seed).Defect != compose.DefectNone {
		seed++
	}
	if _, err := sim.Post(ctx, devPartyADEs[2].Address, edoreczeniasim.Draft{To: devOfficeADE, Subject: "Skarga na działanie ośrodka", Text: "W załączeniu skarga."},
		edoreczeniasim.Attachment{Name: "skarga.xml", ContentType: "application/xml", Data: compose.RandomComplaint(seed).XML()}); err != nil {
		return err
	}
	fmt.Fprintf(out, "obieg-dev: posted 2 demo letters into the office's e-Doręczenia mailbox %s\n", devOfficeADE)
	return nil
}

func printWelcome(out io.Writer, cfg config.Config, stack *devstack.Stack, simulated, edSimulated bool) {
	web := "http://" + cfg.HTTPAddr
	if strings.HasPrefix(cfg.HTTPAddr, ":") {
		web = "http://127.0.0.1" + cfg.HTTPAddr
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nobieg is running. Ctrl-C stops everything.")
	fmt.Fprintln(tw, "")
	fmt.Fprintf(tw, "  obieg (cases)\t%s/sprawy\n", web)
	fmt.Fprintf(tw, "  obieg API\t%s/api/v1/cases\n", web)
	if stack.TemporalUIURL != "" {
		fmt.Fprintf(tw, "  Temporal UI\t%s/namespaces/%s/workflows\n", stack.TemporalUIURL, cfg.TemporalNamespace)
	}
	if stack.MinIOConsoleURL != "" {
		fmt.Fprintf(tw, "  MinIO console\t%s  (login %s / %s)\n", stack.MinIOConsoleURL, cfg.S3AccessKey, cfg.S3SecretKey)
	}
	if simulated {
		fmt.Fprintf(tw, "  ePUAP simulator\thttp://%s/sim/  (pull service http://%s/pk_external_ws/services/pull?wsdl)\n", devSimulatorAddr, devSimulatorAddr)
		fmt.Fprintf(tw, "    competent body's box\t%s  (forward a case there; collect with curl -X POST http://%s/sim/epuap/doreczenia/{zlecenie}/odbior)\n",
			epuapsim.BoxAddress(devBodyPodmiot, "skrytka"), devSimulatorAddr)
	}
	if edSimulated {
		fmt.Fprintf(tw, "  e-Doręczenia API\thttp://%s%s/%s/  (token http://%s%s)\n", devEDeliveryAddr, edoreczeniasim.APIPrefix, devOfficeADE, devEDeliveryAddr, edoreczeniasim.TokenPath)
		fmt.Fprintf(tw, "  e-Doręczenia simulator\thttp://%s%s/  (control routes, no token: office %s)\n", devEDeliveryControlAddr, edoreczeniasim.SimPrefix, devOfficeADE)
		for _, p := range devPartyADEs {
			fmt.Fprintf(tw, "    party mailbox\t%s  %s\n", p.Address, p.Name)
		}
		fmt.Fprintf(tw, "    collect a letter\tcurl -X POST http://%s%s/mailboxes/{address}/messages/{id}/collect\n", devEDeliveryControlAddr, edoreczeniasim.SimPrefix)
		fmt.Fprintf(tw, "    let 14 days pass\tcurl -X POST 'http://%s%s/clock/advance?by=336h'\n", devEDeliveryControlAddr, edoreczeniasim.SimPrefix)
	}
	fmt.Fprintf(tw, "  PostgreSQL\t%s\n", stack.DatabaseURL)
	fmt.Fprintln(tw, "")
	fmt.Fprintf(tw, "  Demo users, each with the password %s (change them with SQL before showing this to anyone):\n", demo.Password)
	for _, u := range demo.Users {
		unit := u.Unit
		if unit == "" {
			unit = "—"
		}
		fmt.Fprintf(tw, "    %s\t%s\t%s, %s\n", u.Username, u.Role, u.FullName, unit)
	}
	tw.Flush()
}
