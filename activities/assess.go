package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"

	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/domain/blob"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/complaints"
	"github.com/obieg/obieg/internal/domain/familycard"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/domain/sentence"
	"github.com/obieg/obieg/internal/records/cases"
	"github.com/obieg/obieg/internal/records/institutions"
	"github.com/obieg/obieg/internal/records/register"
)

// Assess applies the rules of its form to a case's document: the Large Family Card
// eligibility of each member, the classification of a complaint or motion, or, for a
// facility's report, whether its sender is an active institution of the database (then the
// report is accepted into the observatory). Other forms have no rules to apply: Assess
// returns an empty assessment.
func (a *Case) Assess(ctx context.Context, in contract.AssessInput) (contract.Assessment, error) {
	if in.FormType != forms.FamilyCard && in.FormType != forms.Complaint && in.FormType != forms.FacilityReport {
		return contract.Assessment{}, nil
	}
	ex, err := a.form(ctx, in.Document)
	if err != nil {
		return contract.Assessment{}, err
	}
	switch {
	case ex.FamilyCard != nil:
		return assessFamilyCard(familycard.Evaluate(*ex.FamilyCard, in.On, familycard.DefaultRules())), nil
	case ex.Report != nil:
		rep := *ex.Report
		from, err := a.reportSender(ctx, in.CaseID, rep)
		if err != nil {
			return contract.Assessment{}, err
		}
		v, err := a.Institutions.Check(ctx, from, in.On)
		if err != nil {
			return contract.Assessment{}, err
		}
		return assessReport(rep, from, v), nil
	case ex.Complaint != nil:
		return assessComplaint(complaints.Classify(*ex.Complaint, a.Competence)), nil
	default:
		return contract.Assessment{}, invalid(fmt.Errorf("the form of case %s is not read as %s", in.CaseID, in.FormType))
	}
}

// form returns the extract of the form a case was opened from; a form that is gone, or that
// no longer reads as its form, is a non-retryable error.
func (a *Case) form(ctx context.Context, ref blob.Ref) (forms.Extract, error) {
	ex, err := a.Extracts.Of(ctx, ref)
	var refusal *forms.Error
	if errors.Is(err, blob.ErrNotFound) || errors.As(err, &refusal) {
		return forms.Extract{}, invalid(err)
	}
	return ex, err
}

// limits returns lim, or forms.DefaultLimits when none were configured.
func limits(lim forms.Limits) forms.Limits {
	if lim.MaxBytes == 0 {
		return forms.DefaultLimits
	}
	return lim
}

var familyOutcome = map[familycard.Outcome]string{
	familycard.Grant:       "karty przysługują wszystkim wnioskującym członkom rodziny (przyznanie nie wymaga decyzji)",
	familycard.GrantInPart: "karty przysługują części członków rodziny; wobec pozostałych potrzebna decyzja odmowna",
	familycard.Refuse:      "karta nie przysługuje; potrzebna decyzja odmowna",
	familycard.Incomplete:  "wniosek niekompletny; należy wezwać do uzupełnienia",
}

func assessFamilyCard(ev familycard.Evaluation) contract.Assessment {
	var b strings.Builder
	fmt.Fprintf(&b, "Ocena wniosku o kartę dużej rodziny według stanu na %s: %s. Dzieci uwzględnione: %d.", ev.On, familyOutcome[ev.Outcome], ev.Children)
	if len(ev.Reasons) > 0 {
		b.WriteString(" " + sentence.Join(texts(ev.Reasons)...))
	}
	for _, m := range ev.Members {
		switch {
		case m.CountOnly:
			continue
		case m.Eligible && m.Indefinite:
			fmt.Fprintf(&b, " %s: przysługuje, bezterminowo.", m.Name)
		case m.Eligible:
			fmt.Fprintf(&b, " %s: przysługuje, ważna do %s.", m.Name, m.ValidUntil)
		case len(m.Missing) > 0:
			fmt.Fprintf(&b, " %s: do ustalenia po uzupełnieniu wniosku.", m.Name)
			if len(m.Reasons) > 0 {
				b.WriteString(" " + sentence.Join(texts(m.Reasons)...))
			}
		case len(m.Reasons) == 0:
			fmt.Fprintf(&b, " %s: nie przysługuje.", m.Name)
		default:
			fmt.Fprintf(&b, " %s: nie przysługuje – %s", m.Name, sentence.Join(texts(m.Reasons)...))
		}
	}
	if len(ev.Missing) > 0 {
		b.WriteString(" Do uzupełnienia: " + sentence.Join(texts(ev.Missing)...))
	}
	return contract.Assessment{Summary: b.String(), Outcome: string(ev.Outcome)}
}

// texts returns the reasons' sentences.
func texts(rs []familycard.Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Text
	}
	return out
}

var complaintAction = map[complaints.Action]string{
	complaints.LeaveUnexamined:  "pismo anonimowe – pozostawia się bez rozpatrzenia",
	complaints.Forward:          "pismo dotyczy innego organu – przekazać według właściwości w ciągu 7 dni i zawiadomić wnoszącego",
	complaints.AskClarification: "treść niejasna – wezwać wnoszącego do wyjaśnienia w ciągu 7 dni",
	complaints.Settle:           "rozpatrzyć i udzielić odpowiedzi w ciągu miesiąca",
}

