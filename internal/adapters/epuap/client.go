package epuap

import (
	"context"
	"crypto/x509"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/obieg/obieg/internal/adapters/soap"
	"github.com/obieg/obieg/internal/adapters/wssec"
)

// Option configures a client of ePUAP (PullClient, SkrytkaClient, FileRepoClient).
type Option func(*caller)

// WithSigner makes the client sign every request with s (WS-Security, the office's system
// certificate registered in its ePUAP account).
func WithSigner(s *wssec.Signer) Option {
	return func(c *caller) { c.signer = s }
}

// WithPinnedCertificates makes the client verify the WS-Security signature of every
// answer, faults included, and accept only a signature made with one of certs (ePUAP's
// response-signing certificate, which chains to no public root). An unsigned or badly
// signed answer is then an error wrapping one of wssec's error kinds.
func WithPinnedCertificates(certs ...*x509.Certificate) Option {
	return func(c *caller) {
		c.pins = wssec.NewPins(certs...)
		c.pinned = certs
	}
}

// WithClock sets the clock against which answer certificates and timestamps are checked;
// the default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *caller) { c.now = now }
}

// caller sends requests to one ePUAP endpoint: the one place where envelopes are signed,
// sent and their answers verified.
type caller struct {
	endpoint string
	hc       *http.Client
	limit    int64
	signer   *wssec.Signer
	pins     *wssec.Pins
	pinned   []*x509.Certificate
	now      func() time.Time
}

func newCaller(endpoint string, hc *http.Client, opts []Option) caller {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := caller{endpoint: endpoint, hc: hc, limit: soap.DefaultMaxMessageSize, now: time.Now}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// ErrUnverified wraps an answer whose signature could not be verified while pinning is
// on; the wssec error kind is wrapped too, and for a fault the *soap.Fault as well. An
// unverified answer's data is never returned.
var ErrUnverified = errors.New("epuap: answer signature not verified")

// send signs body when a signer is set, posts it with action and verifies the answer when
// certificates are pinned. A Fault answer comes back as an envelope, like any other.
func (c *caller) send(ctx context.Context, action string, body []byte) (*soap.Envelope, error) {
	if c.signer != nil {
		signed, err := c.signer.Sign(body)
		if err != nil {
			return nil, fmt.Errorf("sign request: %w", err)
		}
		body = signed
	}
	env, err := soap.Call(ctx, c.hc, c.endpoint, action, body, c.limit)
	if err != nil {
		return nil, err
	}
	if c.pins != nil {
		if _, err := wssec.Verify(env.Raw, wssec.Options{Now: c.now(), Trusted: c.pins.Trusted}); err != nil {
			if env.IsFault() {
				// A fault is a refusal and carries no data, so an unverified one is still
				// reported as the fault it claims to be (errors.As finds the *soap.Fault),
				// together with ErrUnverified: a caller acting on it, such as the intake's
				// check of a lost confirmation, must confirm with a verified request.
				var f struct{}
				return nil, fmt.Errorf("%w (%w): %w", ErrUnverified, err, env.DecodeBody(&f))
			}
			return nil, fmt.Errorf("%w: %w", ErrUnverified, err)
		}
	}
	return env, nil
}

// call marshals req as the body element name, sends it and decodes the answer into resp.
func (c *caller) call(ctx context.Context, action string, name xml.Name, req, resp any) error {
	return c.callWithHeaders(ctx, action, nil, name, req, resp)
}

// callWithHeaders is call with SOAP headers.
func (c *caller) callWithHeaders(ctx context.Context, action string, headers []soap.HeaderBlock, name xml.Name, req, resp any) error {
	body, err := soap.MarshalWithHeaders(headers, name, req)
	if err != nil {
		return err
	}
	env, err := c.send(ctx, action, body)
	if err != nil {
		return err
	}
	return env.DecodeBody(resp)
}
