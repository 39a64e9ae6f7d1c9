// Package epuapsim simulates the parts of ePUAP that obieg uses, following the published
// contract (pull.wsdl, obiektypk.xsd) to the letter, so that obieg can be developed and
// tested without the real platform.
//
// A Simulator keeps boxes (skrytki) keyed by (podmiot, adresSkrytki) in a Store (MemStore, or
// FileStore to keep them across restarts). File puts a document into a box, as a citizen
// filing through ePUAP would. Handler serves:
//
//	POST /pk_external_ws/services/pull       the pull service (SOAP 1.1): oczekujaceDokumenty,
//	                                          pobierzNastepny, potwierdzOdebranie
//	GET  /pk_external_ws/services/pull?wsdl  pull.wsdl, soap:address pointing at the simulator
//	GET  /pk_external_ws/services/{file}     the imported obiektypk.xsd, sign-policy.wsdl, ...
//	PUT  /sim/epuap/boxes/{podmiot}?skrytka=NAME            create a box (idempotent)
//	POST /sim/epuap/boxes/{podmiot}/documents?skrytka=NAME  file the request body as a document
//	GET  /sim/epuap/boxes/{podmiot}          the podmiot's boxes and their waiting documents
//	GET  /sim/                               an index page (in Polish)
//
// The pull service behaves as ePUAP does: pobierzNastepny returns the oldest unconfirmed
// document again and again until potwierdzOdebranie names it by its skrot (Base64 of the
// SHA-1 of its content; the SHA-256 that one client sends is accepted too). On an empty
// box pobierzNastepny answers status kod 0 with no other element: the schema requires the
// other elements, but inventing a sender, a date and an empty document to satisfy it would
// be more surprising to a client than their absence, and ePUAP's clients test status.kod
// first. A wrong podmiot, box name or address, an unknown skrot or a malformed request is
// answered with a SOAP Fault whose detail is ob:Wyjatek; its kod values are the simulator's
// own (Kod* constants), since ePUAP publishes none.
//
// Requests are not authenticated yet; WS-Security will be checked in checkHeader, which
// sees every parsed envelope before dispatch.
package epuapsim
