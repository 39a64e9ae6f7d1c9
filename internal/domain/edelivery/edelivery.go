// Package edelivery declares what obieg knows of e-Doręczenia without talking to it: the form of
// an electronic delivery address (adres do doręczeń elektronicznych) and a message of the
// office's mailbox as a listing summarises it. It is pure, so that workflows can hold these
// values; internal/adapters/edoreczenia is the client of the service.
package edelivery

import (
	"regexp"
	"time"
)

// addressRE is the form of an electronic delivery address of a Polish mailbox.
var addressRE = regexp.MustCompile(`^AE:PL-\d{5}-\d{5}-[A-Z]{5}-\d{2}$`)

// ValidAddress reports whether a looks like an electronic delivery address,
// AE:PL-12345-67890-ABCDE-12.
func ValidAddress(a string) bool { return addressRE.MatchString(a) }

// Summary is a received message as the inbox lists it: enough to decide whether to take it.
type Summary struct {
	MessageID      string
	From           string // the sender's electronic delivery address
	Subject        string
	SubmissionDate time.Time // when the service accepted it from the sender
}
