package timex

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"newsmap/pipeline/lang"
)

// Units of relative expressions.
const (
	uDay int8 = iota + 1
	uWeek
	uMonth
	uYear
)

// Preposition kinds. A preposition directly before an expression becomes part of its span.
const (
	pOn     int8 = iota + 1 // am, an, on
	pAt                     // um, gegen, at, around
	pIn                     // im, in
	pSince                  // seit, since
	pUntil                  // bis, zum, until, till, by
	pFrom                   // ab, von, vom, from
	pDuring                 // during
)

// Parts of the day.
const (
	podMorning int8 = iota + 1
	podForenoon
	podNoon
	podAfternoon
	podEvening
	podNight
)

// lexInfo is everything the scanner knows about one lower-cased word. A word can play
// several roles ("morgen" is tomorrow and morning); the matchers pick by context.
type lexInfo struct {
	month    int8 // 1..12
	monthCtx bool // ambiguous month name (Mai, May, March): needs a day, year or preposition
	abbr     bool // abbreviated month name (Jan, Okt)
	wd       int8 // weekday 1..7, Monday = 1
	weekend  bool // Wochenende, weekend: the weekend of a week (wd is its Saturday)
	pod      int8 // part of day: noun ("Abend", "night") or in a weekday compound ("Montagabend")
	podAdv   int8 // adverb after a clock time ("nachmittags")
	hasRel   bool
	rel      int8 // day offset of heute, gestern, tomorrow ...
	num      int8 // number word
	unit     int8
	plural   bool
	hasMod   bool
	mod      int8 // -1 last, 0 this, +1 next
	relUnit  int8 // Vorjahr, Vorwoche: unit one step back
	prep     int8
	vom      bool // "vom", "von": can open an attributive "Abkommen vom ..." and a "von ... an" frame
	an       bool // trailing "an" of "von ... an"
	art      bool // article allowed between preposition and expression ("seit dem", "in der", "the")
	artAttr  bool // German article before an attributive date phrase (des, der, ...)
	of       bool // English "of"
	amd      int8 // 1 beginning, 2 middle, 3 end of a period
	amdOf    bool // English "end", "beginning": needs "of"
	uhr      bool
	tz       bool // time zone after a clock time
	ago      bool
	vor      bool
	hedge    bool  // fast, knapp, nearly ...
	anchor   int8  // nach/after +1, vor/before -1 in "zwei Monate nach dem ..."
	tense    int8  // +1 future cue, -1 past cue
	noon     int8  // hour+1 of noon / midnight
	stop     bool  // function word (for the "the 2020 war" and "in 2000 cases" tests)
	relNoun  bool  // a relative day that is a noun when capitalised mid-sentence ("Morgen")
	yearIn   bool  // an In preposition that takes a bare year ("in 2020")
	inFuture bool  // "in" before a count: that far ahead
	attrFrom bool  // opens an attributive "das Abkommen vom ..."
	rangeW   bool  // makes "vom ..." a range ("bis", "zum", "an")
	genArt   bool  // genitive article after a noun ("der Wahl des Jahres 2020")
	record   bool  // a superlative or "first": a Since phrase after it measures a record
	ordinal  bool  // ordinal suffix after a day number ("th")
	joins    uint8 // jNightFrom ... jLink: words that join the parts of an expression
	phr      uint8 // 1 + index into lexicon.phrases of the phrases this word starts, or 0
}

// The joins bits of a lexInfo (a bit set keeps the entry small: the tokenizer reads one
// per word).
const (
	jNightFrom uint8 = 1 << iota // "von" of "in der Nacht von Freitag auf Samstag"
	jNightTo                     // "zu", "auf" of "in der Nacht zu Sonntag"
	jDayRange                    // "bis" of "vom 3. bis 5. März"
	jElided                      // an article written with an apostrophe ("l'")
	jHolPrep                     // may stand before a one-word holiday ("zu Ostern")
	jLink                        // only joins parts of an expression: starts none
)

// maxPhraseWords bounds the distinct first words of phrases (lexInfo.phr is a byte).
const maxPhraseWords = 255

// phraseKind tells what a several-word phrase of the lexicon names.
type phraseKind int8

const (
	phAnaphoric phraseKind = iota + 1 // "am Folgetag": a day from the last day named
	phHoliday                         // "Heiligabend", "Easter Monday"
)

