package epuap_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/adapters/soap"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// TestExactlyOnceUnderFaults pulls N documents, each pointing at a FileRepo attachment,
// through a simulator that injects every fault at once (fixed seed): latency, bare HTTP
// 500s, connections dropped after pobierzNastepny, confirmed documents delivered again,
// attachments served only once. A consumer that stores before it confirms, retries what
// failed and recognises a document by Delivery.ID takes each document exactly once, with
// its attachment.
func TestExactlyOnceUnderFaults(t *testing.T) {
	const n = 25
	p := newPKI(t)
	sim, base := newSecureSim(t, p, p.epuap)
	want := map[string]string{} // Delivery.ID -> attachment
	for i := range n {
		att := fmt.Sprintf("załącznik %d", i)
		fileID, err := sim.PutFile(t.Context(), epuapsim.RepoFile{Filename: "zal.txt", Data: []byte(att)})
		if err != nil {
			t.Fatal(err)
		}
		f := file(t, sim, fmt.Sprintf(`<Pismo n="%d"><Zalacznik>%s</Zalacznik></Pismo>`, i, epuapsim.DownloadURL(fileID)))
		want[f.ID] = att
	}
	sim.SetFaults(epuapsim.Faults{
		Latency: time.Millisecond, Error500: 0.2, DropAfterNext: 0.2, Duplicate: 0.25, FileRepoOnce: true, Seed: 20260302,
	})

	hc := &http.Client{Timeout: 10 * time.Second}
	opts := []epuap.Option{epuap.WithSigner(p.office), epuap.WithPinnedCertificates(p.epuap.Cert)}
	pull := epuap.NewPullClient(base+schema.PullPath, hc, box, opts...)
	repo := epuap.NewFileRepoClient(base+schema.FileRepoPath, hc, box.Podmiot, opts...)

	stored := map[string]string{} // what the consumer stored durably, by Delivery.ID
	taken := map[string]int{}     // how many times each id was stored: must end at 1
	var transient, redelivered int
	var lastFileID string
	retry := func(what string, f func() error) error {
		for range 100 {
			err := f()
			var fault *soap.Fault
			if err == nil || errors.Is(err, epuap.ErrNoDocument) || errors.As(err, &fault) {
				return err
			}
			transient++ // HTTP 500, dropped connection: try again
		}
		t.Fatalf("%s: still failing after 100 attempts", what)
		return nil
	}

	for step := 0; ; step++ {
		if step > 20*n {
			t.Fatalf("no end after %d steps", step)
		}
		var d *epuap.Delivery
		err := retry("Next", func() (err error) { d, err = pull.Next(t.Context()); return err })
		if errors.Is(err, epuap.ErrNoDocument) {
			break
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		id := d.ID()
		if _, ok := stored[id]; ok {
			redelivered++
		} else {
			// Store the document and its attachment before confirming: FileRepo will not
			// serve the attachment again.
			content := string(d.Zawartosc)
			start := strings.Index(content, "<Zalacznik>") + len("<Zalacznik>")
			fileID, err := epuap.FileID(content[start:strings.Index(content, "</Zalacznik>")])
			if err != nil {
				t.Fatal(err)
			}
			var data []byte
			if err := retry("Download", func() (err error) { data, err = repo.Download(t.Context(), fileID); return err }); err != nil {
				t.Fatalf("Download %s: %v", fileID, err)
			}
			stored[id] = string(data)
			lastFileID = fileID
			taken[id]++
		}
		err = retry("Confirm", func() error { return pull.Confirm(t.Context(), d.Zawartosc) })
		var fault *soap.Fault
		if errors.As(err, &fault) && fault.Kod == epuapsim.KodNieznanySkrot {
			err = nil // confirmed already: confirming is safe to repeat
		}
		if err != nil {
			t.Fatalf("Confirm: %v", err)
		}
	}

	if len(stored) != n {
		t.Errorf("got %d documents, want %d", len(stored), n)
	}
	for id, att := range want {
		if taken[id] != 1 || stored[id] != att {
			t.Errorf("document %s: taken %d times with attachment %q, want once with %q", id, taken[id], stored[id], att)
		}
	}
	// The faults did happen: the test proves nothing otherwise.
	if transient == 0 || redelivered == 0 {
		t.Errorf("got %d transient failures and %d redeliveries, want some of each", transient, redelivered)
	}
	t.Logf("%d documents, %d transient failures retried, %d redeliveries recognised", n, transient, redelivered)

	// FileRepo did refuse: an attachment already taken is not served again.
	if _, err := repo.Download(t.Context(), lastFileID); err == nil {
		t.Errorf("second download of attachment %s: got it, want a refusal", lastFileID)
	}
}

// TestDropAfterNext: a pobierzNastepny whose connection is dropped leaves the document in
// the box; the next Next returns it.
func TestDropAfterNext(t *testing.T) {
	sim, url := newSim(t)
	file(t, sim, "<a>jeden</a>")
	sim.SetFaults(epuapsim.Faults{DropAfterNext: 1})
	c := epuap.NewPullClient(url, &http.Client{Timeout: 5 * time.Second}, box)
	if _, err := c.Next(t.Context()); err == nil {
		t.Fatal("Next with the connection dropped: got an answer, want an error")
	}
	sim.SetFaults(epuapsim.Faults{})
	d, err := c.Next(t.Context())
	if err != nil || string(d.Zawartosc) != "<a>jeden</a>" {
		t.Fatalf("Next after a drop: got %v, %v, want the same document", d, err)
	}
}

// TestError500: an injected HTTP 500 is a transport error, not a fault, and comes after the
// injected latency.
func TestError500(t *testing.T) {
	sim, url := newSim(t)
	sim.SetFaults(epuapsim.Faults{Error500: 1, Latency: 20 * time.Millisecond})
	start := time.Now()
	_, err := epuap.NewPullClient(url, nil, box).Pending(t.Context())
	var f *soap.Fault
	if err == nil || errors.As(err, &f) {
		t.Fatalf("got %v, want a transport error", err)
	}
	if time.Since(start) < 20*time.Millisecond {
		t.Errorf("answered in %s, want the injected latency", time.Since(start))
	}
}
