// Package compose generates realistic submissions for filing in bulk into the simulated ePUAP:
// ePUAP general letters ("pismo ogólne do podmiotu publicznego", CRD template
// http://crd.gov.pl/wzor/2013/12/12/1410/) and obieg's own forms (xmlschemas/forms): family
// card applications, complaints and motions, and care facilities' reports of free places.
// Polish names, towns, titles and bodies on matters of a regional social-policy centre.
//
// Output is deterministic for a given seed, so tests and benchmarks can refer to documents by
// seed. Some seeds give a form with a deliberate Defect (a child without a date of birth, an
// adult child without school attendance, two children only, an anonymous, misdirected or
// unclear complaint, free places that do not add up), so that the demo shows what obieg does
// with them. The forms are rendered from the types of package forms (FamilyCardXML,
// ComplaintXML, PlacesReportXML), so parsing a valid one gives back the generated value.
//
// Documents are UNSIGNED for now: a real one ends with an enveloped ds:Signature (Profil
// Zaufany or a qualified signature); a later piece signs them with a test PKI.
//
// No generated PESEL can belong to a living person: all are in a fake range, born in the
// 23rd century (years 2200-2299, months coded +60), with a valid check digit; they therefore
// do not match the dates of birth in the forms. Generated REGONs start with 99.
package compose
