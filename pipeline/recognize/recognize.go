// Package recognize finds the spans of an article's text that name places: gazetteer
// tagging over word n-grams with German inflection, demonyms and adjectives, fuzzy
// matching for misspellings, and filters for function words, person names and
// organisations.
package recognize

import (
	"slices"
	"strings"
	"unicode/utf8"

	"newsmap/geo/gazetteer"
	"newsmap/pipeline/article"
	"newsmap/pipeline/lang"
)

// Gazetteer is what recognition needs of the gazetteer.
type Gazetteer interface {
	Lookup(key string) []*gazetteer.Entry
	Fuzzy(key string) []gazetteer.FuzzyMatch
	Variant(key string, e *gazetteer.Entry) (gazetteer.NameVariant, bool)
	Demonym(key string) (iso2 string, ok bool)
	Country(iso2 string) *gazetteer.Entry
	MaxNameWords() int
	NameWordsFrom(firstWordKey string) int
	EndsName(lastWordKey string) bool
	EnglishWord(lower string) bool
	CommonWord(code, lower string) bool
	ByID(id string) *gazetteer.Entry
}

// Match is how a name in the text matched a gazetteer name.
type Match int

// The kinds of match, best first.
const (
	Exact          Match = iota // the words normalise to the name
	Inflected                   // after removing a German case or adjective ending
	Transliterated              // a generated transliteration of the name in the article's language
	Fuzzy                       // one edit away: a spelling slip
)

func (m Match) String() string {
	return [...]string{"exact", "inflected", "transliterated", "fuzzy"}[m]
}

// Candidate is one gazetteer entry a span may name.
type Candidate struct {
	Entry *gazetteer.Entry
	Match Match
}

// Span is a run of words that names a place.
type Span struct {
	Start, End int    // code points into the body
	Text       string // as written
	Sentence   int    // index into the sentence list
	Demonym    bool   // an adjective or inhabitant noun ("armenisch", "Armenier") of a country
	Locative   bool   // introduced by a locative preposition ("in", "nach", "from") or a place noun ("Stadt", "town of")
	Dateline   bool   // in capitals opening a line: the place a report was filed from ("GÖRLITZ. …")
	// Listed: the span follows the previous span with only a coordinator between them
	// ("Sonora and Durango", "Devon und Cornwall"): members of one list
	Listed     bool
	Division   bool // next to a word such as "Region" or "province": the division is meant
	Candidates []Candidate
	// Qualifier is the division or country named after a comma ("Paris, Tenn.",
	// "Kelowna, B.C.", "Perth, Scotland"); the candidates lie inside it. Nil otherwise.
	Qualifier *gazetteer.Entry
}

// maxWords bounds the n-grams tried, whatever the gazetteer's longest name.
const maxWords = 6

// Recognize returns the place spans of text, in order and without overlaps. l is the
// text's language (its word classes, inflection and capitalisation rules); sentences are
// the text's sentence spans. It works out every word's facts anew: a caller that reads
// many texts uses a Recognizer.
func Recognize(g Gazetteer, text *article.Text, sentences []article.Span, l *lang.Language) []Span {
	return New(g).Recognize(text, sentences, l)
}

// A Recognizer finds place spans in one text after another with one gazetteer. It keeps
// what it works out about words (their keys, word classes and the gazetteer's answers
// about them) for the next texts, up to maxStoredWords words per language, and its
// scratch memory: a build reads thousands of articles on each goroutine, most of their
// words recur, and the per-text state was most of the garbage an article left. It is
// not safe for concurrent use: each goroutine has its own.
type Recognizer struct {
	r         run
	stores    map[*rules]*words // by language
	wordLimit int               // maxStoredWords; smaller in tests
}

// New returns a Recognizer reading with g.
func New(g Gazetteer) *Recognizer {
	return &Recognizer{
		r:         run{g: g, persons: map[string]bool{}, lowerSeen: map[string]bool{}, cued: map[string]bool{}},
		stores:    map[*rules]*words{},
		wordLimit: maxStoredWords,
	}
}

// maxKeptTokens bounds the token memory a Recognizer keeps for the next text: that of
// an unusually long text goes to the collector.
const maxKeptTokens = 1 << 16

// Recognize is the package's Recognize with the Recognizer's gazetteer and memory.
func (rc *Recognizer) Recognize(text *article.Text, sentences []article.Span, l *lang.Language) []Span {
	r := &rc.r
	defer r.end()
	r.l, r.text = rulesOf(l), text
	r.words = rc.stores[r.l]
	if r.words == nil {
		r.words = newWords(rc.wordLimit)
		rc.stores[r.l] = r.words
	}
	r.words.startText(r.l)
	r.toks = r.words.tokenize(r.toks[:0], text, sentences)
	r.prepare()
	var out []Span
	for i := 0; i < len(r.toks); {
		if sp, n := r.matchAt(i); n > 0 {
			out = append(out, sp)
			r.lastSpanEnd = i + n
			i += n
			continue
		}
		i++
	}
	return r.qualify(out)
}

// end clears the per-text state of the run; nothing of it escapes into the spans.
func (r *run) end() {
	if cap(r.toks) > maxKeptTokens {
		// an unusually long text: its maps are as large as its words, and clear
		// would keep them so
		r.toks = nil
		r.persons, r.lowerSeen, r.cued = map[string]bool{}, map[string]bool{}, map[string]bool{}
	} else {
		clear(r.toks)
		r.toks = r.toks[:0]
		clear(r.persons)
		clear(r.lowerSeen)
		clear(r.cued)
	}
	r.l, r.text, r.words, r.lastSpanEnd, r.cueAt = nil, nil, nil, 0, 0
}