// ptok is one token of a lexicon phrase: a lower-case word, or a punctuation rune.
type ptok struct {
	word string
	ch   rune
}

// phraseDef is a phrase of the lexicon and what it means.
type phraseDef struct {
	toks   []ptok
	kind   phraseKind
	off    int  // anaphoric day offset; holiday: days after Easter
	month  int  // holiday on a fixed day: its month, else 0 (moves with Easter)
	day    int  // holiday on a fixed day
	single bool // one word: a holiday's name must then be capitalised
}

type lexicon struct {
	idx     map[string]int32
	entries []lexInfo // entries[0] is the empty entry
	// joined is true when some word holds an apostrophe or a hyphen ("aujourd'hui"):
	// the tokenizer then tries to read two words joined so as one.
	joined bool
	// agoPhrase is the words of a several-word AgoBefore ("il y a"); its first word
	// carries the vor flag.
	agoPhrase []string
	// phrases holds the several-word (and one-word) anaphoric days and holidays, grouped
	// by their first word, whose lexicon entry's phr points here.
	phrases [][]phraseDef
}

// addPhrase files a phrase under its first word.
func (lx *lexicon) addPhrase(p phraseDef) {
	if len(p.toks) == 0 || p.toks[0].word == "" {
		return
	}
	p.single = len(p.toks) == 1
	lx.add(p.toks[0].word, func(l *lexInfo) {
		if l.phr == 0 {
			if len(lx.phrases) >= maxPhraseWords {
				return // TestHolidayWords reports a phrase that is not filed
			}
			lx.phrases = append(lx.phrases, nil)
			l.phr = uint8(len(lx.phrases))
		}
		// longest first: "christmas day" before "christmas"
		g := append(lx.phrases[l.phr-1], p)
		slices.SortStableFunc(g, func(a, b phraseDef) int { return len(b.toks) - len(a.toks) })
		lx.phrases[l.phr-1] = g
	})
}

// phraseTokens splits a phrase as tokenize splits text: runs of letters are words,
// every other rune but white space is a token of its own.
func phraseTokens(p string) []ptok {
	var out []ptok
	word := -1
	p = strings.ToLower(strings.ReplaceAll(p, "’", "'"))
	for i, r := range p {
		if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) {
			if word < 0 {
				word = i
			}
			continue
		}
		if word >= 0 {
			out = append(out, ptok{word: p[word:i]})
			word = -1
		}
		if !unicode.IsSpace(r) {
			out = append(out, ptok{ch: r})
		}
	}
	if word >= 0 {
		out = append(out, ptok{word: p[word:]})
	}
	return out
}

// parseHoliday reads a Timex.Holidays value: "12-25", "easter+1", "easter-2".
func parseHoliday(v string) (p phraseDef, ok bool) {
	if rest, found := strings.CutPrefix(v, "easter"); found {
		n, err := strconv.Atoi(strings.TrimPrefix(rest, "+"))
		return phraseDef{kind: phHoliday, off: n}, err == nil
	}
	ms, ds, found := strings.Cut(v, "-")
	m, err1 := strconv.Atoi(ms)
	d, err2 := strconv.Atoi(ds)
	if !found || err1 != nil || err2 != nil || m < 1 || m > 12 || d < 1 || d > 31 ||
		time.Date(2000, time.Month(m), d, 0, 0, 0, 0, time.UTC).Day() != d {
		return phraseDef{}, false
	}
	return phraseDef{kind: phHoliday, month: m, day: d}, true
}

func (lx *lexicon) add(words string, f func(*lexInfo)) {
	for _, w := range strings.Fields(words) {
		w = strings.ToLower(strings.ReplaceAll(w, "’", "'"))
		if strings.ContainsAny(w, "'-") {
			lx.joined = true
		}
		for _, v := range variants(w) {
			i, ok := lx.idx[v]
			if !ok {
				i = int32(len(lx.entries))
				lx.entries = append(lx.entries, lexInfo{})
				lx.idx[v] = i
			}
			f(&lx.entries[i])
		}
	}
}

