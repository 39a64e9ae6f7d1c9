package soap

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/http"
	"strings"
)

// Call posts the envelope req to endpoint with the given SOAPAction and returns the parsed
// answer, read up to limit bytes. A Fault answer (HTTP 500 as SOAP 1.1 prescribes, or any
// status with a Fault body) is returned as a *Fault error; other non-2xx answers and
// transport failures are errors that say what failed. Timeouts come from hc and ctx.
func Call(ctx context.Context, hc *http.Client, endpoint, action string, req []byte, limit int64) (*Envelope, error) {
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(req))
	if err != nil {
		return nil, fmt.Errorf("soap: build request to %s: %w", endpoint, err)
	}
	hreq.Header.Set("Content-Type", ContentType)
	hreq.Header.Set("SOAPAction", `"`+action+`"`)
	resp, err := hc.Do(hreq)
	if err != nil {
		return nil, fmt.Errorf("soap: post %s: %w", action, err)
	}
	defer resp.Body.Close()
	env, perr := ReadMessage(resp.Body, limit)
	if resp.StatusCode/100 != 2 && (perr != nil || !env.IsFault()) {
		return nil, fmt.Errorf("soap: post %s: HTTP %s", action, resp.Status)
	}
	if perr != nil {
		return nil, fmt.Errorf("soap: answer to %s: %w", action, perr)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "text/xml" && mt != "application/soap+xml") {
			return nil, fmt.Errorf("soap: answer to %s: content type %q, want text/xml", action, ct)
		}
	}
	return env, nil
}

// Action returns the SOAPAction of r without the quotes SOAP 1.1 puts around it.
func Action(r *http.Request) string {
	return strings.Trim(strings.TrimSpace(r.Header.Get("SOAPAction")), `"`)
}

// WriteMessage writes an envelope as an HTTP answer with status code (200 for a normal
// answer).
func WriteMessage(w http.ResponseWriter, code int, env []byte) {
	w.Header().Set("Content-Type", ContentType)
	w.WriteHeader(code)
	_, _ = w.Write(env)
}

// WriteFault writes f as an HTTP 500 answer, as SOAP 1.1 prescribes for faults.
func WriteFault(w http.ResponseWriter, f *Fault) {
	env, err := MarshalFault(f)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	WriteMessage(w, http.StatusInternalServerError, env)
}