type run struct {
	g       Gazetteer
	l       *rules
	text    *article.Text
	toks    []token
	persons map[string]bool // keys of words used as personal names in this text
	// cued holds the keys of common nouns written, somewhere in this text, where a place
	// is expected (see prepare)
	cued        map[string]bool
	lowerSeen   map[string]bool // words written in lower case somewhere in the text
	lastSpanEnd int             // token index after the last span
	contracted  string          // while accept weighs a name read with a swallowed article: its key ("le havre")
	cueAt       int             // 1 + the token index whose placeCue is cue (0: none)
	cue         bool
	words       *words // the facts of the text's words, of its language
}

// prepare collects document-level evidence: words seen in lower case (so they are
// common words, not names) and words used as personal names (after a title, or as the
// second part of a "Firstname Lastname" pair).
func (r *run) prepare() {
	for _, t := range r.toks {
		if !t.upper && !isNumber(t.text) {
			r.lowerSeen[t.w.lower] = true
		}
		t.w.count++
	}
	for i, t := range r.toks {
		if r.l.caps.Nouns && r.l.caps.CommonWords && t.upper && r.placeCue(i) &&
			(i == 0 || !r.toks[i-1].w.determiner) && r.commonWord(t.w) {
			// German capitalises every noun, and its dictionary lists towns too
			// (Görlitz, Zwickau): a noun-like name that the text writes where a place
			// is expected ("in Görlitz", "die Stadt Görlitz", a dateline) is that
			// place in its other sentences as well ("Görlitz bereitet sich vor").
			r.cued[t.w.key] = true
		}
		if t.w.title {
			for j := i + 1; j < len(r.toks) && j <= i+3; j++ {
				n := r.toks[j]
				if j == i+1 && !n.upper && n.sentence == t.sentence && r.isDemonymAdjective(n) {
					continue // "le Premier ministre belge Alexander De Croo"
				}
				afterAbbrev := len(r.toks[j-1].text) <= 3 // "Dr. A. Smith": initials end with a full stop
				initial := len(n.text) == 1
				if !n.upper || (n.sepBefore != ' ' && !afterAbbrev) || n.sentence != t.sentence ||
					(n.w.function && !initial) || n.w.title || r.isBigPlace(n) {
					break
				}
				r.persons[n.w.key] = true
			}
			continue
		}
		// A country name can be a first name in English ("Chad Johnson", "Jordan
		// Henderson"); German capitalises every noun, so there a country before a
		// capitalised word is a genitive or an apposition ("Armeniens Sonderbotschafter").
		// Two capitalised words rarely open a sentence unless they are a name.
		if i+1 < len(r.toks) && t.upper && !t.w.function && !t.w.title && !r.placeNoun(&r.toks[i]) {
			n := r.toks[i+1]
			if n.upper && n.sepBefore == ' ' && n.sentence == t.sentence && !n.w.function &&
				!n.w.title && !r.isPlaceWord(n) && (!r.l.caps.Nouns || !r.isBigPlace(t)) && !r.lowerSeen[n.w.lower] &&
				(i == 0 || !r.toks[i-1].w.locative) {
				// "Nikol Paschinjan": the second word is a surname.
				r.persons[n.w.key] = true
			}
		}
	}
}

// isDemonymAdjective reports whether a lower-case word is a country's adjective, as
// after a title in "le ministre saoudien Fayçal".
func (r *run) isDemonymAdjective(t token) bool {
	_, ok := r.demonymOf(t)
	return ok
}

// demonymOf memoises demonym.
func (r *run) demonymOf(t token) (string, bool) {
	if len(t.w.key) < 4 || t.w.function {
		return "", false
	}
	if !t.w.demonymDone {
		t.w.demonym, _ = r.demonym(t)
		t.w.demonymDone = true
	}
	return t.w.demonym, t.w.demonym != ""
}

// forms returns the lookup keys of a word alone (see variants), computed once per word.
func (r *run) forms(t token) []variant {
	if t.w.forms == nil {
		t.w.forms = r.variants([]token{t}, true)
	}
	return t.w.forms
}

// fuzzyMatches memoises Gazetteer.Fuzzy: articles repeat their names.
func (r *run) fuzzyMatches(t token) []gazetteer.FuzzyMatch {
	if !t.w.memo.fuzzyDone {
		t.w.memo.fuzzy = r.g.Fuzzy(t.w.key)
		t.w.memo.fuzzyDone = true
	}
	return t.w.memo.fuzzy
}

// endsName reports whether a multi-word name may end with the word (as written or
// without a genitive ending).
func (r *run) endsName(t token) bool {
	if r.endsNameWord(t.w) {
		return true
	}
	k := t.w.key
	if stem, ok := r.pluralDativeStem(k); ok && r.g.EndsName(stem) {
		return true // "Vereinigten Arabischen Emiraten"
	}
	if len(k) <= 4 {
		return false
	}
	for _, e := range r.l.inflection.Genitive {
		if stem, ok := strings.CutSuffix(k, e); ok && r.g.EndsName(stem) {
			return true
		}
	}
	return false
}

