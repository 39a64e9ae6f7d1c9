package institutions

import (
	"strings"
	"testing"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/problem"
)

func TestJudge(t *testing.T) {
	day := civil.Date{Year: 2026, Month: 3, Day: 10}
	later := civil.Date{Year: 2026, Month: 4, Day: 1}
	earlier := civil.Date{Year: 2026, Month: 2, Day: 28}
	dps := Institution{ID: 1, REGON: "993040016", EPUAP: "dps_alberta", Name: "Dom Pomocy Społecznej „Na Wzgórzu” w Łodzi", Kind: "dom-pomocy-spolecznej", Active: true}
	pow := Institution{ID: 2, REGON: "995118225", EPUAP: "pow_promyk", Name: "Placówka Opiekuńczo-Wychowawcza „Promyk”", Kind: "placowka-opiekunczo-wychowawcza", Active: true}
	off := dps
	off.Active = false
	notYet := dps
	notYet.Since = &later
	ended := dps
	ended.Until = &earlier
	tests := []struct {
		name    string
		found   []Institution
		from    Sender
		want    Status
		problem string // a part of the problems, "" for none
	}{
		{"known by REGON", []Institution{dps}, Sender{REGON: dps.REGON, Name: dps.Name}, Accepted, ""},
		{"name differs only in case, spacing and quotes", []Institution{dps}, Sender{REGON: dps.REGON, Name: `dom pomocy  społecznej "Na Wzgórzu" w Łodzi`}, Accepted, ""},
		{"known by ePUAP identifier, no REGON", []Institution{dps}, Sender{EPUAP: "dps_alberta", Name: dps.Name}, Accepted, ""},
		{"REGON and box agree", []Institution{dps}, Sender{REGON: dps.REGON, EPUAP: "dps_alberta", Name: dps.Name}, Accepted, ""},
		{"unknown", nil, Sender{REGON: "123456785", Name: "Dom Opieki"}, Unknown, ""},
		{"name differs", []Institution{dps}, Sender{REGON: dps.REGON, Name: "Dom Pomocy Społecznej w Zgierzu"}, Mismatch, "nazwa w formularzu („Dom Pomocy Społecznej w Zgierzu”)"},
		{"REGON of another institution than the box", []Institution{dps, pow}, Sender{REGON: dps.REGON, EPUAP: "pow_promyk", Name: dps.Name}, Mismatch, "należy w bazie do innej instytucji („Placówka"},
		{"box known, REGON differs", []Institution{dps}, Sender{REGON: "123456785", EPUAP: "dps_alberta", Name: dps.Name}, Mismatch, "REGON w formularzu (123456785) różni się"},
		{"deactivated", []Institution{off}, Sender{REGON: dps.REGON, Name: dps.Name}, Inactive, "oznaczona jako nieaktywna"},
		{"not active yet", []Institution{notYet}, Sender{REGON: dps.REGON, Name: dps.Name}, Inactive, "dopiero od 2026-04-01"},
		{"no longer active", []Institution{ended}, Sender{REGON: dps.REGON, Name: dps.Name}, Inactive, "tylko do 2026-02-28"},
		{"deactivated and misnamed", []Institution{off}, Sender{REGON: dps.REGON, Name: "Inny dom"}, Mismatch, "nieaktywna"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Judge(tt.found, tt.from, day)
			if v.Status != tt.want {
				t.Errorf("got %s %q, want %s", v.Status, v.Problems, tt.want)
			}
			got := strings.Join(v.Problems, "; ")
			if (tt.problem == "") != (got == "") || !strings.Contains(got, tt.problem) {
				t.Errorf("got problems %q, want %q", got, tt.problem)
			}
			if (v.Institution == nil) != (tt.want == Unknown) {
				t.Errorf("got institution %v with status %s", v.Institution, v.Status)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	good := Institution{REGON: "123456785", Name: "Dom Pomocy Społecznej", Kind: "dom-pomocy-spolecznej"}
	since, until := civil.Date{Year: 2026, Month: 1, Day: 1}, civil.Date{Year: 2025, Month: 12, Day: 31}
	tests := []struct {
		name  string
		edit  func(*Institution)
		field string // "" when valid
	}{
		{"valid", func(*Institution) {}, ""},
		{"ePUAP only", func(i *Institution) { i.REGON, i.EPUAP = "", "dps_lodz" }, ""},
		{"neither REGON nor ePUAP", func(i *Institution) { i.REGON = "" }, "regon"},
		{"bad REGON", func(i *Institution) { i.REGON = "123456784" }, "regon"},
		{"ePUAP with a space", func(i *Institution) { i.EPUAP = "dps lodz" }, "epuap"},
		{"no name", func(i *Institution) { i.Name = "  " }, "name"},
		{"unknown kind", func(i *Institution) { i.Kind = "szpital" }, "kind"},
		{"until before since", func(i *Institution) { i.Since, i.Until = &since, &until }, "until"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := good
			tt.edit(&i)
			err := Validate(i)
			if tt.field == "" {
				if err != nil {
					t.Errorf("got %v, want valid", err)
				}
				return
			}
			if problem.KindOf(err) != problem.Invalid || problem.FieldMap(err)[tt.field] == "" {
				t.Errorf("got %v, want a message on %s", err, tt.field)
			}
		})
	}
}
