package epuapsim

import (
	"github.com/obieg/obieg/internal/dev/simulator/faults"

	"context"
	"crypto/x509"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/obieg/obieg/internal/adapters/soap"
	"github.com/obieg/obieg/internal/adapters/wssec"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// service is one SOAP service of the simulator (pull, skrytka, FileRepo).
type service struct {
	name       string // for logs
	wsdl       string // contract served at ?wsdl
	maxRequest int64
	ops        []operation
	// faultDetail names the element of fault details; zero is ob:Wyjatek.
	faultDetail xml.Name
}

// operation is one operation of a service, chosen by SOAPAction and body element.
type operation struct {
	action  string
	element xml.Name
	serve   func(s *Simulator, ctx context.Context, r *request) (xml.Name, any, error)
}

// request is a parsed SOAP request with the certificate that signed it (nil when
// WS-Security is off).
type request struct {
	env  *soap.Envelope
	cert *x509.Certificate
	op   operation
}

// requestError is a request the simulator refuses, answered with a Client fault.
type requestError struct {
	kod int
	err error
}

// Error and Unwrap make a requestError an error wrapping its cause.
func (e *requestError) Error() string { return e.err.Error() }
func (e *requestError) Unwrap() error { return e.err }

func badRequest(kod int, format string, args ...any) error {
	return &requestError{kod: kod, err: fmt.Errorf(format, args...)}
}

// pickOperation chooses the operation by SOAPAction, or by the body element when the
// action is empty; a non-empty action must agree with the body.
func (sv *service) pickOperation(action string, body xml.Name) (operation, error) {
	for _, op := range sv.ops {
		if action != "" && action != op.action {
			continue
		}
		if body != op.element {
			if action != "" {
				return operation{}, badRequest(KodBladZapytania, "SOAPAction %s needs a body of %s, not {%s}%s", action, shortName(op.element), body.Space, body.Local)
			}
			continue
		}
		return op, nil
	}
	if action != "" {
		return operation{}, badRequest(KodBladZapytania, "unknown SOAPAction %q", action)
	}
	return operation{}, badRequest(KodBladZapytania, "unknown operation {%s}%s", body.Space, body.Local)
}

// shortName writes an element name as ob:Local in the ePUAP objects namespace, {space}local
// otherwise.
func shortName(n xml.Name) string {
	if n.Space == schema.NS {
		return "ob:" + n.Local
	}
	return "{" + n.Space + "}" + n.Local
}

// parseRequest reads and checks a request up to dispatch: the envelope, its WS-Security
// header, the operation. It is what the fuzz targets exercise.
func (s *Simulator) parseRequest(sv *service, r *http.Request) (*request, error) {
	env, err := soap.ReadMessage(r.Body, sv.maxRequest)
	if err != nil {
		return nil, badRequest(KodBladZapytania, "read request: %w", err)
	}
	cert, err := s.checkHeader(env)
	if err != nil {
		return nil, err
	}
	// FileRepo's WSDL gives an empty SOAPAction: "" and `""` both mean "by body".
	op, err := sv.pickOperation(soap.Action(r), env.BodyName)
	if err != nil {
		return nil, err
	}
	return &request{env: env, cert: cert, op: op}, nil
}

// checkHeader verifies the WS-Security signature of a request when the simulator checks
// them: it must be signed as ePUAP requires (see package wssec) with a certificate that
// some office registered. Which office the certificate may act for is checked by
// authorize once the request's podmiot is known.
func (s *Simulator) checkHeader(env *soap.Envelope) (*x509.Certificate, error) {
	if !s.security {
		return nil, nil
	}
	v, err := wssec.Verify(env.Raw, wssec.Options{Now: s.now(), Trusted: s.registered})
	if err != nil {
		return nil, &requestError{kod: KodBladPodpisu, err: fmt.Errorf("WS-Security: %w", err)}
	}
	return v.Certificate, nil
}

// registered accepts a certificate that some office registered.
func (s *Simulator) registered(cert *x509.Certificate) error {
	s.certMu.RLock()
	defer s.certMu.RUnlock()
	for _, pins := range s.certs {
		if pins.Contains(cert) {
			return nil
		}
	}
	return errors.New("not registered by any office")
}

// authorize checks that cert is registered for podmiot (nothing to check with
// WS-Security off).
func (s *Simulator) authorize(podmiot string, cert *x509.Certificate) error {
	if !s.security {
		return nil
	}
	s.certMu.RLock()
	defer s.certMu.RUnlock()
	if !s.certs[podmiot].Contains(cert) {
		name := "<none>"
		if cert != nil {
			name = cert.Subject.CommonName
		}
		return badRequest(KodBrakUprawnien, "certificate %q is not registered for podmiot %q", name, podmiot)
	}
	return nil
}

// RegisterCertificate records cert as a system certificate of podmiot: requests signed
// with it may act for podmiot. Registering it again does nothing.
func (s *Simulator) RegisterCertificate(podmiot string, cert *x509.Certificate) error {
	if err := checkName(podmiot); err != nil {
		return fmt.Errorf("register certificate: podmiot: %w", err)
	}
	if cert == nil {
		return fmt.Errorf("register certificate for %s: %w: no certificate", podmiot, ErrInvalid)
	}
	s.certMu.Lock()
	defer s.certMu.Unlock()
	if s.certs[podmiot] == nil {
		s.certs[podmiot] = wssec.NewPins()
	}
	s.certs[podmiot].Add(cert)
	return nil
}

// Certificate returns the certificate the simulator signs its answers with, nil when it
// does not sign them: what a client pins.
func (s *Simulator) Certificate() *x509.Certificate {
	if s.signer == nil {
		return nil
	}
	return s.signer.Cert
}

// serveSOAP serves one SOAP request to sv: the WSDL on GET ?wsdl, otherwise injected faults,
// parsing, WS-Security, dispatch, and a (signed) answer or fault.
func (s *Simulator) serveSOAP(sv *service, w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		if r.URL.Query().Has("wsdl") || strings.EqualFold(r.URL.RawQuery, "wsdl") {
			s.serveWSDL(w, r, sv.wsdl)
			return
		}
		http.Error(w, "ePUAP "+sv.name+" service (SOAP 1.1); WSDL at ?wsdl", http.StatusMethodNotAllowed)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if err := faults.Delay(r.Context(), s.faults.Get().Latency); err != nil {
		return
	}
	if s.faults.Roll(func(f Faults) float64 { return f.Error500 }) {
		http.Error(w, "symulowany błąd serwera (wstrzyknięty)", http.StatusInternalServerError)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, sv.maxRequest+1)
	req, err := s.parseRequest(sv, r)
	if err == nil {
		var name xml.Name
		var resp any
		name, resp, err = req.op.serve(s, r.Context(), req)
		if err == nil {
			if req.op.element.Local == "ZapytaniePullPobierz" && s.faults.Roll(func(f Faults) float64 { return f.DropAfterNext }) {
				dropConnection(w)
				return
			}
			out, merr := soap.Marshal(name, resp)
			if merr == nil {
				s.writeEnvelope(w, r, http.StatusOK, out)
				return
			}
			err = merr
		}
	}
	s.writeFault(w, r, sv, err)
}

// dropConnection closes the client's connection without an answer, after the request has
// been served: the client cannot tell whether it was.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // not hijackable (HTTP/2, a recorder): abort the answer
	}
	_ = conn.Close()
}

