package familycard

import (
	"slices"
	"testing"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/forms"
)

func date(t testing.TB, s string) civil.Date {
	t.Helper()
	d, err := civil.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// family builds an application: the applicant and a married spouse, both holding parental
// authority, and the members given.
func family(members ...forms.FamilyMember) forms.FamilyCardApplication {
	yes := true
	base := []forms.FamilyMember{
		{Relationship: forms.Applicant, FirstNames: "Anna", Surname: "Nowak", BirthDate: civil.Date{Year: 1985, Month: 4, Day: 2}, Authority: forms.AuthorityHeld},
		{Relationship: forms.Spouse, FirstNames: "Jan", Surname: "Nowak", BirthDate: civil.Date{Year: 1983, Month: 7, Day: 9}, Authority: forms.AuthorityHeld, Married: &yes},
	}
	return forms.FamilyCardApplication{Request: forms.CardNew, Members: append(base, members...), Truthful: true}
}

func kid(t testing.TB, first, born string) forms.FamilyMember {
	return forms.FamilyMember{Relationship: forms.Child, FirstNames: first, Surname: "Nowak", BirthDate: date(t, born)}
}

func withEducation(m forms.FamilyMember, kind string, plannedEnd civil.Date) forms.FamilyMember {
	m.Education = &forms.Education{Kind: kind, Name: "Szkoła", From: civil.Date{Year: 2020, Month: 9, Day: 1}, PlannedEnd: plannedEnd}
	return m
}

// want is the expected evaluation of one member.
type want struct {
	eligible   bool
	until      string // YYYY-MM-DD; "" when indefinite or not eligible
	indefinite bool
	code       Code // a code among the member's reasons or missing items
}

func TestEvaluate(t *testing.T) {
	on := date(t, "2026-03-10")
	rules := DefaultRules()
	parents := []want{{true, "", true, CodeParent}, {true, "", true, CodeSpouse}}
	d := func(s string) civil.Date { return date(t, s) }

	deprived := family(kid(t, "Ola", "2015-06-01"), kid(t, "Ala", "2016-06-01"), kid(t, "Ela", "2017-06-01"))
	deprived.Members[1].Authority = forms.AuthorityDeprived
	restricted := family(kid(t, "Ola", "2015-06-01"), kid(t, "Ala", "2016-06-01"), kid(t, "Ela", "2017-06-01"))
	restricted.Members[0].Authority = forms.AuthorityRestricted
	noDeclaration := family(kid(t, "Ola", "2015-06-01"), kid(t, "Ala", "2016-06-01"), kid(t, "Ela", "2017-06-01"))
	noDeclaration.Members[1].Authority = ""
	notMarried := family(kid(t, "Ola", "2015-06-01"), kid(t, "Ala", "2016-06-01"), kid(t, "Ela", "2017-06-01"))
	no := false
	notMarried.Members[1].Married = &no
	foreigner := family(kid(t, "Ola", "2015-06-01"), kid(t, "Ala", "2016-06-01"), kid(t, "Ela", "2017-06-01"))
	foreigner.Members[0].ResidenceValidUntil = d("2027-01-31")
	foreigner.Members[2].ResidenceValidUntil = d("2027-01-31")
	untruthful := family(kid(t, "Ola", "2015-06-01"), kid(t, "Ala", "2016-06-01"), kid(t, "Ela", "2017-06-01"))
	untruthful.Truthful = false

	foster := kid(t, "Zosia", "2014-04-01")
	foster.Relationship = forms.FosterChild
	foster.Foster = &forms.FosterPlacement{From: d("2024-01-01"), Until: d("2027-12-31")}
	fosterOpen := foster
	fosterOpen.Foster = &forms.FosterPlacement{From: d("2024-01-01")}
	fosterEnded := foster
	fosterEnded.Foster = &forms.FosterPlacement{From: d("2024-01-01"), Until: d("2026-01-31")}
	fosterUnknown := foster
	fosterUnknown.Foster = nil

	disabledForever := kid(t, "Piotr", "1996-01-20")
	disabledForever.Disability = &forms.Disability{Degree: forms.DisabilitySevere, Indefinite: true}
	disabledUntil := kid(t, "Paweł", "2000-01-20")
	disabledUntil.Disability = &forms.Disability{Degree: forms.DisabilityModerate, ValidUntil: d("2027-03-31")}
	disabledExpired := kid(t, "Paweł", "2000-01-20")
	disabledExpired.Disability = &forms.Disability{Degree: forms.DisabilityModerate, ValidUntil: d("2026-02-28")}
	disabledMild := kid(t, "Paweł", "2000-01-20")
	disabledMild.Disability = &forms.Disability{Degree: forms.DisabilityMild, ValidUntil: d("2030-02-28")}
	disabledLongerThanAge := kid(t, "Kuba", "2012-05-05")
	disabledLongerThanAge.Disability = &forms.Disability{Degree: forms.DisabilitySevere, ValidUntil: d("2032-05-31")}

	tests := []struct {
		name     string
		app      forms.FamilyCardApplication
		on       civil.Date
		outcome  Outcome
		children int
		members  []want // after the two parents, unless parentsToo
		parents  []want // nil: the usual two eligible parents
	}{
		{
			name: "three children under 18, two born on 29 February",
			app:  family(kid(t, "Ola", "2015-06-01"), kid(t, "Ala", "2012-02-29"), kid(t, "Ela", "2016-02-29")),
			on:   on, outcome: Grant, children: 3,
			// 18th birthdays in common years fall on 28 February (art. 112 KC).
			members: []want{{true, "2033-05-31", false, CodeChildUnderAge}, {true, "2030-02-27", false, CodeChildUnderAge}, {true, "2034-02-27", false, CodeChildUnderAge}},
		},
		{
			name: "born 29 February, 18 on 28 February, at university",
			app:  family(withEducation(kid(t, "Ola", "2008-02-29"), forms.University, d("2029-06-30")), kid(t, "Ala", "2012-03-01"), kid(t, "Ela", "2016-03-01")),
			on:   on, outcome: Grant, children: 3,
			members: []want{{true, "2029-09-30", false, CodeChildInEducation}, {true, "2030-02-28", false, CodeChildUnderAge}, {true, "2034-02-28", false, CodeChildUnderAge}},
		},
		{
			name: "child turns 18 on the day of application, no school given",
			app:  family(kid(t, "Ola", "2008-03-10"), kid(t, "Ala", "2012-03-01"), kid(t, "Ela", "2016-03-01")),
			on:   on, outcome: Incomplete, children: 3,
			members: []want{{false, "", false, CodeMissingEducation}, {true, "2030-02-28", false, CodeChildUnderAge}, {true, "2034-02-28", false, CodeChildUnderAge}},
		},
		{
			name: "child turns 18 on the day of application, at school until June",
			app:  family(withEducation(kid(t, "Ola", "2008-03-10"), forms.School, d("2026-06-26")), kid(t, "Ala", "2012-03-01"), kid(t, "Ela", "2016-03-01")),
			on:   on, outcome: Grant, children: 3,
			members: []want{{true, "2026-09-30", false, CodeChildInEducation}, {true, "2030-02-28", false, CodeChildUnderAge}, {true, "2034-02-28", false, CodeChildUnderAge}},
		},
		{
			name: "child turns 18 the day after the application: valid through the day of application",
			app:  family(kid(t, "Ola", "2008-03-11"), kid(t, "Ala", "2012-03-01"), kid(t, "Ela", "2016-03-01")),
			on:   on, outcome: Grant, children: 3,
			members: []want{{true, "2026-03-10", false, CodeChildUnderAge}, {true, "2030-02-28", false, CodeChildUnderAge}, {true, "2034-02-28", false, CodeChildUnderAge}},
		},
		{
			name: "24-year-old student whose studies end after the 25th birthday",
			app:  family(withEducation(kid(t, "Ola", "2001-05-15"), forms.University, d("2027-07-15")), kid(t, "Ala", "2012-03-01"), kid(t, "Ela", "2016-03-01")),
			on:   on, outcome: Grant, children: 3,
			members: []want{{true, "2026-05-14", false, CodeChildInEducation}, {true, "2030-02-28", false, CodeChildUnderAge}, {true, "2034-02-28", false, CodeChildUnderAge}},
		},
		{
			name: "school ending in September: 30 September of the next school year's end",
			app:  family(withEducation(kid(t, "Ola", "2007-01-15"), forms.School, d("2026-09-15")), kid(t, "Ala", "2012-03-01"), kid(t, "Ela", "2016-03-01")),
			on:   on, outcome: Grant, children: 3,
			members: []want{{true, "2027-09-30", false, CodeChildInEducation}, {true, "2030-02-28", false, CodeChildUnderAge}, {true, "2034-02-28", false, CodeChildUnderAge}},
		},
		{
			name: "education already ended",
			app:  family(withEducation(kid(t, "Ola", "2005-01-15"), forms.School, d("2025-06-27")), kid(t, "Ala", "2012-03-01"), kid(t, "Ela", "2016-03-01")),
			on:   on, outcome: GrantInPart, children: 3,
			members: []want{{false, "", false, CodeEducationEnded}, {true, "2030-02-28", false, CodeChildUnderAge}, {true, "2034-02-28", false, CodeChildUnderAge}},
		},
		{
			name: "parent deprived of parental authority",
			app:  deprived,
			on:   on, outcome: GrantInPart, children: 3,
			parents: []want{{true, "", true, CodeParent}, {false, "", false, CodeDeprivedOfAuthority}},
			members: []want{{true, "2033-05-31", false, CodeChildUnderAge}, {true, "2034-05-31", false, CodeChildUnderAge}, {true, "2035-05-31", false, CodeChildUnderAge}},
		},
		{
			name: "parent whose authority was restricted by foster placement",
			app:  restricted,
			on:   on, outcome: GrantInPart, children: 3,
			parents: []want{{false, "", false, CodeAuthorityRestricted}, {true, "", true, CodeSpouse}},
			members: []want{{true, "2033-05-31", false, CodeChildUnderAge}, {true, "2034-05-31", false, CodeChildUnderAge}, {true, "2035-05-31", false, CodeChildUnderAge}},
		},
		{
			name: "no declaration on parental authority",
			app:  noDeclaration,
			on:   on, outcome: Incomplete, children: 3,
			parents: []want{{true, "", true, CodeParent}, {false, "", false, CodeMissingAuthority}},
			members: []want{{true, "2033-05-31", false, CodeChildUnderAge}, {true, "2034-05-31", false, CodeChildUnderAge}, {true, "2035-05-31", false, CodeChildUnderAge}},
		},
		{
			name: "spouse not married to the applicant",
			app:  notMarried,
			on:   on, outcome: GrantInPart, children: 3,
			parents: []want{{true, "", true, CodeParent}, {false, "", false, CodeNotMarried}},
			members: []want{{true, "2033-05-31", false, CodeChildUnderAge}, {true, "2034-05-31", false, CodeChildUnderAge}, {true, "2035-05-31", false, CodeChildUnderAge}},
		},
		{
			name: "fewer than 3 children",
			app:  family(kid(t, "Ola", "2015-06-01"), kid(t, "Ala", "2016-06-01")),
			on:   on, outcome: Refuse, children: 2,
			parents: []want{{false, "", false, CodeTooFewChildren}, {false, "", false, CodeTooFewChildren}},
			members: []want{{false, "", false, CodeTooFewChildren}, {false, "", false, CodeTooFewChildren}},
		},
		{
			name: "foster child counted, card until the placement ends",
			app:  family(kid(t, "Ola", "2015-06-01"), kid(t, "Ala", "2016-06-01"), foster),
			on:   on, outcome: Grant, children: 3,
			members: []want{{true, "2033-05-31", false, CodeChildUnderAge}, {true, "2034-05-31", false, CodeChildUnderAge}, {true, "2027-12-31", false, CodeFosterPlacement}},
		},
		{
			name: "foster child with an open placement: the age rule",
			app:  family(kid(t, "Ola", "2015-06-01"), kid(t, "Ala", "2016-06-01"), fosterOpen),
			on:   on, outcome: Grant, children: 3,
			members: []want{{true, "2033-05-31", false, CodeChildUnderAge}, {true, "2034-05-31", false, CodeChildUnderAge}, {true, "2032-03-31", false, CodeChildUnderAge}},
		},
		{
			name: "foster placement ended",
			app:  family(kid(t, "Ola", "2015-06-01"), kid(t, "Ala", "2016-06-01"), fosterEnded),
			on:   on, outcome: GrantInPart, children: 3,
			members: []want{{true, "2033-05-31", false, CodeChildUnderAge}, {true, "2034-05-31", false, CodeChildUnderAge}, {false, "", false, CodePlacementEnded}},
		},
		{
			name: "foster child without the placement period",
			app:  family(kid(t, "Ola", "2015-06-01"), kid(t, "Ala", "2016-06-01"), fosterUnknown),
			on:   on, outcome: Incomplete, children: 3,
			members: []want{{true, "2033-05-31", false, CodeChildUnderAge}, {true, "2034-05-31", false, CodeChildUnderAge}, {false, "", false, CodeMissingPlacement}},
		},
		{
			name: "adult children count for the parents but get no card",
			app:  family(kid(t, "Ola", "1996-06-01"), kid(t, "Ala", "1998-06-01"), kid(t, "Ela", "2016-06-01")),
			on:   on, outcome: GrantInPart, children: 3,
			members: []want{{false, "", false, CodeChildTooOld}, {false, "", false, CodeChildTooOld}, {true, "2034-05-31", false, CodeChildUnderAge}},
		},
		{
			name: "adult child listed only to be counted: nothing to refuse",
			app:  family(func() forms.FamilyMember { m := kid(t, "Ola", "1996-06-01"); m.CountOnly = true; return m }(), kid(t, "Ala", "2016-06-01"), kid(t, "Ela", "2017-06-01")),
			on:   on, outcome: Grant, children: 3,
			members: []want{{false, "", false, CodeCountOnly}, {true, "2034-05-31", false, CodeChildUnderAge}, {true, "2035-05-31", false, CodeChildUnderAge}},
		},
		{
			name: "disabled children: adults indefinite and until the certificate ends, a minor until 18",
			app:  family(disabledForever, disabledUntil, disabledLongerThanAge),
			on:   on, outcome: Grant, children: 3,
			members: []want{{true, "", true, CodeChildDisabled}, {true, "2027-03-31", false, CodeChildDisabled}, {true, "2030-05-04", false, CodeChildUnderAge}},
		},
		{
			name: "certificate expired, mild degree",
			app:  family(disabledExpired, disabledMild, kid(t, "Ela", "2016-06-01")),
			on:   on, outcome: GrantInPart, children: 3,
			members: []want{{false, "", false, CodeCertificateExpired}, {false, "", false, CodeChildTooOld}, {true, "2034-05-31", false, CodeChildUnderAge}},
		},
		{
			name: "foreigners: capped by the residence document",
			app:  foreigner,
			on:   on, outcome: Grant, children: 3,
			parents: []want{{true, "2027-01-31", false, CodeResidence}, {true, "", true, CodeSpouse}},
			members: []want{{true, "2027-01-31", false, CodeResidence}, {true, "2034-05-31", false, CodeChildUnderAge}, {true, "2035-05-31", false, CodeChildUnderAge}},
		},
		{
			name: "declaration of truth not made",
			app:  untruthful,
			on:   on, outcome: Incomplete, children: 3,
			members: []want{{true, "2033-05-31", false, CodeChildUnderAge}, {true, "2034-05-31", false, CodeChildUnderAge}, {true, "2035-05-31", false, CodeChildUnderAge}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := Evaluate(tt.app, tt.on, rules)
			if ev.Outcome != tt.outcome {
				t.Errorf("got outcome %s, want %s (reasons %v, missing %v)", ev.Outcome, tt.outcome, ev.Reasons, ev.Missing)
			}
			if ev.Children != tt.children {
				t.Errorf("got %d children, want %d", ev.Children, tt.children)
			}
			if (len(ev.Missing) > 0) != (tt.outcome == Incomplete) {
				t.Errorf("got missing %v with outcome %s", ev.Missing, ev.Outcome)
			}
			ps := tt.parents
			if ps == nil {
				ps = parents
			}
			all := append(append([]want{}, ps...), tt.members...)
			if len(ev.Members) != len(all) {
				t.Fatalf("got %d members, want %d", len(ev.Members), len(all))
			}
			for i, w := range all {
				m := ev.Members[i]
				until := ""
				if !m.ValidUntil.IsZero() {
					until = m.ValidUntil.String()
				}
				codes := []Code{}
				for _, r := range append(append([]Reason{}, m.Reasons...), m.Missing...) {
					codes = append(codes, r.Code)
				}
				if m.Eligible != w.eligible || until != w.until || m.Indefinite != w.indefinite || !slices.Contains(codes, w.code) {
					t.Errorf("member %d (%s): got eligible %v until %q indefinite %v codes %v, want eligible %v until %q indefinite %v code %s",
						i, m.Name, m.Eligible, until, m.Indefinite, codes, w.eligible, w.until, w.indefinite, w.code)
				}
				for _, r := range m.Reasons {
					if r.Text == "" {
						t.Errorf("member %d: reason %s without text", i, r.Code)
					}
				}
			}
		})
	}
}

func TestEvaluateConfigurable(t *testing.T) {
	rules := DefaultRules()
	rules.MinChildren = 2
	app := family(kid(t, "Ola", "2015-06-01"), kid(t, "Ala", "2016-06-01"))
	if ev := Evaluate(app, date(t, "2026-03-10"), rules); ev.Outcome != Grant {
		t.Errorf("got outcome %s with MinChildren 2, want %s", ev.Outcome, Grant)
	}
	rules = DefaultRules()
	rules.EducationAge = 26
	app = family(withEducation(kid(t, "Ola", "2001-05-15"), forms.University, date(t, "2027-07-15")), kid(t, "Ala", "2012-03-01"), kid(t, "Ela", "2016-03-01"))
	ev := Evaluate(app, date(t, "2026-03-10"), rules)
	if got := ev.Members[2].ValidUntil.String(); got != "2027-05-14" {
		t.Errorf("got student's card until %s with EducationAge 26, want 2027-05-14", got)
	}
}

// TestEvaluateDisabledChild: the certificate's validity gives the card only from the 18th
// birthday (art. 11 ust. 1 pkt 4); a disabled minor holds it like any child, through the day
// before the 18th birthday, however long or short the certificate runs.
func TestEvaluateDisabledChild(t *testing.T) {
	on := date(t, "2026-03-10")
	disabled := func(first, born, certUntil string) forms.FamilyMember {
		m := kid(t, first, born)
		m.Disability = &forms.Disability{Degree: forms.DisabilitySevere, ValidUntil: date(t, certUntil)}
		return m
	}
	tests := []struct {
		name  string
		child forms.FamilyMember
		until string
		codes []Code
	}{
		{"disabled 10-year-old, certificate valid for 15 years: until the day before 18",
			disabled("Kuba", "2016-01-15", "2041-01-14"), "2034-01-14", []Code{CodeChildUnderAge}},
		{"disabled 17-year-old, certificate ending before 18: still until the day before 18",
			disabled("Kuba", "2008-09-01", "2026-06-30"), "2026-08-31", []Code{CodeChildUnderAge}},
		{"disabled 12-year-old, certificate expired: the age rule alone",
			disabled("Kuba", "2014-05-05", "2025-12-31"), "2032-05-04", []Code{CodeChildUnderAge}},
		{"disabled 20-year-old: until the certificate ends",
			disabled("Kuba", "2006-02-01", "2029-12-31"), "2029-12-31", []Code{CodeChildDisabled}},
		{"disabled 18-year-old on the birthday: until the certificate ends",
			disabled("Kuba", "2008-03-10", "2031-03-31"), "2031-03-31", []Code{CodeChildDisabled}},
		{"non-disabled 16-year-old: until the day before 18",
			kid(t, "Kuba", "2009-07-20"), "2027-07-19", []Code{CodeChildUnderAge}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := Evaluate(family(tt.child, kid(t, "Ala", "2015-06-01"), kid(t, "Ela", "2016-06-01")), on, DefaultRules())
			m := ev.Members[2]
			var codes []Code
			for _, r := range m.Reasons {
				codes = append(codes, r.Code)
			}
			if !m.Eligible || m.Indefinite || m.ValidUntil.String() != tt.until || !slices.Equal(codes, tt.codes) {
				t.Errorf("got eligible %v indefinite %v until %s codes %v (%v), want until %s codes %v",
					m.Eligible, m.Indefinite, m.ValidUntil, codes, m.Reasons, tt.until, tt.codes)
			}
		})
	}
}
