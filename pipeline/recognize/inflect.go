package recognize

import (
	"strings"
	"unicode/utf8"
)

// variant is one lookup key for a run of words and how it was derived.
type variant struct {
	key   string
	match Match
}

// adjectiveEnding returns the adjective ending of a lower-case word ("kaspischen" →
// "en"), or "" when the word does not look like an inflected adjective.
func (l *rules) adjectiveEnding(w string) string {
	if len(l.inflection.Adjective) == 0 || utf8.RuneCountInString(w) < 5 {
		return ""
	}
	for _, e := range l.inflection.Adjective {
		if strings.HasSuffix(w, e) {
			return e
		}
	}
	return ""
}

// variants returns the lookup keys for words: the plain key first, then (in a language
// that inflects names) the forms without a genitive ending (when genitive) and with
// adjectives in their other endings ("Armeniens" → "armenien", "Schwarzen Meeres" →
// "schwarzes meer").
func (r *run) variants(ws []token, genitive bool) []variant {
	inflects := len(r.l.inflection.Genitive)+len(r.l.inflection.Adjective) > 0
	if len(ws) == 1 && !inflects {
		return []variant{{ws[0].w.key, Exact}}
	}
	keys := make([]string, len(ws))
	for k, w := range ws {
		keys[k] = w.w.key
	}
	out := make([]variant, 1, 4)
	out[0] = variant{strings.Join(keys, " "), Exact}
	if len(ws) > 1 && ws[1].sepBefore == '.' {
		for _, full := range nameAbbrevs[ws[0].text] { // "St. Petersburg" → "saint petersburg"
			out = append(out, variant{full + out[0].key[len(keys[0]):], Exact})
		}
	}
	if !inflects {
		return out
	}
	// forms of the last word: as written, without a genitive ending (-s, -es)
	last := keys[len(keys)-1]
	lastForms := []string{last}
	if len(last) > 4 && genitive {
		for _, e := range r.l.inflection.Genitive {
			if stem, ok := strings.CutSuffix(last, e); ok {
				lastForms = append(lastForms, stem)
			}
		}
	}
	if stem, ok := r.pluralDativeStem(last); ok {
		lastForms = append(lastForms, stem)
	}
	// forms of the words before: adjectives in every ending (adjectives lead German
	// names, at most two of them: "Vereinigten Arabischen Emirate")
	prefixes := []string{""}
	for k := 0; k < len(keys)-1; k++ {
		forms := []string{keys[k]}
		if e := r.l.adjectiveEnding(keys[k]); e != "" && k < 2 && len(keys) <= 3 {
			stem := strings.TrimSuffix(keys[k], e)
			for _, e2 := range r.l.inflection.Adjective {
				if e2 != e {
					forms = append(forms, stem+e2)
				}
			}
		}
		var next []string
		for _, p := range prefixes {
			for _, f := range forms {
				next = append(next, p+f+" ")
			}
		}
		prefixes = next
	}
	for _, p := range prefixes {
		for _, l := range lastForms {
			if k := p + l; k != out[0].key {
				out = append(out, variant{k, Inflected})
			}
		}
	}
	return out
}

// demonym reports the country whose adjective or inhabitant noun the word is.
func (r *run) demonym(t token) (string, bool) {
	if len(t.w.key) < 4 || t.w.function || r.persons[t.w.key] {
		return "", false
	}
	w := t.w
	if !w.memo.demonymKeyDone {
		w.memo.demonymKey, w.memo.demonymKeyDone = r.demonymKey(w.key), true
	}
	return w.memo.demonymKey, w.memo.demonymKey != ""
}

// demonymKey returns the country whose adjective or inhabitant noun the word key is.
func (r *run) demonymKey(key string) string {
	if iso, ok := r.g.Demonym(key); ok {
		return iso
	}
	// the language's endings find the stem of an adjective or inhabitant noun
	// ("armenischen" → "armenisch", "Armenierinnen" → "armenier")
	for _, e := range r.l.inflection.Demonym {
		stem, ok := strings.CutSuffix(key, e)
		if !ok || utf8.RuneCountInString(stem) < 4 {
			continue
		}
		if iso, ok := r.g.Demonym(stem); ok {
			return iso
		}
	}
	return ""
}

// pluralDativeStem returns the word without the plural dative ending when it has one
// after an "e" ("niederlanden" → "niederlande").
func (r *run) pluralDativeStem(key string) (string, bool) {
	d := r.l.inflection.PluralDative
	if d == "" || len(key) <= 5 {
		return "", false
	}
	stem, ok := strings.CutSuffix(key, d)
	if !ok || !strings.HasSuffix(stem, "e") {
		return "", false
	}
	return stem, true
}
