package edoreczenia_test

import (
	"bytes"
	"testing"

	"github.com/obieg/obieg/internal/adapters/edoreczenia"
	"github.com/obieg/obieg/internal/dev/simulator/edoreczeniasim"
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

// FuzzParseMessage feeds answers for a received message, whose content a sender chose:
// ParseMessage must not panic, and a message it accepts is the one asked for, its answer
// kept as it came.
func FuzzParseMessage(f *testing.F) {
	for _, s := range []string{
		`[{"messageMetadata":{"messageId":"m","from":{"eDeliveryAddress":"AE:PL-12345-67890-ABCDE-12"},"subject":"S","submissionDate":"2026-03-02T09:00:00Z"},"textBody":"t",` +
			`"attachments":[{"file":{"fileMetadata":{"filename":"a.xml","alg":"SHA-3","hash":"` + edoreczeniasim.Hash([]byte("<a/>")) + `"},"file":"PGEvPg=="}}]}]`,
		`[{"messageMetadata":{"messageId":"m"}}]`, `[]`, `[{}]`, `{}`, `null`, ``,
		`[{"messageMetadata":{"messageId":"m"},"attachments":[{"file":{"fileMetadata":{"hash":"x"},"file":"!!"}}]}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		in, err := edoreczenia.ParseMessage(b, "m")
		if err != nil {
			return
		}
		if in.MessageID != "m" || !bytes.Equal(in.Raw, b) {
			t.Errorf("accepted message %q when m was asked for, or changed the answer kept", in.MessageID)
		}
	})
}
