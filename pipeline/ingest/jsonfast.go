package ingest

import (
	"unicode/utf16"
	"unicode/utf8"
)

// decodeSimple decodes the usual form of a JSON Lines record without reflection: one
// object whose members are fields that jsonArticle names, spelt as its tags spell them,
// each at most once, each a string (the id may be a number only by the slow way). It
// reports false for anything else — another key, a key in other letter case, a
// repeated key, null, a number, a control character or invalid UTF-8 in a string,
// bytes after the object, malformed JSON — and json.Unmarshal then decodes the line or
// rejects it, with its own rules and messages. What it accepts, it decodes as
// json.Unmarshal would; id is the decoded id.
func decodeSimple(line []byte, j *jsonArticle) (id string, ok bool) {
	p := parser{b: line}
	p.space()
	if !p.byte('{') {
		return "", false
	}
	var seen uint16
	p.space()
	if p.byte('}') {
		return "", p.end()
	}
	for {
		key, ok := p.key()
		if !ok {
			return "", false
		}
		p.space()
		if !p.byte(':') {
			return "", false
		}
		p.space()
		var dst *string
		var field uint16
		switch key {
		case "id":
			dst, field = &id, 1<<0
		case "title":
			dst, field = &j.Title, 1<<1
		case "url":
			dst, field = &j.URL, 1<<2
		case "source":
			dst, field = &j.Source, 1<<3
		case "published":
			dst, field = &j.Published, 1<<4
		case "date":
			dst, field = &j.Date, 1<<5
		case "language":
			dst, field = &j.Language, 1<<6
		case "lang":
			dst, field = &j.Lang, 1<<7
		case "text":
			j.Text, field = new(string), 1<<8
			dst = j.Text
		case "body":
			j.Body, field = new(string), 1<<9
			dst = j.Body
		case "content":
			j.Content, field = new(string), 1<<10
			dst = j.Content
		default:
			return "", false
		}
		if seen&field != 0 {
			return "", false
		}
		seen |= field
		s, ok := p.str()
		if !ok {
			return "", false
		}
		*dst = s
		p.space()
		if p.byte('}') {
			return id, p.end()
		}
		if !p.byte(',') {
			return "", false
		}
		p.space()
	}
}

// parser reads JSON from b, front to back.
type parser struct{ b []byte }

func (p *parser) space() {
	for len(p.b) > 0 && (p.b[0] == ' ' || p.b[0] == '\t' || p.b[0] == '\n' || p.b[0] == '\r') {
		p.b = p.b[1:]
	}
}

func (p *parser) byte(c byte) bool {
	if len(p.b) > 0 && p.b[0] == c {
		p.b = p.b[1:]
		return true
	}
	return false
}

// end reports whether only white space is left.
func (p *parser) end() bool {
	p.space()
	return len(p.b) == 0
}

// key reads a string without escapes, as the record's keys are written.
func (p *parser) key() (string, bool) {
	if !p.byte('"') {
		return "", false
	}
	for i, c := range p.b {
		switch {
		case c == '"':
			k := string(p.b[:i])
			p.b = p.b[i+1:]
			return k, true
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			return "", false
		}
	}
	return "", false
}

// str reads a JSON string, decoding its escapes as encoding/json does (an unpaired
// surrogate becomes U+FFFD). It refuses control characters and invalid UTF-8.
func (p *parser) str() (string, bool) {
	if !p.byte('"') {
		return "", false
	}
	b := p.b
	// the common case: no escapes
	ascii := true
	i := 0
	for ; i < len(b); i++ {
		c := b[i]
		if c == '"' || c == '\\' || c < 0x20 {
			break
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if i == len(b) || b[i] < 0x20 {
		return "", false
	}
	if b[i] == '"' {
		if !ascii && !utf8.Valid(b[:i]) {
			return "", false
		}
		p.b = b[i+1:]
		return string(b[:i]), true
	}
	out := make([]byte, 0, i+64)
	start := 0
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			out = append(out, b[start:i]...)
			if !utf8.Valid(out) {
				return "", false
			}
			p.b = b[i+1:]
			return string(out), true
		case c < 0x20:
			return "", false
		case c != '\\':
			i++
			continue
		}
		out = append(out, b[start:i]...)
		if i+1 >= len(b) {
			return "", false
		}
		switch b[i+1] {
		case '"', '\\', '/':
			out = append(out, b[i+1])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(b[i+2:])
			if r < 0 {
				return "", false
			}
			i += 6
			if utf16.IsSurrogate(r) {
				if r2 := hex4escape(b[i:]); r2 >= 0 {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						out = utf8.AppendRune(out, d)
						i += 6
						start = i
						continue
					}
				}
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
			start = i
			continue
		default:
			return "", false
		}
		i += 2
		start = i
	}
	return "", false
}

// hex4 reads four hex digits, or returns -1.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// hex4escape reads a \uXXXX escape, or returns -1.
func hex4escape(b []byte) rune {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return -1
	}
	return hex4(b[2:])
}
