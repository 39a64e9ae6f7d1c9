// Package edoreczeniasim simulates e-Doręczenia (the Polish electronic delivery service,
// KSDE) for obieg and for any client built from the operator's OpenAPI contract
// (xmlschemas/edoreczenia, uaapi_3.0.8.1.yaml): every one of its 51 operations is served,
// as its README's table lists, and its tests check every answer against the document with
// kin-openapi, and walk every operation with a second, independent validator
// (conformance_test.go, libopenapi-validator).
//
// A Simulator keeps mailboxes (electronic delivery addresses, AE:PL-12345-67890-ABCDE-12),
// their messages, sending tasks and subscriptions in a Store (MemStore, or FileStore to keep
// them across restarts); a mailbox's settings, folders, rules and archiving tasks live in
// memory only. Handler serves the token endpoint and the API:
//
//	POST /oauth2/token                                   OAuth2 client_credentials: a bearer token
//	                                                     for a client registered with RegisterClient,
//	                                                     by its secret or a JWT signed with its key
//	POST   /api/v1/{ade}/drafts, GET (list), GET PUT DELETE .../drafts/{id}   drafts (one electronic addressee)
//	POST   /api/v1/{ade}/drafts/{messageId}/attachments  add an attachment (JSON, Base64, SHA-3 hash);
//	                                                     GET and DELETE one, DELETE all
//	POST   /api/v1/{ade}/{messageId}/attachments/upload  add a large attachment (multipart, hash computed)
//	POST   /api/v1/{ade}/drafts/send, POST .../messages  send a draft, or a message at once: 202 and a messageTaskId
//	GET    /api/v1/{ade}/messages/tasks/{id}[/status]    the sending task (PENDING, FINISHED)
//	GET    /api/v1/{ade}/messages                        list with every filter, sort and page of the contract
//	GET    /api/v1/{ade}/messages/{id[,id...]}           messages (minimal, metadata, full, fullExtended); DELETE
//	PATCH  /api/v1/{ade}/messages/{ids}/message_control_data   mark opened, move to a folder
//	GET    /api/v1/{ade}/messages/{id}/attachments/{aid}, POST .../attachments/download   an attachment
//	GET    /api/v1/{ade}/messages/{id}/evidences, .../messages/evidences[/{evidenceId}]   evidences
//	GET    /api/v1/{ade}/evidences/purde/{evidenceId}    an evidence's signed document (octet-stream)
//	GET    /api/v1/{ade}/evidences/{id}/technical-evidences-file, .../messages/{id}/message-archive-file   ZIPs
//	POST, PATCH /api/v1/{ade}/message-archive-task, GET ...-task-list, GET .../{taskId}/download   archives
//	GET    /api/v1/{ade}/threads[/{threadId}]            threads (messageMetadata.threadId)
//	/api/v1/{ade}/directories, numberMessages, rule, rule_list   folders and the rules that file into them
//	/api/v1/{ade}/settings, message_notification, message_subscriptions; /api/v1/dictionary/countries
//
// ControlHandler serves the simulator's own routes, which need no token and so must be
// served on a listener of their own, unreachable by API clients:
//
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
// unknown draft, message or task, "INVALID_REQUEST" for a bad request (a query parameter out
// of its declared type, enum or bounds included), "CONFLICT" for a state that forbids it; a
// path the contract does not have is a 404 with an ErrorResponse.
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
// time. Subscribers get every callback they subscribed to, by POST: onMessage and onInbox
// (a message arrived in their mailbox: MessageStatement, NewMessage or InboxCallback, id the
// message id), onEvidence (an evidence about their sent message: NewEvidence, id the message
// id, type the evidence id, as the contract describes notificationInboxCallback),
// onMessageCreated (a sending task finished: MessageCreatedStatement) and onArchiveCreated
// (an archive is ready: ArchiveStatement). Each carries a Notification-Id header, the same
// on every attempt (not in the contract). A receiver that does not answer, or answers 429
// or 5xx, is tried again with exponential backoff (CallbackRetry: 1s, 2s, 4s... at most a
// minute, 8 attempts), at the Ticks after the backoff; another 4xx refuses the statement and
// is not retried.
//
// Conforming is the transport its tests (and its clients' tests) use to check each exchange
// against the contract.
package edoreczeniasim