// namesFrom returns how many words the longest name starting at token i may have,
// trying the first word also in its other adjective endings ("kaspischen Meer").
func (r *run) namesFrom(i int) int {
	t := r.toks[i]
	n := r.nameWords(t.w)
	for _, full := range nameAbbrevs[t.text] {
		n = max(n, r.g.NameWordsFrom(full))
	}
	if art := r.contractedArticle(i); art != "" {
		n = max(n, r.g.NameWordsFrom(art)-1) // "des Sables-d'Olonne"
	}
	if n == 0 {
		if stem, ok := r.pluralDativeStem(t.w.key); ok {
			n = r.g.NameWordsFrom(stem) // "den Niederlanden"
		}
	}
	if len(r.l.inflection.Adjective) == 0 || i+1 >= len(r.toks) || !r.toks[i+1].upper {
		return n
	}
	if t.w.adjNameWords == 0 {
		t.w.adjNameWords = 1
		if e := r.l.adjectiveEnding(t.w.key); e != "" {
			stem := t.w.key[:len(t.w.key)-len(e)]
			for _, e2 := range r.l.inflection.Adjective {
				if e2 != e {
					t.w.adjNameWords = max(t.w.adjNameWords, r.g.NameWordsFrom(stem+e2))
				}
			}
		}
	}
	return max(n, t.w.adjNameWords)
}

// isPlaceWord reports whether the word alone (or inflected) names a notable gazetteer
// entry: a country, division, region or a town of 10,000 people or more. (Almost every
// capitalised word names some hamlet somewhere.)
func (r *run) isPlaceWord(t token) bool {
	if !t.w.memo.placeWordDone {
		t.w.memo.placeWord = r.lookupNotable(t)
		t.w.memo.placeWordDone = true
	}
	return t.w.memo.placeWord
}

// variantMatch returns how the lookup key v names e: as v says, or Transliterated when
// e has the key only as a generated transliteration; ok is false when that
// transliteration is for another language than the article's.
func (r *run) variantMatch(v variant, e *gazetteer.Entry) (m Match, ok bool) {
	nv, isVariant := r.g.Variant(v.key, e)
	switch {
	case !isVariant:
		return v.match, true
	case nv.Lang != r.l.code:
		return 0, false
	}
	return Transliterated, true
}

func (r *run) lookupNotable(t token) bool {
	for _, k := range r.forms(t) {
		for _, e := range r.g.Lookup(k.key) {
			if _, ok := r.variantMatch(k, e); ok && e.Notable() {
				return true
			}
		}
	}
	return false
}

// isBigPlace reports whether the word names a country, region or sea ("Präsident
// Armeniens" is a title followed by a genitive, not by a name). Divisions do not count:
// many share a first name's spelling through their capital (Oblast Wladimir).
func (r *run) isBigPlace(t token) bool {
	if !t.w.memo.bigPlaceDone {
		t.w.memo.bigPlace, t.w.memo.bigPlaceDone = r.bigPlace(t), true
	}
	return t.w.memo.bigPlace
}

func (r *run) bigPlace(t token) bool {
	for _, k := range r.forms(t) {
		for _, e := range r.g.Lookup(k.key) {
			if !isSettlement(e) && e.Kind != gazetteer.KindAdmin {
				return true
			}
		}
	}
	return false
}

func isSettlement(e *gazetteer.Entry) bool {
	switch e.Kind {
	case gazetteer.KindCity, gazetteer.KindTown, gazetteer.KindVillage, gazetteer.KindFacility:
		return true
	}
	return false
}

