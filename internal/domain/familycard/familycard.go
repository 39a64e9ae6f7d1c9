// Package familycard decides who in a family is entitled to the regional large-family card,
// under the rules of the act on the Large Family Card (DOMAIN.md, "Large Family Card rules"),
// and until when each member's card is valid. It is pure logic: Evaluate takes a parsed
// application, the date to judge on and the Rules (the numbers the programme may configure).
//
// Granting a card needs no decision; refusing one, to a member or to the family, is a decision,
// and an application that lacks what the rules need is answered with a request to supplement
// it, listing what is missing (Evaluation.Missing).
//
// Card numbers are NOT allocated here: a number is unique per programme and year and must be
// allocated in the database, in the same transaction that records the card, by the package
// that stores cards. Evaluate only says who gets a card and until when.
//
// Ages and validity follow art. 112 of the Civil Code: a person reaches an age at the
// beginning of their birthday, and a birthday on 29 February falls on 28 February in a common
// year. A card valid "until the 18th birthday" is therefore valid through the day before it.
package familycard

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/forms"
)

// Rules are the numbers of the programme. DefaultRules gives those of the act.
type Rules struct {
	// MinChildren is how many children a parent must have or have had (3).
	MinChildren int
	// ChildAge is the age up to which a child counts without conditions (18).
	ChildAge int
	// EducationAge is the age up to which a child in school or university counts (25).
	EducationAge int
	// DisabilityDegrees are the certificate degrees with which a child counts without an age
	// limit (moderate and severe); from ChildAge on, such a child's card is valid for the
	// certificate's validity, before it to the day before the ChildAge birthday like any child's.
	DisabilityDegrees []string
	// EducationEndMonth and EducationEndDay: the card of a child in education is valid until
	// this day (30 September) after the school year in which the planned schooling ends, or,
	// at university, of the year of its planned completion.
	EducationEndMonth time.Month
	EducationEndDay   int
}

// DefaultRules returns the rules of the act on the Large Family Card.
func DefaultRules() Rules {
	return Rules{
		MinChildren:       3,
		ChildAge:          18,
		EducationAge:      25,
		DisabilityDegrees: []string{forms.DisabilityModerate, forms.DisabilitySevere},
		EducationEndMonth: time.September,
		EducationEndDay:   30,
	}
}

// Outcome is what the centre does with the application as a whole.
type Outcome string

// Outcomes of an evaluation.
const (
	// Grant: every member gets a card; no decision is needed.
	Grant Outcome = "grant"
	// GrantInPart: some members get a card; the others are refused by a decision.
	GrantInPart Outcome = "grant-in-part"
	// Refuse: nobody gets a card; the refusal is a decision. An application that asks a card
	// for nobody is refused too.
	Refuse Outcome = "refuse"
	// Incomplete: the application lacks what the rules need; the applicant is asked to
	// supplement it (Evaluation.Missing lists what).
	Incomplete Outcome = "incomplete"
)

// Code is a stable code of a reason, for programs and statistics; Reason.Text is for people.
type Code string

// Codes of reasons.
const (
	CodeParent           Code = "parent"             // a parent of a large family
	CodeSpouse           Code = "spouse"             // a parent's spouse
	CodeChildUnderAge    Code = "child-under-age"    // a child under ChildAge
	CodeChildInEducation Code = "child-in-education" // a child in school or university under EducationAge
	CodeChildDisabled    Code = "child-disabled"     // a child with a qualifying disability certificate
	CodeFosterPlacement  Code = "foster-placement"   // validity capped by the foster placement
	CodeResidence        Code = "residence"          // validity capped by a foreigner's residence document
	CodeCountOnly        Code = "count-only"         // listed to be counted; no card asked for

	CodeTooFewChildren      Code = "too-few-children"
	CodeDeprivedOfAuthority Code = "deprived-of-authority"
	CodeAuthorityRestricted Code = "authority-restricted"
	CodeNotMarried          Code = "not-married"
	CodeChildTooOld         Code = "child-too-old"
	CodeEducationEnded      Code = "education-ended"
	CodeCertificateExpired  Code = "certificate-expired"
	CodePlacementEnded      Code = "placement-ended"
	CodeResidenceExpired    Code = "residence-expired"
	CodeBornLater           Code = "born-later"

	CodeMissingEducation   Code = "missing-education"
	CodeMissingAuthority   Code = "missing-authority-declaration"
	CodeMissingMarriage    Code = "missing-marriage"
	CodeMissingPlacement   Code = "missing-placement"
	CodeMissingDeclaration Code = "missing-declaration"
)

