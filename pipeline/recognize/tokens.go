package recognize

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"newsmap/geo/gazetteer"
	"newsmap/pipeline/article"
)

// token is one word of the text.
type token struct {
	text       string    // as written
	start, end int32     // code points
	sentence   int32     // index of the sentence
	sepBefore  rune      // the separator before: ' ' space, '-' hyphen, '\'' apostrophe, '.' between capitals, 0 other
	upper      bool      // first letter upper case
	allCaps    bool      // two or more letters, all upper case
	initial    bool      // first word of its sentence
	lineStart  bool      // first word of its line (of the text, or after a line break)
	w          *wordInfo // what the word is, shared by its occurrences
}

// tokenize appends the word tokens of t, with code-point offsets and sentence numbers, to
// toks; their word facts are ws's.
func (ws *words) tokenize(toks []token, t *article.Text, sentences []article.Span) []token {
	str := t.String()
	toks = slices.Grow(toks, len(str)/6)
	si := 0
	var prev, prev2 rune // the two runes before the current position
	cp := 0              // code-point index of position b
	for b := 0; b < len(str); {
		r, n := decodeRune(str[b:])
		if !isWordRune(r) {
			prev2, prev = prev, r
			b += n
			cp++
			continue
		}
		start, startCP := b, cp
		sep := separatorOf(prev, prev2, startCP)
		if sep == 0 && prev == ' ' && prev2 == '.' && len(toks) > 0 && nameAbbrevs[toks[len(toks)-1].text] != nil {
			sep = '.' // "St. Petersburg", "Ft. Lauderdale"
		}
		first := r
		last := r
		for b < len(str) {
			r, n = decodeRune(str[b:])
			if !isWordRune(r) {
				break
			}
			last = r
			b += n
			cp++
		}
		for si < len(sentences)-1 && startCP >= sentences[si].End {
			si++
		}
		w := str[start:b]
		tk := token{text: w, start: int32(startCP), end: int32(cp), sentence: int32(si), sepBefore: sep}
		tk.w = ws.get(w)
		tk.upper = unicode.IsUpper(first)
		tk.allCaps = cp-startCP >= 2 && isAllCaps(w)
		tk.lineStart = startCP == 0 || prev == '\n'
		if len(toks) == 0 || toks[len(toks)-1].sentence != int32(si) {
			tk.initial = true
		}
		toks = append(toks, tk)
		prev2, prev = prev, last
	}
	return toks
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// decodeRune is utf8.DecodeRuneInString with a fast path for ASCII.
func decodeRune(s string) (rune, int) {
	if c := s[0]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s)
}

func isAllCaps(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) && !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// separatorOf classifies what stands between the previous word and a word: prev is the
// rune right before the word, prev2 the one before that.
func separatorOf(prev, prev2 rune, at int) rune {
	if at == 0 || !isWordRune(prev2) {
		return 0
	}
	switch prev {
	case '-', '‐', '‑':
		return '-'
	case '\'', '’':
		return '\''
	case ' ', '\u00a0':
		return ' '
	case '.':
		if unicode.IsUpper(prev2) {
			return '.' // initials: "U.S."
		}
	}
	return 0
}

// wordInfo is what recognition asks of a word, looked up once per distinct word. Its
// facts are the word's alone (given the gazetteer and the language) and are kept for
// the next texts (see words); the fields after text are of one text.
type wordInfo struct {
	key, lower  string
	function    bool // a function word (der, und, the, of …)
	title       bool // a title before names (Präsident, Secretary …)
	locative    bool // a locative preposition (in, nach, from …)
	determiner  bool // an article or determiner before a noun
	possessive  bool // a possessive determiner
	coordinator bool // joins two places: und, and
	orgHead     bool // a word that turns a place name into an organisation's (Post, Statut …)
	// genitiveArticle: a determiner after which a name may carry a genitive ending (des)
	genitiveArticle bool
	settlementNoun  bool // a noun before a settlement's name: Stadt, town, ville
	// settlementCompound: a compound ending in a settlement noun (Matterhorndorf), or a
	// town's name that does (Darmstadt): run.placeNoun tells them apart
	settlementCompound bool
	division           bool // a division word: Region, Landkreis, province
	divisionLink       bool // joins a division word to its name: of, de, von
	direction          bool // a compass point: Norden, north
	towards            bool // motion towards: nach, Richtung, towards
	// adjNameWords is NameWordsFrom of the word in its other adjective endings; 0 until
	// first needed (run.namesFrom).
	adjNameWords int
	forms        []variant // lookup keys of the word alone, filled on first use (run.forms)
	memo         wordMemo  // the gazetteer's answers, asked on first use

	text        uint64 // the text (words.text) the fields below count for
	count       int    // occurrences in this text (run.prepare)
	demonymDone bool   // demonym is known for this text (run.demonymOf)
	demonym     string // iso2 of the country the word is a demonym of in this text, or ""
}

