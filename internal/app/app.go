// Package app assembles obieg's processes from their parts: it connects to the services a
// configuration names (PostgreSQL, Temporal, S3), builds the Temporal worker with every
// workflow and activity, the web server, and the intake of the office's ePUAP box. The
// commands of cmd/obieg call it; `obieg-dev` adds the development stack around it.
package app

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"github.com/alexedwards/scs/pgxstore"

	"github.com/obieg/obieg/activities"
	"github.com/obieg/obieg/internal/adapters/archivestore"
	"github.com/obieg/obieg/internal/adapters/db"
	"github.com/obieg/obieg/internal/adapters/edoreczenia"
	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/adapters/s3"
	"github.com/obieg/obieg/internal/adapters/wssec"
	"github.com/obieg/obieg/internal/config"
	"github.com/obieg/obieg/internal/domain/complaints"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/domain/lifecycle"
	"github.com/obieg/obieg/internal/domain/problem"
	"github.com/obieg/obieg/internal/records/audit"
	"github.com/obieg/obieg/internal/records/auth"
	"github.com/obieg/obieg/internal/records/cases"
	"github.com/obieg/obieg/internal/records/deliveries"
	"github.com/obieg/obieg/internal/records/extracts"
	"github.com/obieg/obieg/internal/records/institutions"
	"github.com/obieg/obieg/internal/records/plan"
	"github.com/obieg/obieg/internal/records/register"
	"github.com/obieg/obieg/internal/signatures/xades"
	"github.com/obieg/obieg/internal/web"
	"github.com/obieg/obieg/workflows"
)

// Services are the connections of one obieg process.
type Services struct {
	Config   config.Config
	Logger   *slog.Logger
	Pool     *pgxpool.Pool
	Temporal client.Client
	Blob     *s3.Client

	sessions *pgxstore.PostgresStore // made by WebHandler, stopped by Close

	// The archive bucket's store, made by ArchiveStore, and its last probe.
	archiveOnce sync.Once
	archive     *archivestore.Store
	archiveErr  error
	probe       archiveProbe

	// ValidationData, when set, gives the revocation data of the office's signing certificate
	// to embed in its signatures (the test PKI of obieg-dev and the tests).
	ValidationData func(ctx context.Context, at time.Time) (ocsps, crls [][]byte, err error)

	// Doreczyciel and EpuapCerts, when set, are the office's ePUAP doręczyciel client and
	// ePUAP's pinned signing certificates that check the UPDs (the simulator's in obieg-dev
	// and the tests); otherwise NewWorker makes them from EPUAP_DORECZYCIEL_URL,
	// EPUAP_KEY_FILE and EPUAP_SIGNING_CERT.
	Doreczyciel activities.Doreczyciel
	EpuapCerts  []*x509.Certificate
}

