// Package edoreczenia is obieg's client of e-Doręczenia, the Polish electronic delivery
// service through which a public body delivers its letters since 2025, following the
// operator's OpenAPI contract (xmlschemas/edoreczenia, User Agent API 3.0.8).
//
// A Client acts for one mailbox, the office's electronic delivery address. It authenticates
// with OAuth2 client credentials (golang.org/x/oauth2/clientcredentials: tokens cached and
// renewed before expiry): a client secret, or, as the operator offers EZD-class systems, a
// private key (Config.Key, LoadKey) with which each token request is authenticated by a
// fresh signed JWT, RS256 or ES256 (private_key_jwt: RFC 7523 section 2.2, OpenID Connect
// Core section 9). Send creates a draft, adds the attachments with their SHA3-256,
// sends the draft and polls the sending task with exponential backoff and jitter (the
// operator complained of EZD systems polling in tight loops); Evidences lists the proofs
// about a sent message and Delivered picks the proof of receipt, whose date (collection, or
// 14 days after availability when not collected: art. 41 of the act on electronic delivery)
// starts the appeal period; EvidenceFile downloads an evidence's document (the signed proof
// of receipt an archivist needs years later) as the service answers it, up to
// MaxEvidenceFile bytes, without parsing it; State reads the message's status and receiptDate, the
// contract's own account of the same. Inbox lists one page of received messages from a
// submission date (the contract's submissionDateFrom, offset and limit), so that the intake
// lists only what came since it last looked; Open reads one in the full format and
// downloads each attachment on its own (Attachment), checked against its SHA-3 hash. A
// text is at most MaxTextBody characters (not bytes), refused before any call. Subscribe
// registers callbacks (onMessage, onEvidence, onInbox, onMessageCreated, onArchiveCreated)
// so that obieg need not poll for evidences; ParseStatement reads their bodies. A callback is not
// authenticated by the contract: treat it as a hint to call Evidences, whose answer comes
// over the authenticated API, never as the evidence itself.
//
//	c, err := edoreczenia.New(edoreczenia.Config{BaseURL: "https://host/api/v1",
//		TokenURL: tokenURL, ClientID: id, ClientSecret: secret, Address: "AE:PL-12345-67890-ABCDE-12"})
//	sent, err := c.Send(ctx, edoreczenia.Message{Recipient: ade, Subject: "Decyzja",
//		Attachments: []edoreczenia.Attachment{{Name: "decyzja.pdf", ContentType: "application/pdf", Data: pdf}}})
//	evs, err := c.Evidences(ctx, sent.MessageID)
//	if d, ok := edoreczenia.Delivered(evs); ok { /* d.Date, d.Deemed */ }
//
// Send is not idempotent; a caller that retries (a Temporal activity) runs its steps, Draft,
// SendDraft and Wait, and records the ids between them so that a retry resumes rather than
// sends twice. Message.CaseID (the znak sprawy) travels as messageMetadata.caseId.
//
// Errors are *APIError (kinds ErrInvalid, ErrNotFound, ErrUnauthorized, ErrForbidden,
// ErrTransient, to be tested with errors.Is), ErrTooLarge for an evidence document or an
// attachment over the limit, or, for a sending the service refused, *RejectedError
// (ErrRejected). Each has the kind of problem.KindOf that follows (not found, invalid,
// transient, refused; a refused credential or scope is of none). Explain says in Polish, for
// a clerk, what an error means and what to check.
package edoreczenia