// decompose spells the precomposed Latin letters of German and French words in their
// decomposed (NFD) form.
var decompose = strings.NewReplacer("ä", "a\u0308", "ö", "o\u0308", "ü", "u\u0308", "ë", "e\u0308", "ï", "i\u0308",
	"é", "e\u0301", "è", "e\u0300", "ê", "e\u0302", "à", "a\u0300", "â", "a\u0302", "î", "i\u0302",
	"ô", "o\u0302", "û", "u\u0302", "ù", "u\u0300", "ç", "c\u0327")

// variants returns w and, when it holds precomposed letters, its decomposed (NFD) spelling.
func variants(w string) []string {
	if d := decompose.Replace(w); d != w {
		return []string{w, d}
	}
	return []string{w}
}

func newLexicon() *lexicon {
	return &lexicon{idx: map[string]int32{}, entries: []lexInfo{{}}}
}

// grammar is a language's temporal vocabulary compiled for the scanner.
type grammar struct {
	lx *lexicon
	lang.Timex
	caps lang.Capitalisation
}

// grammars holds the compiled grammar of every registered language, built once.
var grammars = func() map[*lang.Language]*grammar {
	m := map[*lang.Language]*grammar{}
	for _, l := range lang.All() {
		m[l] = &grammar{lx: build(&l.Timex), Timex: l.Timex, caps: l.Caps}
	}
	return m
}()

