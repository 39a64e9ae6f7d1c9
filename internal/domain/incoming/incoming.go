// Package incoming declares what the incoming side of the office gives a submission: its number
// in the incoming register (rejestr przesyłek wpływających, RPW), numbered per calendar year.
// It is pure, so that workflows can hold these values; internal/records/register keeps the register
// in PostgreSQL.
package incoming

import "fmt"

// Number is an incoming register number: the n-th item of a year.
type Number struct {
	Year   int `json:"year"`
	Number int `json:"number"`
}

// String formats the number as it is written on documents: n/year.
func (n Number) String() string { return fmt.Sprintf("%d/%d", n.Number, n.Year) }
