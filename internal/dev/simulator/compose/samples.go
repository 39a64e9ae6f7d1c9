package compose

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/forms"
)

// Defect names a deliberate flaw of a generated form, so that the demo and the tests can show
// what obieg does with it.
type Defect string

// Defects of generated forms.
const (
	// DefectNone: the form is complete and the case is ordinary.
	DefectNone Defect = ""
	// DefectMissingBirthDate: a child's date of birth, which the form requires, is left out;
	// forms.ParseFamilyCard refuses the document (forms.ReasonInvalid).
	DefectMissingBirthDate Defect = "brak-daty-urodzenia"
	// DefectNoEducation: a child of 18 to 24 is listed without school attendance: the form is
	// valid, the clerk asks for the missing information.
	DefectNoEducation Defect = "brak-informacji-o-nauce"
	// DefectTwoChildren: the family lists only two children and is not eligible.
	DefectTwoChildren Defect = "dwoje-dzieci"
	// DefectAnonymous: a complaint without its author's name and address.
	DefectAnonymous Defect = "anonimowa"
	// DefectMisdirected: a complaint about a body the centre is not competent for.
	DefectMisdirected Defect = "inny-organ"
	// DefectUnclear: a complaint too short to tell what it is about.
	DefectUnclear Defect = "niejasna"
	// DefectFreePlaces: a report whose free places are not total minus occupied;
	// forms.ParseFacilityReport refuses it (forms.ReasonInvalid).
	DefectFreePlaces Defect = "wolne-miejsca-niezgodne"
)

// FamilyCardSample is a generated family card application.
type FamilyCardSample struct {
	Application forms.FamilyCardApplication
	Login       string // the applicant's ePUAP login, for filing
	Defect      Defect
}

// XML renders the application; see FamilyCardXML.
func (s FamilyCardSample) XML() []byte { return FamilyCardXML(s.Application) }

// FamilyCard returns the XML of the application RandomFamilyCard(seed) describes.
func FamilyCard(seed int64) []byte { return RandomFamilyCard(seed).XML() }

// centre is the addressee of the generated forms.
func centre() forms.Party {
	rc := recipients[0]
	return forms.Party{
		Institution: rc.name,
		Address:     &forms.Address{PostalCode: rc.postal, Post: rc.town, Town: rc.town, Street: rc.street, Building: rc.building},
		EPUAP:       rc.box,
	}
}

// CentreName is the name of the centre the generated letters and forms are addressed to.
const CentreName = "Regionalny Ośrodek Polityki Społecznej w Krakowie"

func newRand(seed int64, form uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), 0x6f6269656721+form))
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// randomAddress returns an address in one of the towns.
func randomAddress(r *rand.Rand) forms.Address {
	town := pick(r, towns)
	a := forms.Address{PostalCode: town.postal, Post: town.name, Town: town.name, Street: pick(r, streets), Building: fmt.Sprint(1 + r.IntN(120))}
	if r.IntN(3) == 0 {
		a.Flat = fmt.Sprint(1 + r.IntN(60))
	}
	return a
}

// yearsBefore returns a birth date that makes a person age years old on d, plus up to 364
// days.
func yearsBefore(r *rand.Rand, d civil.Date, age int) civil.Date {
	return d.AddMonths(-12 * age).AddDays(-r.IntN(365))
}

var (
	schoolsBySize = []string{"Liceum Ogólnokształcące nr 1", "Technikum Ekonomiczne", "Zespół Szkół Zawodowych nr 2", "Liceum Ogólnokształcące im. Adama Mickiewicza"}
	universities  = []struct{ name, street string }{
		{"Uniwersytet Jagielloński", "Gołębia"}, {"Akademia Górniczo-Hutnicza im. Stanisława Staszica", "al. Mickiewicza"},
		{"Uniwersytet Ekonomiczny w Krakowie", "Rakowicka"}, {"Politechnika Krakowska", "Warszawska"},
	}
)