// Connect opens the database pool, the Temporal client and the S3 client that cfg names.
func Connect(ctx context.Context, cfg config.Config, logger *slog.Logger) (*Services, error) {
	s := &Services{Config: cfg, Logger: logger}
	var err error
	if s.Pool, err = db.Open(ctx, cfg.DatabaseURL); err != nil {
		return nil, err
	}
	s.Temporal, err = client.DialContext(ctx, client.Options{
		HostPort:  cfg.TemporalAddress,
		Namespace: cfg.TemporalNamespace,
		Logger:    tlog.NewStructuredLogger(logger.With("component", "temporal")),
	})
	if err != nil {
		s.Pool.Close()
		return nil, fmt.Errorf("connect to Temporal at %s: %w", cfg.TemporalAddress, err)
	}
	s.Blob, err = s3.New(s3.Options{
		Endpoint: cfg.S3Endpoint, AccessKey: cfg.S3AccessKey, SecretKey: cfg.S3SecretKey,
		Region: cfg.S3Region, Secure: cfg.S3Secure,
	})
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close closes every connection.
func (s *Services) Close() {
	if s.sessions != nil {
		s.sessions.StopCleanup()
	}
	if s.Temporal != nil {
		s.Temporal.Close()
	}
	if s.Pool != nil {
		s.Pool.Close()
	}
}

// EnsureBuckets creates the buckets obieg needs: raw submissions, produced documents, and the
// archive with object lock.
func (s *Services) EnsureBuckets(ctx context.Context) error {
	for _, b := range []string{s.Config.RawBucket, s.Config.DocumentsBucket} {
		if err := s.Blob.EnsureBucket(ctx, b, false); err != nil {
			return err
		}
	}
	return s.Blob.EnsureBucket(ctx, s.Config.ArchiveBucket, true)
}

// Box returns the pull client of the office's ePUAP box at pullURL; opts are usually
// EpuapSecurity's.
func (s *Services) Box(pullURL string, opts ...epuap.Option) *epuap.PullClient {
	return epuap.NewPullClient(pullURL, &http.Client{Timeout: 5 * time.Minute}, epuap.Box{
		Podmiot: s.Config.EpuapPodmiot, Name: s.Config.EpuapBoxName, Address: s.Config.EpuapBoxAddress,
	}, opts...)
}

// Files returns the FileRepo client of the office at url, or nil when url is empty: large
// attachments are then listed but not fetched.
func (s *Services) Files(url string, opts ...epuap.Option) activities.FileRepo {
	if url == "" {
		return nil
	}
	return epuap.NewFileRepoClient(url, &http.Client{Timeout: 5 * time.Minute}, s.Config.EpuapPodmiot, opts...)
}

// EpuapSecurity loads the configured ePUAP system key (EPUAP_KEY_FILE) and pinned
// response-signing certificates (EPUAP_SIGNING_CERT) as client options; none when no key is
// configured.
func (s *Services) EpuapSecurity() ([]epuap.Option, error) {
	if s.Config.EpuapKeyFile == "" {
		return nil, nil
	}
	signer, err := wssec.LoadSigner(s.Config.EpuapKeyFile, s.Config.EpuapKeyPassword)
	if err != nil {
		return nil, fmt.Errorf("EPUAP_KEY_FILE: %w", err)
	}
	certs, err := wssec.LoadCertificates(s.Config.EpuapSigningCert)
	if err != nil {
		return nil, fmt.Errorf("EPUAP_SIGNING_CERT: %w", err)
	}
	return []epuap.Option{epuap.WithSigner(signer), epuap.WithPinnedCertificates(certs...)}, nil
}

// NewWorker returns a worker on the configured task queue with every workflow and activity
// registered; box is the ePUAP box the intake activities pull from, trust gives the
// signature verification options (LoadTrust).
func (s *Services) NewWorker(ctx context.Context, box activities.PullBox, files activities.FileRepo, trust func(time.Time) xades.Options) (worker.Worker, error) {
	competence, err := s.competence(ctx)
	if err != nil {
		return nil, err
	}
	signer, tsa, err := s.signer()
	if err != nil {
		return nil, err
	}
	validationData := s.ValidationData
	if validationData == nil && signer != nil && len(signer.Chain()) > 0 {
		if f := revocationFetcher(s.Config); f != nil {
			// The office's own certificate: its status fetched at signing time goes into
			// the signature, so that it verifies without fetching.
			cert, issuer := signer.Certificate(), signer.Chain()[0]
			validationData = func(ctx context.Context, _ time.Time) ([][]byte, [][]byte, error) {
				ocsp, crl, err := f.Fetch(ctx, cert, issuer)
				if err != nil {
					return nil, nil, err
				}
				var ocsps, crls [][]byte
				if ocsp != nil {
					ocsps = append(ocsps, ocsp)
				}
				if crl != nil {
					crls = append(crls, crl)
				}
				return ocsps, crls, nil
			}
		}
	}
	dlv := &activities.Delivery{Deliveries: deliveries.New(s.Pool), Cases: cases.New(s.Pool), Blob: s.Blob, Bucket: s.Config.DocumentsBucket,
		Trust: trust}
	edc, err := s.EDelivery()
	if err != nil {
		return nil, err
	}
	var mailbox *activities.Mailbox
	if edc != nil {
		dlv.Client = edc
		mailbox = &activities.Mailbox{Inbox: edc, Address: s.Config.EDeliveryAddress, Registry: register.New(s.Pool), Blob: s.Blob, RawBucket: s.Config.RawBucket,
			Temporal: s.Temporal, TaskQueue: s.Config.TaskQueue, SubmissionWorkflow: workflows.SubmissionName, IDPrefix: s.Config.WorkflowIDPrefix}
	}
	fwd, err := s.forwarding()
	if err != nil {
		return nil, err
	}
	w := worker.New(s.Temporal, s.Config.TaskQueue, worker.Options{})
	lim := s.formLimits()
	workflows.RegisterWorkflows(w)
	activities.Register(w,
		&activities.Intake{
			Box: box, Blob: s.Blob, RawBucket: s.Config.RawBucket, Temporal: s.Temporal,
			TaskQueue: s.Config.TaskQueue, SubmissionWorkflow: workflows.SubmissionName, IDPrefix: s.Config.WorkflowIDPrefix,
			Files: files, Limits: lim,
		},
		&activities.Submission{
			Registry: register.New(s.Pool), Cases: cases.New(s.Pool), Routing: plan.New(s.Pool),
			Blob: s.Blob, Extracts: extracts.New(s.Blob, lim), Limits: lim, Trust: trust,
		},
		&activities.Case{Cases: cases.New(s.Pool), Users: auth.New(s.Pool), Blob: s.Blob, Extracts: extracts.New(s.Blob, lim), Bucket: s.Config.DocumentsBucket,
			Office: s.Config.OfficeName, Place: s.Config.OfficePlace, Limits: lim, Competence: competence, Institutions: institutions.New(s.Pool),
			Registry: register.New(s.Pool), Signer: signer, TSA: tsa, ValidationData: validationData},
		dlv, fwd, mailbox)
	return w, nil
}

// forwarding returns the activities that forward cases to other public bodies through ePUAP's
// doręczyciel and take in their UPDs.
func (s *Services) forwarding() (*activities.Forwarding, error) {
	f := &activities.Forwarding{Deliveries: deliveries.New(s.Pool), Cases: cases.New(s.Pool), Registry: register.New(s.Pool),
		Blob: s.Blob, RawBucket: s.Config.RawBucket, DocumentsBucket: s.Config.DocumentsBucket,
		Client: s.Doreczyciel, ReplyBox: s.Config.EpuapBoxAddress, Certs: s.EpuapCerts}
	if f.Certs == nil && s.Config.EpuapSigningCert != "" {
		certs, err := wssec.LoadCertificates(s.Config.EpuapSigningCert)
		if err != nil {
			return nil, fmt.Errorf("EPUAP_SIGNING_CERT: %w", err)
		}
		f.Certs = certs
	}
	if f.Client == nil && s.Config.EpuapDoreczycielURL != "" {
		opts, err := s.EpuapSecurity()
		if err != nil {
			return nil, err
		}
		f.Client = s.DoreczycielClient(s.Config.EpuapDoreczycielURL, opts...)
	}
	return f, nil
}

// DoreczycielClient returns the office's client of ePUAP's doręczyciel service at url; opts
// are usually EpuapSecurity's.
func (s *Services) DoreczycielClient(url string, opts ...epuap.Option) *epuap.DoreczycielClient {
	return epuap.NewDoreczycielClient(url, &http.Client{Timeout: 5 * time.Minute}, s.Config.EpuapPodmiot, opts...)
}

// EDelivery returns the client of the office's e-Doręczenia mailbox (EDORECZENIA_*), or nil
// when none is configured: signed letters are then delivered by other means and recorded by
// hand. The client authenticates with EDORECZENIA_CLIENT_SECRET or with JWTs signed by the
// key in the file EDORECZENIA_CLIENT_KEY, read here.
func (s *Services) EDelivery() (*edoreczenia.Client, error) {
	if s.Config.EDeliveryURL == "" {
		return nil, nil
	}
	cfg := edoreczenia.Config{
		BaseURL: s.Config.EDeliveryURL, TokenURL: s.Config.EDeliveryTokenURL,
		ClientID: s.Config.EDeliveryClientID, ClientSecret: s.Config.EDeliveryClientSecret, KeyID: s.Config.EDeliveryClientKeyID,
		Scopes:  []string{edoreczenia.ScopeReadMessages, edoreczenia.ScopeWriteMessages, edoreczenia.ScopeReadSettings, edoreczenia.ScopeWriteSettings},
		Address: s.Config.EDeliveryAddress,
	}
	if s.Config.EDeliveryClientKey != "" {
		pemData, err := os.ReadFile(s.Config.EDeliveryClientKey)
		if err != nil {
			return nil, fmt.Errorf("EDORECZENIA_CLIENT_KEY: %w", err)
		}
		if cfg.Key, err = edoreczenia.LoadKey(pemData); err != nil {
			return nil, fmt.Errorf("EDORECZENIA_CLIENT_KEY %s: %w", s.Config.EDeliveryClientKey, err)
		}
	}
	c, err := edoreczenia.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("EDORECZENIA_*: %w", err)
	}
	return c, nil
}

