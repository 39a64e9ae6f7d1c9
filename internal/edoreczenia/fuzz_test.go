package edoreczenia_test

import (
	"bytes"
	"testing"

	"github.com/obieg/obieg/internal/edoreczenia"
)

// FuzzParseStatement feeds callback bodies, which anyone who can reach obieg's callback URL
// may send: ParseStatement must not panic, and a statement it accepts has an address and a
// notification type.
func FuzzParseStatement(f *testing.F) {
	for _, s := range []string{
		`{"eDeliveryAddress":"AE:PL-12345-67890-ABCDE-12","notificationType":"NewEvidence","notification":[{"id":"m","type":"e"}]}`,
		`{"eDeliveryAddress":"AE:PL-12345-67890-ABCDE-12","notificationType":"NewMessage","electronicCount":1}`,
		`{}`, `[]`, `{"notification":null}`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := edoreczenia.ParseStatement(bytes.NewReader(b))
		if err == nil && (s.EDeliveryAddress == "" || s.NotificationType == "") {
			t.Errorf("accepted %q as %+v", b, s)
		}
	})
}
