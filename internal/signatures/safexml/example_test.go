package safexml_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/obieg/obieg/internal/signatures/safexml"
)

func ExampleParse() {
	doc, err := safexml.Parse(strings.NewReader(`<?xml version="1.0" encoding="UTF-8"?><wniosek>Łódź</wniosek>`), safexml.DefaultLimits)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc.Root().Tag, doc.Root().Text())

	_, err = safexml.Parse(strings.NewReader(`<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`), safexml.Limits{})
	fmt.Println(errors.Is(err, safexml.ErrDTD))
	// Output:
	// wniosek Łódź
	// true
}