// words holds the facts of the distinct words of the texts of one language a
// Recognizer has read, with their counts in the current text: their facts and the
// gazetteer's answers are worked out once, not once per text. It is bounded in two
// generations of at most maxStoredWords words: when the current one is full at the
// start of a text, it becomes the old one and the words of the old one that were not
// read since are forgotten; a word found in the old generation moves to the current
// one. The words an archive keeps using stay; a name read once goes after a while.
type words struct {
	cur, old generation
	limit    int    // words of a generation: maxStoredWords
	text     uint64 // the current text, counted from 1
	l        *rules // the language of the words
}

// generation is a set of word facts, in blocks reused when it is cleared.
type generation struct {
	m      map[string]*wordInfo
	blocks [][]wordInfo
	n      int // facts in use, over all blocks
}

// wordBlock is the number of word facts allocated at once.
const wordBlock = 256

// maxStoredWords bounds the words of a generation: ~350 bytes each with their strings
// and answers, two generations per language in each Recognizer, so at most ~12 MB per
// language for each of a build's goroutines (one per core). The most frequent 16,384
// words of an archive make most of its running text.
const maxStoredWords = 1 << 14

func newWords(limit int) *words {
	return &words{cur: generation{m: map[string]*wordInfo{}}, old: generation{m: map[string]*wordInfo{}}, limit: limit}
}

// startText prepares the store for a text in the language of l.
func (ws *words) startText(l *rules) {
	switch {
	case ws.l != l:
		ws.cur.clear()
		ws.old.clear()
		ws.l = l
	case ws.cur.n >= ws.limit:
		ws.old.clear()
		ws.old.trim(ws.limit) // a long text may have grown it past the limit
		ws.cur, ws.old = ws.old, ws.cur
	}
	ws.text++
}

// get returns the facts of w, made on its first occurrence.
func (ws *words) get(w string) *wordInfo {
	if wi, ok := ws.cur.m[w]; ok {
		if wi.text != ws.text {
			wi.startText(ws.text)
		}
		return wi
	}
	wi := ws.cur.add(w)
	if o, ok := ws.old.m[w]; ok {
		*wi = *o
		wi.startText(ws.text)
		return wi
	}
	wi.set(ws.l, w)
	wi.text = ws.text
	return wi
}

// startText resets the fields of wi that are of one text, for the text numbered text.
func (wi *wordInfo) startText(text uint64) {
	wi.text, wi.count, wi.demonymDone, wi.demonym = text, 0, false, ""
}

// add returns a new slot for the facts of w.
func (gen *generation) add(w string) *wordInfo {
	b, k := gen.n/wordBlock, gen.n%wordBlock
	if b == len(gen.blocks) {
		gen.blocks = append(gen.blocks, make([]wordInfo, wordBlock))
	}
	wi := &gen.blocks[b][k]
	gen.n++
	gen.m[w] = wi
	return wi
}

// trim drops the blocks a cleared generation holds beyond limit words and its map's
// room, when it grew past twice the limit.
func (gen *generation) trim(limit int) {
	if keep := limit/wordBlock + 1; len(gen.blocks) > 2*keep {
		gen.blocks = gen.blocks[:keep:keep]
		gen.m = map[string]*wordInfo{}
	}
}