func assessComplaint(d complaints.Decision) contract.Assessment {
	summary := "Kwalifikacja skargi lub wniosku: " + complaintAction[d.Action] + "."
	if d.ForwardTo != "" {
		summary += " Organ właściwy: " + d.ForwardTo + "."
	}
	if len(d.Reasons) > 0 {
		summary += " " + sentence.Join(d.Reasons...)
	}
	as := contract.Assessment{Summary: summary, Outcome: string(d.Action), LeaveUnexamined: d.Action == complaints.LeaveUnexamined}
	if d.Term.N > 0 {
		as.Term = d.Term.String()
	}
	return as
}

// reportSender is who a report comes from: the REGON and name of the facility on the form,
// and the sender's identifier as the box gave it with the submission the case was opened from
// (ePUAP authenticates it), else as the form declares it (IdentyfikatorEPUAP of a sender).
func (a *Case) reportSender(ctx context.Context, caseID uuid.UUID, rep forms.PlacesReport) (institutions.Sender, error) {
	from := institutions.Sender{REGON: rep.Facility.REGON, Name: rep.Facility.Name}
	for _, p := range rep.Envelope.From {
		if p.EPUAP != "" {
			from.EPUAP = p.EPUAP
			break
		}
	}
	c, err := a.Cases.GetByID(ctx, caseID)
	if errors.Is(err, cases.ErrNotFound) {
		return from, invalid(err)
	}
	if err != nil {
		return from, err
	}
	sub, err := a.Registry.Get(ctx, c.OriginSubmissionID)
	if errors.Is(err, register.ErrNotFound) {
		return from, invalid(err)
	}
	if err != nil {
		return from, err
	}
	if sub.SenderID != "" {
		from.EPUAP = sub.SenderID
	}
	return from, nil
}

func assessReport(rep forms.PlacesReport, from institutions.Sender, v institutions.Verdict) contract.Assessment {
	period := fmt.Sprintf("Okres sprawozdawczy: %s – %s.", rep.From, rep.To)
	sender := fmt.Sprintf("„%s” (REGON %s", from.Name, from.REGON)
	if from.EPUAP != "" {
		sender += ", identyfikator ePUAP " + from.EPUAP
	}
	sender += ")"
	var summary string
	switch v.Status {
	case institutions.Accepted:
		i := v.Institution
		what := institutions.KindName(i.Kind)
		if i.REGON != "" {
			what += ", REGON " + i.REGON
		}
		summary = fmt.Sprintf("Sprawozdanie przyjęte do obserwatorium: nadawca figuruje w bazie instytucji jako „%s” (%s). %s",
			i.Name, what, period)
	case institutions.Unknown:
		summary = fmt.Sprintf("Sprawozdania nie przyjęto do obserwatorium: nadawcy %s nie ma w bazie instytucji. "+
			"Sprawdź nadawcę; jeśli to placówka, od której obserwatorium przyjmuje sprawozdania, administrator dopisze ją do bazy. %s", sender, period)
	case institutions.Inactive:
		summary = fmt.Sprintf("Sprawozdania nie przyjęto do obserwatorium: %s. Nadawca: %s. %s",
			strings.Join(v.Problems, "; "), sender, period)
	default:
		summary = fmt.Sprintf("Sprawozdania nie przyjęto do obserwatorium: dane nadawcy nie zgadzają się z bazą instytucji – %s. "+
			"Wyjaśnij z nadawcą, kto złożył sprawozdanie. %s", strings.Join(v.Problems, "; "), period)
	}
	return contract.Assessment{Summary: summary, Outcome: string(v.Status)}
}

// GrantCards applies the family card rules to the application again and grants a card, with
// its number, to every eligible member who asked for one; granting needs no decision. When
// the rules give nobody a card (refused, or the application incomplete) it fails with
// ErrTypeNotGrantable, non-retryable: a refusal is a decision, drafted and signed.
func (a *Case) GrantCards(ctx context.Context, in contract.GrantInput) (contract.Granted, error) {
	ex, err := a.form(ctx, in.Document)
	if err != nil {
		return contract.Granted{}, err
	}
	if ex.FamilyCard == nil {
		return contract.Granted{}, invalid(fmt.Errorf("the form of case %s is not a family card application", in.CaseID))
	}
	ev := familycard.Evaluate(*ex.FamilyCard, in.On, familycard.DefaultRules())
	if ev.Outcome != familycard.Grant && ev.Outcome != familycard.GrantInPart {
		return contract.Granted{}, temporal.NewNonRetryableApplicationError("według zasad karta nie przysługuje ("+familyOutcome[ev.Outcome]+")", contract.ErrTypeNotGrantable, nil)
	}
	var holders []casefile.Card
	for _, m := range ev.Members {
		if !m.Eligible || m.CountOnly {
			continue
		}
		c := casefile.Card{Holder: m.Name}
		if !m.Indefinite {
			until := m.ValidUntil
			c.ValidUntil = &until
		}
		holders = append(holders, c)
	}
	cards, err := a.Cases.GrantCards(ctx, in.CaseID, holders, in.Key, in.By, in.Role, in.At)
	if err != nil {
		return contract.Granted{}, classify(err)
	}
	return contract.Granted{Cards: cards, Complete: ev.Outcome == familycard.Grant}, nil
}
