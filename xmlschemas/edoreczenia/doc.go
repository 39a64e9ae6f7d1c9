// Package edoreczenia holds e-Doręczenia's published REST contract, the OpenAPI 3.0.3
// document of the mailbox "User Agent API" version 3.0.8 (uaapi_3.0.8.1.yaml), embedded with
// the licence it is distributed under. See README.md for its source and its quirks.
package edoreczenia