// clear forgets every word of the generation, keeping the memory.
func (gen *generation) clear() {
	clear(gen.m)
	for b := range gen.blocks {
		if b*wordBlock >= gen.n {
			break
		}
		clear(gen.blocks[b])
	}
	gen.n = 0
}

// set makes wi the facts of w.
func (wi *wordInfo) set(l *rules, w string) {
	lower := strings.ToLower(w)
	key := lower // a word whose lower case is a key ("berlin") normalises to it
	if !gazetteer.NormalizesTo(lower, lower) {
		key = gazetteer.Normalize(w)
	}
	c := l.classes[lower]
	*wi = wordInfo{
		key: key, lower: lower,
		function: c&classFunction != 0, title: c&classTitle != 0, locative: c&classLocative != 0,
		determiner: c&classDeterminer != 0, possessive: c&classPossessive != 0, orgHead: c&classOrgHead != 0,
		coordinator: c&classCoordinator != 0, genitiveArticle: c&classGenitiveArticle != 0,
		settlementNoun: c&classSettlementNoun != 0, settlementCompound: l.endsInSettlementNoun(lower),
		division: c&classDivision != 0, divisionLink: c&classDivisionLink != 0,
		direction: c&classDirection != 0, towards: c&classTowards != 0,
	}
}

// wordMemo holds the gazetteer's answers about a word, asked the first time a run needs
// them: most words never reach the questions, and each answer costs a lookup in a table
// of tens of thousands of words that does not stay in the caches.
type wordMemo struct {
	placeWordDone, fuzzyDone, bigPlaceDone  bool
	nameWordsDone, endsNameDone, commonDone bool
	demonymKeyDone, readingsDone            bool
	readings                                []Candidate // run.readings: the word's entries before the context filters
	placeWord                               bool        // run.isPlaceWord
	bigPlace                                bool        // run.isBigPlace
	demonymKey                              string      // run.demonymKey: iso2 of the country, or ""
	fuzzy                                   []gazetteer.FuzzyMatch
	nameWords                               int  // Gazetteer.NameWordsFrom(key)
	endsName                                bool // Gazetteer.EndsName(key)
	commonWord                              bool // Gazetteer.CommonWord(language, lower): a common word of the text's language
}

// nameWords returns Gazetteer.NameWordsFrom of the word's key.
func (r *run) nameWords(w *wordInfo) int {
	if !w.memo.nameWordsDone {
		w.memo.nameWords, w.memo.nameWordsDone = r.g.NameWordsFrom(w.key), true
	}
	return w.memo.nameWords
}

// endsNameWord returns Gazetteer.EndsName of the word's key.
func (r *run) endsNameWord(w *wordInfo) bool {
	if !w.memo.endsNameDone {
		w.memo.endsName, w.memo.endsNameDone = r.g.EndsName(w.key), true
	}
	return w.memo.endsName
}

// commonWord reports whether the word is a common word of the text's language.
func (r *run) commonWord(w *wordInfo) bool {
	if !w.memo.commonDone {
		w.memo.commonWord, w.memo.commonDone = r.isCommonWord(w.lower), true
	}
	return w.memo.commonWord
}

// minPluralStem is the shortest singular, in bytes, that a plural ending is taken off
// to reach: "bus" is not the plural of "bu".
const minPluralStem = 3

// isCommonWord reports whether lower is in the language's common-word list, as
// written or as the plural of a word in it.
func (r *run) isCommonWord(lower string) bool {
	if r.g.CommonWord(r.l.code, lower) {
		return true
	}
	for _, p := range r.l.inflection.Plural {
		if stem, ok := strings.CutSuffix(lower, p[0]); ok && len(stem) >= minPluralStem && r.g.CommonWord(r.l.code, stem+p[1]) {
			return true
		}
	}
	return false
}

// nameAbbrevs are abbreviations that open place names, with what they stand for.
var nameAbbrevs = map[string][]string{
	"St": {"saint", "sankt"}, "Ste": {"sainte"}, "Ft": {"fort"}, "Mt": {"mount"}, "Pt": {"point", "port"},
}
