// Package visibility defines the custom search attributes that make obieg's workflows
// findable in Temporal (in its Web UI and list queries). They carry routing facts only:
// never a personal identifier such as a PESEL or a name.
package visibility

import (
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
)

// Keys of obieg's search attributes.
var (
	// Channel is the channel a submission came through: epuap, edoreczenia, paper.
	Channel = temporal.NewSearchAttributeKeyKeyword("ObiegChannel")
	// FormType is the detected form of a submission (pismo-ogolne, ...).
	FormType = temporal.NewSearchAttributeKeyKeyword("ObiegFormType")
	// Stage is where a submission or case stands: received, quarantined, registered, routed.
	Stage = temporal.NewSearchAttributeKeyKeyword("ObiegStage")
	// CaseRef is the case reference (znak sprawy) once a case is opened.
	CaseRef = temporal.NewSearchAttributeKeyKeyword("ObiegCaseRef")
	// Unit is the code of the unit a submission was routed to.
	Unit = temporal.NewSearchAttributeKeyKeyword("ObiegUnit")
)

// Registered returns every search attribute with its type, for registering them on a
// Temporal namespace.
func Registered() map[string]enumspb.IndexedValueType {
	m := make(map[string]enumspb.IndexedValueType)
	for _, k := range []temporal.SearchAttributeKeyKeyword{Channel, FormType, Stage, CaseRef, Unit} {
		m[k.GetName()] = k.GetValueType()
	}
	return m
}