// SubscribeCallbacks asks e-Doręczenia to call EDORECZENIA_CALLBACK_URL when an evidence
// about a sent letter is issued and when a letter arrives, if both are configured; the URL
// gets an event parameter for each. Subscribing again replaces the subscription: every start
// of the server may call it.
func (s *Services) SubscribeCallbacks(ctx context.Context) error {
	c, err := s.EDelivery()
	if err != nil || c == nil || s.Config.EDeliveryCallbackURL == "" {
		return err
	}
	urls := map[edoreczenia.Event]string{}
	for _, e := range []edoreczenia.Event{edoreczenia.OnEvidence, edoreczenia.OnMessage} {
		u, err := url.Parse(s.Config.EDeliveryCallbackURL)
		if err != nil {
			return fmt.Errorf("EDORECZENIA_CALLBACK_URL: %w", err)
		}
		q := u.Query()
		q.Set("event", string(e))
		u.RawQuery = q.Encode()
		urls[e] = u.String()
	}
	if _, err := c.SubscribeEach(ctx, urls); err != nil {
		return fmt.Errorf("subscribe to e-Doręczenia callbacks: %w", err)
	}
	return nil
}

// StartMailboxIntake makes sure the intake workflow of the office's e-Doręczenia mailbox runs,
// if one is configured; it returns the workflow's id, or "" when none is.
func (s *Services) StartMailboxIntake(ctx context.Context) (string, error) {
	if s.Config.EDeliveryURL == "" {
		return "", nil
	}
	return s.keepRunning(ctx, workflows.MailboxIntakeWorkflowID(s.Config.WorkflowIDPrefix, s.Config.EDeliveryAddress),
		workflows.MailboxIntakeName, workflows.MailboxIntakeInput{Address: s.Config.EDeliveryAddress, Interval: s.Config.EDeliveryIntakeInterval})
}

