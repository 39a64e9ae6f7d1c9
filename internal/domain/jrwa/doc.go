// Package jrwa is the office's filing plan (Jednolity Rzeczowy Wykaz Akt, JRWA) and the
// archival categories that decide how long a closed case is kept.
//
// A filing plan is a decimal classification. Each class has a symbol of one to four decimal
// digits, one digit per level: "0" (management) holds "05", which holds "057", which holds
// "0570" (complaints and motions). A class's parent is its symbol without the last digit.
// Cases are opened only in terminal classes (classes without children), and only terminal
// classes carry an archival category. See Plan for the validation rules.
//
// The categories (instrukcja archiwalna, regulation of the Prime Minister of 18 January 2011)
// are: A, kept permanently and handed over to the state archive; B<n>, kept n full calendar
// years after the case closes and then destroyed with the state archive's consent; BE<n>, like
// B<n> but assessed by the state archive when the period ends (it may become A); and Bc,
// short-lived material destroyed after use. Periods are counted in full calendar years from
// 1 January of the year after the case was closed. See Category.RetentionEnd.
//
// The demo office's seed plan is internal/dev/demo's Classes. A real centre's JRWA is agreed with
// the competent state archive and loaded by an administrator.
package jrwa