// Reason is one reason of an evaluation: a stable code and a Polish sentence for the clerk.
type Reason struct {
	Code Code   `json:"code"`
	Text string `json:"text"`
}

// Member is the evaluation of one member of the family.
type Member struct {
	Index        int                // position in the application's Members
	Name         string             // first names and surname
	Relationship forms.Relationship //
	// CountOnly: the member is listed only to be counted and asks for no card; Eligible is
	// false and nothing is refused.
	CountOnly bool
	Eligible  bool
	// ValidUntil is the last day of the card's validity; zero when Indefinite or not Eligible.
	ValidUntil civil.Date
	Indefinite bool
	Reasons    []Reason // why the member is or is not eligible
	Missing    []Reason // what must be supplied before the member's right can be decided
}

// Evaluation is the result of Evaluate.
type Evaluation struct {
	On       civil.Date
	Outcome  Outcome
	Children int // children counted towards Rules.MinChildren
	Members  []Member
	Reasons  []Reason // reasons about the whole family
	// Missing lists what the request to supplement the application asks for (every
	// member's and the family's); empty unless Outcome is Incomplete.
	Missing []Reason
}

// Evaluate judges app on the date on under rules.
func Evaluate(app forms.FamilyCardApplication, on civil.Date, rules Rules) Evaluation {
	ev := Evaluation{On: on}
	for _, m := range app.Members {
		if isChild(m.Relationship) {
			ev.Children++
		}
	}
	if ev.Children < rules.MinChildren {
		r := Reason{CodeTooFewChildren, fmt.Sprintf("We wniosku wskazano dzieci: %d. Karta przysługuje rodzinie, w której rodzic ma lub miał na utrzymaniu co najmniej %d dzieci.", ev.Children, rules.MinChildren)}
		ev.Outcome = Refuse
		ev.Reasons = append(ev.Reasons, r)
		for i, m := range app.Members {
			ev.Members = append(ev.Members, Member{Index: i, Name: name(m), Relationship: m.Relationship, Reasons: []Reason{r}})
		}
		return ev
	}
	if !app.Truthful {
		r := Reason{CodeMissingDeclaration, "Oświadczenie wnioskodawcy, że dane podane we wniosku są zgodne z prawdą."}
		ev.Missing = append(ev.Missing, r)
	}
	eligible, requested := 0, 0
	for i, m := range app.Members {
		var mr Member
		switch {
		case m.CountOnly:
			mr = Member{CountOnly: true, Reasons: []Reason{{CodeCountOnly, "Wskazany we wniosku tylko do ustalenia liczby dzieci w rodzinie; nie wnioskuje o kartę."}}}
		case isChild(m.Relationship):
			mr = child(m, on, rules)
		default:
			mr = parent(m, on)
		}
		mr.Index, mr.Name, mr.Relationship = i, name(m), m.Relationship
		if !mr.CountOnly {
			requested++
		}
		if mr.Eligible {
			eligible++
		}
		for _, r := range mr.Missing {
			ev.Missing = append(ev.Missing, Reason{r.Code, mr.Name + ": " + r.Text})
		}
		ev.Members = append(ev.Members, mr)
	}
	switch {
	case len(ev.Missing) > 0:
		ev.Outcome = Incomplete
	case eligible == requested && requested > 0:
		ev.Outcome = Grant
	case eligible == 0:
		ev.Outcome = Refuse
	default:
		ev.Outcome = GrantInPart
	}
	return ev
}

func isChild(r forms.Relationship) bool { return r == forms.Child || r == forms.FosterChild }

func name(m forms.FamilyMember) string {
	return strings.TrimSpace(m.FirstNames + " " + m.Surname)
}

// pl writes a date the Polish way, 31.12.2030.
func pl(d civil.Date) string { return fmt.Sprintf("%02d.%02d.%04d", d.Day, int(d.Month), d.Year) }

// birthday returns the day on which a person born on born reaches age (art. 112 KC).
func birthday(born civil.Date, age int) civil.Date { return born.AddMonths(12 * age) }

