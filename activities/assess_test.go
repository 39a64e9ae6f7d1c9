package activities

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/dev/demo"
	"github.com/obieg/obieg/internal/dev/devstack/stacktest"
	"github.com/obieg/obieg/internal/dev/simulator/compose"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/records/cases"
	"github.com/obieg/obieg/internal/records/extracts"
	"github.com/obieg/obieg/internal/records/institutions"
	"github.com/obieg/obieg/internal/records/register"
)

// demoReport returns the first demo report without a defect from the facility login.
func demoReport(t testing.TB, login string) compose.PlacesReportSample {
	t.Helper()
	for seed := int64(0); seed < 200; seed++ {
		if rs := demo.PlacesReport(seed); rs.Login == login && rs.Defect == "" {
			return rs
		}
	}
	t.Fatalf("no demo report from %s", login)
	return compose.PlacesReportSample{}
}

// TestAssessReport checks what the case of a facility's report records for its handler: the
// report accepted into the observatory when its sender is an active institution of the
// database, and why not otherwise.
func TestAssessReport(t *testing.T) {
	ctx := context.Background()
	pool, _ := stacktest.Pool(t)
	if err := demo.Seed(ctx, pool); err != nil {
		t.Fatal(err)
	}
	s3, bucket := stacktest.Blob(t, false)
	a := &Case{Blob: s3, Extracts: extracts.New(s3, forms.DefaultLimits), Institutions: institutions.New(pool), Cases: cases.New(pool), Registry: register.New(pool)}
	// openCase opens a case of a report that came from the ePUAP box of box.
	openCase := func(t *testing.T, n int, box string) uuid.UUID {
		t.Helper()
		sha := fmt.Sprintf("%064x", n)
		sub, err := register.New(pool).Record(ctx, register.Submission{Channel: "epuap", BoxDocumentID: fmt.Sprint(n),
			WorkflowID: fmt.Sprint("submission/epuap/", n), ReceivedAt: time.Now(), PulledAt: time.Now(), SenderID: box,
			SenderName: "Placówka", RawKey: "sha256/" + sha, SHA256: sha, Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		c, err := cases.New(pool).Open(ctx, sub, "OIS", "5132", "Informacja o wolnych miejscach", time.Now(), civil.Warsaw)
		if err != nil {
			t.Fatal(err)
		}
		return c.ID
	}

	known := demoReport(t, "dps_wzgorze")
	renamed := demoReport(t, "dps_wzgorze")
	renamed.Report.Facility.Name = "Dom Pomocy Społecznej „Pod Lasem” w Tarnowie"
	declared := demoReport(t, "dps_wzgorze")
	declared.Report.Envelope.From[0].EPUAP = "pow_promyk"
	closed := demoReport(t, "dps_wzgorze")
	closed.Report.Facility.REGON, closed.Report.Facility.Name = "123456785", "Miejski Ośrodek Pomocy Społecznej w Bochni"
	closed.Report.Envelope.From[0].EPUAP = ""
	tests := []struct {
		name    string
		report  forms.PlacesReport
		box     string // the sender's ePUAP identifier as the box gave it
		outcome string
		summary []string
	}{
		{"known and active", known.Report, "dps_wzgorze", "accepted", []string{"Sprawozdanie przyjęte do obserwatorium", "„Dom Pomocy Społecznej „Na Wzgórzu” w Tarnowie” (dom pomocy społecznej, REGON 995118225)", "Okres sprawozdawczy"}},
		{"the box's sender counts, not the form's", declared.Report, "dps_wzgorze", "accepted", []string{"przyjęte"}},
		{"known by the form's identifier, not sent by ePUAP", known.Report, "", "accepted", []string{"przyjęte"}},
		{"unknown", demoReport(t, "zlota_jesien").Report, "zlota_jesien", "unknown-sender", []string{"nie ma w bazie instytucji", "REGON 996305509"}},
		{"name does not match the REGON", renamed.Report, "dps_wzgorze", "sender-mismatch", []string{"nie zgadzają się", "„Pod Lasem”"}},
		{"sent from the box of another institution", known.Report, "pow_promyk", "sender-mismatch", []string{"pow_promyk należy w bazie do innej instytucji"}},
		{"deactivated", closed.Report, "mops_bochnia", "inactive-sender", []string{"nieaktywna", "Bochni"}},
	}
	for n, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref, err := s3.PutContent(ctx, bucket, compose.PlacesReportXML(tt.report), "application/xml")
			if err != nil {
				t.Fatal(err)
			}
			as, err := a.Assess(ctx, contract.AssessInput{CaseID: openCase(t, n, tt.box), FormType: forms.FacilityReport, Document: ref, On: civil.Date{Year: 2026, Month: 11, Day: 2}})
			if err != nil {
				t.Fatal(err)
			}
			if as.Outcome != tt.outcome {
				t.Errorf("got outcome %s, want %s (%s)", as.Outcome, tt.outcome, as.Summary)
			}
			for _, part := range tt.summary {
				if !strings.Contains(as.Summary, part) {
					t.Errorf("summary %q lacks %q", as.Summary, part)
				}
			}
		})
	}
}
