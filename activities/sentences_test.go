package activities

import (
	"strings"
	"testing"

	"github.com/obieg/obieg/internal/dev/simulator/compose"
	"github.com/obieg/obieg/internal/domain/casehistory"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/complaints"
	"github.com/obieg/obieg/internal/domain/drafts"
	"github.com/obieg/obieg/internal/domain/familycard"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/domain/letters"
)

// reasonFamilies returns applications between them giving every reason of the family card
// rules, and the generated demo applications.
func reasonFamilies(t *testing.T) []forms.FamilyCardApplication {
	d := func(s string) civil.Date {
		t.Helper()
		v, err := civil.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	yes, no := true, false
	kid := func(first, born string) forms.FamilyMember {
		return forms.FamilyMember{Relationship: forms.Child, FirstNames: first, Surname: "Nowak", BirthDate: d(born)}
	}
	family := func(members ...forms.FamilyMember) forms.FamilyCardApplication {
		base := []forms.FamilyMember{
			{Relationship: forms.Applicant, FirstNames: "Anna", Surname: "Nowak", BirthDate: d("1985-04-02"), Authority: forms.AuthorityHeld},
			{Relationship: forms.Spouse, FirstNames: "Jan", Surname: "Nowak", BirthDate: d("1983-07-09"), Authority: forms.AuthorityHeld, Married: &yes},
		}
		return forms.FamilyCardApplication{Request: forms.CardNew, Members: append(base, members...), Truthful: true}
	}
	three := func() forms.FamilyCardApplication {
		return family(kid("Ola", "2015-06-01"), kid("Ala", "2016-06-01"), kid("Ela", "2017-06-01"))
	}

	var apps []forms.FamilyCardApplication
	apps = append(apps, family(kid("Ola", "2015-06-01"), kid("Ala", "2016-06-01"))) // too few children
	for _, change := range []func(*forms.FamilyCardApplication){
		func(a *forms.FamilyCardApplication) { a.Members[1].Authority = forms.AuthorityDeprived },
		func(a *forms.FamilyCardApplication) { a.Members[0].Authority = forms.AuthorityRestricted },
		func(a *forms.FamilyCardApplication) { a.Members[1].Authority = "" },
		func(a *forms.FamilyCardApplication) { a.Members[1].Married = nil },
		func(a *forms.FamilyCardApplication) { a.Members[1].Married = &no },
		func(a *forms.FamilyCardApplication) { a.Members[0].ResidenceValidUntil = d("2025-01-31") },
		func(a *forms.FamilyCardApplication) { a.Members[2].ResidenceValidUntil = d("2027-01-31") },
		func(a *forms.FamilyCardApplication) { a.Truthful = false },
		func(a *forms.FamilyCardApplication) { a.Members[2].BirthDate = d("2027-01-01") },
	} {
		a := three()
		change(&a)
		apps = append(apps, a)
	}
	tooOld, school, ended := kid("Piotr", "1999-06-01"), kid("Paweł", "2005-01-15"), kid("Piotr", "2005-01-15")
	school.Education = &forms.Education{Kind: forms.University, Name: "Uniwersytet", PlannedEnd: d("2029-07-15")}
	ended.Education = &forms.Education{Kind: forms.School, Name: "Szkoła", PlannedEnd: d("2025-06-27")}
	apps = append(apps, family(tooOld, school, ended, kid("Ela", "2016-06-01")))
	apps = append(apps, family(kid("Ola", "2007-01-15"), kid("Ala", "2012-03-01"), kid("Ela", "2016-03-01"))) // no education given
	disabled, expired, minor := kid("Piotr", "1996-01-20"), kid("Paweł", "2000-01-20"), kid("Kuba", "2012-05-05")
	disabled.Disability = &forms.Disability{Degree: forms.DisabilitySevere, Indefinite: true}
	expired.Disability = &forms.Disability{Degree: forms.DisabilityModerate, ValidUntil: d("2026-02-28")}
	minor.Disability = &forms.Disability{Degree: forms.DisabilitySevere, ValidUntil: d("2032-05-31")}
	apps = append(apps, family(disabled, expired, minor))
	foster, fosterEnded, fosterUnknown := kid("Zosia", "2014-04-01"), kid("Ania", "2013-04-01"), kid("Kasia", "2012-04-01")
	foster.Relationship, fosterEnded.Relationship, fosterUnknown.Relationship = forms.FosterChild, forms.FosterChild, forms.FosterChild
	foster.Foster = &forms.FosterPlacement{From: d("2024-01-01"), Until: d("2027-12-31")}
	fosterEnded.Foster = &forms.FosterPlacement{From: d("2024-01-01"), Until: d("2026-01-31")}
	apps = append(apps, family(foster, fosterEnded, kid("Ela", "2016-06-01")), family(foster, fosterUnknown, kid("Ela", "2016-06-01")))
	counted := kid("Ewa", "1999-01-05")
	counted.CountOnly = true
	apps = append(apps, family(counted, kid("Ala", "2016-06-01"), kid("Ela", "2017-06-01")))

	for seed := range int64(100) {
		if s := compose.RandomFamilyCard(seed); s.Defect != compose.DefectMissingBirthDate {
			apps = append(apps, s.Application)
		}
	}
	return apps
}

// TestReasonSentencesEndOnce: every text built from the rules' reasons – the assessment's
// summary, the proposed draft, the case history's entries and the call to remedy defects –
// ends each sentence with one full stop, never two.
func TestReasonSentencesEndOnce(t *testing.T) {
	on := civil.Date{Year: 2026, Month: 3, Day: 10}
	check := func(t *testing.T, what, text string) {
		t.Helper()
		if strings.Contains(text, "..") {
			t.Errorf("%s contains \"..\": %s", what, text)
		}
	}
	codes := map[familycard.Code]bool{}
	for i, app := range reasonFamilies(t) {
		ev := familycard.Evaluate(app, on, familycard.DefaultRules())
		for _, m := range ev.Members {
			for _, r := range append(append([]familycard.Reason{}, m.Reasons...), m.Missing...) {
				codes[r.Code] = true
			}
		}
		for _, r := range append(append([]familycard.Reason{}, ev.Reasons...), ev.Missing...) {
			codes[r.Code] = true
		}
		summary := assessFamilyCard(ev).Summary
		check(t, "summary", summary)
		check(t, "history", casehistory.Assessed(summary).Text())

		p := drafts.Propose(drafts.Input{Case: drafts.Case{Reference: "WPS.5300.1.2026", Title: "Karta dużej rodziny", Office: "ROPS", ReceivedOn: on},
			FormType: forms.FamilyCard, FamilyCard: &app, On: on, Rules: familycard.DefaultRules()})
		draft := p.Draft()
		check(t, "draft", strings.Join(append(append([]string{draft.Summary, draft.Ruling, draft.Instruction}, p.Notes...), p.Ruling...), "\n"))
		check(t, "history", casehistory.DraftSubmitted(draft.Kind, draft.Summary, draft.Ruling).Text())
		for _, r := range ev.Missing {
			// The handler copies what is missing into the call to remedy defects.
			check(t, "history", casehistory.RemedyRequested(r.Text, 7, on.AddDays(7)).Text())
			check(t, "call to remedy", strings.Join(letters.RemedyRequest("WPS.5300.1.2026", "Karta dużej rodziny", r.Text, 7, on.AddDays(7)).Body, "\n"))
		}
		if t.Failed() {
			t.Fatalf("application %d", i)
		}
	}
	for _, c := range []familycard.Code{familycard.CodeParent, familycard.CodeSpouse, familycard.CodeChildUnderAge, familycard.CodeChildInEducation,
		familycard.CodeChildDisabled, familycard.CodeFosterPlacement, familycard.CodeResidence, familycard.CodeCountOnly,
		familycard.CodeTooFewChildren, familycard.CodeDeprivedOfAuthority, familycard.CodeAuthorityRestricted, familycard.CodeNotMarried,
		familycard.CodeChildTooOld, familycard.CodeEducationEnded, familycard.CodeCertificateExpired, familycard.CodePlacementEnded,
		familycard.CodeResidenceExpired, familycard.CodeBornLater, familycard.CodeMissingEducation, familycard.CodeMissingAuthority,
		familycard.CodeMissingMarriage, familycard.CodeMissingPlacement, familycard.CodeMissingDeclaration} {
		if !codes[c] {
			t.Errorf("no application gives the reason %s", c)
		}
	}

	author := &forms.Party{FirstName: "Anna", Surname: "Nowak", Address: &forms.Address{}}
	centre := complaints.Competence{Names: []string{"Regionalny Ośrodek Polityki Społecznej", "ROPS"}}
	for _, c := range []forms.ComplaintOrMotion{
		{Kind: forms.KindComplaint, Subject: "przewlekłość", Content: []string{"Skarga na przewlekłość rozpatrywania wniosku o dofinansowanie przez ośrodek."}},
		{Kind: forms.KindComplaint, Subject: "przewlekłość", Author: author, Concerns: &forms.Body{Name: "Urząd Gminy Zabierzów"}, Content: []string{"Skarga na wójta gminy, który nie odpowiada na pisma od wielu miesięcy."}},
		{Kind: forms.KindComplaint, Subject: "przewlekłość", Author: author, Content: []string{"Skarga."}},
		{Kind: forms.KindMotion, Subject: "dofinansowanie", Author: author, Concerns: &forms.Body{Name: "ROPS"}, Content: []string{"Wnoszę o rozszerzenie programu dofinansowania turnusów rehabilitacyjnych na osoby do 30. roku życia, bo dziś obejmuje tylko dzieci."}},
	} {
		summary := assessComplaint(complaints.Classify(c, centre)).Summary
		check(t, "summary", summary)
		check(t, "history", casehistory.Assessed(summary).Text())
	}
}

// TestAssessFamilyCardMissing: a member whose right waits on what the application lacks is
// not said to be refused.
func TestAssessFamilyCardMissing(t *testing.T) {
	yes := true
	born := civil.Date{Year: 2014, Month: 4, Day: 1}
	app := forms.FamilyCardApplication{Request: forms.CardNew, Truthful: true, Members: []forms.FamilyMember{
		{Relationship: forms.Applicant, FirstNames: "Anna", Surname: "Nowak", BirthDate: civil.Date{Year: 1985, Month: 4, Day: 2}, Authority: forms.AuthorityHeld},
		{Relationship: forms.Spouse, FirstNames: "Jan", Surname: "Nowak", BirthDate: civil.Date{Year: 1983, Month: 7, Day: 9}, Authority: forms.AuthorityHeld, Married: &yes},
		{Relationship: forms.FosterChild, FirstNames: "Kasia", Surname: "Nowak", BirthDate: born},
		{Relationship: forms.Child, FirstNames: "Ola", Surname: "Nowak", BirthDate: born},
		{Relationship: forms.Child, FirstNames: "Ela", Surname: "Nowak", BirthDate: born},
	}}
	summary := assessFamilyCard(familycard.Evaluate(app, civil.Date{Year: 2026, Month: 3, Day: 10}, familycard.DefaultRules())).Summary
	if !strings.Contains(summary, "Kasia Nowak: do ustalenia po uzupełnieniu wniosku. ") || strings.Contains(summary, "Kasia Nowak: nie przysługuje") {
		t.Errorf("got %s", summary)
	}
}