// RandomFamilyCard returns a plausible application, the same for the same seed: a parent,
// usually a spouse, three to five children of every age (some at school or university, now
// and then a disabled or a foster child), and for some seeds a Defect.
func RandomFamilyCard(seed int64) FamilyCardSample {
	r := newRand(seed, 1)
	var defect Defect
	switch r.IntN(8) {
	case 0:
		defect = DefectTwoChildren
	case 1:
		defect = DefectNoEducation
	case 2:
		defect = DefectMissingBirthDate
	}
	created := civil.Date{Year: 2026, Month: time.January, Day: 5}.AddDays(r.IntN(300))
	home := randomAddress(r)
	family := pick(r, surnames)
	motherMaiden := pick(r, surnames)[1]
	yes := true
	held := forms.AuthorityHeld

	mother := forms.FamilyMember{
		FirstNames: pick(r, womenFirst), Surname: family[1],
		FatherFamilyName: masculine(motherMaiden), MotherFamilyName: pick(r, surnames)[1],
		BirthDate: yearsBefore(r, created, 36+r.IntN(14)), PESEL: fakePESEL(r, true), Address: home, Authority: held, Card: randomCard(r),
	}
	father := forms.FamilyMember{
		FirstNames: pick(r, menFirst), Surname: family[0],
		FatherFamilyName: family[0], MotherFamilyName: pick(r, surnames)[1],
		BirthDate: yearsBefore(r, created, 37+r.IntN(15)), PESEL: fakePESEL(r, false), Address: home, Authority: held, Card: randomCard(r),
	}
	applicant, spouse := mother, father
	if r.IntN(2) == 0 {
		applicant, spouse = father, mother
	}
	applicant.Relationship = forms.Applicant
	members := []forms.FamilyMember{applicant}
	if r.IntN(4) != 0 {
		spouse.Relationship = forms.Spouse
		spouse.Married = &yes
		members = append(members, spouse)
	}
	if r.IntN(5) == 0 {
		c := randomAddress(r)
		members[0].Correspondence = &c
	}

	n := 3 + r.IntN(3)
	if defect == DefectTwoChildren {
		n = 2
	}
	for i := range n {
		female := r.IntN(2) == 0
		child := forms.FamilyMember{
			Relationship: forms.Child, Surname: family[0],
			FatherFamilyName: family[0], MotherFamilyName: motherMaiden,
			PESEL: fakePESEL(r, female), Address: home, Card: randomCard(r),
		}
		if female {
			child.FirstNames, child.Surname = pick(r, womenFirst), family[1]
		} else {
			child.FirstNames = pick(r, menFirst)
		}
		age := r.IntN(27)
		if defect == DefectNoEducation && i == 0 {
			age = 20
		}
		child.BirthDate = yearsBefore(r, created, age)
		switch {
		case age >= 18 && age < 25 && !(defect == DefectNoEducation && i == 0):
			child.Education = randomEducation(r, created, age)
		case age >= 25 && r.IntN(3) == 0:
			child.Disability = &forms.Disability{Degree: forms.DisabilitySevere, Indefinite: true}
		case age >= 25:
			child.CountOnly = true // counted for the parents, no card of their own
		case age < 16 && r.IntN(8) == 0:
			child.Disability = &forms.Disability{Degree: forms.DisabilityUnder16, ValidUntil: child.BirthDate.AddMonths(16 * 12).AddDays(-1)}
		}
		if i == n-1 && age < 18 && r.IntN(4) == 0 {
			child.Relationship = forms.FosterChild
			child.Surname = pick(r, surnames)[map[bool]int{false: 0, true: 1}[female]]
			child.FatherFamilyName, child.MotherFamilyName = masculine(child.Surname), pick(r, surnames)[1]
			placed := created.AddDays(-30 - r.IntN(900))
			if placed.Before(child.BirthDate) {
				placed = child.BirthDate.AddDays(7)
			}
			child.Foster = &forms.FosterPlacement{From: placed}
			if r.IntN(2) == 0 {
				child.Foster.Until = created.AddMonths(6 + r.IntN(30))
			}
		}
		members = append(members, child)
	}
	if defect == DefectMissingBirthDate {
		members[len(members)-1].BirthDate = civil.Date{}
	}
	a := members[0]
	app := forms.FamilyCardApplication{
		Envelope: forms.Envelope{
			Namespace: "urn:obieg:wzor:karta-rodziny:2026-1",
			Created:   created,
			Name:      "Wniosek o wydanie Wojewódzkiej Karty Rodzin Wielodzietnych",
			To:        []forms.Party{centre()},
			From:      []forms.Party{{FirstName: a.FirstNames, Surname: a.Surname, PESEL: a.PESEL, Address: &a.Address}},
		},
		Place:    home.Town,
		Title:    "Wniosek o wydanie karty rodziny wielodzietnej",
		Request:  forms.CardNew,
		Members:  members,
		Truthful: true,
	}
	if r.IntN(10) == 0 {
		app.Request = forms.CardDuplicate
		app.Title = "Wniosek o wydanie duplikatu karty rodziny wielodzietnej"
	}
	return FamilyCardSample{Application: app, Login: login(a.FirstNames, a.Surname, r), Defect: defect}
}