// parent evaluates the applicant or the spouse.
func parent(m forms.FamilyMember, on civil.Date) Member {
	var mr Member
	switch m.Authority {
	case forms.AuthorityDeprived:
		mr.Reasons = append(mr.Reasons, Reason{CodeDeprivedOfAuthority, "Rodzic pozbawiony władzy rodzicielskiej nie ma prawa do karty."})
		return mr
	case forms.AuthorityRestricted:
		mr.Reasons = append(mr.Reasons, Reason{CodeAuthorityRestricted, "Rodzic, któremu ograniczono władzę rodzicielską przez umieszczenie dziecka w pieczy zastępczej, nie ma prawa do karty."})
		return mr
	case "":
		mr.Missing = append(mr.Missing, Reason{CodeMissingAuthority, "oświadczenie, czy rodzic nie został pozbawiony władzy rodzicielskiej ani nie ograniczono mu jej przez umieszczenie dziecka w pieczy zastępczej."})
	}
	if m.Relationship == forms.Spouse {
		switch {
		case m.Married == nil:
			mr.Missing = append(mr.Missing, Reason{CodeMissingMarriage, "informacja, czy małżonek pozostaje w związku małżeńskim z wnioskodawcą."})
		case !*m.Married:
			mr.Reasons = append(mr.Reasons, Reason{CodeNotMarried, "Nie pozostaje w związku małżeńskim z wnioskodawcą: karta przysługuje małżonkowi rodzica; jako rodzic dzieci może złożyć własny wniosek."})
			return mr
		}
	}
	if len(mr.Missing) > 0 {
		return mr
	}
	if m.Relationship == forms.Spouse {
		mr.Reasons = append(mr.Reasons, Reason{CodeSpouse, "Małżonek rodzica z rodziny wielodzietnej: karta bezterminowa."})
	} else {
		mr.Reasons = append(mr.Reasons, Reason{CodeParent, "Rodzic z rodziny wielodzietnej: karta bezterminowa."})
	}
	mr.Eligible, mr.Indefinite = true, true
	capResidence(&mr, m, on)
	return mr
}

// validity is a ground of a child's right: until when it lasts.
type validity struct {
	until      civil.Date // last day; zero when indefinite
	indefinite bool
	reason     Reason
}

func (v validity) later(o validity) bool {
	switch {
	case v.indefinite:
		return !o.indefinite
	case o.indefinite:
		return false
	}
	return v.until.After(o.until)
}

