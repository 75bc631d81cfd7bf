package recognize

import (
	"slices"
	"strings"

	"newsmap/pipeline/lang"
)

// rules is a language's word classes compiled for recognition: sets looked up once per
// distinct word of a text. The lists themselves live in pipeline/lang; they are closed
// classes of the language's grammar and the titles that precede personal names, general
// language knowledge rather than any article's words: a capitalised function word at
// the start of a sentence ("Die", "Aber", "Laut", "Auch") is never a place, whatever
// towns share its spelling.
type rules struct {
	code         string // the language's code ("de"), for generated names
	nameHead     map[string]bool
	inflection   lang.Inflection
	contractions map[string]string // see lang.Words.Contractions
	// settlementHeads are the settlement nouns a compound may end in where nouns are
	// capitalised and compounded ("Matterhorndorf", "Hafenstadt"): those of four
	// letters or more ("ort" ends too many words: "Sport", "Wort")
	settlementHeads []string
	caps            lang.Capitalisation
	// classes holds the closed word classes (function words, titles, locatives,
	// determiners, possessives, organisation heads, coordinators) in one map: a new
	// word of a text costs one lookup.
	classes map[string]wordClass
}

// wordClass is a set of the closed classes a word belongs to.
type wordClass uint16

const (
	classFunction wordClass = 1 << iota
	classTitle
	classLocative
	classDeterminer
	classPossessive
	classOrgHead
	classCoordinator
	classGenitiveArticle
	classSettlementNoun
	classDivision
	classDivisionLink
	classDirection
	classTowards
)

func compile(l *lang.Language) *rules {
	w := &l.Words
	r := &rules{
		nameHead:   lang.WordSet(w.NameHeads),
		inflection: l.Inflection, caps: l.Caps, code: l.Code, contractions: w.Contractions,
		classes: map[string]wordClass{},
	}
	if l.Caps.Nouns {
		for word := range lang.WordSet(w.SettlementNouns) {
			if len(word) >= 4 {
				r.settlementHeads = append(r.settlementHeads, word)
			}
		}
		slices.Sort(r.settlementHeads)
	}
	for _, c := range []struct {
		class wordClass
		words string
	}{
		{classFunction, w.Function}, {classTitle, w.Titles}, {classLocative, w.Locatives}, {classDeterminer, w.Determiners},
		{classPossessive, w.Possessives}, {classOrgHead, w.OrgHeads}, {classCoordinator, w.Coordinators},
		{classGenitiveArticle, l.Inflection.GenitiveArticles}, {classSettlementNoun, w.SettlementNouns},
		{classDivision, w.Divisions}, {classDivisionLink, w.DivisionLinks},
		{classDirection, w.Directions}, {classTowards, w.Towards},
	} {
		for word := range lang.WordSet(c.words) {
			r.classes[word] |= c.class
		}
	}
	return r
}

// endsInSettlementNoun reports whether lower is a compound ending in a settlement noun.
func (r *rules) endsInSettlementNoun(lower string) bool {
	for _, h := range r.settlementHeads {
		if len(lower) > len(h)+2 && strings.HasSuffix(lower, h) {
			return true
		}
	}
	return false
}

// compiled holds the rules of every registered language, built once.
var compiled = func() map[*lang.Language]*rules {
	m := map[*lang.Language]*rules{}
	for _, l := range lang.All() {
		m[l] = compile(l)
	}
	return m
}()

// rulesOf returns the compiled rules of l, compiling a language that is not registered
// (a test's) on the fly.
func rulesOf(l *lang.Language) *rules {
	if r, ok := compiled[l]; ok {
		return r
	}
	return compile(l)
}