// matchAt tries the longest name starting at token i; it returns the span and the number
// of tokens used, or 0.
func (r *run) matchAt(i int) (Span, int) {
	maxN := 0
	if first := r.toks[i]; first.upper || r.opensName(first.w) { // else no n-gram has a name's shape
		maxN = min(maxWords, r.g.MaxNameWords(), r.namesFrom(i))
	}
	for n := maxN; n >= 1; n-- {
		if !r.contiguous(i, n) {
			continue
		}
		ws := r.toks[i : i+n]
		if !r.nameShape(ws) {
			continue
		}
		var cands []Candidate
		if r.rejectsAll(i, n) {
			continue
		}
		noGenitive := r.noGenitive(i)
		if n == 1 {
			for _, c := range r.readings(ws[0]) {
				if c.Match == Inflected && noGenitive && !r.pluralDative(ws[0], c.Entry) {
					continue // "der Hamas" is not Hama's genitive
				}
				if r.accept(i, 1, c.Entry) {
					cands = append(cands, c)
				}
			}
		} else {
			if r.endsName(ws[n-1]) {
				cands = r.appendReadings(cands, r.variants(ws, !noGenitive), func(e *gazetteer.Entry) bool { return r.accept(i, n, e) })
			}
			if ws[n-1].w.division && ws[n-1].upper && !r.l.caps.Nouns {
				// "Kent County Council", "Isabela Province": the division the words
				// before the division word name, besides the entries named so whole
				// (Kent County, Michigan); resolution weighs them
				cands = r.appendReadings(cands, r.variants(ws[:n-1], !noGenitive), func(e *gazetteer.Entry) bool {
					return (e.Kind == gazetteer.KindAdmin || e.Kind == gazetteer.KindRegion) && r.accept(i, n, e)
				})
			}
		}
		if art := r.contractedArticle(i); art != "" {
			// "le port du Havre", "au Mans": the name with the article the
			// preposition swallowed
			key, _ := r.spanKey(i, n)
			r.contracted = art + " " + key
			cands = r.appendReadings(cands, []variant{{r.contracted, Exact}}, func(e *gazetteer.Entry) bool { return r.accept(i, n, e) })
			r.contracted = ""
		}
		if len(cands) == 0 {
			continue
		}
		if n == 1 && !r.hyphenated(i) && r.fuzzyEligible(ws[0]) && hasSettlement(cands) {
			// A written name may be a slip for a similar one ("Gori" for "Goris"):
			// keep the settlements whose main name is one edit away as candidates and
			// let resolution weigh them. (Historic and foreign alternate names one edit
			// away are too many to be plausible slips.)
			for _, fm := range r.fuzzyMatches(ws[0]) {
				if !hasEntry(cands, fm.Entry) && isSettlement(fm.Entry) && isMainName(fm) && r.accept(i, 1, fm.Entry) {
					cands = append(cands, Candidate{fm.Entry, Fuzzy})
				}
			}
		}
		return r.span(i, n, cands, false), n
	}
	t := r.toks[i]
	if len(r.l.inflection.CompassPrefixes)+len(r.l.inflection.RegionHeads) > 0 && t.upper && !t.allCaps {
		if cands := r.compound(t); len(cands) > 0 {
			return r.span(i, 1, cands, false), 1
		}
	}
	if iso, ok := r.demonymOf(t); ok {
		if c := r.g.Country(iso); c != nil {
			return r.span(i, 1, []Candidate{{c, Exact}}, true), 1
		}
	}
	if r.placeContext(i) && !r.hyphenated(i) && r.fuzzyEligible(t) && r.repairable(t) && utf8.RuneCountInString(t.text) >= 5 {
		var cands []Candidate
		for _, fm := range r.fuzzyMatches(t) {
			if r.accept(i, 1, fm.Entry) {
				cands = append(cands, Candidate{fm.Entry, Fuzzy})
			}
		}
		if len(cands) > 0 {
			return r.span(i, 1, cands, false), 1
		}
	}
	return Span{}, 0
}

// readings returns the entries the word alone may name, each with the match of the
// first of its forms (forms) that names it, before the context filters (accept):
// worked out once per word.
func (r *run) readings(t token) []Candidate {
	if !t.w.memo.readingsDone {
		t.w.memo.readings = r.appendReadings(nil, r.forms(t), nil)
		t.w.memo.readingsDone = true
	}
	return t.w.memo.readings
}

// appendReadings appends to cands the entries the lookup keys vs name that keep
// (nil: all) accepts, each once, with the match of the first key that names it in the
// article's language.
func (r *run) appendReadings(cands []Candidate, vs []variant, keep func(*gazetteer.Entry) bool) []Candidate {
	for _, v := range vs {
		for _, e := range r.g.Lookup(v.key) {
			if hasEntry(cands, e) {
				continue
			}
			if m, ok := r.variantMatch(v, e); ok && (keep == nil || keep(e)) {
				cands = append(cands, Candidate{e, m})
			}
		}
	}
	return cands
}

// hasEntry reports whether e is among the candidates.
func hasEntry(cands []Candidate, e *gazetteer.Entry) bool {
	for _, c := range cands {
		if c.Entry == e {
			return true
		}
	}
	return false
}

// compound reads a compound that names a country or region with a compass
// prefix or a region head ("Ostukraine" → Ukraine, "Südkaukasusregion" → South
// Caucasus). Settlements are not read this way ("Ostberlin" is in the gazetteer when
// it is a place).
func (r *run) compound(t token) []Candidate {
	if t.w.function || t.w.title || r.persons[t.w.key] {
		return nil
	}
	key := t.w.key
	for _, h := range r.l.inflection.RegionHeads {
		if stem, ok := strings.CutSuffix(key, h); ok && len(stem) >= 4 {
			// the whole stem first: "Südkaukasus|region" is the South Caucasus, not
			// the south of the Caucasus
			if cs := r.lookRegion(stem); len(cs) > 0 {
				return cs
			}
			if cs := r.compoundPart(stem); len(cs) > 0 {
				return cs
			}
		}
	}
	return r.compoundPart(key)
}

// lookRegion looks key up as a country, region, division or landform.
func (r *run) lookRegion(key string) []Candidate {
	var out []Candidate
	for _, e := range r.g.Lookup(key) {
		switch e.Kind {
		case gazetteer.KindCountry, gazetteer.KindRegion, gazetteer.KindAdmin, gazetteer.KindLandform:
			out = append(out, Candidate{e, Inflected})
		}
	}
	return out
}

// compoundPart looks key up as a compass prefix and a region or country.
func (r *run) compoundPart(key string) []Candidate {
	for _, p := range r.l.inflection.CompassPrefixes {
		if rest, ok := strings.CutPrefix(key, p); ok && len(rest) >= 4 {
			if cs := r.lookRegion(rest); len(cs) > 0 {
				return cs
			}
		}
	}
	return nil
}

// isMainName reports whether a fuzzy match is on the entry's canonical name or its name
// in one of the languages the gazetteer knows.
func isMainName(fm gazetteer.FuzzyMatch) bool {
	if fm.Entry.NameKeyIs(fm.Name, gazetteer.KeyHash(fm.Name)) {
		return true
	}
	for _, n := range fm.Entry.Names {
		if gazetteer.NormalizesTo(n, fm.Name) {
			return true
		}
	}
	return false
}