// writeEnvelope writes env, signed when the simulator signs its answers.
func (s *Simulator) writeEnvelope(w http.ResponseWriter, r *http.Request, code int, env []byte) {
	if s.signer != nil {
		signed, err := s.signer.Sign(env)
		if err != nil {
			s.log.ErrorContext(r.Context(), "sign answer", "err", err)
			http.Error(w, "błąd wewnętrzny symulatora", http.StatusInternalServerError)
			return
		}
		env = signed
	}
	soap.WriteMessage(w, code, env)
}

func (s *Simulator) writeFault(w http.ResponseWriter, r *http.Request, sv *service, err error) {
	var re *requestError
	var f *soap.Fault
	switch {
	case errors.As(err, &re):
		f = &soap.Fault{Code: soap.FaultClient, String: "Nieprawidłowe zapytanie", HasWyjatek: true, Kod: re.kod, Komunikat: re.Error()}
		s.log.InfoContext(r.Context(), sv.name+" request refused", "action", soap.Action(r), "kod", f.Kod, "komunikat", f.Komunikat)
	default:
		s.log.ErrorContext(r.Context(), sv.name+" request failed", "action", soap.Action(r), "err", err)
		f = &soap.Fault{Code: soap.FaultServer, String: "Błąd systemu", HasWyjatek: true, Kod: KodBladSystemu, Komunikat: "Wewnętrzny błąd symulatora ePUAP"}
	}
	f.Detail = sv.faultDetail
	env, merr := soap.MarshalFault(f)
	if merr != nil {
		s.log.ErrorContext(r.Context(), "marshal fault", "err", merr)
		http.Error(w, "błąd wewnętrzny symulatora", http.StatusInternalServerError)
		return
	}
	s.writeEnvelope(w, r, http.StatusInternalServerError, env)
}
