package casefile

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Reference is a case reference (znak sprawy): <unit>.<JRWA class>.<sequence>.<year>, with
// optional handler initials at the end (OIS.5131.12.2026, WPS-I.0570.3.2026.AK).
type Reference struct {
	Unit     string
	Class    string
	Seq      int
	Year     int
	Initials string
}

var (
	unitRE     = regexp.MustCompile(`^[A-Z0-9]+(-[A-Z0-9]+)?$`)
	classRE    = regexp.MustCompile(`^[0-9]{1,4}$`)
	initialsRE = regexp.MustCompile(`^[A-ZĄĆĘŁŃÓŚŹŻ]{1,4}$`)
)

// String writes the reference as it appears on documents.
func (r Reference) String() string {
	s := fmt.Sprintf("%s.%s.%d.%d", r.Unit, r.Class, r.Seq, r.Year)
	if r.Initials != "" {
		s += "." + r.Initials
	}
	return s
}

// Validate reports what is wrong with r, if anything.
func (r Reference) Validate() error {
	switch {
	case !unitRE.MatchString(r.Unit):
		return fmt.Errorf("unit code %q: letters and digits, a hyphen only between department and section", r.Unit)
	case !classRE.MatchString(r.Class):
		return fmt.Errorf("JRWA class %q: one to four digits", r.Class)
	case r.Seq < 1:
		return fmt.Errorf("sequence %d: must be positive", r.Seq)
	case r.Year < 1900 || r.Year > 9999:
		return fmt.Errorf("year %d: out of range", r.Year)
	case r.Initials != "" && !initialsRE.MatchString(r.Initials):
		return fmt.Errorf("initials %q: one to four capital letters", r.Initials)
	}
	return nil
}

// ParseReference reads a case reference written as String writes it.
func ParseReference(s string) (Reference, error) {
	parts := strings.Split(s, ".")
	if len(parts) != 4 && len(parts) != 5 {
		return Reference{}, fmt.Errorf("case reference %q: want unit.class.sequence.year", s)
	}
	seq, err := strconv.Atoi(parts[2])
	if err != nil {
		return Reference{}, fmt.Errorf("case reference %q: sequence %q is not a number", s, parts[2])
	}
	year, err := strconv.Atoi(parts[3])
	if err != nil || len(parts[3]) != 4 {
		return Reference{}, fmt.Errorf("case reference %q: year %q is not a four-digit year", s, parts[3])
	}
	r := Reference{Unit: parts[0], Class: parts[1], Seq: seq, Year: year}
	if len(parts) == 5 {
		r.Initials = parts[4]
	}
	if err := r.Validate(); err != nil {
		return Reference{}, fmt.Errorf("case reference %q: %w", s, err)
	}
	return r, nil
}
