package web_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/records/cases"
)

// formCase opens a case in unit from the form in file (internal/domain/forms/testdata), stored as
// the submission's raw bytes, assigned to assignee; it returns the case's reference.
func (o office) formCase(t *testing.T, id, unit, class, formType, file, assignee string) string {
	t.Helper()
	ctx := context.Background()
	data, err := os.ReadFile("../domain/forms/testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	ref := openCase(t, o.pool, id, unit, class)
	if _, err := o.pool.Exec(ctx, `UPDATE submissions SET form_type = $1 WHERE box_document_id = $2`, formType, id); err != nil {
		t.Fatal(err)
	}
	o.raw["raw/sha256/"+strings.Repeat(id, 64)[:64]] = data
	c, err := cases.New(o.pool).Get(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cases.New(o.pool).Apply(ctx, casefile.Step{CaseID: c.ID, Key: "assign/" + ref, Stage: casefile.StageAssigned, Assignee: &assignee,
		Action: casefile.Action{At: time.Now(), Actor: "system", ActorName: "system", Code: "assigned", Description: "Dekretacja."}}); err != nil {
		t.Fatal(err)
	}
	return ref
}

type proposalAnswer struct {
	Reference string `json:"reference"`
	Proposal  struct {
		Kind        string   `json:"kind"`
		Basis       string   `json:"basis"`
		Ruling      []string `json:"ruling"`
		Body        []string `json:"body"`
		Instruction []string `json:"instruction"`
		Notes       []string `json:"notes"`
	} `json:"proposal"`
	Draft struct {
		Kind    string `json:"kind"`
		Basis   string `json:"basis"`
		Ruling  string `json:"ruling"`
		Summary string `json:"summary"`
	} `json:"draft"`
}

func getProposal(t *testing.T, c *http.Client, url string, wantCode int) proposalAnswer {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p proposalAnswer
	if resp.StatusCode != wantCode {
		t.Fatalf("GET %s: got %d, want %d", url, resp.StatusCode, wantCode)
	}
	if wantCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// TestDraftProposal checks the proposed drafts read from the cases' stored forms: a family
// card application with two children gives a refusal decision naming each member, a
// complaint the notice of how it was settled; and the handler's draft form opens filled in.
func TestDraftProposal(t *testing.T) {
	o := newOffice(t)
	card := o.formCase(t, "d", "WPS", "5300", forms.FamilyCard, "karta-rodziny-seed10-dwoje-dzieci.xml", "referent.wps")
	complaint := o.formCase(t, "e", "SEK", "0570", forms.Complaint, "skarga-wniosek-seed1.xml", "referent.sek")
	wps := o.client(t, "referent.wps")

	p := getProposal(t, wps, o.url+"/api/v1/cases/"+card+"/draft-proposal", http.StatusOK)
	if p.Reference != card || p.Proposal.Kind != "decyzja" || p.Draft.Kind != "decyzja" {
		t.Fatalf("got %+v, want a decision in %s", p, card)
	}
	ruling := strings.Join(p.Proposal.Ruling, "\n")
	for _, want := range []string{"odmówić przyznania karty dużej rodziny", "Anna Grabowska (wnioskodawca", "Wojciech Grabowski (małżonek wnioskodawcy", "Łukasz"} {
		if !strings.Contains(ruling, want) {
			t.Errorf("the ruling lacks %q:\n%s", want, ruling)
		}
	}
	if p.Draft.Ruling != ruling || !strings.Contains(p.Draft.Basis, "art. 104 k.p.a.") {
		t.Errorf("the draft's ruling or basis differ from the proposal's: %+v", p.Draft)
	}
	for _, want := range []string{"We wniosku wskazano dzieci: 2", "co najmniej 3 dzieci", "orzeczono jak w sentencji"} {
		if !strings.Contains(p.Draft.Summary, want) {
			t.Errorf("the justification lacks %q:\n%s", want, p.Draft.Summary)
		}
	}
	if !strings.Contains(strings.Join(p.Proposal.Instruction, " "), "14 dni od dnia doręczenia") {
		t.Errorf("got instruction %q, want the appeal period", p.Proposal.Instruction)
	}

	sek := o.client(t, "referent.sek")
	p = getProposal(t, sek, o.url+"/api/v1/cases/"+complaint+"/draft-proposal?finding=unfounded", http.StatusOK)
	if p.Draft.Kind != "odpowiedz" || !strings.Contains(p.Draft.Summary, "Skargę uznano za bezzasadną.") ||
		!strings.Contains(p.Draft.Summary, "Pouczenie: zgodnie z art. 239 § 1 k.p.a.") || !strings.Contains(p.Draft.Summary, "Przewlekłe rozpatrywanie wniosku") {
		t.Errorf("complaint found unfounded: got %+v", p.Draft)
	}
	getProposal(t, sek, o.url+"/api/v1/cases/"+complaint+"/draft-proposal?finding=maybe", http.StatusBadRequest)
	getProposal(t, sek, o.url+"/api/v1/cases/"+card+"/draft-proposal", http.StatusForbidden)

	// The handler's page opens the draft form with the proposal in its fields.
	resp, err := wps.Get(o.url + "/sprawy/" + card)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := html.UnescapeString(string(body))
	for _, want := range []string{`<option value="decyzja" selected>`, "Anna Grabowska (wnioskodawca", "We wniosku wskazano dzieci: 2",
		"uzupełnij fragmenty w nawiasach kwadratowych", "[art. … – do uzupełnienia]"} {
		if !strings.Contains(page, want) {
			t.Errorf("the case page lacks %q", want)
		}
	}
}