// signer loads the office's signing key and certificates (OBIEG_SIGNING_KEY,
// OBIEG_SIGNING_CERTS) and the time-stamping authority (OBIEG_TSA_URL); none is configured,
// nil: the office then cannot sign, and says so when asked to.
func (s *Services) signer() (xades.Signer, xades.TSA, error) {
	var tsa xades.TSA
	if s.Config.TSAURL != "" {
		tsa = &xades.HTTPTSA{URL: s.Config.TSAURL, Client: &http.Client{Timeout: time.Minute}}
	}
	if s.Config.SigningKey == "" {
		return nil, tsa, nil
	}
	key, err := os.ReadFile(s.Config.SigningKey)
	if err != nil {
		return nil, nil, fmt.Errorf("OBIEG_SIGNING_KEY: %w", err)
	}
	certs, err := os.ReadFile(s.Config.SigningCerts)
	if err != nil {
		return nil, nil, fmt.Errorf("OBIEG_SIGNING_CERTS: %w", err)
	}
	signer, err := xades.LoadPKCS8(key, certs)
	if err != nil {
		return nil, nil, fmt.Errorf("the office's signing key: %w", err)
	}
	return signer, tsa, nil
}

// competence is what the centre handles itself, for classifying complaints: its name and the
// names of its units.
func (s *Services) competence(ctx context.Context) (complaints.Competence, error) {
	rows, err := s.Pool.Query(ctx, `SELECT name FROM units ORDER BY code`)
	if err != nil {
		return complaints.Competence{}, fmt.Errorf("names of the units: %w", err)
	}
	units, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return complaints.Competence{}, fmt.Errorf("names of the units: %w", err)
	}
	return complaints.Competence{Names: append([]string{s.Config.OfficeName}, units...)}, nil
}

// StartIntake makes sure the intake workflow of the office's box runs: it starts one, or
// leaves the running one alone.
func (s *Services) StartIntake(ctx context.Context) (string, error) {
	return s.keepRunning(ctx, workflows.IntakeWorkflowID(s.Config.WorkflowIDPrefix, s.Config.EpuapBoxAddress),
		workflows.IntakeName, workflows.IntakeInput{Box: s.Config.EpuapBoxAddress, Interval: s.Config.IntakeInterval})
}

// keepRunning starts the long-running workflow id (registered as name, with input) unless it
// runs already, and returns its id.
func (s *Services) keepRunning(ctx context.Context, id, name string, input any) (string, error) {
	run, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       id,
		TaskQueue:                s.Config.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
	}, name, input)
	if err != nil {
		return "", fmt.Errorf("start %s: %w", id, err)
	}
	return run.GetID(), nil
}

