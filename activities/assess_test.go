package activities

import (
	"context"
	"strings"
	"testing"

	"github.com/obieg/obieg/internal/civil"
	"github.com/obieg/obieg/internal/demo"
	"github.com/obieg/obieg/internal/devstack/stacktest"
	"github.com/obieg/obieg/internal/forms"
	"github.com/obieg/obieg/internal/institutions"
	"github.com/obieg/obieg/internal/simulator/compose"
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
	a := &Case{Blob: s3, Institutions: institutions.New(pool)}

	known := demoReport(t, "dps_wzgorze")
	renamed := demoReport(t, "dps_wzgorze")
	renamed.Report.Facility.Name = "Dom Pomocy Społecznej „Pod Lasem” w Tarnowie"
	otherBox := demoReport(t, "dps_wzgorze")
	otherBox.Report.Envelope.From[0].EPUAP = "pow_promyk"
	closed := demoReport(t, "dps_wzgorze")
	closed.Report.Facility.REGON, closed.Report.Facility.Name = "123456785", "Miejski Ośrodek Pomocy Społecznej w Bochni"
	closed.Report.Envelope.From[0].EPUAP = ""
	tests := []struct {
		name    string
		report  forms.PlacesReport
		outcome string
		summary []string
	}{
		{"known and active", known.Report, "accepted", []string{"Sprawozdanie przyjęte do obserwatorium", "„Dom Pomocy Społecznej „Na Wzgórzu” w Tarnowie” (dom pomocy społecznej, REGON 995118225)", "Okres sprawozdawczy"}},
		{"unknown", demoReport(t, "zlota_jesien").Report, "unknown-sender", []string{"nie ma w bazie instytucji", "REGON 996305509"}},
		{"name does not match the REGON", renamed.Report, "sender-mismatch", []string{"nie zgadzają się", "„Pod Lasem”"}},
		{"ePUAP identifier of another institution", otherBox.Report, "sender-mismatch", []string{"pow_promyk należy w bazie do innej instytucji"}},
		{"deactivated", closed.Report, "inactive-sender", []string{"nieaktywna", "Bochni"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref, err := s3.PutContent(ctx, bucket, compose.PlacesReportXML(tt.report), "application/xml")
			if err != nil {
				t.Fatal(err)
			}
			as, err := a.Assess(ctx, AssessInput{FormType: forms.FacilityReport, Document: ref, On: civil.Date{Year: 2026, Month: 11, Day: 2}})
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
