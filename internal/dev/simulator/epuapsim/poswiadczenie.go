package epuapsim

import (
	"fmt"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// party is a podmiot named in a poświadczenie (Adresat, Nadawca,
// PodmiotWystawiajacyPoswiadczenie): its name and its ePUAP identifier.
type party struct{ nazwa, id string }

// senderParty is the sender of an item as a poświadczenie names it.
func senderParty(it Item) *party {
	return &party{nazwa: cmpOr(it.Sender.NazwiskoNazwa, it.Sender.Identyfikator), id: it.Sender.Identyfikator}
}

// posField is one child of a poświadczenie's pos:Dokument: a party or a text.
type posField struct {
	name  string
	text  string
	party *party
}

// poswiadczenie returns a poświadczenie (UPP or UPD): pos:Dokument in the UPO namespace
// holding fields in order, signed with an enveloped ds:Signature (goxmldsig, exclusive
// C14N, RSA-SHA256) made with the key uppSigner gives.
func (s *Simulator) poswiadczenie(fields []posField) ([]byte, error) {
	key, cert, err := s.uppSigner()
	if err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	root := doc.CreateElement("pos:Dokument")
	root.CreateAttr("xmlns:pos", schema.NSUPO)
	for _, f := range fields {
		el := root.CreateElement("pos:" + f.name)
		if f.party == nil {
			el.SetText(f.text)
			continue
		}
		el.CreateElement("pos:Nazwa").SetText(f.party.nazwa)
		id := el.CreateElement("pos:IdentyfikatorPodmiotu")
		id.CreateAttr("TypIdentyfikatora", "ePUAP")
		id.SetText(f.party.id)
	}

	ctx, err := dsig.NewSigningContext(key, [][]byte{cert.Raw})
	if err != nil {
		return nil, fmt.Errorf("sign poświadczenie: %w", err)
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	if err := ctx.SetSignatureMethod(dsig.RSASHA256SignatureMethod); err != nil {
		return nil, fmt.Errorf("sign poświadczenie: %w", err)
	}
	signed, err := ctx.SignEnveloped(root)
	if err != nil {
		return nil, fmt.Errorf("sign poświadczenie: %w", err)
	}
	doc.SetRoot(signed)
	out, err := doc.WriteToBytes()
	if err != nil {
		return nil, fmt.Errorf("write poświadczenie: %w", err)
	}
	return out, nil
}
