package edoreczenia_test

import (
	"context"
	"io/fs"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/obieg/obieg/xmlschemas/edoreczenia"
)

// TestOpenAPI checks that the embedded document loads, validates and holds the operations
// obieg uses.
func TestOpenAPI(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(edoreczenia.OpenAPI)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("validate: %v", err)
	}
	for _, tc := range []struct{ path, method string }{
		{"/{eDeliveryAddress}/drafts", "POST"},
		{"/{eDeliveryAddress}/drafts/{messageId}/attachments", "POST"},
		{"/{eDeliveryAddress}/drafts/send", "POST"},
		{"/{eDeliveryAddress}/messages/tasks/{messageTaskId}", "GET"},
		{"/{eDeliveryAddress}/messages", "GET"},
		{"/{eDeliveryAddress}/messages/{messageId}", "GET"},
		{"/{eDeliveryAddress}/messages/{messageId}/evidences", "GET"},
		{"/{eDeliveryAddress}/message_subscriptions", "PUT"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			p := doc.Paths.Find(tc.path)
			if p == nil || p.GetOperation(tc.method) == nil {
				t.Errorf("got no operation, want one")
			}
		})
	}
	b, err := fs.ReadFile(edoreczenia.FS(), edoreczenia.OpenAPIFile)
	if err != nil || len(b) != len(edoreczenia.OpenAPI) {
		t.Errorf("FS %s: got %d bytes (%v), want %d", edoreczenia.OpenAPIFile, len(b), err, len(edoreczenia.OpenAPI))
	}
	if _, err := fs.Stat(edoreczenia.FS(), "LICENSE-founder-pl-edoreczenia"); err != nil {
		t.Errorf("licence: %v", err)
	}
}
