package recognize

import (
	"newsmap/pipeline/lang"
)

// rules is a language's word classes compiled for recognition: sets looked up once per
// distinct word of a text. The lists themselves live in pipeline/lang; they are closed
// classes of the language's grammar and the titles that precede personal names, general
// language knowledge rather than any article's words: a capitalised function word at
// the start of a sentence ("Die", "Aber", "Laut", "Auch") is never a place, whatever
// towns share its spelling.
type rules struct {
	code                                                       string // the language's code ("de"), for generated names
	function, determiner, possessive, title, locative, orgHead map[string]bool
	divisions, divisionLinks, coordinator, nameHead            map[string]bool
	inflection                                                 lang.Inflection
	caps                                                       lang.Capitalisation
}

func compile(l *lang.Language) *rules {
	w := &l.Words
	return &rules{
		function: lang.WordSet(w.Function), determiner: lang.WordSet(w.Determiners),
		possessive: lang.WordSet(w.Possessives), title: lang.WordSet(w.Titles),
		locative: lang.WordSet(w.Locatives), orgHead: lang.WordSet(w.OrgHeads),
		divisions: lang.WordSet(w.Divisions), divisionLinks: lang.WordSet(w.DivisionLinks),
		coordinator: lang.WordSet(w.Coordinators), nameHead: lang.WordSet(w.NameHeads),
		inflection: l.Inflection, caps: l.Caps, code: l.Code,
	}
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