// child evaluates a child or a foster child.
func child(m forms.FamilyMember, on civil.Date, rules Rules) Member {
	var mr Member
	if m.BirthDate.After(on) {
		mr.Reasons = append(mr.Reasons, Reason{CodeBornLater, fmt.Sprintf("Data urodzenia %s jest późniejsza niż dzień oceny wniosku.", pl(m.BirthDate))})
		return mr
	}
	adult := birthday(m.BirthDate, rules.ChildAge)
	limit := birthday(m.BirthDate, rules.EducationAge)
	var grounds []validity
	if on.Before(adult) {
		grounds = append(grounds, validity{until: adult.AddDays(-1), reason: Reason{CodeChildUnderAge,
			fmt.Sprintf("Dziecko do ukończenia %d lat: karta ważna do %s.", rules.ChildAge, pl(adult.AddDays(-1)))}})
	}
	// A disabled child holds the card for the certificate's validity only from the age of
	// ChildAge (art. 11 ust. 1 pkt 4: "w wieku powyżej 18. roku życia"); a younger one holds it
	// like any child, through the day before that birthday, whatever the certificate says.
	if d := m.Disability; d != nil && !on.Before(adult) && slices.Contains(rules.DisabilityDegrees, d.Degree) {
		degree := map[string]string{forms.DisabilityModerate: "umiarkowanym", forms.DisabilitySevere: "znacznym"}[d.Degree]
		if degree == "" {
			degree = d.Degree
		}
		switch {
		case d.Indefinite:
			grounds = append(grounds, validity{indefinite: true, reason: Reason{CodeChildDisabled,
				fmt.Sprintf("Dziecko z orzeczeniem o %s stopniu niepełnosprawności wydanym na stałe: karta bezterminowa.", degree)}})
		case d.ValidUntil.Before(on):
			mr.Reasons = append(mr.Reasons, Reason{CodeCertificateExpired, fmt.Sprintf("Orzeczenie o niepełnosprawności było ważne do %s.", pl(d.ValidUntil))})
		default:
			grounds = append(grounds, validity{until: d.ValidUntil, reason: Reason{CodeChildDisabled,
				fmt.Sprintf("Dziecko z orzeczeniem o %s stopniu niepełnosprawności: karta ważna do %s, do końca ważności orzeczenia.", degree, pl(d.ValidUntil))}})
		}
	}
	if !on.Before(adult) && on.Before(limit) {
		if e := m.Education; e != nil {
			end := educationEnd(e, rules)
			capped := ""
			if !end.Before(limit) {
				end = limit.AddDays(-1)
				capped = fmt.Sprintf(", dnia poprzedzającego ukończenie %d lat", rules.EducationAge)
			}
			where := "w szkole"
			if e.Kind == forms.University {
				where = "w szkole wyższej"
			}
			if end.Before(on) {
				mr.Reasons = append(mr.Reasons, Reason{CodeEducationEnded, fmt.Sprintf("Nauka %s według wniosku kończy się %s: prawo do karty trwało do %s.", where, pl(e.PlannedEnd), pl(end))})
			} else {
				grounds = append(grounds, validity{until: end, reason: Reason{CodeChildInEducation,
					fmt.Sprintf("Dziecko uczące się %s (planowane ukończenie nauki %s), do ukończenia %d lat: karta ważna do %s%s.", where, pl(e.PlannedEnd), rules.EducationAge, pl(end), capped)}})
			}
		} else if len(grounds) == 0 {
			mr.Missing = append(mr.Missing, Reason{CodeMissingEducation, fmt.Sprintf("dziecko w wieku od %d do %d lat: informacja o nauce w szkole lub szkole wyższej (nazwa, adres, okres nauki); jeśli dziecko się nie uczy, karta mu nie przysługuje i wskazuje się je we wniosku tylko do liczby dzieci.", rules.ChildAge, rules.EducationAge)})
		}
	}
	if m.Relationship == forms.FosterChild && m.Foster == nil {
		mr.Missing = append(mr.Missing, Reason{CodeMissingPlacement, "dziecko w pieczy zastępczej: okres pobytu w pieczy (postanowienie sądu albo umowa o umieszczeniu)."})
	}
	if len(mr.Missing) > 0 {
		return mr
	}
	if len(grounds) == 0 {
		if len(mr.Reasons) == 0 {
			mr.Reasons = append(mr.Reasons, Reason{CodeChildTooOld, fmt.Sprintf("Dziecko ma ukończone %d lat, a nie uczy się do ukończenia %d lat ani nie ma orzeczenia o umiarkowanym lub znacznym stopniu niepełnosprawności: liczy się do liczby dzieci w rodzinie, ale karta mu nie przysługuje.", rules.ChildAge, rules.EducationAge)})
		}
		return mr
	}
	best := grounds[0]
	for _, g := range grounds[1:] {
		if g.later(best) {
			best = g
		}
	}
	mr.Eligible, mr.ValidUntil, mr.Indefinite = true, best.until, best.indefinite
	mr.Reasons = append(mr.Reasons, best.reason)
	if f := m.Foster; f != nil && !f.Until.IsZero() {
		if f.Until.Before(on) {
			mr.Eligible, mr.ValidUntil, mr.Indefinite = false, civil.Date{}, false
			mr.Reasons = []Reason{{CodePlacementEnded, fmt.Sprintf("Pobyt w pieczy zastępczej zakończył się %s.", pl(f.Until))}}
			return mr
		}
		if mr.Indefinite || f.Until.Before(mr.ValidUntil) {
			mr.ValidUntil, mr.Indefinite = f.Until, false
			mr.Reasons = append(mr.Reasons, Reason{CodeFosterPlacement, fmt.Sprintf("Dziecko w pieczy zastępczej: karta ważna do końca pobytu w pieczy, %s.", pl(f.Until))})
		}
	}
	capResidence(&mr, m, on)
	return mr
}

// educationEnd returns the last day of the card of a child in education: the configured day
// (30 September) after the end of the school year in which school ends (a school year runs
// from 1 September to 31 August), or of the year in which university is completed.
func educationEnd(e *forms.Education, rules Rules) civil.Date {
	year := e.PlannedEnd.Year
	if e.Kind == forms.School && e.PlannedEnd.Month >= time.September {
		year++
	}
	day := min(rules.EducationEndDay, civil.DaysIn(year, rules.EducationEndMonth))
	return civil.Date{Year: year, Month: rules.EducationEndMonth, Day: day}
}

// capResidence limits an eligible member's card to a foreigner's residence document.
func capResidence(mr *Member, m forms.FamilyMember, on civil.Date) {
	r := m.ResidenceValidUntil
	if !mr.Eligible || r.IsZero() {
		return
	}
	if r.Before(on) {
		mr.Eligible, mr.ValidUntil, mr.Indefinite = false, civil.Date{}, false
		mr.Reasons = []Reason{{CodeResidenceExpired, fmt.Sprintf("Dokument uprawniający do pobytu był ważny do %s.", pl(r))}}
		return
	}
	if mr.Indefinite || r.Before(mr.ValidUntil) {
		mr.ValidUntil, mr.Indefinite = r, false
		mr.Reasons = append(mr.Reasons, Reason{CodeResidence, fmt.Sprintf("Karta ważna nie dłużej niż dokument uprawniający do pobytu, do %s.", pl(r))})
	}
}
