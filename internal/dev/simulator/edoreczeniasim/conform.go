package edoreczeniasim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/obieg/obieg/xmlschemas/edoreczenia"
)

var (
	docOnce   sync.Once
	doc       *openapi3.T
	docRouter routers.Router
	docErr    error
)

// contract loads and checks the embedded OpenAPI document once.
func contract() (*openapi3.T, routers.Router, error) {
	docOnce.Do(func() {
		doc, docErr = openapi3.NewLoader().LoadFromData(edoreczenia.OpenAPI)
		if docErr != nil {
			return
		}
		if docErr = doc.Validate(context.Background()); docErr != nil {
			return
		}
		docRouter, docErr = gorillamux.NewRouter(doc)
	})
	return doc, docRouter, docErr
}

// Conforming is an http.RoundTripper for tests that checks every request under /api/v1 and
// its answer against the OpenAPI document (uaapi_3.0.8.1.yaml) and reports each departure
// to Report: a request whose answer is below 400 must follow the document, and so must
// every answer of a status the operation declares. An error status the operation does not
// declare (the document declares at most 400: never 401, 403, 500, 503, and no error at all
// for some operations) must still carry the document's ErrorResponse body. Other paths (the
// token endpoint, /sim/) pass unchecked. A nil Base is http.DefaultTransport.
type Conforming struct {
	Base   http.RoundTripper
	Report func(error)
}

// RoundTrip sends req through Base and checks it and its answer.
func (c *Conforming) RoundTrip(req *http.Request) (*http.Response, error) {
	base := c.Base
	if base == nil {
		base = http.DefaultTransport
	}
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := base.RoundTrip(req)
	if err != nil || !strings.HasPrefix(req.URL.Path, APIPrefix+"/") {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return resp, nil
	}
	if err := checkExchange(req, reqBody, resp, body); err != nil {
		c.Report(fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err))
	}
	return resp, nil
}

func checkExchange(req *http.Request, reqBody []byte, resp *http.Response, body []byte) error {
	d, router, err := contract()
	if err != nil {
		return fmt.Errorf("OpenAPI document: %w", err)
	}
	check, _ := http.NewRequest(req.Method, req.URL.String(), bytes.NewReader(reqBody))
	check.Header = req.Header.Clone()
	route, params, err := router.FindRoute(check)
	if err != nil {
		return fmt.Errorf("not in the OpenAPI document: %w", err)
	}
	ctx := context.Background()
	in := &openapi3filter.RequestValidationInput{Request: check, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}}
	if resp.StatusCode < 400 {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			return fmt.Errorf("request does not follow the document: %w", err)
		}
	}
	if resp.StatusCode >= 400 && route.Operation.Responses.Status(resp.StatusCode) == nil {
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			return fmt.Errorf("%d answer is not JSON: %w", resp.StatusCode, err)
		}
		if err := d.Components.Responses["ErrorResponse"].Value.Content.Get("application/json").Schema.Value.VisitJSON(v); err != nil {
			return fmt.Errorf("%d answer is not an ErrorResponse: %w\n%s", resp.StatusCode, err, body)
		}
		return nil
	}
	if err := openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: in.Options,
	}); err != nil {
		return fmt.Errorf("%d answer does not follow the document: %w\n%s", resp.StatusCode, err, body)
	}
	return nil
}

// CheckStatement checks a callback body (onMessage, onEvidence, onInbox) against the
// document's MessageStatement schema.
func CheckStatement(body []byte) error { return CheckCallback(CallbackOnMessage, body) }

// callbackSchemas names the schema of each callback's body, as the document's callbacks
// of PUT /message_subscriptions declare them.
var callbackSchemas = map[string]string{CallbackOnMessage: "MessageStatement", CallbackOnEvidence: "MessageStatement",
	CallbackOnInbox: "MessageStatement", CallbackOnMessageCreated: "MessageCreatedStatement", CallbackOnArchiveCreated: "ArchiveStatement"}

// CheckCallback checks the body of the callback kind (CallbackOnMessage, ...) against its
// schema in the document.
func CheckCallback(kind string, body []byte) error {
	d, _, err := contract()
	if err != nil {
		return fmt.Errorf("OpenAPI document: %w", err)
	}
	name, ok := callbackSchemas[kind]
	if !ok {
		return fmt.Errorf("no callback %q in the document", kind)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("callback body is not JSON: %w", err)
	}
	if err := d.Components.Schemas[name].Value.VisitJSON(v); err != nil {
		return fmt.Errorf("%s callback body is not a %s: %w", kind, name, err)
	}
	return nil
}
