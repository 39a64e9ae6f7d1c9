package epuap

import (
	"errors"
	"testing"

	"github.com/obieg/obieg/internal/adapters/soap"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// FuzzNextAnswer feeds arbitrary pobierzNastepny answers to the client's decoding: it must
// return a delivery, ErrNoDocument or an error, and never panic.
func FuzzNextAnswer(f *testing.F) {
	f.Add([]byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><ob:OdpowiedzPullPobierz xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><status><kod>1</kod><komunikat>OK</komunikat></status><danePodmiotu><identyfikator>a</identyfikator><typOsoby>F</typOsoby><zgoda>true</zgoda></danePodmiotu><daneNadawcy/><dataNadania>2026-03-02T08:01:00.123Z</dataNadania><nazwaSkrytki>s</nazwaSkrytki><adresSkrytki>/p/s</adresSkrytki><adresOdpowiedzi xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/><czyTestowe>false</czyTestowe><daneDodatkowe>PGQvPg==</daneDodatkowe><dokument><nazwaPliku>a.xml</nazwaPliku><zawartosc>PGEvPg==</zawartosc></dokument></ob:OdpowiedzPullPobierz></s:Body></s:Envelope>`))
	f.Add([]byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><ob:OdpowiedzPullPobierz xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><status><kod>0</kod><komunikat>Brak</komunikat></status></ob:OdpowiedzPullPobierz></s:Body></s:Envelope>`))
	f.Add([]byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><ob:OdpowiedzPullPobierz xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><status><kod>1</kod></status><dataNadania>2019-05-23T14:34:19</dataNadania><dokument><nazwaPliku/><zawartosc>!</zawartosc></dokument></ob:OdpowiedzPullPobierz></s:Body></s:Envelope>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		env, err := soap.Parse(data)
		if err != nil {
			return
		}
		var resp schema.OdpowiedzPullPobierz
		if err := env.DecodeBody(&resp); err != nil {
			return
		}
		d, err := nextFrom(&resp)
		switch {
		case errors.Is(err, ErrNoDocument):
			if d != nil {
				t.Fatal("ErrNoDocument with a delivery")
			}
		case err != nil:
		case d == nil:
			t.Fatal("no error and no delivery")
		default:
			if id := d.ID(); len(id) != 32 {
				t.Fatalf("ID %q, want 32 hex digits", id)
			}
		}
	})
}