// masculine returns the masculine form of a surname given in either form.
func masculine(surname string) string {
	for _, s := range surnames {
		if s[0] == surname || s[1] == surname {
			return s[0]
		}
	}
	return surname
}

func randomCard(r *rand.Rand) forms.CardForm {
	return pick(r, []forms.CardForm{forms.CardTraditional, forms.CardElectronic, forms.CardBoth, forms.CardBoth})
}

// randomEducation returns the school or university of a child of age (18 to 24) on created.
func randomEducation(r *rand.Rand, created civil.Date, age int) *forms.Education {
	if age < 20 {
		town := pick(r, towns)
		end := civil.Date{Year: created.Year + r.IntN(2), Month: time.June, Day: 26}
		if end.Before(created) {
			end.Year++
		}
		return &forms.Education{
			Kind: forms.School, Name: pick(r, schoolsBySize) + " w " + locative(town.name),
			Address:    forms.Address{PostalCode: town.postal, Post: town.name, Town: town.name, Street: pick(r, streets), Building: fmt.Sprint(1 + r.IntN(40))},
			From:       civil.Date{Year: end.Year - 4, Month: time.September, Day: 1},
			PlannedEnd: end,
		}
	}
	u := pick(r, universities)
	end := civil.Date{Year: created.Year + 1 + r.IntN(3), Month: time.July, Day: 15}
	return &forms.Education{
		Kind: forms.University, Name: u.name,
		Address:    forms.Address{PostalCode: "30-001", Post: "Kraków", Town: "Kraków", Street: u.street, Building: fmt.Sprint(1 + r.IntN(30))},
		From:       civil.Date{Year: created.Year - (age - 19), Month: time.October, Day: 1},
		PlannedEnd: end,
	}
}

// locative gives the town's name after "w" for the towns of data.go.
func locative(town string) string {
	if l, ok := map[string]string{
		"Kraków": "Krakowie", "Tarnów": "Tarnowie", "Nowy Sącz": "Nowym Sączu", "Oświęcim": "Oświęcimiu",
		"Chrzanów": "Chrzanowie", "Olkusz": "Olkuszu", "Nowy Targ": "Nowym Targu", "Bochnia": "Bochni",
		"Gorlice": "Gorlicach", "Zakopane": "Zakopanem", "Wieliczka": "Wieliczce", "Myślenice": "Myślenicach",
		"Wadowice": "Wadowicach", "Limanowa": "Limanowej", "Miechów": "Miechowie", "Dąbrowa Tarnowska": "Dąbrowie Tarnowskiej",
	}[town]; ok {
		return l
	}
	return town
}

// ComplaintSample is a generated complaint or motion.
type ComplaintSample struct {
	Complaint forms.ComplaintOrMotion
	Login     string // the sender's ePUAP login, for filing (ePUAP knows who files even when the form is anonymous)
	Defect    Defect
}

// XML renders the complaint; see ComplaintXML.
func (s ComplaintSample) XML() []byte { return ComplaintXML(s.Complaint) }

// Complaint returns the XML of the complaint RandomComplaint(seed) describes.
func Complaint(seed int64) []byte { return RandomComplaint(seed).XML() }

