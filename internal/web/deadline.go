package web

import (
	"net/http"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/deadlines"
	"github.com/obieg/obieg/internal/records/auth"
)

// deadlineAPI answers GET /api/v1/deadline?start=YYYY-MM-DD&term=1m[&exclude=FROM..TO...]
// with the due date of a KPA term and the steps that led to it (what `obieg deadline --json`
// prints).
func (s *Server) deadlineAPI(w http.ResponseWriter, r *http.Request, _ auth.User) error {
	q := r.URL.Query()
	start, err := civil.ParseDate(q.Get("start"))
	if err != nil {
		return badRequest("Parametr start: data w postaci RRRR-MM-DD.", err)
	}
	term, err := deadlines.ParseTerm(q.Get("term"))
	if err != nil {
		return badRequest("Parametr term: długość terminu, np. 14d, 2w, 1m.", err)
	}
	var excluded []deadlines.Period
	for _, e := range q["exclude"] {
		p, err := deadlines.ParsePeriod(e)
		if err != nil {
			return badRequest("Parametr exclude: okres OD..DO, np. 2026-03-02..2026-03-09.", err)
		}
		excluded = append(excluded, p)
	}
	writeJSON(w, http.StatusOK, deadlines.Explain(start, term, deadlines.Calendar{}, excluded))
	return nil
}
