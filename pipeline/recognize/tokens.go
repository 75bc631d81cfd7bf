package recognize

import (
	"strings"
	"unicode"

	"newsmap/geo/gazetteer"
	"newsmap/pipeline/article"
)

// token is one word of the text.
type token struct {
	text       string    // as written
	key        string    // gazetteer.Normalize(text)
	lower      string    // lower case, diacritics kept
	start, end int       // code points
	sentence   int       // index of the sentence
	sepBefore  rune      // the separator before: ' ' for plain space, '-' hyphen, '\'' apostrophe, 0 other/punctuation
	upper      bool      // first letter upper case
	allCaps    bool      // two or more letters, all upper case
	initial    bool      // first word of its sentence
	forms      []variant // lookup keys of the word alone (see variants); nil for lower-case words not before a capital
}

// tokenize splits t into word tokens with code-point offsets and sentence numbers.
func tokenize(t *article.Text, sentences []article.Span) []token {
	runes := []rune(t.String())
	toks := make([]token, 0, len(runes)/6)
	keys := map[string][2]string{} // word → key, lower: articles repeat their words
	si := 0
	for i := 0; i < len(runes); {
		if !isWordRune(runes[i]) {
			i++
			continue
		}
		j := i
		for j < len(runes) && isWordRune(runes[j]) {
			j++
		}
		for si < len(sentences)-1 && i >= sentences[si].End {
			si++
		}
		w := string(runes[i:j])
		tk := token{text: w, start: i, end: j, sentence: si}
		kl, ok := keys[w]
		if !ok {
			kl = [2]string{gazetteer.Normalize(w), strings.ToLower(w)}
			keys[w] = kl
		}
		tk.key, tk.lower = kl[0], kl[1]
		tk.upper = unicode.IsUpper(runes[i])
		tk.allCaps = j-i >= 2 && isAllCaps(runes[i:j])
		tk.sepBefore = separator(runes, i)
		if len(toks) == 0 || toks[len(toks)-1].sentence != si {
			tk.initial = true
		}
		toks = append(toks, tk)
		i = j
	}
	return toks
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isAllCaps(rs []rune) bool {
	for _, r := range rs {
		if unicode.IsLetter(r) && !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// separator classifies what stands between the previous word and the word at i.
func separator(runes []rune, i int) rune {
	if i == 0 {
		return 0
	}
	k := i - 1
	switch runes[k] {
	case '-', '‐', '‑':
		if k > 0 && isWordRune(runes[k-1]) {
			return '-'
		}
	case '\'', '’':
		if k > 0 && isWordRune(runes[k-1]) {
			return '\''
		}
	case ' ', '\u00a0':
		if k > 0 && isWordRune(runes[k-1]) {
			return ' '
		}
	}
	return 0
}
