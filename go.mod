module github.com/obieg/obieg

go 1.26.0

require (
	github.com/beevik/etree v1.8.1
	github.com/russellhaering/goxmldsig v1.6.1
	github.com/smallstep/pkcs7 v0.2.3
	golang.org/x/crypto v0.58.0
	golang.org/x/text v0.43.0
)

require github.com/jonboulle/clockwork v0.5.0 // indirect
