package deadlines

import (
	"time"

	"github.com/obieg/obieg/internal/domain/civil"
)

// WarsawDate returns the Polish calendar date of the instant t. A proof of receipt stamped
// 2025-12-31T23:30:00Z is dated 2026-01-01, because Warsaw is then at UTC+1.
func WarsawDate(t time.Time) civil.Date {
	return civil.DateOf(t.In(civil.Warsaw))
}
