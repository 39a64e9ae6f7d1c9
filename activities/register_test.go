package activities

import (
	"reflect"
	"slices"
	"testing"

	"github.com/obieg/obieg/activities/contract"
)

// TestNamesAreMethods holds contract's activity names and the methods Register registers
// together: every name is an exported method of one of the activity structs, and every such
// method has a name, so a workflow calling an activity by name reaches a registered one.
func TestNamesAreMethods(t *testing.T) {
	var methods []string
	for _, v := range []any{(*Intake)(nil), (*Mailbox)(nil), (*Submission)(nil), (*Case)(nil), (*Delivery)(nil), (*Forwarding)(nil)} {
		typ := reflect.TypeOf(v)
		for i := range typ.NumMethod() {
			methods = append(methods, typ.Method(i).Name)
		}
	}
	names := slices.Clone(contract.All)
	slices.Sort(methods)
	slices.Sort(names)
	if !slices.Equal(methods, names) {
		t.Errorf("got activity methods %v, want the contract's names %v", methods, names)
	}
}
