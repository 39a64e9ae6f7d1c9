// Package deadlines is the KPA clock: it computes when a term of the Code of Administrative
// Procedure (Kodeks postępowania administracyjnego, k.p.a.) ends, and explains how.
//
// The rules implemented, with their articles:
//
//   - art. 57 §1: the day of the event that starts a term is not counted; a term of N days
//     ends with the N-th day after it.
//   - art. 57 §2: a term in weeks ends on the same weekday of the last week, i.e. after 7·N days.
//   - art. 57 §3: a term in months ends on the same day-number of the last month, or on that
//     month's last day when it has no such day (31 January + 1 month = 28 or 29 February).
//   - art. 57 §4: a term whose end falls on a Saturday or on a day free from work under the act
//     of 18 January 1951 on days free from work (Sundays and the public holidays listed in
//     Calendar) ends on the next working day.
//   - art. 35 §5: periods provided for by law for certain actions, periods of suspension and
//     delays caused by the party or beyond the authority's control are not counted. They are
//     given to Due as closed intervals of days (Period) and extend the term day for day; see
//     Explain for the exact definition.
//
// The deadlines of the domain (art. 35 §3: one or two months; art. 64 §2: at least seven days;
// art. 237 §1: one month for a complaint) are Terms built with ParseTerm ("1m", "2m", "7d").
//
// Dates are civil.Date values, calendar days without a zone. The KPA counts days in Polish
// time, so an instant, such as the time on a proof of receipt (art. 61 §3a), becomes a date
// with WarsawDate: 23:30 UTC on 31 December is already 1 January in Warsaw.
//
// Everything here is a pure function of its arguments: there is no clock inside (the caller
// passes today), no global state, and no I/O. The package is safe for Temporal workflow code.
package deadlines