var (
	complaintMatters = []struct {
		kind           forms.ComplaintKind
		title, subject string
		body           []string
	}{
		{forms.KindComplaint, "Skarga na przewlekłe rozpatrywanie wniosku o kartę", "Przewlekłe rozpatrywanie wniosku o Wojewódzką Kartę Rodzin Wielodzietnych",
			[]string{"Złożyłam wniosek o wydanie karty dla całej rodziny ponad dwa miesiące temu i do dziś nie otrzymałam ani karty, ani żadnej informacji o sprawie.", "Proszę o wyjaśnienie przyczyn zwłoki i wskazanie, kiedy karta zostanie wydana."}},
		{forms.KindComplaint, "Skarga na zachowanie pracownika", "Niewłaściwe zachowanie pracownika punktu obsługi interesantów",
			[]string{"W dniu wizyty w punkcie obsługi pracownik odmówił przyjęcia mojego wniosku i zwracał się do mnie w sposób lekceważący.", "Proszę o zbadanie sprawy i poinformowanie mnie o podjętych działaniach."}},
		{forms.KindMotion, "Wniosek o wydłużenie godzin pracy punktu obsługi", "Godziny pracy punktu obsługi interesantów",
			[]string{"Wnoszę o wydłużenie godzin przyjmowania interesantów przynajmniej w jeden dzień tygodnia do godziny 18:00.", "Osoby pracujące nie mają możliwości załatwienia spraw w obecnych godzinach pracy ośrodka."}},
		{forms.KindMotion, "Wniosek o rozszerzenie listy partnerów programu karty", "Partnerzy programu Wojewódzkiej Karty Rodzin Wielodzietnych",
			[]string{"Proponuję, aby ośrodek zaprosił do programu karty więcej przewoźników regionalnych i basenów miejskich w mniejszych miejscowościach.", "Obecnie zniżki dostępne są głównie w dużych miastach województwa."}},
		{forms.KindComplaint, "Skarga na brak odpowiedzi na pismo", "Brak odpowiedzi na pismo w sprawie banku wolnych miejsc",
			[]string{"W ubiegłym miesiącu zwróciłem się z pytaniem o wolne miejsca w domach pomocy społecznej dla mojego ojca i nie otrzymałem odpowiedzi.", "Proszę o udzielenie informacji i wyjaśnienie, dlaczego pismo pozostało bez odpowiedzi."}},
	}
	otherBodies = []struct {
		name, title, subject string
		body                 []string
	}{
		{"Gminny Ośrodek Pomocy Społecznej w Gorlicach", "Skarga na działanie GOPS", "Odmowa przyznania zasiłku celowego",
			[]string{"Gminny ośrodek pomocy społecznej odmówił mi przyznania zasiłku celowego na zakup opału, choć spełniam kryterium dochodowe.", "Proszę o zbadanie, czy pracownicy ośrodka postąpili zgodnie z przepisami."}},
		{"Powiatowe Centrum Pomocy Rodzinie w Nowym Targu", "Skarga na PCPR", "Przewlekłe załatwianie sprawy rodziny zastępczej",
			[]string{"Od pół roku czekam na wypłatę świadczenia na pokrycie kosztów utrzymania dziecka umieszczonego w mojej rodzinie zastępczej.", "Powiatowe centrum nie odpowiada na moje pisma."}},
		{"Urząd Gminy Limanowa", "Skarga na wójta", "Odmowa wydania Karty Dużej Rodziny",
			[]string{"Urząd gminy odmówił wydania ogólnopolskiej Karty Dużej Rodziny dla mojego pełnoletniego syna, który studiuje.", "Uważam, że odmowa jest niezgodna z ustawą o Karcie Dużej Rodziny."}},
	}
	unclearBodies = [][]string{{"Skarżę się na to wszystko."}, {"Proszę coś z tym zrobić."}, {"Nie zgadzam się."}}
)

// RandomComplaint returns a plausible complaint or motion to the centre, the same for the same
// seed; some are anonymous, misdirected or unclear (see Defect).
func RandomComplaint(seed int64) ComplaintSample {
	r := newRand(seed, 2)
	var defect Defect
	switch r.IntN(6) {
	case 0:
		defect = DefectAnonymous
	case 1:
		defect = DefectMisdirected
	case 2:
		defect = DefectUnclear
	}
	female := r.IntN(2) == 0
	sn := pick(r, surnames)
	first, last := pick(r, menFirst), sn[0]
	if female {
		first, last = pick(r, womenFirst), sn[1]
	}
	home := randomAddress(r)
	m := pick(r, complaintMatters)
	c := forms.ComplaintOrMotion{
		Envelope: forms.Envelope{
			Namespace: "urn:obieg:wzor:skarga-wniosek:2026-1",
			Created:   civil.Date{Year: 2026, Month: time.January, Day: 5}.AddDays(r.IntN(300)),
			To:        []forms.Party{centre()},
			From:      []forms.Party{{FirstName: first, Surname: last, Address: &home}},
		},
		Place: home.Town, Title: m.title, Kind: m.kind, Subject: m.subject,
		Content: append([]string{}, m.body...),
	}
	if r.IntN(2) == 0 {
		c.Concerns = &forms.Body{Name: CentreName}
	}
	switch defect {
	case DefectAnonymous:
		c.From = nil
		c.Place = ""
	case DefectMisdirected:
		o := pick(r, otherBodies)
		c.Kind, c.Title, c.Subject, c.Content = forms.KindComplaint, o.title, o.subject, append([]string{}, o.body...)
		c.Concerns = &forms.Body{Name: o.name}
	case DefectUnclear:
		c.Kind, c.Title, c.Subject = forms.KindComplaint, "Skarga", "Skarga"
		c.Content = append([]string{}, pick(r, unclearBodies)...)
		c.Concerns = nil
	}
	if c.Kind == forms.KindMotion {
		c.Name = "Wniosek (art. 241 KPA)"
	} else {
		c.Name = "Skarga (art. 227 KPA)"
	}
	c.Author = nil
	if len(c.From) > 0 {
		author := c.From[0]
		c.Author = &author
	}
	return ComplaintSample{Complaint: c, Login: login(first, last, r), Defect: defect}
}

