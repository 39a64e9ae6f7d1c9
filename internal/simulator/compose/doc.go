// Package compose generates realistic ePUAP general letters ("pismo ogólne do podmiotu
// publicznego", CRD template http://crd.gov.pl/wzor/2013/12/12/1410/) for filing in bulk into
// the simulated ePUAP: Polish names, towns, titles and bodies on matters of a regional
// social-policy centre.
//
// Output is deterministic for a given seed, so tests and benchmarks can refer to letters by
// seed. Letters are UNSIGNED for now: a real one ends with an enveloped ds:Signature
// (Profil Zaufany or a qualified signature); a later piece signs them with a test PKI.
//
// No generated PESEL can belong to a living person: all are in a fake range, born in the
// 23rd century (years 2200-2299, months coded +60), with a valid check digit.
package compose