// WebHandler returns the web server's handler, with sign-in sessions kept in PostgreSQL.
func (s *Services) WebHandler() (http.Handler, error) {
	if s.sessions == nil {
		s.sessions = pgxstore.NewWithCleanupInterval(s.Pool, 30*time.Minute)
	}
	return web.New(web.Deps{
		Cases:           cases.New(s.Pool),
		CaseFiles:       cases.New(s.Pool),
		Actions:         caseActions{tc: s.Temporal, prefix: s.Config.WorkflowIDPrefix},
		Registry:        register.New(s.Pool),
		Targets:         plan.New(s.Pool),
		Rules:           plan.New(s.Pool),
		Plan:            plan.New(s.Pool),
		Institutions:    institutions.New(s.Pool),
		Accounts:        auth.New(s.Pool),
		SubActions:      submissionActions{tc: s.Temporal},
		Submissions:     register.New(s.Pool),
		Users:           auth.New(s.Pool),
		Audit:           audit.New(s.Pool),
		DB:              s.Pool,
		Sessions:        s.sessions,
		SecureCookies:   s.Config.SecureCookies,
		Office:          s.Config.OfficeName,
		Documents:       s.Blob,
		DocumentsBucket: s.Config.DocumentsBucket,
		Deliveries:      deliveries.New(s.Pool),
		EDelivery: edeliveryNotifier{tc: s.Temporal, prefix: s.Config.WorkflowIDPrefix, address: s.Config.EDeliveryAddress,
			deliveries: deliveries.New(s.Pool), cases: cases.New(s.Pool), logger: s.Logger},
		CallbackToken: callbackToken(s.Config.EDeliveryCallbackURL),
		Raw:           s.Blob,
		RawBucket:     s.Config.RawBucket,
		Extracts:      extracts.New(s.Blob, s.formLimits()),
		Archive:       s,
		FormLimits:    s.formLimits(),
		Logger:        s.Logger,
	})
}

// formLimits caps what is read of a submitted document: the intake's, the case activities'
// and the web's reading of a case's form alike.
func (s *Services) formLimits() forms.Limits {
	lim := forms.DefaultLimits
	lim.MaxBytes = s.Config.MaxDocumentBytes
	return lim
}

// callbackToken is the secret ?token= of the e-Doręczenia callback URL; "" when none is set.
func callbackToken(callbackURL string) string {
	u, err := url.Parse(callbackURL)
	if callbackURL == "" || err != nil {
		return ""
	}
	return u.Query().Get("token")
}

// edeliveryNotifier passes e-Doręczenia's callbacks on: to the case whose answer was sent as a
// message, that an evidence about it was issued; to the mailbox's intake, that a letter came.
type edeliveryNotifier struct {
	tc         client.Client
	prefix     string
	address    string // the office's mailbox
	deliveries *deliveries.Store
	cases      *cases.Store
	logger     *slog.Logger
}

var _ web.EDeliveryNotifier = edeliveryNotifier{}

// MessageArrived wakes the intake of the office's mailbox; an intake that does not run is
// passed over (it lists the mailbox when it starts).
func (n edeliveryNotifier) MessageArrived(ctx context.Context) error {
	err := n.tc.SignalWorkflow(ctx, workflows.MailboxIntakeWorkflowID(n.prefix, n.address), "", workflows.SignalMailboxWake, nil)
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		n.logger.InfoContext(ctx, "e-Doręczenia message callback: no mailbox intake runs", "address", n.address)
		return nil
	}
	return err
}

// Evidence sends the evidence update to the case that sent messageID. A message no case
// sent, or a case no longer waiting for it (a repeated callback), is logged and passed over.
func (n edeliveryNotifier) Evidence(ctx context.Context, messageID string) error {
	d, err := n.deliveries.ByMessage(ctx, messageID)
	if errors.Is(err, deliveries.ErrNotFound) {
		n.logger.InfoContext(ctx, "e-Doręczenia evidence about a message obieg did not send", "message_id", messageID)
		return nil
	}
	if err != nil {
		return err
	}
	c, err := n.cases.GetByID(ctx, d.CaseID)
	if err != nil {
		return err
	}
	var state workflows.CaseState
	err = sendUpdate(ctx, n.tc, workflows.CaseWorkflowID(n.prefix, c.Reference), workflows.UpdateEvidence,
		workflows.EvidenceInput{MessageID: messageID}, &state)
	if errors.Is(err, web.ErrActionRefused) {
		n.logger.InfoContext(ctx, "e-Doręczenia evidence passed over", "message_id", messageID, "case", c.Reference, "reason", err.Error())
		return nil
	}
	return err
}

