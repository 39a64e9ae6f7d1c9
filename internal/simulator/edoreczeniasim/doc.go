// Package edoreczeniasim simulates the parts of e-Doręczenia (the Polish electronic
// delivery service, KSDE) that obieg uses to deliver a letter and learn when it was
// received, answering as the operator's OpenAPI contract says (xmlschemas/edoreczenia,
// uaapi_3.0.8.1.yaml; its tests check every answer against it with kin-openapi).
//
// A Simulator keeps mailboxes (electronic delivery addresses, AE:PL-12345-67890-ABCDE-12),
// their messages, sending tasks and subscriptions in a Store (MemStore, or FileStore to keep
// them across restarts). Handler serves:
//
//	POST /oauth2/token                                   OAuth2 client_credentials: a bearer token
//	                                                     for a client registered with RegisterClient,
//	                                                     by its secret or a JWT signed with its key
//	POST   /api/v1/{ade}/drafts                          create a draft (one electronic addressee)
//	POST   /api/v1/{ade}/drafts/{messageId}/attachments  add an attachment (JSON, Base64, SHA-3 hash)
//	POST   /api/v1/{ade}/{messageId}/attachments/upload  add a large attachment (multipart, hash computed)
//	POST   /api/v1/{ade}/drafts/send                     send a draft: 202 and a messageTaskId
//	GET    /api/v1/{ade}/messages/tasks/{id}[/status]    the sending task (PENDING, FINISHED)
//	GET    /api/v1/{ade}/messages                        list (offset, limit, format, label, opened,
//	                                                     submissionDateFrom, sortColumn=submissionDate,
//	                                                     sortDirection)
//	GET    /api/v1/{ade}/messages/{id[,id...]}           messages (minimal, metadata, full, fullExtended)
//	GET    /api/v1/{ade}/messages/{id}/evidences         evidences (type, downloaded, sortDirection)
//	GET    /api/v1/{ade}/evidences/purde/{evidenceId}    an evidence's signed document (octet-stream)
//	PUT, GET, PATCH, DELETE /api/v1/{ade}/message_subscriptions   callbacks
//	PUT  /sim/edoreczenia/mailboxes/{ade}                create a mailbox {"name"}
//	GET  /sim/edoreczenia/mailboxes/{ade}                its messages (ids, statuses, evidences)
//	POST /sim/edoreczenia/mailboxes/{ade}/messages/{id}/collect   the addressee opens an item
//	PUT  /sim/edoreczenia/clients/{clientId}             register a client {"secret" or "publicKey" (PEM),
//	                                                     "scopes","addresses"}
//	GET  /sim/edoreczenia/clock, POST .../clock/advance?by=336h   the simulated clock
//	GET  /sim/edoreczenia/faults, PUT (same JSON)        injected faults
//
// A client authenticates at the token endpoint with its secret (HTTP Basic or in the form)
// or, if registered with a public key instead (a certificate or PKIX key, RSA or ECDSA
// P-256), with a client assertion (private_key_jwt: RFC 7523 section 2.2, OpenID Connect
// Core section 9): client_assertion_type AssertionType and a JWT signed RS256 or ES256 with
// the key, iss and sub its client id, aud the token endpoint's URL as the client called it,
// exp in the future and at most MaxAssertionLifetime ahead, iat not in the future, and a jti
// not used before while the assertion is valid; iat and exp are compared with the wall
// clock given to New (not the advanced clock, as for tokens), allowing AssertionSkew. A
// client cannot use the method it was not registered with. Every refusal is 401
// invalid_client, as RFC 6749 section 5.2 says; a request using more than one method is
// 400 invalid_request.
//
// Every API request needs a bearer token from the token endpoint (else 401 invalid_token),
// whose scopes include the operation's (else 403 insufficient_scope), for a client allowed
// to act for the mailbox in the path, which must exist (else 403 access_denied). The
// contract declares none of these statuses; their bodies are its ErrorResponse. Any other
// refusal is a 400 with an ErrorResponse, as the contract declares: error "NOT_FOUND" for an
// unknown draft, message or task, "INVALID_REQUEST" for a bad request. The simulator's own
// routes under /sim/ need no token: it is a development tool.
//
// Sending follows the contract's scenario. An attachment must name its fileId and filename,
// have alg "SHA-3" and a hash that is the SHA3-256 of its content (Base64 or hex: the
// contract gives neither length nor encoding; the simulator writes Base64, see Hash), and
// at most MaxInlineAttachment bytes; the multipart upload takes up to MaxUpload bytes and,
// since its body has no hash field, answers the hash it computed. Sending makes a task that stays PENDING for the
// processing time (WithProcessing, default none), then delivers the message to the
// addressee's INBOX (same message id) and records evidence A.1 (submission acceptance) on
// the sender's copy, whose status becomes "Czeka na doręczenie"; an address with no mailbox
// rejects it ("Odrzucona", task error ADDRESSEE_NOT_FOUND, evidence A.2).
//
// Delivery follows art. 41 of the act on electronic delivery: when the addressee collects
// the item (Collect, the /collect route, or the addressee's system reading it in the full
// or fullExtended format, which the contract calls opening) the sender's copy gets a proof
// of receipt, evidence BP.OX with reasonId ODEBRANA and the collection time as eventDate,
// and the status "Doręczona"; if it is not collected within DeemedAfter (14 days) of being
// made available, the proof of receipt has reasonId UZNANA_ZA_DORECZONA, eventDate the
// availability plus 14 days, and the status is "Uznana za doręczoną". The simulator counts
// 14×24 hours; it does not apply the KPA's rules on days.
//
// Every evidence of a sent message has a document, downloaded from
// /evidences/{messageType}/{evidenceId} (messageType purde; puh, the hybrid postal service,
// is not simulated: NOT_FOUND) by the sender's mailbox only, and marked downloaded. It is XML
// naming the evidence (id, type, reason, dates of issue and of the event), the message (id,
// subject, case reference), sender and addressee (address, mailbox name), the dates of
// sending, acceptance, availability and, for a proof of receipt, of collection or of deemed
// delivery, and the attachments' names, sizes and SHA3-256; it is signed with an enveloped
// XAdES-B-B signature by the simulator's key (WithEvidenceSigner, or a throwaway ECDSA key
// with a self-signed "KSDE-SIM" certificate), made at the first download, dated the
// evidence's creation, and kept, so that every download answers the same bytes. The official
// template of the proof of receipt (http://crd.gov.pl/wzor/2021/09/01/10856/, root
// wnio:Dokument) is not available to us: the document is in the simulator's own namespace,
// ProofNamespace, with a structure of its own, and says so in its Uwaga element. Claiming the
// official namespace for a stand-in structure would let anything that recognises documents
// by namespace take it for the real template. Clients must not parse this structure as if it
// were the official one; obieg stores the bytes and verifies the signature only.
//
// Time is the wall clock given to New plus what Advance (or /clock/advance) added. What is
// due (tasks processed, items deemed delivered) is done at every API request, at Advance and
// at Tick; a long-running simulator calls Tick periodically so that callbacks are made on
// time. Subscribers' onMessage (a message arrived in their mailbox: notificationType
// NewMessage, notification id the message id) and onEvidence (an evidence about their sent
// message: NewEvidence, id the message id, type the evidence id, as the contract describes
// notificationInboxCallback) callbacks get a MessageStatement by POST, once; failures are
// logged, not retried.
//
// Conforming is the transport its tests (and its clients' tests) use to check each exchange
// against the contract.
package edoreczeniasim
