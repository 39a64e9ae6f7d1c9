package institutions

import (
	"context"
	"fmt"
	"strings"

	"github.com/obieg/obieg/internal/domain/civil"
)

// Sender is who a report says it comes from: the REGON and name on the form, and the ePUAP
// identifier of its sender, any of which may be empty.
type Sender struct {
	REGON, Name, EPUAP string
}

// Status is what the check of a sender found (stable codes).
type Status string

// Statuses.
const (
	// Accepted: the sender is an institution of the database, active on the day, named as the
	// database names it; its report is accepted into the observatory.
	Accepted Status = "accepted"
	// Unknown: neither the REGON nor the ePUAP identifier is in the database.
	Unknown Status = "unknown-sender"
	// Inactive: the institution is in the database but deactivated, or not active on the day.
	Inactive Status = "inactive-sender"
	// Mismatch: the REGON and the name, or the REGON and the ePUAP identifier, do not belong
	// together as the database has them.
	Mismatch Status = "sender-mismatch"
)

// Verdict is the outcome of checking a sender.
type Verdict struct {
	Status Status
	// Institution is the institution found (by REGON first, else by ePUAP identifier), nil
	// when Unknown.
	Institution *Institution
	// Problems say in Polish, for the handler, what does not match or why it is inactive.
	Problems []string
}

// Check looks the sender up and judges it on day; see Judge.
func (s *Store) Check(ctx context.Context, from Sender, day civil.Date) (Verdict, error) {
	found, err := s.Lookup(ctx, from.REGON, from.EPUAP)
	if err != nil {
		return Verdict{}, err
	}
	return Judge(found, from, day), nil
}

// Judge judges a sender on day against the institutions Lookup found for it: Unknown when
// there is none; Mismatch when the REGON and the ePUAP identifier lead to different
// institutions, or the form's REGON or name differ from the database's (names compare
// ignoring case, spacing and quotation marks); else Inactive when the institution is not
// active on day; else Accepted.
func Judge(found []Institution, from Sender, day civil.Date) Verdict {
	var byREGON, byBox *Institution
	for k := range found {
		i := &found[k]
		if from.REGON != "" && i.REGON == from.REGON {
			byREGON = i
		}
		if from.EPUAP != "" && i.EPUAP == from.EPUAP {
			byBox = i
		}
	}
	inst := byREGON
	if inst == nil {
		inst = byBox
	}
	if inst == nil {
		return Verdict{Status: Unknown}
	}
	v := Verdict{Status: Accepted, Institution: inst}
	if byREGON != nil && byBox != nil && byREGON.ID != byBox.ID {
		v.Problems = append(v.Problems, fmt.Sprintf("identyfikator ePUAP nadawcy %s należy w bazie do innej instytucji („%s”, REGON %s) niż REGON z formularza",
			from.EPUAP, byBox.Name, orNone(byBox.REGON)))
	}
	if byREGON == nil && from.REGON != "" && inst.REGON != "" {
		v.Problems = append(v.Problems, fmt.Sprintf("REGON w formularzu (%s) różni się od REGON-u instytucji o identyfikatorze ePUAP %s w bazie (%s)",
			from.REGON, from.EPUAP, inst.REGON))
	}
	if from.Name != "" && !SameName(from.Name, inst.Name) {
		v.Problems = append(v.Problems, fmt.Sprintf("nazwa w formularzu („%s”) różni się od nazwy w bazie („%s”)", from.Name, inst.Name))
	}
	if len(v.Problems) > 0 {
		v.Status = Mismatch
	}
	if !inst.ActiveOn(day) {
		if v.Status == Accepted {
			v.Status = Inactive
		}
		v.Problems = append(v.Problems, inactive(*inst, day))
	}
	return v
}

func inactive(i Institution, day civil.Date) string {
	switch {
	case !i.Active:
		return fmt.Sprintf("instytucja „%s” jest w bazie oznaczona jako nieaktywna", i.Name)
	case i.Since != nil && day.Before(*i.Since):
		return fmt.Sprintf("instytucja „%s” jest w bazie aktywna dopiero od %s", i.Name, i.Since)
	default:
		return fmt.Sprintf("instytucja „%s” była w bazie aktywna tylko do %s", i.Name, i.Until)
	}
}

func orNone(s string) string {
	if s == "" {
		return "brak"
	}
	return s
}

// SameName reports whether two names of an institution are the same name: equal but for
// letter case, spacing and quotation marks.
func SameName(a, b string) bool {
	return normalName(a) == normalName(b)
}

func normalName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '"', '\'', '„', '”', '“', '«', '»', '‚', '’', '‘':
			return -1
		}
		return r
	}, s)
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
