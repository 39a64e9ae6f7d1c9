package contract

// Name is the name of an activity as the worker registers it: the name of the method of
// package activities that runs it. Workflows call activities by these names, so that they
// need not import the activities themselves (and, through them, databases and clients).
type Name string

// The activities, by the struct of package activities that implements them, each with its
// input and result.
const (
	// activities.Intake
	PullNext        Name = "PullNext"        // nothing -> Pulled
	StartSubmission Name = "StartSubmission" // r Received -> string
	ConfirmInBox    Name = "ConfirmInBox"    // skrot string -> nothing

	// activities.Mailbox
	ListMailbox Name = "ListMailbox" // from time.Time -> MailboxPage
	TakeMessage Name = "TakeMessage" // messageID string -> string

	// activities.Submission
	JoinExisting   Name = "JoinExisting"   // in JoinInput -> Joined
	NoteJoined     Name = "NoteJoined"     // in NoteJoinedInput -> nothing
	InspectMessage Name = "InspectMessage" // raw blob.Ref -> Inspection
	Record         Name = "Record"         // in RecordInput -> uuid.UUID
	Inspect        Name = "Inspect"        // raw blob.Ref -> Inspection
	Quarantine     Name = "Quarantine"     // in QuarantineInput -> nothing
	Register       Name = "Register"       // in RegisterInput -> incoming.Number
	Route          Name = "Route"          // formType string -> Routed
	OpenCase       Name = "OpenCase"       // in OpenCaseInput -> casefile.Case
	CheckRoute     Name = "CheckRoute"     // unit, class string -> nothing
	Dismiss        Name = "Dismiss"        // in DismissInput -> nothing

	// activities.Case
	Assess        Name = "Assess"        // in AssessInput -> Assessment
	GrantCards    Name = "GrantCards"    // in GrantInput -> Granted
	Apply         Name = "Apply"         // st casefile.Step -> bool
	CheckAssignee Name = "CheckAssignee" // username, unit string -> Assignee
	IssueLetter   Name = "IssueLetter"   // in IssueInput -> casefile.Document
	SignLetter    Name = "SignLetter"    // in IssueInput -> casefile.Document

	// activities.Delivery
	SendLetter    Name = "SendLetter"    // in SendInput -> delivery.Delivery
	CheckDelivery Name = "CheckDelivery" // id uuid.UUID -> delivery.Delivery

	// activities.Forwarding
	ForwardToBody Name = "ForwardToBody" // in ForwardSendInput -> ForwardSent
	TakeUPD       Name = "TakeUPD"       // r Received -> UPDTaken
)

// All lists every activity name, for the worker and for the test that holds the names and the
// registered methods together.
var All = []Name{
	PullNext, StartSubmission, ConfirmInBox,
	ListMailbox, TakeMessage,
	JoinExisting, NoteJoined, InspectMessage, Record, Inspect, Quarantine, Register, Route, OpenCase, CheckRoute, Dismiss,
	Assess, GrantCards, Apply, CheckAssignee, IssueLetter, SignLetter,
	SendLetter, CheckDelivery,
	ForwardToBody, TakeUPD,
}