// PlacesReportSample is a generated report of a facility's places.
type PlacesReportSample struct {
	Report forms.PlacesReport
	Login  string // the facility's ePUAP login, for filing
	Defect Defect
}

// XML renders the report; see PlacesReportXML.
func (s PlacesReportSample) XML() []byte { return PlacesReportXML(s.Report) }

// PlacesReport returns the XML of the report RandomPlacesReport(seed) describes.
func PlacesReport(seed int64) []byte { return RandomPlacesReport(seed).XML() }

var facilities = []struct {
	name, kind, login string
	types             []string
}{
	{"Dom Pomocy Społecznej im. św. Brata Alberta", forms.FacilityCareHome, "dps_alberta", []string{"podeszly-wiek", "przewlekle-somatycznie-chorzy"}},
	{"Dom Pomocy Społecznej „Na Wzgórzu”", forms.FacilityCareHome, "dps_wzgorze", []string{"przewlekle-psychicznie-chorzy", "dorosli-niepelnosprawni-intelektualnie"}},
	{"Dom Pomocy Społecznej dla Dzieci", forms.FacilityCareHome, "dps_dzieci", []string{"dzieci-niepelnosprawne-intelektualnie"}},
	{"Placówka Opiekuńczo-Wychowawcza „Promyk”", forms.FacilityChildCare, "pow_promyk", []string{"dzieci-i-mlodziez"}},
	{"Regionalna Placówka Opiekuńczo-Terapeutyczna", forms.FacilityTherapeuticRegional, "rpot", []string{"dzieci-i-mlodziez"}},
	{"Całodobowy Dom Opieki „Złota Jesień”", forms.FacilityRoundTheClock, "zlota_jesien", []string{"podeszly-wiek", "niepelnosprawni-fizycznie"}},
}

// RandomPlacesReport returns a plausible monthly report of a facility's places, the same for
// the same seed; some carry DefectFreePlaces.
func RandomPlacesReport(seed int64) PlacesReportSample {
	r := newRand(seed, 3)
	var defect Defect
	if r.IntN(6) == 0 {
		defect = DefectFreePlaces
	}
	f := pick(r, facilities)
	addr := randomAddress(r)
	name := f.name + " w " + locative(addr.Town)
	month := civil.Date{Year: 2026, Month: time.January, Day: 1}.AddMonths(r.IntN(10))
	to := month.AddMonths(1).AddDays(-1)
	rep := forms.PlacesReport{
		Envelope: forms.Envelope{
			Namespace: "urn:obieg:wzor:sprawozdanie-placowki:2026-1",
			Created:   to.AddDays(1 + r.IntN(5)),
			Name:      "Informacja o miejscach w placówce całodobowej",
			To:        []forms.Party{centre()},
			From:      []forms.Party{{Institution: name, Address: &addr}},
		},
		Place:    addr.Town,
		Title:    fmt.Sprintf("Informacja o wolnych miejscach za okres %s – %s", month, to),
		Facility: forms.Facility{REGON: fakeREGON(r), Name: name, Kind: f.kind, Address: addr},
		From:     month, To: to,
		PreparedBy: pick(r, womenFirst) + " " + pick(r, surnames)[1],
		Phone:      fmt.Sprintf("%d %03d %02d %02d", 12+r.IntN(7), r.IntN(1000), r.IntN(100), r.IntN(100)),
	}
	for _, t := range f.types {
		total := 20 + r.IntN(130)
		occupied := total - r.IntN(min(total, 8))
		rep.Places = append(rep.Places, forms.Places{Type: t, Total: total, Occupied: occupied, Free: total - occupied})
	}
	if defect == DefectFreePlaces {
		rep.Places[0].Free++
	}
	return PlacesReportSample{Report: rep, Login: f.login, Defect: defect}
}

// fakeREGON returns a 9-digit REGON with a valid check digit, starting with 99 so that it is
// easy to tell from the REGONs of real units.
func fakeREGON(r *rand.Rand) string {
	for {
		digits := fmt.Sprintf("99%06d", r.IntN(1_000_000))
		weights := []int{8, 9, 2, 3, 4, 5, 6, 7}
		sum := 0
		for i, w := range weights {
			sum += int(digits[i]-'0') * w
		}
		if check := sum % 11; check < 10 {
			return digits + fmt.Sprint(check)
		}
	}
}