func hasSettlement(cs []Candidate) bool {
	for _, c := range cs {
		if isSettlement(c.Entry) {
			return true
		}
	}
	return false
}

func (r *run) span(i, n int, cands []Candidate, demonym bool) Span {
	first, last := r.toks[i], r.toks[i+n-1]
	return Span{
		Start: int(first.start), End: int(last.end), Sentence: int(first.sentence),
		Text: r.text.Slice(int(first.start), int(last.end)), Demonym: demonym,
		Locative:   r.placeCue(i),
		Dateline:   r.dateline(i),
		Listed:     r.listed(i),
		Division:   r.divisionCue(i, n),
		Candidates: cands,
	}
}

// divisionCue reports whether tokens i..i+n-1 stand next to a division word: "Region X",
// "Provinz X", "province of X", "X region", "X Oblast".
func (r *run) divisionCue(i, n int) bool {
	s := r.toks[i].sentence
	in := func(k int) bool { return k >= 0 && k < len(r.toks) && r.toks[k].sentence == s }
	division := func(k int) bool { return in(k) && r.toks[k].w.division }
	if division(i-1) || division(i+n) || n > 1 && r.toks[i+n-1].w.division {
		return true
	}
	return in(i-1) && r.toks[i-1].w.divisionLink && division(i-2)
}

// contiguous reports whether tokens i..i+n-1 exist, lie in one sentence and are joined
// only by spaces, hyphens or apostrophes.
func (r *run) contiguous(i, n int) bool {
	if i+n > len(r.toks) {
		return false
	}
	for k := i + 1; k < i+n; k++ {
		if r.toks[k].sepBefore == 0 || r.toks[k].sentence != r.toks[i].sentence {
			return false
		}
	}
	return true
}

// nameShape checks capitalisation: a name starts with a capital, except an adjective
// before a capitalised noun ("kaspischen Meer", "persischen Golf") or a common noun that
// opens names in the language ("mer Noire", "corridor de Latchine").
func (r *run) nameShape(ws []token) bool {
	first, last := ws[0], ws[len(ws)-1]
	if isNumber(first.text) {
		return false
	}
	if first.upper {
		return true
	}
	return len(ws) >= 2 && last.upper && r.opensName(first.w)
}

// opensName reports whether a word in lower case may open a name: an adjective before
// a capitalised noun or a common noun that opens names in the language (see nameShape).
func (r *run) opensName(w *wordInfo) bool {
	return r.l.adjectiveEnding(w.lower) != "" || r.l.nameHead[w.lower]
}

// rejectsAll reports whether accept refuses every entry for tokens i..i+n-1 whatever
// the entry: the filters that look at the words alone, asked once before the
// candidates (a name may have a hundred entries, and reading each is a cache miss).
func (r *run) rejectsAll(i, n int) bool {
	t := r.toks[i]
	if i > 0 && r.toks[i-1].sentence == t.sentence && (r.toks[i-1].w.title || r.toks[i-1].w.possessive) {
		return true
	}
	if n != 1 {
		return false
	}
	runes := utf8.RuneCountInString(t.text)
	switch {
	case t.allCaps && runes <= 4:
		return false // decided by the entry's kind
	case t.w.function || t.w.title, r.persons[t.w.key], !t.upper, runes < 3:
		return true
	}
	return false
}

// hyphenated reports whether token i is part of a hyphenated compound that the
// gazetteer does not know whole ("Rems-Murr-Kreis"): its parts are not slips for
// places one letter away.
func (r *run) hyphenated(i int) bool {
	t := r.toks[i]
	if t.sepBefore == '-' && i > 0 && r.toks[i-1].sentence == t.sentence {
		return true
	}
	return i+1 < len(r.toks) && r.toks[i+1].sepBefore == '-' && r.toks[i+1].sentence == t.sentence
}

// contractedArticle returns the article that the preposition before token i swallowed
// ("du" → "le"), or "".
func (r *run) contractedArticle(i int) string {
	if len(r.l.contractions) == 0 || i == 0 || r.toks[i-1].sentence != r.toks[i].sentence || !r.toks[i].upper {
		return ""
	}
	return r.l.contractions[r.toks[i-1].w.lower]
}

// allDirections reports whether tokens i..i+n-1 are all compass points.
func (r *run) allDirections(i, n int) bool {
	for k := i; k < i+n; k++ {
		if !r.toks[k].w.direction {
			return false
		}
	}
	return true
}

// spanKey returns the lookup key of tokens i..i+n-1 as written, and its hash.
func (r *run) spanKey(i, n int) (string, uint32) {
	keys := make([]string, n)
	for k := range n {
		keys[k] = r.toks[i+k].w.key
	}
	key := strings.Join(keys, " ")
	return key, gazetteer.KeyHash(key)
}

// pluralDative reports whether t is e's name in the plural dative ("den Niederlanden").
func (r *run) pluralDative(t token, e *gazetteer.Entry) bool {
	stem, ok := r.pluralDativeStem(t.w.key)
	return ok && slices.Contains(r.g.Lookup(stem), e)
}

