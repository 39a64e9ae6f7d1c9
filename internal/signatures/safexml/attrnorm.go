package safexml

import "bytes"

// normalizeAttrWhitespace applies XML 1.0 attribute-value normalization
// (section 3.3.3) for CDATA attributes, the only kind without a DTD: each
// literal tab, line feed or carriage return in an attribute value becomes a
// space, a CR LF pair one space. encoding/xml leaves them as they are,
// which would change what canonicalization produces and so break digests
// computed by conformant signers. Character references such as &#xA; are
// not literal whitespace and are left for the decoder. It works on the raw
// bytes: every encoding Parse accepts is ASCII-compatible.
func normalizeAttrWhitespace(data []byte) []byte {
	if !bytes.ContainsAny(data, "\t\r\n") {
		return data
	}
	out := make([]byte, 0, len(data))
	skipTo := func(i int, end string) int {
		j := bytes.Index(data[i:], []byte(end))
		if j < 0 {
			return len(data)
		}
		return i + j + len(end)
	}
	i := 0
	for i < len(data) {
		if data[i] != '<' {
			out = append(out, data[i])
			i++
			continue
		}
		rest := data[i:]
		var j int
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			j = skipTo(i+4, "-->")
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			j = skipTo(i+9, "]]>")
		case bytes.HasPrefix(rest, []byte("<?")):
			j = skipTo(i+2, "?>")
		case bytes.HasPrefix(rest, []byte("<!")):
			j = skipTo(i+2, ">")
		default:
			// A start or end tag: copy it, normalizing quoted values.
			j = i
			var quote byte
			for j < len(data) {
				c := data[j]
				if quote == 0 {
					out = append(out, c)
					j++
					if c == '"' || c == '\'' {
						quote = c
					} else if c == '>' {
						break
					}
					continue
				}
				switch {
				case c == quote:
					quote = 0
					out = append(out, c)
				case c == '\r' && j+1 < len(data) && data[j+1] == '\n':
					// CR LF is one line end: one space, from the LF.
				case c == '\t' || c == '\n' || c == '\r':
					out = append(out, ' ')
				default:
					out = append(out, c)
				}
				j++
			}
			i = j
			continue
		}
		out = append(out, data[i:j]...)
		i = j
	}
	return out
}
