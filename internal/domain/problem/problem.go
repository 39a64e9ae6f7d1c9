package problem

import (
	"errors"
	"strings"
)

// Kind is what went wrong, as far as the one who asked can tell: what a person is told and
// whether trying again can help follow from it.
type Kind int

// The kinds. The zero Kind, Internal, is every error that is none of the others: a failure
// of obieg itself, which people are not told the detail of.
const (
	Internal  Kind = iota
	NotFound       // what was asked for does not exist (or is not there for the one asking)
	Invalid        // the input can never succeed as it is; field errors say what to mend
	Conflict       // the input collides with the state of a record changed meanwhile
	Refused        // the action is not allowed, or not now; a message says why, for people
	Transient      // a service obieg needs is unavailable for now; trying again may succeed
)

var kindNames = [...]string{
	Internal:  "internal",
	NotFound:  "not-found",
	Invalid:   "invalid",
	Conflict:  "conflict",
	Refused:   "refused",
	Transient: "transient",
}

// String returns the kind's name: internal, not-found, invalid, conflict, refused or
// transient. The names are stable: they are the types of activities' and workflows'
// application errors.
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return kindNames[Internal]
	}
	return kindNames[k]
}

// ParseKind returns the kind named s (see Kind.String), and false for a name that is not a
// kind's.
func ParseKind(s string) (Kind, bool) {
	for k, name := range kindNames {
		if name == s {
			return Kind(k), true
		}
	}
	return Internal, false
}

// FieldError is what is wrong with one field of the input: the field's name as the form and
// the JSON API call it, and a Polish message a page shows beside the field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is an error of a kind, with a Polish message for people (possibly empty), the fields
// at fault of an Invalid input, and the cause, which is for the log only.
type Error struct {
	kind    Kind
	message string
	fields  []FieldError
	err     error
}

// NewNotFound returns an error of kind NotFound: message says in Polish what is not there
// ("Nie ma takiej sprawy."), or is empty; cause says what was looked for, for the log.
func NewNotFound(message string, cause error) error {
	return &Error{kind: NotFound, message: message, err: cause}
}

// NewInvalid returns an error of kind Invalid with the fields at fault. Its message for people
// is message, or when that is empty the fields' messages in order.
func NewInvalid(message string, cause error, fields ...FieldError) error {
	return &Error{kind: Invalid, message: message, fields: fields, err: cause}
}

// NewConflict returns an error of kind Conflict: message says in Polish what collided, or is
// empty.
func NewConflict(message string, cause error) error {
	return &Error{kind: Conflict, message: message, err: cause}
}

// NewRefused returns an error of kind Refused: message says in Polish why, for the person who
// asked.
func NewRefused(message string, cause error) error {
	return &Error{kind: Refused, message: message, err: cause}
}

// NewTransient returns an error of kind Transient: cause is the failure of the service.
func NewTransient(cause error) error {
	return &Error{kind: Transient, err: cause}
}

// Error returns the cause's text (internal, for the log), or the kind and the message when
// there is no cause.
func (e *Error) Error() string {
	if e.err != nil {
		return e.err.Error()
	}
	if m := e.Message(); m != "" {
		return e.kind.String() + ": " + m
	}
	return e.kind.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.err }

// Kind returns the error's kind.
func (e *Error) Kind() Kind { return e.kind }

// Message returns the Polish message for people: the one given, or an Invalid error's field
// messages, or the message of a problem the cause wraps; "" when there is none.
func (e *Error) Message() string {
	if e.message != "" {
		return e.message
	}
	if len(e.fields) > 0 {
		msgs := make([]string, len(e.fields))
		for i, f := range e.fields {
			msgs[i] = f.Message
		}
		return strings.Join(msgs, " ")
	}
	return MessageOf(e.err)
}

// Fields returns the fields at fault, in the order they were found.
func (e *Error) Fields() []FieldError { return e.fields }

// kinded is an error that says its kind: an *Error, or an error of a client of an outside
// service that knows which of the kinds its answers are.
type kinded interface {
	error
	Kind() Kind
}

// KindOf returns the kind of the first error in err's chain that has one (an *Error, or any
// error with a method Kind() Kind), and Internal when none has, or err is nil.
func KindOf(err error) Kind {
	var k kinded
	if errors.As(err, &k) {
		return k.Kind()
	}
	return Internal
}

// MessageOf returns the Polish message for people of the first *Error in err's chain, and
// "" when there is none.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message()
	}
	return ""
}

// FieldsOf returns the fields at fault of the first *Error in err's chain that has any.
func FieldsOf(err error) []FieldError {
	for err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return nil
		}
		if len(e.fields) > 0 {
			return e.fields
		}
		err = e.err
	}
	return nil
}

// FieldMap returns the fields at fault of err as a map from field to message, for a page
// that shows each message beside its field; nil when there are none.
func FieldMap(err error) map[string]string {
	fields := FieldsOf(err)
	if len(fields) == 0 {
		return nil
	}
	m := make(map[string]string, len(fields))
	for _, f := range fields {
		if _, ok := m[f.Field]; !ok {
			m[f.Field] = f.Message
		}
	}
	return m
}

// Details is a problem as data, to carry it where an error's Go type does not go (the
// details of a Temporal application error, a JSON answer).
type Details struct {
	Kind    string       `json:"kind"`
	Message string       `json:"message,omitempty"`
	Fields  []FieldError `json:"fields,omitempty"`
}

// DetailsOf returns err's kind, message and fields as data.
func DetailsOf(err error) Details {
	return Details{Kind: KindOf(err).String(), Message: MessageOf(err), Fields: FieldsOf(err)}
}

// Err returns the problem d describes as an error of its kind with cause (an Internal one
// for a kind it does not know).
func (d Details) Err(cause error) error {
	k, _ := ParseKind(d.Kind)
	return &Error{kind: k, message: d.Message, fields: d.Fields, err: cause}
}
