package institutions_test

import (
	"context"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/devstack/stacktest"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/problem"
	"github.com/obieg/obieg/internal/records/institutions"
)

func TestMain(m *testing.M) { stacktest.Main(m) }

// TestStore adds, changes, looks up and deactivates institutions, and checks that each change
// is in the audit log and that a REGON or ePUAP identifier cannot belong to two institutions.
func TestStore(t *testing.T) {
	ctx := context.Background()
	pool, _ := stacktest.Pool(t)
	s := institutions.New(pool)
	who := institutions.Who{Username: "admin", Role: "admin", At: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	dps, err := s.Create(ctx, institutions.Institution{REGON: "993040016", EPUAP: "dps_alberta", Name: " Dom Pomocy Społecznej im. św. Brata Alberta ",
		Kind: "dom-pomocy-spolecznej", Address: "ul. Kwiatowa 5, 90-001 Łódź", Active: true}, who)
	if err != nil {
		t.Fatal(err)
	}
	if dps.ID == 0 || dps.Name != "Dom Pomocy Społecznej im. św. Brata Alberta" || dps.ChangedBy != "admin" || !dps.ChangedAt.Equal(who.At) {
		t.Errorf("created %+v", dps)
	}
	tests := []struct {
		name  string
		i     institutions.Institution
		field string
	}{
		{"same REGON", institutions.Institution{REGON: "993040016", Name: "Inny", Kind: "ops"}, "regon"},
		{"same ePUAP identifier", institutions.Institution{EPUAP: "dps_alberta", Name: "Inny", Kind: "ops"}, "epuap"},
		{"bad REGON", institutions.Institution{REGON: "993040017", Name: "Inny", Kind: "ops"}, "regon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Create(ctx, tt.i, who)
			if problem.KindOf(err) != problem.Invalid || problem.FieldMap(err)[tt.field] == "" {
				t.Errorf("got %v, want refused on %s", err, tt.field)
			}
		})
	}
	since := civil.Date{Year: 2026, Month: 1, Day: 1}
	dps.Since = &since
	dps.Address = "ul. Kwiatowa 7, 90-001 Łódź"
	if _, err := s.Update(ctx, dps, who); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, institutions.Institution{ID: 999, REGON: "123456785", Name: "X", Kind: "ops"}, who); problem.KindOf(err) != problem.NotFound {
		t.Errorf("update of a missing institution: got %v, want not found", err)
	}
	found, err := s.Lookup(ctx, "", "dps_alberta")
	if err != nil || len(found) != 1 || found[0].Address != "ul. Kwiatowa 7, 90-001 Łódź" || found[0].Since == nil || *found[0].Since != since {
		t.Errorf("lookup by ePUAP identifier: got %+v, %v", found, err)
	}
	day := civil.Date{Year: 2026, Month: 3, Day: 2}
	v, err := s.Check(ctx, institutions.Sender{REGON: "993040016", Name: "Dom Pomocy Społecznej im. św. Brata Alberta"}, day)
	if err != nil || v.Status != institutions.Accepted {
		t.Errorf("check: got %+v, %v, want accepted", v, err)
	}
	off, err := s.Deactivate(ctx, dps.ID, who)
	if err != nil || off.Active {
		t.Fatalf("deactivate: got %+v, %v", off, err)
	}
	if _, err := s.Deactivate(ctx, dps.ID, who); err != nil {
		t.Errorf("deactivate again: %v", err)
	}
	if _, err := s.Deactivate(ctx, 999, who); problem.KindOf(err) != problem.NotFound {
		t.Errorf("deactivate a missing institution: got %v, want not found", err)
	}
	v, err = s.Check(ctx, institutions.Sender{REGON: "993040016", Name: "Dom Pomocy Społecznej im. św. Brata Alberta"}, day)
	if err != nil || v.Status != institutions.Inactive {
		t.Errorf("check after deactivation: got %+v, %v, want inactive", v, err)
	}
	var actions []string
	rows, err := pool.Query(ctx, `SELECT action FROM audit_log WHERE object_type = 'institution' AND actor = 'admin' ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a string
		rows.Scan(&a)
		actions = append(actions, a)
	}
	if want := []string{"institution.created", "institution.updated", "institution.deactivated"}; len(actions) != 3 || actions[0] != want[0] || actions[1] != want[1] || actions[2] != want[2] {
		t.Errorf("audited %v, want %v", actions, want)
	}
}
