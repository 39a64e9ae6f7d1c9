package contract

// The names of the activities as the worker registers them: each the name of the method of
// package activities that runs it, listed by the struct that has it, with its input and
// result. Workflows call activities by these names, so that they need not import the
// activities themselves (and, through them, databases and clients). The names are untyped
// string constants because Temporal's SDK takes an activity's name as a plain string.
const (
	// activities.Intake
	PullNext        = "PullNext"        // nothing -> Pulled
	StartSubmission = "StartSubmission" // r Received -> string
	ConfirmInBox    = "ConfirmInBox"    // skrot string -> nothing

	// activities.Mailbox
	ListMailbox = "ListMailbox" // from time.Time -> MailboxPage
	TakeMessage = "TakeMessage" // messageID string -> string

	// activities.Submission
	JoinExisting   = "JoinExisting"   // in JoinInput -> Joined
	NoteJoined     = "NoteJoined"     // in NoteJoinedInput -> nothing
	InspectMessage = "InspectMessage" // raw blob.Ref -> Inspection
	Record         = "Record"         // in RecordInput -> uuid.UUID
	Inspect        = "Inspect"        // raw blob.Ref -> Inspection
	Quarantine     = "Quarantine"     // in QuarantineInput -> nothing
	Register       = "Register"       // in RegisterInput -> incoming.Number
	Route          = "Route"          // formType string -> Routed
	OpenCase       = "OpenCase"       // in OpenCaseInput -> casefile.Case
	CheckRoute     = "CheckRoute"     // unit, class string -> nothing
	Dismiss        = "Dismiss"        // in DismissInput -> nothing

	// activities.Case
	Assess        = "Assess"        // in AssessInput -> Assessment
	GrantCards    = "GrantCards"    // in GrantInput -> Granted
	Apply         = "Apply"         // st casefile.Step -> bool
	CheckAssignee = "CheckAssignee" // username, unit string -> Assignee
	IssueLetter   = "IssueLetter"   // in IssueInput -> casefile.Document
	SignLetter    = "SignLetter"    // in IssueInput -> casefile.Document

	// activities.Delivery
	SendLetter    = "SendLetter"    // in SendInput -> delivery.Delivery
	CheckDelivery = "CheckDelivery" // id uuid.UUID -> delivery.Delivery

	// activities.Forwarding
	ForwardToBody = "ForwardToBody" // in ForwardSendInput -> ForwardSent
	TakeUPD       = "TakeUPD"       // r Received -> UPDTaken
)

// All lists every activity name, for the worker and for the test that holds the names and the
// registered methods together.
var All = []string{
	PullNext, StartSubmission, ConfirmInBox,
	ListMailbox, TakeMessage,
	JoinExisting, NoteJoined, InspectMessage, Record, Inspect, Quarantine, Register, Route, OpenCase, CheckRoute, Dismiss,
	Assess, GrantCards, Apply, CheckAssignee, IssueLetter, SignLetter,
	SendLetter, CheckDelivery,
	ForwardToBody, TakeUPD,
}
