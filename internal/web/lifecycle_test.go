package web_test

import (
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/obieg/obieg/internal/domain/lifecycle"
	"github.com/obieg/obieg/internal/web"
)

// The API document's enums of case actions, stages and roles are the action table's.
func TestOpenAPIFollowsLifecycle(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(web.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	enum := func(s *openapi3.SchemaRef) []string {
		var out []string
		for _, v := range s.Value.Enum {
			out = append(out, v.(string))
		}
		slices.Sort(out)
		return out
	}
	path := doc.Paths.Find("/api/v1/cases/{ref}/actions/{action}")
	if path == nil {
		t.Fatal("no path of case actions")
	}
	p := path.Parameters.GetByInAndName("path", "action")
	if p == nil {
		t.Fatal("no parameter action")
	}
	var actions []string
	for _, a := range lifecycle.Actions() {
		if a.ByPeople() {
			actions = append(actions, a.Name)
		}
	}
	slices.Sort(actions)
	if got := enum(p.Schema); !slices.Equal(got, actions) {
		t.Errorf("got actions %v in the API, want the table's %v", got, actions)
	}
	var stages []string
	for _, s := range lifecycle.Stages() {
		stages = append(stages, string(s))
	}
	slices.Sort(stages)
	if got := enum(doc.Components.Schemas["Stage"]); !slices.Equal(got, stages) {
		t.Errorf("got stages %v in the API, want the lifecycle's %v", got, stages)
	}
	roles := enum(doc.Components.Schemas["Role"])
	for _, r := range []string{lifecycle.RoleHead, lifecycle.RoleClerk, lifecycle.RoleRegistry} {
		if !slices.Contains(roles, r) {
			t.Errorf("got roles %v in the API, want %s among them", roles, r)
		}
	}
}