// inDivisionCompound reports whether tokens i..i+n-1 are followed, in one hyphenated
// compound, by a division word that ends it: "Rems-Murr-Kreis".
func (r *run) inDivisionCompound(i, n int) bool {
	for k := i + n; k < len(r.toks) && k < i+n+maxWords && r.toks[k].sepBefore == '-'; k++ {
		if r.toks[k].w.division {
			return k+1 >= len(r.toks) || r.toks[k+1].sepBefore != '-'
		}
	}
	return false
}

// foreignName reports whether key is the entry's name in another language than the
// text's and neither its main name nor its name in the text's language.
func (r *run) foreignName(e *gazetteer.Entry, key string) bool {
	if e.NameKeyIs(key, gazetteer.KeyHash(key)) || gazetteer.NormalizesTo(e.NameIn(r.l.code), key) {
		return false
	}
	for code, n := range e.Names {
		if code != r.l.code && gazetteer.NormalizesTo(n, key) {
			return true
		}
	}
	return false
}

// noGenitive reports whether the name at token i follows a determiner after which it
// carries no genitive ending (lang.Inflection.GenitiveArticles).
func (r *run) noGenitive(i int) bool {
	if i == 0 || len(r.l.inflection.Genitive) == 0 {
		return false
	}
	prev := r.toks[i-1]
	return prev.sentence == r.toks[i].sentence && prev.w.determiner && !prev.w.genitiveArticle
}

