package article

import (
	"unicode"
	"unicode/utf8"
)

// Text is a body indexed by code point, so that byte and code-point offsets convert in
// O(1) and mention offsets agree with what other tools count.
type Text struct {
	s     string
	bytes []int32 // bytes[i] = byte offset of code point i; len = runes + 1
}

// NewText indexes s.
func NewText(s string) *Text {
	t := &Text{s: s, bytes: make([]int32, 0, utf8.RuneCountInString(s)+1)}
	for i := range s {
		t.bytes = append(t.bytes, int32(i))
	}
	t.bytes = append(t.bytes, int32(len(s)))
	return t
}

// String returns the text.
func (t *Text) String() string { return t.s }

// Len returns the length in code points.
func (t *Text) Len() int { return len(t.bytes) - 1 }

// Byte returns the byte offset of code point i.
func (t *Text) Byte(i int) int { return int(t.bytes[i]) }

// Slice returns code points [start, end).
func (t *Text) Slice(start, end int) string { return t.s[t.bytes[start]:t.bytes[end]] }

// MaxLen is the longest text NewText indexes: offsets are kept in 32 bits.
const MaxLen = 1<<31 - 1

// Rune converts a byte offset to a code-point offset.
func (t *Text) Rune(byteOff int) int {
	lo, hi := 0, len(t.bytes)-1
	for lo < hi {
		m := (lo + hi) / 2
		if int(t.bytes[m]) < byteOff {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// Span is a range of code points [Start, End).
type Span struct{ Start, End int }

// Sentences splits the text into sentences: at line breaks, and after '.', '!' or '?'
// (with closing quotes) when the next word starts with an upper-case letter or a digit,
// unless the period ends a number ("9. November"), a single letter or a known
// abbreviation. Spans are trimmed of surrounding space.
func (t *Text) Sentences() []Span {
	var out []Span
	s := t.s
	start := 0 // byte offset of current sentence
	emit := func(endByte int) {
		a, b := start, endByte
		for a < b {
			r, n := utf8.DecodeRuneInString(s[a:])
			if !unicode.IsSpace(r) {
				break
			}
			a += n
		}
		for b > a {
			r, n := utf8.DecodeLastRuneInString(s[:b])
			if !unicode.IsSpace(r) {
				break
			}
			b -= n
		}
		if a < b {
			out = append(out, Span{t.Rune(a), t.Rune(b)})
		}
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n':
			emit(i)
			start = i + n
		case r == '.' || r == '!' || r == '?' || r == '…':
			j := i + n
			for j < len(s) { // closing quotes and brackets belong to the sentence
				q, qn := utf8.DecodeRuneInString(s[j:])
				if !isCloser(q) {
					break
				}
				j += qn
			}
			if endsSentence(s, i, j, r) {
				emit(j)
				start = j
			}
			i = j
			continue
		}
		i += n
	}
	emit(len(s))
	return out
}

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', ')', ']', '»', '«', '“', '”', '’', '‘':
		return true
	}
	return false
}

// endsSentence decides whether the punctuation at byte i (ending at j) ends a sentence.
func endsSentence(s string, i, j int, p rune) bool {
	// what follows: spaces then a capital, digit or opening quote; or the end of text
	k := j
	for k < len(s) && (s[k] == ' ' || s[k] == '\t') {
		k++
	}
	if k >= len(s) || s[k] == '\n' || s[k] == '\r' {
		return true
	}
	next, _ := utf8.DecodeRuneInString(s[k:])
	if !(unicode.IsUpper(next) || unicode.IsDigit(next) || next == '"' || next == '„' || next == '«' || next == '»' || next == '“') {
		return false
	}
	if p != '.' {
		return true
	}
	// the word before the period
	w := i
	for w > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:w])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			break
		}
		w -= n
	}
	word := s[w:i]
	if word == "" {
		return true
	}
	if isDigits(word) {
		// "9. November", "am 3. März": an ordinal, unless the text ran on without a space
		return k == j && !unicode.IsUpper(next)
	}
	if utf8.RuneCountInString(word) == 1 {
		return false // initials: "J. R. Smith"
	}
	return !isAbbreviation(word)
}

func isDigits(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// abbreviations that are followed by a capitalised word inside a sentence, in German and
// English news text.
var abbreviations = map[string]bool{
	"Dr": true, "Prof": true, "Mr": true, "Mrs": true, "Ms": true, "St": true, "Nr": true,
	"Hr": true, "Fr": true, "Gen": true, "Sen": true, "Rep": true, "Gov": true, "Lt": true,
	"Col": true, "Sgt": true, "Capt": true, "bzw": true, "vgl": true, "ca": true, "z": true,
	"u": true, "etc": true, "Jan": true, "Feb": true, "Mar": true, "Apr": true, "Aug": true,
	"Sep": true, "Sept": true, "Oct": true, "Nov": true, "Dec": true, "Okt": true, "Dez": true,
	"vs": true, "No": true, "Abs": true, "Art": true, "Str": true, "Mt": true, "Ft": true,
	"Pt": true, "Ste": true, "Sta": true,
}

func isAbbreviation(w string) bool { return abbreviations[w] }
