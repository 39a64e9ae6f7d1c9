package familycard_test

import (
	"fmt"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/familycard"
	"github.com/obieg/obieg/internal/domain/forms"
)

func ExampleEvaluate() {
	yes := true
	app := forms.FamilyCardApplication{
		Request:  forms.CardNew,
		Truthful: true,
		Members: []forms.FamilyMember{
			{Relationship: forms.Applicant, FirstNames: "Anna", Surname: "Nowak", BirthDate: civil.Date{Year: 1985, Month: 4, Day: 2}, Authority: forms.AuthorityHeld},
			{Relationship: forms.Spouse, FirstNames: "Jan", Surname: "Nowak", BirthDate: civil.Date{Year: 1983, Month: 7, Day: 9}, Authority: forms.AuthorityHeld, Married: &yes},
			{Relationship: forms.Child, FirstNames: "Ola", Surname: "Nowak", BirthDate: civil.Date{Year: 2012, Month: 2, Day: 29}},
			{Relationship: forms.Child, FirstNames: "Piotr", Surname: "Nowak", BirthDate: civil.Date{Year: 2005, Month: 10, Day: 1},
				Education: &forms.Education{Kind: forms.University, Name: "Uniwersytet Jagielloński", PlannedEnd: civil.Date{Year: 2028, Month: 7, Day: 15}}},
			// An adult daughter is listed only to be counted.
			{Relationship: forms.Child, FirstNames: "Ewa", Surname: "Nowak", BirthDate: civil.Date{Year: 1999, Month: 1, Day: 5}, CountOnly: true},
		},
	}
	ev := familycard.Evaluate(app, civil.Date{Year: 2026, Month: 3, Day: 10}, familycard.DefaultRules())
	fmt.Println(ev.Outcome, ev.Children)
	for _, m := range ev.Members {
		switch {
		case !m.Eligible:
			fmt.Printf("%s: %s\n", m.Name, m.Reasons[0].Code)
		case m.Indefinite:
			fmt.Printf("%s: bezterminowo\n", m.Name)
		default:
			fmt.Printf("%s: do %s\n", m.Name, m.ValidUntil)
		}
	}
	// Output:
	// grant 3
	// Anna Nowak: bezterminowo
	// Jan Nowak: bezterminowo
	// Ola Nowak: do 2030-02-27
	// Piotr Nowak: do 2028-09-30
	// Ewa Nowak: count-only
}