// accept applies the context filters to one candidate entry for tokens i..i+n-1.
func (r *run) accept(i, n int, e *gazetteer.Entry) bool {
	t := r.toks[i]
	var prev, next *token
	if i > 0 && r.toks[i-1].sentence == t.sentence {
		prev = &r.toks[i-1]
	}
	if i+n < len(r.toks) && r.toks[i+n].sentence == t.sentence {
		next = &r.toks[i+n]
	}
	if prev != nil && prev.w.title {
		return false // "Präsident Putin", "President Vladimir"
	}
	if prev != nil && prev.w.possessive {
		return false // "seines Landes": a possessive never precedes a place name
	}
	settlement := isSettlement(e)
	if n == 1 && prev != nil && prev.w.towards && t.w.direction {
		return false // "die Straße nach Norden", "heading towards North": a direction
	}
	if n == 1 {
		runes := utf8.RuneCountInString(t.text)
		switch {
		case t.allCaps && runes <= 4:
			// abbreviations name countries and unions (USA, UK, US, EU), not towns (IATA
			// codes); but a dateline is written in capitals ("KYIV —", "ROME (AP)")
			return !settlement && e.Kind != gazetteer.KindAdmin || settlement && r.dateline(i)
		case t.w.function || t.w.title:
			return false // "Die", "Aber"; "Secretary", "General" are titles
		case r.persons[t.w.key]:
			return false
		case !t.upper:
			return false
		case runes < 3:
			return false
		case r.lowerSeen[t.w.lower] && e.Kind != gazetteer.KindCountry:
			return false // written in lower case elsewhere: a common word
		}
	}
	if next != nil && next.w.orgHead && e.Kind != gazetteer.KindCountry {
		return false // "Washington Post", "Rome Statute"
	}
	if settlement && e.FeatureCode != "PPLC" && e.Population < wellKnownPopulation &&
		(next != nil && next.sepBefore == '-' && !next.upper ||
			t.sepBefore == '-' && i > 0 && !r.toks[i-1].upper && r.toks[i-1].sentence == t.sentence) {
		// a part of a compound town name the gazetteer does not know whole, joined by
		// a lower-case link: "Chennevières-lès-Louvres" is neither Chennevières-sur-
		// Marne nor Louvres
		return false
	}
	if r.inDivisionCompound(i, n) {
		// "Rems-Murr-Kreis", "Rhein-Sieg-Kreis": a district named after its rivers,
		// which the gazetteer does not know whole; its parts are not towns
		return false
	}
	if next != nil && next.sepBefore == '-' && next.upper && !next.allCaps && settlement &&
		e.FeatureCode != "PPLC" && e.Population < wellKnownPopulation && !r.isPlaceWord(*next) &&
		(!r.commonWord(next.w) || r.l.caps.Nouns && hasSettlement(r.readings(*next))) {
		// the first half of a double name the gazetteer does not know whole
		// ("Mercedes-Benz", "Rolls-Royce", "Müller-Lüdenscheid"): a company or a
		// person. "Berlin-Mitte" and "Nysa-Hochwasser" end in a common word; the
		// German dictionary lists names too, so there a word that is also a small
		// place's name (Benz) does not count as one.
		return false
	}
	locative := r.placeCue(i)
	if r.contracted != "" && e.NameKeyIs(r.contracted, gazetteer.KeyHash(r.contracted)) {
		// "du Havre" is Le Havre written whole: the common word "havre" is not meant
		return true
	}
	if settlement && n == 1 && r.l.caps.CommonWords && !r.l.caps.Nouns && !locative && r.commonWord(t.w) &&
		!e.NameKeyIs(t.w.key, gazetteer.KeyHash(t.w.key)) {
		// A common word that is only an alternate name of a town ("North" of North
		// Salt Lake) is the word; a town's own name ("Bath", "Reading") may be meant.
		return false
	}
	if e.Kind == gazetteer.KindAdmin && n == 1 && r.l.caps.CommonWords && !r.l.caps.Nouns && r.g.CommonWord(r.l.code, t.w.lower) &&
		!r.divisionCue(i, n) {
		// A division whose name is a common word ("the West", "the South", "Delta")
		// is that division only beside a division word: "West Region", "Delta State".
		// The word as listed, not a plural made of one: "Wales" is not "wale"s.
		return false
	}
	if e.Kind == gazetteer.KindAdmin && n > 1 && r.allDirections(i, n) && !r.divisionCue(i, n) {
		// "le Sud-Ouest", "the North West": a part of the country the story is in, not
		// the region of Burkina Faso or the province of South Africa, unless a
		// division word says so
		return false
	}
	if n > 1 && settlement && r.toks[i+n-1].w.orgHead && !e.NameKeyIs(r.spanKey(i, n)) {
		// "Union Station", "Victoria Station": a building that an alternate name of a
		// town happens to spell
		return false
	}
	if e.Kind == gazetteer.KindCountry && n == 1 && r.l.caps.CommonWords && !r.l.caps.Nouns && r.commonWord(t.w) &&
		r.foreignName(e, t.w.key) {
		// A common word that is another language's name of a country ("Island", German
		// for Iceland, in "Jeju Island") is the word; "Turkey" and "Chad" are English.
		return false
	}
	if r.l.caps.CommonWords && n == 1 && !locative && r.commonWord(t.w) && !r.l.caps.Nouns &&
		(t.initial && e.Kind != gazetteer.KindCountry || e.Kind == gazetteer.KindVillage) {
		// A common word that opens a sentence ("Police said", "Nice weather", "Voici"),
		// or names a village ("Congress voted", "the Senate"): not a place without "in".
		// A country is meant even so: news opens sentences with "China's exports" and
		// "Turkey said", not with the porcelain or the bird.
		return false
	}
	if r.l.caps.CommonWords && n == 1 && r.commonWord(t.w) && r.l.caps.Nouns && !wellKnown(e) &&
		!(locative && (prev == nil || !prev.w.determiner)) && !r.listed(i) && !r.cued[t.w.key] {
		// German capitalises every noun: a noun that is also the name of a small place
		// ("Norden", "Ufer", "Kunden") is that place only after a locative without an
		// article ("in Norden", not "im Norden") or in a list of places.
		return false
	}
	if !r.l.caps.Nouns && n == 1 && next != nil && !locative && next.upper && next.sepBefore == ' ' &&
		!next.w.function && !next.w.title && !next.allCaps {
		// English capitalises names only: a place name run into another capitalised
		// word that the gazetteer does not join with it is part of a longer name —
		// a person ("Chad Johnson", "Jordan Henderson") or an organisation.
		return false
	}
	if !r.l.caps.Nouns && n == 1 && next != nil && locative && next.upper && next.sepBefore == ' ' &&
		!next.w.function && !next.w.title && !next.allCaps && settlement && !wellKnown(e) &&
		!r.isPlaceWord(*next) && !r.isDemonym(*next) {
		// after a locative too, a small town's name run into another capitalised word
		// is the first word of a longer name the gazetteer lacks: "à Haret Hreik" is
		// not Haret, Romania ("in Moscow Putin said" keeps Moscow, a well-known place)
		return false
	}
	if n > 1 && settlement && !r.toks[i+n-1].upper && (r.l.caps.Dictionary || r.toks[i+n-1].sepBefore == ' ') {
		// English capitalises every word of a town's name: "London city council" is
		// London and a common noun, not the alternate name "London City"; and no
		// language ends one in a lower-case word after a space: "Le port du Havre"
		// opening a sentence is not Le Port (Réunion), but "Boulogne-sur-mer" may be.
		return false
	}
	if !settlement && e.Kind != gazetteer.KindAdmin {
		return true
	}
	if !r.l.caps.Nouns && n == 1 && prev != nil && !locative && prev.upper && t.sepBefore == ' ' &&
		!prev.w.function && !prev.w.title && r.lastSpanEnd != i {
		return false // the tail of a longer proper name: "Washington Post", "Joe Biden"
	}
	if !r.l.caps.Nouns && prev != nil && !locative && prev.upper && t.sepBefore == ' ' && !prev.w.function &&
		!prev.w.title && (n > 1 || r.lastSpanEnd == i) && settlement && !wellKnown(e) {
		// a small town's name right after another capitalised word, a place's or not,
		// is the tail of an organisation's name: "Kenya Red Cross", "Ohio Valley
		// Electric" (the one-word tails of other names are refused above)
		return false
	}
	if settlement && prev != nil && !locative {
		if prev.w.determiner && e.Population < 1_000_000 {
			// "die Lage", "seines Landes", "la Santé", "l'Union": a noun, not a town
			return false
		}
		if r.l.caps.Nouns && !prev.upper && r.l.adjectiveEnding(prev.w.lower) != "" && !prev.w.function && e.Population < 100_000 {
			// "echten Schutz", "internationale Zentrum"; but the adjective of the
			// town's own country places it: "das polnische Nysa", "im tschechischen Ostrava"
			if iso, ok := r.demonymOf(*prev); !ok || iso != e.CountryCode {
				return false
			}
		}
	}
	if n == 1 && next != nil && !locative && next.upper && next.sepBefore == ' ' && !next.w.function &&
		!r.isPlaceWord(*next) && !r.lowerSeen[next.w.lower] && (r.persons[next.w.key] || !r.l.caps.Nouns) {
		return false // a first name: "Wladimir Putin"
	}
	return true
}

