// Package epuapsim simulates the parts of ePUAP that obieg uses, following the published
// contracts (pull.wsdl, skrytka.wsdl, doreczyciel.wsdl, filerepo.wsdl, obiektypk.xsd) to
// the letter, so that
// obieg can be developed and tested without the real platform.
//
// A Simulator keeps boxes (skrytki) keyed by (podmiot, adresSkrytki) in a Store (MemStore, or
// FileStore to keep them across restarts) and FileRepo's files in a Repo (MemRepo, or
// DirRepo to keep them across restarts; WithRepo). File puts a document into a box, as a
// citizen filing through ePUAP would. Every filing is a document of its own with an id of
// its own: the pull answer carries no id, so obieg derives one (epuap.DocumentID) from box,
// sender, sending time and content, and the Store gives each new filing a sending time later
// than every earlier one, a millisecond later when the clock has not moved on (a FileStore
// keeps the last across restarts), so that no two filings share an id even when box, sender,
// clock and content coincide. Handler serves:
//
//	POST /pk_external_ws/services/pull       the pull service (SOAP 1.1): oczekujaceDokumenty,
//	                                          pobierzNastepny, potwierdzOdebranie
//	POST /pk_external_ws/services/skrytka    skrytka: nadaj, nadajAny (document to a box, UPP back)
//	POST /pk_external_ws/services/doreczyciel doręczyciel: dorecz (delivery with a UPD), odbierz
//	POST /repo-ws-ext/FileRepoService        FileRepo: uploadFile, downloadFile (large attachments)
//	GET  {service path}?wsdl                 the service's WSDL, soap:address pointing at the simulator
//	GET  /pk_external_ws/services/{file}     the imported obiektypk.xsd, sign-policy.wsdl, ...
//	GET  /repo-ws-ext/{file}                 the imported filerepocore.xsd, sign-policy.wsdl
//	PUT  /sim/epuap/boxes/{podmiot}?skrytka=NAME            create a box (idempotent)
//	POST /sim/epuap/boxes/{podmiot}/documents?skrytka=NAME  file the request body as a document
//	GET  /sim/epuap/boxes/{podmiot}          the podmiot's boxes and their waiting documents
//	POST /sim/epuap/files?nazwaPliku=NAME    put the request body into FileRepo; answers its fileId
//	PUT  /sim/epuap/certs/{podmiot}          register the PEM certificate(s) of the body for podmiot
//	GET  /sim/epuap/doreczenia/{zlecenie}    a delivery order: waiting, or collected with its UPD
//	POST /sim/epuap/doreczenia/{zlecenie}/odbior  collect it as the addressee would on the web
//	GET  /sim/epuap/faults, PUT (same JSON)  the injected faults
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
// skrytka's nadaj takes IdentyfikatorPodmiotu, AdresSkrytki, AdresOdpowiedzi, CzyProbne and
// DaneDodatkowe as SOAP headers, puts the document at the end of the addressee box's queue
// (any podmiot's box; a trial, CzyProbne, delivers nothing) with the sending office as the
// sender, and answers OdpowiedzSkrytki with the document's id (what epuap.Delivery.ID gives
// the addressee), the UPP's id and the UPP itself: pos:Dokument in the UPO namespace with an
// enveloped ds:Signature (goxmldsig, exclusive C14N, RSA-SHA256) made with the simulator's
// answer key, or a key of its own when it has none. nadajAny takes the document as the XML
// content of ext:Dokument. FileRepo serves files put with PutFile or uploadFile by fileId;
// its faults carry fc:WyjatekTyp.
//
// doręczyciel's dorecz takes nadaj's headers plus TerminDoreczenia, IdentyfikatorDokumentu,
// IdentyfikatorSprawy and UPD (a draft the contract does not explain, checked and ignored),
// accepts only a signed document (a ds:Signature as or under its root; whether it verifies
// is not checked) and only with AdresOdpowiedzi naming a box of the sender, where the UPD
// will go. It queues the document in the addressee's box as a delivery awaiting collection
// (Item.Doreczenie) and answers OdpowiedzDoreczyciela with the document's id and the
// order's id (zlecenie); the contract's answer has no place for a UPD. The addressee
// collects the delivery by confirming its pull (potwierdzOdebranie), by odbierz with a
// signed UPD (pos:Dokument) whose IdentyfikatorDokumentu names it, or through the route
// above. Collection issues the UPD (urzędowe poświadczenie doręczenia): a pos:Dokument
// signed like the UPP, naming the addressee, the sender, ePUAP as issuer, DataDoreczenia,
// DataOdbioru and IdentyfikatorSprawy, put at the end of the sender's box as a document
// from ePUAP (UPD.xml). An order is certified once; the record of that is kept in memory, so
// after a restart a delivery still waiting in a FileStore box can be certified again (with
// the same UPD id).
//
// With WithWSSecurity every SOAP request must carry WS-Security as ePUAP accepts it (package
// wssec): signed over this envelope's Body with a certificate that an office registered
// (RegisterCertificate), and the request's podmiot (skrytka: IdentyfikatorPodmiotu;
// FileRepo: subject) must be an office that registered it. Anything else is answered with a
// Client fault, kod KodBladPodpisu or KodBrakUprawnien, and no data. Answers and faults
// are signed with the simulator's key. Without the option nothing is checked: the explicit
// insecure mode of obieg-dev and of tests without keys.
//
// Faults (SetFaults, WithFaults) inject what the real platform does to clients: latency,
// bare HTTP 500s, connections dropped after pobierzNastepny, confirmed documents delivered
// again, FileRepo refusing a second download.
package epuapsim