// build compiles a language's temporal vocabulary into a lexicon.
func build(v *lang.Timex) *lexicon {
	lx := newLexicon()
	ctx := map[int]bool{}
	for _, m := range v.MonthsNeedContext {
		ctx[m] = true
	}
	for i, ws := range v.Months {
		m := int8(i + 1)
		lx.add(ws, func(l *lexInfo) { l.month = m; l.monthCtx = ctx[i+1] })
	}
	for i, ws := range v.MonthAbbrevs {
		m := int8(i + 1)
		lx.add(ws, func(l *lexInfo) { l.month = m; l.monthCtx = true; l.abbr = true })
	}
	pods := [6]int8{podMorning, podForenoon, podNoon, podAfternoon, podEvening, podNight}
	for i, ds := range v.Weekdays {
		wd := int8(i + 1)
		lx.add(ds, func(l *lexInfo) { l.wd = wd })
		if !v.WeekdayCompounds {
			continue
		}
		for _, d := range strings.Fields(ds) {
			for k, ps := range v.PartsOfDay {
				p := pods[k]
				for _, w := range strings.Fields(ps) {
					lx.add(d+w, func(l *lexInfo) { l.wd = wd; l.pod = p })
				}
			}
		}
	}
	lx.add(v.Weekend, func(l *lexInfo) { l.wd = 6; l.weekend = true })
	for k, ps := range v.PartsOfDay {
		p := pods[k]
		lx.add(ps, func(l *lexInfo) { l.pod = p })
	}
	for k, ps := range v.PartOfDayAdverbs {
		p := pods[k]
		lx.add(ps, func(l *lexInfo) { l.podAdv = p })
	}
	for w, r := range v.RelativeDays {
		r := int8(r)
		lx.add(w, func(l *lexInfo) { l.hasRel = true; l.rel = r })
	}
	lx.add(v.RelativeDayNouns, func(l *lexInfo) { l.relNoun = true })
	for i, ws := range v.Numbers {
		n := int8(i + 1)
		lx.add(ws, func(l *lexInfo) { l.num = n })
	}
	for i, u := range v.Units {
		unit := int8(i + 1)
		// plural first: a form that is both ("mois") reads as a singular
		lx.add(u[1], func(l *lexInfo) { l.unit = unit; l.plural = true })
		lx.add(u[0], func(l *lexInfo) { l.unit = unit; l.plural = false })
	}
	lx.add(v.Last, func(l *lexInfo) { l.hasMod = true; l.mod = -1 })
	lx.add(v.This, func(l *lexInfo) { l.hasMod = true; l.mod = 0 })
	lx.add(v.Next, func(l *lexInfo) { l.hasMod = true; l.mod = 1 })
	for i, ws := range v.PreviousUnits {
		unit := int8(i + 1)
		lx.add(ws, func(l *lexInfo) { l.relUnit = unit })
	}
	for _, p := range []struct {
		words string
		kind  int8
	}{{v.On, pOn}, {v.At, pAt}, {v.In, pIn}, {v.Since, pSince}, {v.Until, pUntil}, {v.From, pFrom}, {v.During, pDuring}} {
		kind := p.kind
		lx.add(p.words, func(l *lexInfo) { l.prep = kind })
	}
	lx.add(v.YearIn, func(l *lexInfo) { l.yearIn = true })
	lx.add(v.InFuture, func(l *lexInfo) { l.inFuture = true })
	lx.add(v.FrameEnd, func(l *lexInfo) { l.an = true })
	lx.add(v.Frame, func(l *lexInfo) { l.vom = true })
	lx.add(v.Articles, func(l *lexInfo) { l.art = true })
	lx.add(v.AttributiveArticles, func(l *lexInfo) { l.artAttr = true })
	lx.add(v.Genitives, func(l *lexInfo) { l.genArt = true })
	lx.add(v.AttributiveFrom, func(l *lexInfo) { l.attrFrom = true })
	lx.add(v.RangeWords, func(l *lexInfo) { l.rangeW = true })
	lx.add(v.Records, func(l *lexInfo) { l.record = true })
	lx.add(v.Of, func(l *lexInfo) { l.of = true })
	lx.add(v.Beginning, func(l *lexInfo) { l.amd = 1 })
	lx.add(v.Middle, func(l *lexInfo) { l.amd = 2 })
	lx.add(v.End, func(l *lexInfo) { l.amd = 3 })
	lx.add(v.BeginningOf, func(l *lexInfo) { l.amd = 1; l.amdOf = true })
	lx.add(v.MiddleOf, func(l *lexInfo) { l.amd = 2; l.amdOf = true })
	lx.add(v.EndOf, func(l *lexInfo) { l.amd = 3; l.amdOf = true })
	lx.add(v.ClockWords, func(l *lexInfo) { l.uhr = true })
	lx.add(v.TimeZones, func(l *lexInfo) { l.tz = true })
	if ws := strings.Fields(strings.ToLower(v.AgoBefore)); len(ws) > 1 {
		lx.agoPhrase = ws
		lx.add(ws[0], func(l *lexInfo) { l.vor = true })
	} else {
		lx.add(v.AgoBefore, func(l *lexInfo) { l.vor = true })
	}
	lx.add(v.AgoAfter, func(l *lexInfo) { l.ago = true })
	lx.add(v.Before, func(l *lexInfo) { l.anchor = -1 })
	lx.add(v.After, func(l *lexInfo) { l.anchor = 1 })
	lx.add(v.Hedges, func(l *lexInfo) { l.hedge = true })
	lx.add(v.Future, func(l *lexInfo) { l.tense = 1 })
	lx.add(v.Past, func(l *lexInfo) { l.tense = -1 })
	lx.add(v.Noon, func(l *lexInfo) { l.noon = 13 })
	lx.add(v.Midnight, func(l *lexInfo) { l.noon = 1 })
	lx.add(v.OrdinalSuffixes, func(l *lexInfo) { l.ordinal = true })
	lx.add(v.Stop, func(l *lexInfo) { l.stop = true })
	lx.add(v.NightFrom, func(l *lexInfo) { l.joins |= jNightFrom })
	lx.add(v.NightTo, func(l *lexInfo) { l.joins |= jNightTo })
	lx.add(v.DayRange, func(l *lexInfo) { l.joins |= jDayRange })
	lx.add(v.ElidedArticles, func(l *lexInfo) { l.joins |= jElided })
	lx.add(v.HolidayPreps, func(l *lexInfo) { l.joins |= jHolPrep })
	// sorted, so that a build is the same every time
	for _, w := range slices.Sorted(maps.Keys(v.Anaphoric)) {
		lx.addPhrase(phraseDef{toks: phraseTokens(w), kind: phAnaphoric, off: v.Anaphoric[w]})
	}
	for _, w := range slices.Sorted(maps.Keys(v.Holidays)) {
		if p, ok := parseHoliday(v.Holidays[w]); ok {
			p.toks = phraseTokens(w)
			lx.addPhrase(p)
		}
	}
	// A word that only joins parts (the flags above) starts no expression: the scanner
	// skips it as it skips unknown words.
	for i := range lx.entries {
		e := lx.entries[i]
		e.joins = 0
		if i > 0 && e == (lexInfo{}) {
			lx.entries[i].joins |= jLink
		}
	}
	return lx
}