// Serve runs the web server on addr until ctx ends, then shuts it down gracefully.
func Serve(ctx context.Context, addr string, h http.Handler, logger *slog.Logger) error {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return fmt.Errorf("web server on %s: %w", addr, err)
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Warn("web server shutdown", "err", err)
	}
	return nil
}

// caseActions carries people's actions on cases to the cases' workflows as updates.
type caseActions struct {
	tc     client.Client
	prefix string // config WorkflowIDPrefix
}

var _ web.CaseActions = caseActions{}

// Act sends the update req.Action to the workflow of case ref and waits for its outcome. The
// action table (package lifecycle) names the actions people do and makes each one's input.
func (a caseActions) Act(ctx context.Context, ref string, req web.ActionRequest) (string, error) {
	act, ok := lifecycle.Lookup(req.Action)
	if !ok || !act.ByPeople() {
		return "", fmt.Errorf("%w: %q", web.ErrNoSuchAction, req.Action)
	}
	actor := workflows.Actor{Username: req.Actor.Username, Name: req.Actor.FullName, Position: req.Actor.Position,
		Role: string(req.Actor.Role), Unit: req.Actor.Unit}
	arg := act.Input.From(actor, lifecycle.Request{Assignee: req.Assignee, Instructions: req.Instructions, Note: req.Note,
		Items: req.Items, Days: req.Days, Summary: req.Summary, Body: req.Body, Reason: req.Reason, Date: req.Date,
		Method: req.Method, Address: req.Address, BoxAddress: req.BoxAddress, Kind: req.Kind, Basis: req.Basis,
		Ruling: req.Ruling, Title: req.Title, Instruction: req.Instruction})
	var state workflows.CaseState
	if err := sendUpdate(ctx, a.tc, workflows.CaseWorkflowID(a.prefix, ref), act.Name, arg, &state); err != nil {
		return "", err
	}
	return string(state.Stage), nil
}

// submissionActions carries the registry clerk's decisions to the submissions' workflows.
type submissionActions struct{ tc client.Client }

var _ web.SubmissionActions = submissionActions{}

// ActOnSubmission sends req as an update to the submission workflow workflowID.
func (a submissionActions) ActOnSubmission(ctx context.Context, workflowID string, req web.SubmissionRequest) (string, error) {
	actor := workflows.Actor{Username: req.Actor.Username, Name: req.Actor.FullName, Position: req.Actor.Position,
		Role: string(req.Actor.Role), Unit: req.Actor.Unit}
	var arg any
	switch req.Action {
	case workflows.UpdateRouteSubmission:
		arg = workflows.RouteInput{Actor: actor, Unit: req.Unit, Class: req.Class, Title: req.Title}
	case workflows.UpdateDismissSubmission:
		arg = workflows.DismissInput{Actor: actor, Note: req.Note}
	default:
		return "", fmt.Errorf("%w: %q", web.ErrNoSuchAction, req.Action)
	}
	var res workflows.SubmissionResult
	if err := sendUpdate(ctx, a.tc, workflowID, req.Action, arg, &res); err != nil {
		return "", err
	}
	return res.Stage, nil
}

// sendUpdate sends an update to a workflow and waits for its outcome. A refusal by the
// workflow, or a workflow that has ended, is of kind problem.Refused with the reason in Polish
// and wraps web.ErrActionRefused; another failure that carries a kind across Temporal (see
// activities.ProblemOf) keeps it, with its message and fields.
func sendUpdate(ctx context.Context, tc client.Client, workflowID, name string, arg, result any) error {
	h, err := tc.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   workflowID,
		UpdateName:   name,
		Args:         []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, result)
	}
	if err == nil {
		return nil
	}
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) { // the workflow has ended, or never existed
		return refusal("sprawa lub wpływ są już zakończone")
	}
	err = activities.ProblemOf(fmt.Errorf("%s on %s: %w", name, workflowID, err))
	if problem.KindOf(err) == problem.Refused {
		return refusal(problem.MessageOf(err))
	}
	return err
}

// refusal is a workflow's refusal of an update, for the reason why (in Polish): of kind
// problem.Refused, wrapping web.ErrActionRefused, its text "action refused: " and the reason.
func refusal(reason string) error {
	msg := "Czynność odrzucona."
	if reason != "" {
		msg = "Czynność odrzucona: " + reason
	}
	return problem.NewRefused(msg, fmt.Errorf("%w: %s", web.ErrActionRefused, reason))
}