// wellKnownPopulation is the population from which a settlement is known well enough to
// be named without a cue even when its name is a common noun (Essen, Halle, Mainz):
// German press names towns below it with "in", "aus", "nach" ("in Norden"), and the
// common nouns that name places in the gazetteer (Norden, Keller, Ufer) are of towns
// far below it.
const wellKnownPopulation = 100_000

// wellKnown reports whether e is named without a cue: a country, a first-level
// division, a capital or first-level seat, a curated entry (seas, regions, routes) or
// a settlement of at least wellKnownPopulation people. Second-level divisions
// (départements such as Landes) and small towns are not.
func wellKnown(e *gazetteer.Entry) bool {
	switch {
	case e.Kind == gazetteer.KindCountry, e.FeatureCode == "ADM1", e.FeatureCode == "PPLC", e.FeatureCode == "PPLA":
		return true
	case e.GeonamesID == 0 && e.Kind != gazetteer.KindAdmin:
		return true
	}
	return e.Population >= wellKnownPopulation
}

// listed reports whether token i follows a coordinator right behind another place, as
// the later member of a list ("Gori und Osten").
func (r *run) listed(i int) bool {
	if i < 2 {
		return false
	}
	p := r.toks[i-1]
	return p.sentence == r.toks[i].sentence && p.w.coordinator && r.lastSpanEnd == i-1
}

// placeContext reports whether token i stands where a place is expected: after a
// locative preposition, or after "und"/"and" right behind another place ("zwischen X und Y").
func (r *run) placeContext(i int) bool {
	if i == 0 {
		return false
	}
	p := r.toks[i-1]
	if p.sentence != r.toks[i].sentence {
		return false
	}
	if r.placeCue(i) {
		return true
	}
	return p.w.coordinator && r.lastSpanEnd == i-1 && i >= 2
}

// placeCue reports whether token i follows, in its sentence, a locative preposition
// ("in", "nach", "from") or a noun that stands before a place's name: a settlement noun
// or a division word, alone or with a link ("die Stadt Görlitz", "Landkreis Görlitz",
// "the town of Bakhmut", "la ville de Lyon"). Where only names are capitalised, the
// noun must be written in lower case: "Town" in "Town Hall" opens a name.
func (r *run) placeCue(i int) bool {
	if r.cueAt != i+1 { // accept asks for every candidate of a word
		r.cueAt, r.cue = i+1, r.findPlaceCue(i)
	}
	return r.cue
}

func (r *run) findPlaceCue(i int) bool {
	s := r.toks[i].sentence
	at := func(k int) *token {
		if k < 0 || r.toks[k].sentence != s {
			return nil
		}
		return &r.toks[k]
	}
	if r.dateline(i) {
		return true
	}
	p := at(i - 1)
	if p == nil {
		return false
	}
	if p.w.locative {
		return true
	}
	if p.w.coordinator || p.w.function && !p.w.divisionLink {
		return false
	}
	if p.w.divisionLink {
		if p = at(i - 2); p == nil {
			return false
		}
	}
	return r.placeNoun(p)
}

// dateline reports whether token i is part of a dateline: words in capitals that open
// a line, the place a report was filed from ("GÖRLITZ. Nach den …", "SAN FRANCISCO —").
func (r *run) dateline(i int) bool {
	for k := i; k >= 0; k-- {
		t := &r.toks[k]
		if !t.allCaps || utf8.RuneCountInString(t.text) < 3 && k == i {
			return false
		}
		if t.lineStart {
			return true
		}
		if t.sepBefore != ' ' && t.sepBefore != '-' {
			return false
		}
	}
	return false
}

// placeNoun reports whether t is a settlement noun or a division word, in lower case
// where the language capitalises only names.
func (r *run) placeNoun(t *token) bool {
	if t.w.settlementCompound && !t.w.settlementNoun && !t.w.division {
		return len(r.readings(*t)) == 0 // "Matterhorndorf Zermatt", not "Darmstadt Mitte"
	}
	return (t.w.settlementNoun || t.w.division) && (r.l.caps.Nouns || !t.upper)
}

// fuzzyEligible reports whether a word may be a slip for a gazetteer name: a
// capitalised word of four letters or more that is not a function word, title or
// personal name, and (in a language whose common words the gazetteer lists) not a common
// word: "Rose" and "Hall" are words, not slips for Rome or Hull, nor "Süden" and
// "Sommer" for Uden and Sommières. In English, a demonym is not either: "German" and
// "Arab" are not Kerman or Arad.
func (r *run) fuzzyEligible(t token) bool {
	if r.commonWord(t.w) || r.l.caps.Dictionary && r.isDemonym(t) {
		return false
	}
	return t.upper && !t.allCaps && utf8.RuneCountInString(t.text) >= 4 && !t.w.function &&
		!r.persons[t.w.key] && !r.lowerSeen[t.w.lower] && !t.w.title
}

// isDemonym reports whether the word names a country's people or adjective.
func (r *run) isDemonym(t token) bool {
	_, ok := r.demonymOf(t)
	return ok
}

// repairable reports whether a word that matches no gazetteer name may be corrected to
// one a letter away: not when the article writes it the same way twice or more. A slip
// is rarely repeated letter for letter; a name written consistently is the article's
// spelling of a place the gazetteer lacks ("Smithville" is not Smithfield).
func (r *run) repairable(t token) bool {
	return t.w.count < 2
}

func isNumber(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
