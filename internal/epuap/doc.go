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
// Messages are not signed yet: WS-Security (wsse:Security with an X.509 token, RSA-SHA256)
// will be added in PullClient.call, the one place requests are built and answers read.
package epuap
