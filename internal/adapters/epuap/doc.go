// Package epuap is obieg's client of ePUAP, the Polish public-administration platform through
// which citizens file documents to an office's box (skrytka).
//
// PullClient speaks the pull service (pull.wsdl): Pending counts the documents waiting,
// Next returns the oldest one, again and again until Confirm removes it. A caller stores the
// document durably first and confirms only then, so nothing is lost and a crash between the
// two only causes a redelivery, which Delivery.ID recognises.
//
//	c := epuap.NewPullClient(endpoint, &http.Client{Timeout: 5 * time.Minute}, box)
//	d, err := c.Next(ctx)
//	if errors.Is(err, epuap.ErrNoDocument) { /* box empty */ }
//	// ... store d.Zawartosc under d.ID(), start the workflow ...
//	err = c.Confirm(ctx, d.Zawartosc)
//
// SkrytkaClient sends a document to a box (skrytka.wsdl: Send uses nadaj, the document in
// Base64; SendAny uses nadajAny, an XML document as the body's content) and returns ePUAP's
// id of it and the UPP (urzędowe poświadczenie przedłożenia), whose signature VerifyUPP
// checks. DoreczycielClient delivers a signed document with proof of receipt
// (doreczyciel.wsdl, dorecz): ePUAP answers with the ids of the document and of the order,
// and sends the UPD (urzędowe poświadczenie doręczenia) to the office's box once the
// addressee has collected the document; VerifyUPD checks it and says what it certifies.
// Odbierz collects, with a UPD the office signed, a document delivered to it that way.
// FileRepoClient downloads the large attachments that forms point at
// (DownloadServlet?fileId=N, see FileID); ePUAP may serve a file only once, so store it
// before confirming the document.
//
// Every client takes the same options. WithSigner signs each request with the office's
// system certificate (WS-Security as package wssec describes: what ePUAP accepts);
// WithPinnedCertificates verifies each answer, faults included, against ePUAP's
// response-signing certificate, so that an unsigned or forged answer is an error
// (ErrUnverified) rather than data:
//
//	s, err := wssec.LoadSigner("system.p12", password)
//	c := epuap.NewPullClient(endpoint, hc, box, epuap.WithSigner(s), epuap.WithPinnedCertificates(epuapCert))
//
// Without options requests go unsigned and answers unverified, which only the simulator in
// its insecure mode accepts.
package epuap
