package timex

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"newsmap/pipeline/lang"
)

// Expression is one temporal expression found in a text.
type Expression struct {
	Text        string      // as written
	Start, End  int         // Unicode code-point offsets into the text passed to Tag
	Value       string      // ISO 8601: 2023-09-25, 2023-09-25T14:00, 2023-W38, 2023-09, 2023
	Granularity Granularity // hour, day, week, month, year
	// Attributive is true when the date modifies a noun ("das Abkommen vom 9. November
	// 2020", "the agreement of 9 November 2020", "the 2020 war") rather than dating the
	// clause's event.
	Attributive bool
}

// Tag finds the temporal expressions in text and normalises them against ref, the
// publication date of the article, with the vocabulary and grammar of language l; with
// l nil every registered language is tried and the longest non-overlapping matches kept.
// The result is sorted by Start; expressions do not overlap.
//
// News conventions apply: a weekday or a date without a year refers to the most recent
// such day on or before ref, unless the sentence is cheaply recognisable as future ("wird
// am Freitag", "will meet on Friday", "bis Freitag") or the phrase says so ("nächsten
// Montag", "next Friday").
func Tag(text string, ref time.Time, l *lang.Language) []Expression {
	if l != nil {
		return tag(text, ref, grammarOf(l))
	}
	var out []Expression
	for _, l := range lang.All() {
		out = merge(out, tag(text, ref, grammarOf(l)))
	}
	return out
}

// grammarOf returns the compiled grammar of l, compiling a language that is not
// registered (a test's) on the fly.
func grammarOf(l *lang.Language) *grammar {
	if g, ok := grammars[l]; ok {
		return g
	}
	return &grammar{lx: build(&l.Timex), Timex: l.Timex, caps: l.Caps}
}

// merge combines two sorted, non-overlapping lists; of two overlapping expressions the
// longer one wins (the first list's on a tie).
func merge(a, b []Expression) []Expression {
	out := make([]Expression, 0, max(len(a), len(b)))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		x, y := a[i], b[j]
		switch {
		case x.End <= y.Start:
			out = append(out, x)
			i++
		case y.End <= x.Start:
			out = append(out, y)
			j++
		case y.End-y.Start > x.End-x.Start:
			i++
		default:
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

type tokKind uint8

const (
	tWord tokKind = iota + 1
	tNum
	tPunct
)

type token struct {
	b0, b1 int32 // byte offsets
	r0, r1 int32 // code-point offsets
	num    int32 // value of a number token, -1 when it has more than 9 digits
	lex    int32 // index into the lexicon, 0 when the word is not in it
	ch     rune  // the rune of a punctuation token
	kind   tokKind
	nd     uint8 // digits of a number token (capped at 255)
	cap    bool  // word that starts with an upper-case letter
	sp     bool  // preceded by white space or the start of the text
}

// tokenize splits text into words (letters and combining marks), digit runs and single
// punctuation runes, looking every word up in lx.
func tokenize(text string, lx *lexicon, toks []token) []token {
	var buf [40]byte
	r := int32(0)
	sp := true
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
				i++
				r++
				sp = true
				continue
			case '0' <= c && c <= '9':
				j := i
				v := int32(0)
				for j < len(text) && text[j] >= '0' && text[j] <= '9' {
					if j-i < 9 {
						v = v*10 + int32(text[j]-'0')
					}
					j++
				}
				nd := j - i
				if nd > 9 {
					v = -1
				}
				if nd > 255 {
					nd = 255
				}
				toks = append(toks, token{b0: int32(i), b1: int32(j), r0: r, r1: r + int32(j-i), num: v, kind: tNum, nd: uint8(nd), sp: sp})
				r += int32(j - i)
				i = j
				sp = false
				continue
			case c|0x20 >= 'a' && c|0x20 <= 'z':
				// a word, below
			default:
				toks = append(toks, token{b0: int32(i), b1: int32(i + 1), r0: r, r1: r + 1, kind: tPunct, ch: rune(c), sp: sp})
				i++
				r++
				sp = false
				continue
			}
		} else {
			ru, size := utf8.DecodeRuneInString(text[i:])
			if unicode.IsSpace(ru) {
				i += size
				r++
				sp = true
				continue
			}
			if !unicode.IsLetter(ru) {
				toks = append(toks, token{b0: int32(i), b1: int32(i + size), r0: r, r1: r + 1, kind: tPunct, ch: ru, sp: sp})
				i += size
				r++
				sp = false
				continue
			}
		}
		// word
		j, rr, n := i, r, 0
		over := false
		first := true
		upper := false
		for j < len(text) {
			c := text[j]
			if c < utf8.RuneSelf {
				if c|0x20 < 'a' || c|0x20 > 'z' {
					break
				}
				if first {
					upper = c <= 'Z'
				}
				if n < len(buf) {
					buf[n] = c | 0x20
					n++
				} else {
					over = true
				}
				j++
			} else {
				ru, size := utf8.DecodeRuneInString(text[j:])
				if !unicode.IsLetter(ru) && !unicode.Is(unicode.Mn, ru) {
					break
				}
				if first {
					upper = unicode.IsUpper(ru)
				}
				lr := unicode.ToLower(ru)
				if n+utf8.RuneLen(lr) <= len(buf) && utf8.RuneLen(lr) > 0 {
					n += utf8.EncodeRune(buf[n:], lr)
				} else {
					over = true
				}
				j += size
			}
			first = false
			rr++
		}
		var li int32
		if !over {
			li = lx.idx[string(buf[:n])]
			if lx.joined {
				if k, runes, l2 := joinNext(text, j, buf[:n], lx); l2 != 0 {
					j, rr, li = k, rr+int32(runes), l2
				}
			}
		}
		toks = append(toks, token{b0: int32(i), b1: int32(j), r0: r, r1: rr, lex: li, kind: tWord, cap: upper, sp: sp})
		i, r = j, rr
		sp = false
	}
	return toks
}

// joinNext reads the word after an apostrophe or a hyphen at text[j:] and returns
// where it ends, the runes it and the separator span, and the lexicon entry of the
// two words joined ("aujourd'hui", "avant-hier", "week-end"), or 0 when there is none.
func joinNext(text string, j int, first []byte, lx *lexicon) (end, runes int, li int32) {
	if j >= len(text) {
		return 0, 0, 0
	}
	sep, size := utf8.DecodeRuneInString(text[j:])
	switch sep {
	case '\'', '’':
		sep = '\''
	case '-':
	default:
		return 0, 0, 0
	}
	k := j + size
	start := k
	for k < len(text) {
		r, n := utf8.DecodeRuneInString(text[k:])
		if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) {
			break
		}
		k += n
	}
	if k == start {
		return 0, 0, 0
	}
	key := string(first) + string(sep) + strings.ToLower(text[start:k])
	if li = lx.idx[key]; li == 0 {
		return 0, 0, 0
	}
	return k, 1 + utf8.RuneCountInString(text[start:k]), li
}

type match struct {
	ok         bool
	start, end int // token indices, end exclusive
	t          time.Time
	g          Granularity
	attr       bool
	withDay    bool      // an hour value whose day was given in the phrase
	abs        bool      // a date with an explicit year
	rng        bool      // a range of days ("du 3 au 5 octobre"): "du" opens it, no noun is dated
	last       time.Time // the last day of a range
}

type scanner struct {
	text  string
	toks  []token
	lx    *lexicon
	g     *grammar
	ref   time.Time // midnight of the reference day, UTC
	empty lexInfo
	// prev is the last day (or hour) the text named before the scanner's position,
	// the anchor of "am Folgetag", "le lendemain"; hasPrev is false before the first.
	prev    time.Time
	hasPrev bool
}

// tokenBufs keeps token slices for the next text: tokens hold no pointers and nothing
// of them escapes a call of tag, so a build's goroutines reuse a few slices instead of
// making one per article.
var tokenBufs = sync.Pool{New: func() any { return new([]token) }}

// maxPooledTokens bounds the token slices kept in tokenBufs.
const maxPooledTokens = 1 << 16

func tag(text string, ref time.Time, g *grammar) []Expression {
	s := &scanner{text: text, lx: g.lx, g: g,
		ref: time.Date(ref.Year(), ref.Month(), ref.Day(), 0, 0, 0, 0, time.UTC)}
	buf := tokenBufs.Get().(*[]token)
	s.toks = tokenize(text, g.lx, slices.Grow((*buf)[:0], len(text)/5+4))
	defer func() {
		if cap(s.toks) <= maxPooledTokens {
			*buf = s.toks[:0]
			tokenBufs.Put(buf)
		}
	}()
	var out []Expression
	for i := 0; i < len(s.toks); {
		t := &s.toks[i]
		if t.lex == 0 && t.kind != tNum || s.lx.entries[t.lex].joins&jLink != 0 {
			i++
			continue
		}
		m := s.at(i)
		if !m.ok || m.end <= i {
			i++
			continue
		}
		if e, ok := s.expr(m); ok {
			out = append(out, e)
			if !m.attr && (m.g == Day || m.g == Hour) {
				s.prev, s.hasPrev = m.t, true // its day is taken when an anaphor needs it
			}
		}
		i = m.end
	}
	return out
}

func (s *scanner) expr(m match) (Expression, bool) {
	y := m.t.Year()
	if y < 1000 || y > 9999 {
		return Expression{}, false
	}
	a, b := s.toks[m.start], s.toks[m.end-1]
	return Expression{
		Text:        s.text[a.b0:b.b1],
		Start:       int(a.r0),
		End:         int(b.r1),
		Value:       format(m.t, m.g),
		Granularity: m.g,
		Attributive: m.attr,
	}, true
}

func format(t time.Time, g Granularity) string {
	switch g {
	case Year:
		return strconv.Itoa(t.Year())
	case Month:
		return t.Format("2006-01")
	case Week:
		return FormatWeek(t)
	case Day:
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02T15:04")
}

// ---- token helpers ----

func (s *scanner) lex(i int) *lexInfo {
	if i < 0 || i >= len(s.toks) {
		return &s.empty
	}
	return &s.lx.entries[s.toks[i].lex]
}

func (s *scanner) tok(i int) *token {
	if i < 0 || i >= len(s.toks) {
		return &token{}
	}
	return &s.toks[i]
}

// adj reports whether token i directly follows token i-1 without white space.
func (s *scanner) adj(i int) bool { return i > 0 && i < len(s.toks) && !s.toks[i].sp }

func (s *scanner) punct(i int, chs string) bool {
	t := s.tok(i)
	return t.kind == tPunct && strings.ContainsRune(chs, t.ch)
}

func (s *scanner) isNum(i, maxDigits int) bool {
	t := s.tok(i)
	return t.kind == tNum && int(t.nd) <= maxDigits && t.num >= 0
}

func (s *scanner) word(i int) string {
	t := s.tok(i)
	if t.kind != tWord {
		return ""
	}
	return s.text[t.b0:t.b1]
}

func (s *scanner) isYear(i int) bool {
	t := s.tok(i)
	return t.kind == tNum && t.nd == 4 && t.num >= 1000 && t.num <= 2999 && !s.glued(i+1)
}

// glued reports whether token i sticks to the previous one as a letter, digit or a
// separator followed by a digit ("2020er", "2020.5", "2020-21").
func (s *scanner) glued(i int) bool {
	if !s.adj(i) {
		return false
	}
	t := s.tok(i)
	switch t.kind {
	case tWord, tNum:
		return true
	case tPunct:
		if t.ch == '%' {
			return true
		}
		return s.adj(i+1) && s.tok(i+1).kind == tNum && strings.ContainsRune(".,:/-", t.ch)
	}
	return false
}

// recordWindow is how many tokens before a Since phrase recordBefore looks.
const recordWindow = 8

// recordBefore reports whether a Records word stands in the recordWindow tokens before
// token i, in its sentence.
func (s *scanner) recordBefore(i int) bool {
	for k := i - 1; k >= 0 && k >= i-recordWindow; k-- {
		if s.lex(k).record {
			return true
		}
		if s.sentStart(k) {
			break
		}
	}
	return false
}

// sentStart reports whether token i starts a sentence.
func (s *scanner) sentStart(i int) bool {
	if i == 0 {
		return true
	}
	return s.punct(i-1, ".!?:\"„“”«»()[]–—-")
}

// sentEnd reports whether token i ends a sentence (a full stop that is not an ordinal dot).
func (s *scanner) sentEnd(i int) bool {
	t := s.tok(i)
	if t.kind != tPunct {
		return false
	}
	switch t.ch {
	case '!', '?', ';':
		return true
	case '.':
		return !(s.adj(i) && s.isNum(i-1, 2))
	}
	return false
}

// tense looks for the nearest tense cue in the sentence around tokens [i0, i1).
func (s *scanner) tense(i0, i1 int) int8 {
	var best int8
	bestD := 1 << 30
	for k := i0 - 1; k >= 0 && i0-k <= 12; k-- {
		if s.sentEnd(k) {
			break
		}
		if t := s.lex(k).tense; t != 0 {
			best, bestD = t, i0-k
			break
		}
	}
	for k := i1; k < len(s.toks) && k-i1 < 12 && k-i1+1 < bestD; k++ {
		if s.sentEnd(k) {
			break
		}
		if t := s.lex(k).tense; t != 0 {
			best = t
			break
		}
	}
	return best
}

// direction decides past (-1), future (+1) or unknown (0) for an expression whose
// reading depends on it, from its preposition and then from the sentence.
func (s *scanner) direction(pre, i0, i1 int) int8 {
	switch s.lex(pre).prep {
	case pSince:
		return -1
	case pUntil:
		return 1
	case pFrom:
		if !s.lex(pre).vom {
			return 1
		}
	}
	return s.tense(i0, i1)
}

// ---- the scanner ----

// at finds the longest expression that starts at token i.
func (s *scanner) at(i int) match {
	var best match
	if l := s.lex(i); l.prep != 0 {
		j := i + 1
		if l2 := s.lex(j); l2.art || (l2.prep != 0 && s.lex(j+1).prep == 0) {
			j++
		}
		m := s.core(j, i)
		if !m.ok && j == i+2 {
			m = s.core(i+1, i)
		}
		if m.ok {
			m.start = i
			if l.vom && s.lex(m.end).an {
				m.end++
			}
			best = m
		}
	}
	if m := s.core(i, -1); m.ok && m.end > best.end {
		m.start = i
		best = m
	}
	if best.ok {
		s.attributive(&best)
	}
	return best
}

// core tries every matcher at token j; pre is the index of a preposition just before
// the phrase (part of the span), or -1.
func (s *scanner) core(j, pre int) match {
	var best match
	try := func(m match) {
		if m.ok && m.end > best.end {
			best = m
		}
	}
	t := s.tok(j)
	l := s.lex(j)
	switch t.kind {
	case tNum:
		try(s.date(j, pre, false))
		try(s.clock(j, pre))
		try(s.ago(j, pre))
		try(s.anchored(j))
		try(s.year(j, pre))
	case tWord:
		if t.lex == 0 {
			return best
		}
		if l.month != 0 {
			try(s.date(j, pre, false))
		}
		if l.wd != 0 || l.hasMod {
			try(s.weekday(j, pre))
		}
		if l.hasRel {
			try(s.relDay(j))
		}
		if l.hasMod || l.relUnit != 0 || (s.g.ModifierAfter && (l.unit != 0 || l.pod != 0)) {
			try(s.relUnit(j))
		}
		if l.vor || l.hedge || l.num != 0 {
			try(s.ago(j, pre))
		}
		if l.num != 0 {
			try(s.anchored(j))
		}
		if l.amd != 0 {
			try(s.amd(j, pre))
		}
		if l.unit == uYear {
			try(s.year(j, pre))
		}
		if l.num != 0 || l.noon != 0 {
			try(s.clock(j, pre))
		}
		if l.phr != 0 {
			try(s.named(j, pre))
		}
		if l.pod == podNight && l.wd == 0 && !l.hasRel {
			try(s.night(j))
		}
	default:
		return best
	}
	if !best.ok {
		return best
	}
	switch {
	case best.g == Day:
		// "am Montag um 14 Uhr", "yesterday at 2 p.m."
		k := best.end
		if s.punct(k, ",") {
			k++
		}
		p := -1
		if s.lex(k).prep == pAt {
			p = k
			k++
		}
		if c := s.clock(k, p); c.ok {
			best.t = best.t.Add(c.t.Sub(s.ref))
			best.g = Hour
			best.end = c.end
			best.withDay = true
		}
	case best.g == Hour && !best.withDay && !(s.punct(best.end-1, ".") && s.tok(best.end).cap):
		// "um 14 Uhr am Montag", "at 2 p.m. on Monday", "at 2 p.m. yesterday"
		k := best.end
		var d match
		if s.lex(k).prep == pOn {
			d = s.dayCore(k+1, k)
		} else {
			d = s.dayCore(k, -1)
		}
		if d.ok && d.g == Day {
			best.t = d.t.Add(best.t.Sub(s.ref))
			best.end = d.end
			best.withDay = true
		}
	}
	return best
}

// dayCore matches only phrases that name a day: weekday, date, heute/yesterday.
func (s *scanner) dayCore(j, pre int) match {
	l := s.lex(j)
	var m match
	switch {
	case l.wd != 0 || l.hasMod:
		m = s.weekday(j, pre)
	case l.hasRel:
		m = s.relDay(j)
	case l.month != 0 || s.tok(j).kind == tNum:
		m = s.date(j, pre, false)
	}
	if m.g != Day {
		return match{}
	}
	return m
}

func (s *scanner) day(y, m, d int) (time.Time, bool) {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t, t.Day() == d && int(t.Month()) == m
}

// inferYear picks the year of a day or month given without one.
func (s *scanner) inferYear(m, d int, dir int8) (time.Time, bool) {
	y := s.ref.Year()
	t, ok := s.day(y, m, d)
	if !ok && m == 2 && d == 29 {
		for k := 1; k < 8 && !ok; k++ {
			if dir > 0 {
				t, ok = s.day(y+k, m, d)
			} else {
				t, ok = s.day(y-k, m, d)
			}
		}
		return t, ok
	}
	if !ok {
		return t, false
	}
	switch {
	case dir < 0 && t.After(s.ref):
		if d == 0 || (d == 1 && m == int(s.ref.Month())) {
			break
		}
		t, ok = s.day(y-1, m, d)
	case dir > 0 && t.Before(s.ref) && !(t.Year() == s.ref.Year() && t.Month() == s.ref.Month() && d == 1):
		t, ok = s.day(y+1, m, d)
	case dir == 0 && d > 0 && s.g.PastWithoutAuxiliary && t.After(s.ref.AddDate(0, 0, aheadDays)):
		// No tense cue (in English the simple past has no auxiliary to find) and a day
		// far ahead: news reports the past ("On Oct. 7, gunmen entered …" in a March
		// article is last October). German past tense is found by its auxiliaries.
		t, ok = s.day(y-1, m, d)
	case dir == 0 && !s.g.PastWithoutAuxiliary && t.After(s.ref) && t.After(s.ref.AddDate(0, 0, halfYear)):
		// No tense cue and more than half a year ahead: "Am 28. Dezember trat der Fluss
		// über die Ufer" in a January article is the December just gone.
		t, ok = s.day(y-1, m, d)
	}
	return t, ok
}

// halfYear is how far past the reference date a day without year or tense cue may lie
// in a language whose past tense the tagger finds by its auxiliaries.
const halfYear = 183

// aheadDays is how far past the reference date a day without year or tense cue may lie
// and still be read as coming (a preview of next week's vote); beyond, it is the past.
const aheadDays = 30

// monthWord reports whether token j is a month name usable here.
func (s *scanner) monthWord(j int) (int, bool) {
	l := s.lex(j)
	if l.month == 0 || (s.g.caps.Months && !s.tok(j).cap) {
		return 0, false
	}
	// "November-Revolution", "Mai-Kundgebung": part of a compound.
	if s.punct(j+1, "-") && s.adj(j+1) && s.adj(j+2) && s.tok(j+2).kind == tWord {
		return 0, false
	}
	return int(l.month), true
}

// date matches dates with a day or a month: 9. November 2020, 3.3.2021, 2021-01-11,
// January 11, 2021, 11 January 2021, November 2020, im März.
func (s *scanner) date(j, pre int, ctx bool) match {
	t := s.tok(j)
	if t.kind == tNum {
		// ISO 2021-01-11
		if t.nd == 4 && s.punct(j+1, "-") && s.adj(j+1) && s.adj(j+2) && s.isNum(j+2, 2) && s.tok(j+2).nd == 2 &&
			s.punct(j+3, "-") && s.adj(j+3) && s.adj(j+4) && s.isNum(j+4, 2) && s.tok(j+4).nd == 2 &&
			!(s.adj(j) && (s.tok(j-1).kind != tPunct || s.punct(j-1, "-./"))) && !s.glued(j+5) {
			if d, ok := s.day(int(t.num), int(s.tok(j+2).num), int(s.tok(j+4).num)); ok {
				return match{ok: true, end: j + 5, t: d, g: Day, abs: true}
			}
		}
		if !s.isNum(j, 2) || t.num < 1 || t.num > 31 || (s.adj(j) && s.punct(j-1, ".,:/-")) || (s.adj(j) && s.tok(j-1).kind != tPunct) {
			return match{}
		}
		dd := int(t.num)
		// numeric 3.3.2021 or 3.3.
		if s.punct(j+1, ".") && s.adj(j+1) && s.adj(j+2) && s.isNum(j+2, 2) && s.punct(j+3, ".") && s.adj(j+3) {
			mm := int(s.tok(j + 2).num)
			if mm < 1 || mm > 12 {
				return match{}
			}
			if s.adj(j+4) && s.isNum(j+4, 4) && s.tok(j+4).nd == 4 {
				if s.glued(j + 5) {
					return match{}
				}
				if d, ok := s.day(int(s.tok(j+4).num), mm, dd); ok {
					return match{ok: true, end: j + 5, t: d, g: Day, abs: true}
				}
				return match{}
			}
			if pre >= 0 && !(s.adj(j+4) && s.tok(j+4).kind == tNum) {
				if d, ok := s.inferYear(mm, dd, s.direction(pre, j, j+4)); ok {
					return match{ok: true, end: j + 4, t: d, g: Day}
				}
			}
			return match{}
		}
		// 9. November 2020, 11 January 2021, 11th of January
		k := j + 1
		if s.punct(k, ".") && s.adj(k) {
			k++
		} else if s.adj(k) && s.lex(k).ordinal {
			k++
		}
		if s.lex(k).of {
			k++
		}
		mm, ok := s.monthWord(k)
		if !ok {
			return s.dayRange(j, k, dd)
		}
		k++
		if s.lex(k-1).abbr && s.punct(k, ".") && s.adj(k) {
			k++
		}
		return s.dayYear(k, mm, dd, pre, j)
	}
	mm, ok := s.monthWord(j)
	if !ok {
		return match{}
	}
	l := s.lex(j)
	k := j + 1
	if l.abbr && s.punct(k, ".") && s.adj(k) {
		k++
	}
	// January 11, 2021 / Jan. 11
	if s.g.MonthDay && s.isNum(k, 2) && s.tok(k).num >= 1 && s.tok(k).num <= 31 && (!s.glued(k+1) || s.adj(k+1) && s.lex(k+1).ordinal) {
		dd := int(s.tok(k).num)
		k++
		if s.adj(k) && s.lex(k).ordinal {
			k++
		}
		// "Sept. 3 to 5", "March 3-5": dated by the first day, by tense alone
		if s.rangeWord(k) && s.isNum(k+1, 2) && int(s.tok(k+1).num) > dd && s.tok(k+1).num <= 31 && !s.glued(k+2) {
			return s.dayYear(k+2, mm, dd, -1, j)
		}
		return s.dayYear(k, mm, dd, pre, j)
	}
	// November 2020
	if s.isYear(k) {
		return match{ok: true, end: k + 1, t: time.Date(int(s.tok(k).num), time.Month(mm), 1, 0, 0, 0, 0, time.UTC), g: Month, abs: true}
	}
	// a month on its own
	if l.abbr {
		return match{}
	}
	if l.monthCtx && !ctx && pre < 0 {
		return match{}
	}
	d, ok := s.inferYear(mm, 1, s.direction(pre, j, k))
	if !ok {
		return match{}
	}
	return match{ok: true, end: k, t: d, g: Month}
}

// weekday matches [modifier] weekday[-part-of-day] [part of day] [, date] and
// "Freitag vergangener Woche".
func (s *scanner) weekday(j, pre int) match {
	k := j
	var mod int8
	hasMod := false
	if l := s.lex(k); l.hasMod && l.wd == 0 {
		if s.lex(k+1).wd == 0 {
			return match{}
		}
		hasMod, mod = true, l.mod
		k++
	}
	l := s.lex(k)
	switch {
	case l.wd == 0:
		return match{}
	case l.weekend && !s.g.caps.Nouns:
		if s.tok(k).cap && !s.sentStart(k) && !hasMod {
			return match{} // "The Weekend Festival": part of a name
		}
	case !s.tok(k).cap && (s.g.caps.Weekdays || l.weekend):
		return match{} // weekdays (and Wochenende) are capitalised
	case !s.g.caps.Weekdays && s.tok(k).cap && !s.sentStart(k):
		return match{} // weekdays are lower case: "Mardi Gras" is a name
	}
	if s.punct(k+1, "-") && s.adj(k+1) && s.adj(k+2) && s.tok(k+2).kind == tWord {
		return match{} // "Montag-Demo"
	}
	wd := int(l.wd)
	k++
	if lm := s.lex(k); s.g.ModifierAfter && !hasMod && lm.hasMod && lm.mod != 0 && lm.wd == 0 && lm.unit == 0 {
		hasMod, mod = true, lm.mod // "lundi dernier", "mardi prochain"
		k++
	}
	if l.pod == 0 && s.lex(k).pod != 0 && s.tok(k).cap == s.g.caps.Nouns {
		k++ // "Monday night", "Montag Abend"
	}
	// "Montag, 9. November 2020", "Monday, November 9", "lundi 4 septembre"
	if s.punct(k, ",") || s.tok(k).kind == tNum {
		kk := k
		if s.punct(k, ",") {
			kk++
		}
		if s.lex(kk).art {
			kk++
		}
		if d := s.date(kk, j, false); d.ok && d.g == Day {
			d.end = max(d.end, kk)
			return d
		}
	}
	// "Freitag vergangener Woche", "Monday of next week"
	kk := k
	if s.lex(kk).of {
		kk++
	}
	if lm := s.lex(kk); lm.hasMod && s.lex(kk+1).unit == uWeek && !s.lex(kk+1).plural && !hasMod {
		ws := s.ref.AddDate(0, 0, 7*int(lm.mod))
		ws = ws.AddDate(0, 0, -((int(ws.Weekday()) + 6) % 7))
		return match{ok: true, end: kk + 2, t: ws.AddDate(0, 0, wd-1), g: Day}
	}
	rw := (int(s.ref.Weekday())+6)%7 + 1
	var d time.Time
	switch {
	case hasMod && mod < 0: // strictly before
		back := (rw - wd + 7) % 7
		if back == 0 {
			back = 7
		}
		d = s.ref.AddDate(0, 0, -back)
	case hasMod && mod > 0: // strictly after
		fwd := (wd - rw + 7) % 7
		if fwd == 0 {
			fwd = 7
		}
		d = s.ref.AddDate(0, 0, fwd)
	case hasMod: // this week's
		d = s.ref.AddDate(0, 0, wd-rw)
	case s.direction(pre, j, k) > 0:
		d = s.ref.AddDate(0, 0, (wd-rw+7)%7)
	default:
		d = s.ref.AddDate(0, 0, -((rw - wd + 7) % 7))
	}
	if l.weekend {
		return match{ok: true, end: k, t: d, g: Week} // the week of that weekend's Saturday
	}
	return match{ok: true, end: k, t: d, g: Day}
}

// relDay matches heute, gestern, morgen früh, yesterday morning, tonight.
func (s *scanner) relDay(j int) match {
	l := s.lex(j)
	if !l.hasRel {
		return match{}
	}
	if l.relNoun && s.tok(j).cap && !s.sentStart(j) {
		return match{} // "Morgen", the noun
	}
	k := j + 1
	if l2 := s.lex(k); l2.pod != 0 && l2.wd == 0 && (s.g.caps.Nouns || !s.tok(k).cap) {
		k++ // "gestern Abend", "heute früh", "yesterday morning"
	}
	return match{ok: true, end: k, t: s.ref.AddDate(0, 0, int(l.rel)), g: Day}
}

// shift moves the reference by n units and returns the value at that unit.
func (s *scanner) shift(u int8, n int) (time.Time, Granularity) { return shiftFrom(s.ref, u, n) }

func shiftFrom(t time.Time, u int8, n int) (time.Time, Granularity) {
	switch u {
	case uDay:
		return t.AddDate(0, 0, n), Day
	case uWeek:
		return t.AddDate(0, 0, 7*n), Week
	case uMonth:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0), Month
	}
	return time.Date(t.Year()+n, 1, 1, 0, 0, 0, 0, time.UTC), Year
}

// anchored matches "zwei Monate nach dem ..." / "two months after the ..." when a date
// with an explicit year follows in the same sentence: the value is that date shifted by
// the count. The span is "zwei Monate nach"; the anchor date is tagged on its own.
func (s *scanner) anchored(j int) match {
	n, ok := s.count(j)
	if !ok || n > 1000 {
		return match{}
	}
	u := s.lex(j + 1).unit
	dir := s.lex(j + 2).anchor
	if u == 0 || dir == 0 {
		return match{}
	}
	for p := j + 3; p < len(s.toks) && p < j+20; p++ {
		if s.sentEnd(p) {
			break
		}
		if m := s.date(p, -1, false); m.ok && m.abs {
			t, g := shiftFrom(m.t, u, int(dir)*n)
			return match{ok: true, end: j + 3, t: t, g: g}
		}
	}
	return match{}
}

// relUnit matches vergangene Woche, letztes Jahr, next month, this morning, last night,
// Vorjahr.
func (s *scanner) relUnit(j int) match {
	l := s.lex(j)
	if l.relUnit != 0 {
		if !s.tok(j).cap && s.g.caps.Nouns {
			return match{}
		}
		t, g := s.shift(l.relUnit, -1)
		return match{ok: true, end: j + 1, t: t, g: g}
	}
	if !l.hasMod {
		return s.unitMod(j)
	}
	u := s.lex(j + 1)
	switch {
	case u.unit >= uWeek && !u.plural:
		t, g := s.shift(u.unit, int(l.mod))
		return match{ok: true, end: j + 2, t: t, g: g}
	case u.pod == podNight && u.wd == 0:
		off := 0
		if l.mod < 0 {
			off = -1
		}
		return match{ok: true, end: j + 2, t: s.ref.AddDate(0, 0, off), g: Day}
	case u.pod != 0 && u.wd == 0 && l.mod == 0 && s.g.ThisPartOfDay:
		return match{ok: true, end: j + 2, t: s.ref, g: Day}
	}
	return match{}
}

// unitMod matches a unit or a night followed by its modifier, where the language puts
// modifiers after ("la semaine dernière", "l'année prochaine", "la nuit dernière").
func (s *scanner) unitMod(j int) match {
	l, m := s.lex(j), s.lex(j+1)
	if !s.g.ModifierAfter || !m.hasMod || m.mod == 0 || m.unit != 0 || m.wd != 0 {
		return match{}
	}
	switch {
	case l.unit >= uWeek && !l.plural:
		t, g := s.shift(l.unit, int(m.mod))
		return match{ok: true, end: j + 2, t: t, g: g}
	case l.pod == podNight && l.wd == 0 && m.mod < 0:
		return match{ok: true, end: j + 2, t: s.ref.AddDate(0, 0, -1), g: Day}
	}
	return match{}
}

// count reads a small count: digits or a number word (ein, a, three).
func (s *scanner) count(k int) (int, bool) {
	t := s.tok(k)
	if t.kind == tNum && t.nd <= 4 && t.num > 0 && !s.glued(k+1) {
		return int(t.num), true
	}
	if n := s.lex(k).num; n > 0 {
		return int(n), true
	}
	return 0, false
}

// ago matches vor drei Jahren, in zwei Wochen, three years ago.
func (s *scanner) ago(j, pre int) match {
	k := j
	back := false
	agoAfter := s.g.AgoAfter != ""
	switch {
	case agoAfter:
	case s.lex(k).vor:
		n := s.phrase(k, s.lx.agoPhrase)
		if n == 0 {
			return match{}
		}
		back = true
		k += n
	case s.lex(pre).inFuture:
	case s.lex(pre).prep == pSince:
		back = true // "seit drei Jahren", "depuis trois ans": the state began that long ago
	default:
		return match{}
	}
	for h := 0; h < 2 && s.lex(k).hedge; h++ {
		k++
	}
	n, ok := s.count(k)
	if !ok || n > 1000 {
		return match{}
	}
	u := s.lex(k + 1)
	if u.unit == 0 {
		return match{}
	}
	end := k + 2
	if agoAfter {
		if !s.lex(end).ago {
			return match{}
		}
		end++
		back = true
	}
	if back {
		n = -n
	}
	t, g := s.shift(u.unit, n)
	return match{ok: true, end: end, t: t, g: g}
}

// phrase returns the number of tokens from k that spell words (lower case), or 1 when
// words has less than two: the one word's lexicon entry has matched already.
func (s *scanner) phrase(k int, words []string) int {
	if len(words) < 2 {
		return 1
	}
	for i, w := range words {
		if s.tok(k+i).kind != tWord || strings.ToLower(s.word(k+i)) != w {
			return 0
		}
	}
	return len(words)
}

// amd matches Anfang/Mitte/Ende September, Ende 2020, Ende des Jahres, early 2021,
// mid-2020, the end of last year; pre is the preposition before it (-1: none), whose
// direction a month without a year follows ("by mid-June").
func (s *scanner) amd(j, pre int) match {
	l := s.lex(j)
	if l.amd == 0 {
		return match{}
	}
	if s.g.caps.Nouns && !s.tok(j).cap {
		return match{}
	}
	k := j + 1
	if l.amdOf {
		if !s.lex(k).of {
			return match{}
		}
		k++
	} else if s.g.PeriodHyphen && s.punct(k, "-") && s.adj(k) {
		k++
	}
	// "late Tuesday", "early Sunday": the day
	if s.lex(k).wd != 0 && !l.amdOf {
		if m := s.weekday(k, pre); m.ok && m.g == Day {
			return m
		}
	}
	if s.isYear(k) {
		return match{ok: true, end: k + 1, t: time.Date(int(s.tok(k).num), 1, 1, 0, 0, 0, 0, time.UTC), g: Year}
	}
	if _, ok := s.monthWord(k); ok {
		if m := s.date(k, pre, true); m.ok && m.g == Month {
			return m
		}
	}
	// Ende des Jahres, Ende vergangenen Jahres, the end of the year, end of last year
	kk := k
	of := false
	if !l.amdOf && s.lex(kk).of {
		kk++ // "fin de l'année", "à la fin du mois"
		of = true
	}
	if n := s.artLen(kk); n > 0 || of {
		kk += n
		// "Ende vergangenen Jahres", "la fin du mois prochain"
		if l := s.lex(kk); l.hasMod || (s.g.ModifierAfter && l.unit != 0) {
			if m := s.relUnit(kk); m.ok {
				return m
			}
		}
		if u := s.lex(kk); u.unit >= uWeek && !u.plural {
			if s.isYear(kk+1) && u.unit == uYear {
				return match{ok: true, end: kk + 2, t: time.Date(int(s.tok(kk+1).num), 1, 1, 0, 0, 0, 0, time.UTC), g: Year}
			}
			t, g := s.shift(u.unit, 0)
			return match{ok: true, end: kk + 1, t: t, g: g}
		}
		return match{}
	}
	if s.lex(kk).hasMod {
		if m := s.relUnit(kk); m.ok && m.g != Day {
			return m
		}
	}
	return match{}
}

// year matches "Jahr 2020" and a plain year in temporal context (seit 2014, in 2020,
// the 2020 war).
func (s *scanner) year(j, pre int) match {
	if l := s.lex(j); l.unit == uYear {
		if l.plural {
			return match{} // "in den Jahren 1990", "les années 1990": a decade or a list
		}
		if s.isYear(j+1) && !s.lex(j+2).hasMod {
			return match{ok: true, end: j + 2, t: time.Date(int(s.tok(j+1).num), 1, 1, 0, 0, 0, 0, time.UTC), g: Year}
		}
		return match{}
	}
	t := s.tok(j)
	if t.kind != tNum || t.nd != 4 || t.num < 1900 || t.num > 2099 || s.glued(j+1) {
		return match{}
	}
	if s.adj(j) && s.tok(j-1).kind != tPunct {
		return match{}
	}
	next := s.lex(j + 1)
	if next.unit != 0 {
		return match{} // "2000 Jahren", "2020 years"
	}
	m := match{ok: true, end: j + 1, t: time.Date(int(t.num), 1, 1, 0, 0, 0, 0, time.UTC), g: Year}
	if pre < 0 {
		// "the 2020 war"
		if s.g.AttributiveYear && s.lex(j-1).art && s.tok(j+1).kind == tWord && !s.tok(j+1).cap && !next.stop {
			m.attr = true
			return m
		}
		return match{}
	}
	switch s.lex(pre).prep {
	case pSince, pDuring:
		return m
	case pIn, pUntil, pFrom:
		nt := s.tok(j + 1)
		if nt.kind == tWord {
			if !s.g.caps.Nouns && !nt.cap && !next.stop {
				return match{} // "in 2000 cases"
			}
			if s.g.caps.Nouns && nt.cap && nt.lex == 0 {
				return match{} // "bis 2000 Menschen"
			}
		}
		if s.lex(pre).prep == pIn && !s.lex(pre).yearIn {
			return match{} // "im 2020" is not German
		}
		return m
	}
	return match{}
}

// meridiem matches a.m., p.m., am, pm at token k and returns the end and whether it is pm.
func (s *scanner) meridiem(k int) (end int, pm, ok bool) {
	w := strings.ToLower(s.word(k))
	switch w {
	case "am", "pm":
		return k + 1, w == "pm", true
	case "a", "p":
		if s.punct(k+1, ".") && s.adj(k+1) && strings.EqualFold(s.word(k+2), "m") && s.adj(k+2) {
			e := k + 3
			if s.punct(e, ".") && s.adj(e) {
				e++
			}
			return e, w == "p", true
		}
	}
	return 0, false, false
}

// clock matches times: 14 Uhr, 14:30 Uhr, zwei Uhr nachmittags, 2 p.m., at 14:00, noon.
func (s *scanner) clock(j, pre int) match {
	pk := s.lex(pre).prep
	if n := s.lex(j).noon; n != 0 {
		if pk != pAt && pk != pUntil && pk != pFrom {
			return match{}
		}
		return match{ok: true, end: j + 1, t: s.ref.Add(time.Duration(n-1) * time.Hour), g: Hour}
	}
	h, mi := -1, 0
	k := j
	digits := false
	if s.isNum(k, 2) {
		h = int(s.tok(k).num)
		digits = true
	} else if n := s.lex(k).num; n > 0 && s.tok(k).kind == tWord {
		h = int(n)
	}
	if h < 0 || h > 24 {
		return match{}
	}
	if digits && s.adj(k) && s.tok(k-1).kind != tPunct {
		return match{}
	}
	k++
	sep := rune(0)
	if digits && s.punct(k, ":.") && s.adj(k) && s.adj(k+1) && s.isNum(k+1, 2) && s.tok(k+1).nd == 2 {
		mi = int(s.tok(k + 1).num)
		if mi > 59 {
			return match{}
		}
		sep = s.tok(k).ch
		k += 2
	}
	hGlued := digits && sep == 0 && s.adj(k) && s.tok(k).kind == tWord && s.lex(k).uhr // "14h30", "3h"
	if digits && s.glued(k) && !hGlued {
		if _, _, ok := s.meridiem(k); !ok || !s.g.TwelveHourClock {
			return match{}
		}
	}
	switch {
	case s.lex(k).uhr:
		k++
		if hGlued && s.adj(k) && s.isNum(k, 2) && s.tok(k).nd == 2 && !s.glued(k+1) {
			if mi = int(s.tok(k).num); mi > 59 {
				return match{}
			}
			k++
		}
		if p := s.lex(k).podAdv; p != 0 {
			h = shiftHour(h, p)
			k++
		}
		if s.lex(k).tz {
			k++
		}
	case s.g.TwelveHourClock:
		if e, pm, ok := s.meridiem(k); ok {
			if h > 12 || h == 0 {
				return match{}
			}
			if pm && h < 12 {
				h += 12
			} else if !pm && h == 12 {
				h = 0
			}
			k = e
		} else if strings.EqualFold(s.word(k), "o") && s.punct(k+1, "'’") && strings.EqualFold(s.word(k+2), "clock") {
			k += 3
		} else if sep == ':' && (pk == pAt || pk == pFrom || pk == pUntil) {
			// at 14:00
		} else {
			return match{}
		}
		if s.lex(k).tz {
			k++
		}
	default:
		return match{}
	}
	if h > 23 {
		return match{}
	}
	return match{ok: true, end: k, t: s.ref.Add(time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute), g: Hour}
}

func shiftHour(h int, p int8) int {
	switch p {
	case podAfternoon, podEvening:
		if h < 12 {
			h += 12
		}
	case podNoon:
		if h < 4 {
			h += 12
		}
	case podNight:
		if h >= 7 && h < 12 {
			h += 12
		} else if h == 12 {
			h = 0
		}
	}
	return h
}

// attributive sets m.attr when the phrase modifies a noun.
func (s *scanner) attributive(m *match) {
	if m.attr {
		return
	}
	i := m.start
	if s.lex(i).prep == pSince && s.recordBefore(i) {
		m.attr = true // "the highest level since 2018": the record, not the event
		return
	}
	if s.g.AttributiveOf && !m.rng {
		// "the agreement of 9 November 2020"
		if s.lex(i-1).of && s.tok(i-2).kind == tWord && !s.lex(i-2).stop && s.lex(i-2).amd == 0 {
			m.attr = true
			return
		}
		// "Monday's attack"
		if s.punct(m.end, "'’") && s.adj(m.end) && strings.EqualFold(s.word(m.end+1), "s") && s.adj(m.end+1) {
			m.attr = true
		}
		return
	}
	// "das Abkommen vom 9. November 2020" (not a range "vom 3. bis 5. März")
	if s.lex(i).attrFrom {
		if s.tok(i-1).kind == tWord && s.tok(i-1).cap && !s.sentStart(i-1) {
			if !s.lex(m.end).rangeW {
				m.attr = true
				return
			}
		}
	}
	// "die Bilanz der vergangenen Woche", "die Wahl des Jahres 2020"
	if la := s.lex(i - 1); la.artAttr {
		if la.genArt && s.tok(i-2).kind == tWord && s.tok(i-2).cap && !s.sentStart(i-2) {
			m.attr = true
			return
		}
		// "des am 9. November 2020 geschlossenen Abkommens"
		if s.tok(m.end).kind == tWord && !s.tok(m.end).cap && s.tok(m.end+1).kind == tWord && s.tok(m.end+1).cap {
			m.attr = true
		}
	}
}

// dayYear finishes a day-and-month expression at token k: with a year (", 2021" or
// "2021") the date is absolute, else the year is inferred from the reference date and
// the sentence's tense.
func (s *scanner) dayYear(k, mm, dd, pre, j int) match {
	if s.punct(k, ",") && s.isYear(k+1) {
		k++
	}
	if s.isYear(k) {
		if d, ok := s.day(int(s.tok(k).num), mm, dd); ok {
			return match{ok: true, end: k + 1, t: d, g: Day, abs: true}
		}
		return match{}
	}
	if s.punct(k-1, ",") {
		k--
	}
	if d, ok := s.inferYear(mm, dd, s.direction(pre, j, k)); ok {
		return match{ok: true, end: k, t: d, g: Day}
	}
	return match{}
}

// artLen returns how many tokens an article at token k spans: 1 ("le", "des"), 2 for an
// elided one ("l'" of "l'année"), 0 when there is none.
func (s *scanner) artLen(k int) int {
	l := s.lex(k)
	switch {
	case l.art || l.artAttr:
		return 1
	case l.joins&jElided != 0 && s.punct(k+1, "'’") && s.adj(k+1) && s.adj(k+2):
		return 2
	}
	return 0
}

// rangeWord reports whether token k joins two days of a range: a dash or a DayRange word.
func (s *scanner) rangeWord(k int) bool {
	return s.punct(k, "-–") || s.lex(k).joins&jDayRange != 0
}

// dayRange matches the rest of "vom 3. bis 5. März", "du 3 au 5 mars", "3-5 September"
// after the first day dd (token j) whose month word was not at token k: the range takes
// its month and year from its last day and is dated by its first, by tense alone.
func (s *scanner) dayRange(j, k, dd int) match {
	if !s.rangeWord(k) {
		return match{}
	}
	k++
	if l := s.lex(k); l.art || l.prep == pUntil {
		k++ // "bis zum 5. März"
	}
	if !s.isNum(k, 2) || s.adj(k) && !s.punct(k-1, "-–") {
		return match{}
	}
	dd2 := int(s.tok(k).num)
	k++
	if s.punct(k, ".") && s.adj(k) {
		k++
	} else if s.adj(k) && s.lex(k).ordinal {
		k++
	}
	mm, ok := s.monthWord(k)
	if !ok {
		return match{}
	}
	k++
	if s.lex(k-1).abbr && s.punct(k, ".") && s.adj(k) {
		k++
	}
	e := s.dayYear(k, mm, dd2, -1, j)
	if !e.ok {
		return match{}
	}
	// the first day: in the last day's month, or the month before ("30. März bis 2. April"
	// is written with both months; "vom 30. bis 2. April" is not news style, but reads so)
	start := time.Date(e.t.Year(), e.t.Month(), dd, 0, 0, 0, 0, time.UTC)
	if dd >= dd2 {
		start = time.Date(e.t.Year(), e.t.Month()-1, dd, 0, 0, 0, 0, time.UTC)
	}
	if start.Day() != dd {
		return match{}
	}
	e.t, e.last = start, e.t
	e.rng = true
	return e
}

// named matches the anaphoric days ("am Folgetag", "le lendemain", "the following
// day") and holidays ("Heiligabend", "Easter Monday") that start at token j.
func (s *scanner) named(j, pre int) match {
	l := s.lex(j)
	if l.phr == 0 || s.tok(j).kind != tWord {
		return match{}
	}
next:
	for _, p := range s.lx.phrases[l.phr-1] {
		for i, pt := range p.toks[1:] {
			t := s.tok(j + 1 + i)
			switch {
			case pt.word != "":
				// the length first: most words after "the" or "am" are no phrase's
				if t.kind != tWord || int(t.b1-t.b0) != len(pt.word) || !strings.EqualFold(s.word(j+1+i), pt.word) {
					continue next
				}
			case t.kind != tPunct || t.ch != pt.ch && !(pt.ch == '\'' && t.ch == '’'):
				continue next
			}
		}
		end := j + len(p.toks)
		switch p.kind {
		case phAnaphoric:
			if s.g.caps.Nouns && s.lex(end-1).unit == 0 && !s.tok(end-1).cap && len(p.toks) == 1 {
				continue // "vortag" is a noun
			}
			// "le lendemain du 3 mars"; "le lendemain de l'élection" counts from an event
			if s.lex(end).of {
				if d := s.dayCore(end+1, -1); d.ok {
					return match{ok: true, end: d.end, t: d.t.AddDate(0, 0, p.off), g: Day}
				}
				continue
			}
			base := s.ref
			switch {
			case s.hasPrev:
				base = time.Date(s.prev.Year(), s.prev.Month(), s.prev.Day(), 0, 0, 0, 0, time.UTC)
			case p.off > 0:
				// no day named before: a day after an unknown one ("am nächsten Tag" in
				// a story that gave no date) is not the day after publication
				continue
			}
			return match{ok: true, end: end, t: base.AddDate(0, 0, p.off), g: Day}
		case phHoliday:
			if m, ok := s.holiday(p, j, end, pre); ok {
				return m
			}
		}
	}
	return match{}
}

// holiday dates holiday p, written at tokens [j, end), in the year a date without one
// would have, or in the year written after it ("Weihnachten 2022").
func (s *scanner) holiday(p phraseDef, j, end, pre int) (match, bool) {
	at := func(y int) time.Time {
		if p.month != 0 {
			return time.Date(y, time.Month(p.month), p.day, 0, 0, 0, 0, time.UTC)
		}
		return easter(y).AddDate(0, 0, p.off)
	}
	if s.isYear(end) {
		return match{ok: true, end: end + 1, t: at(int(s.tok(end).num)), g: Day, abs: true}, true
	}
	if p.single {
		if !s.tok(j).cap {
			return match{}, false
		}
		// a one-word holiday is a date after a preposition: "an Weihnachten", "at
		// Easter", "à Noël", "zu Ostern"; not in "Christmas market", "le père Noël"
		if pre < 0 && s.lex(j-1).joins&jHolPrep == 0 {
			return match{}, false
		}
		// a word the tagger does not know after it makes it part of a name or a compound:
		// "at the Christmas market", "on Easter Island" (German verbs are lower case)
		if n := s.tok(end); n.kind == tWord && n.lex == 0 && (n.cap || !s.g.caps.Nouns) {
			return match{}, false
		}
	}
	y := s.ref.Year()
	t := at(y)
	got, ok := s.inferYear(int(t.Month()), t.Day(), s.direction(pre, j, end))
	if !ok {
		return match{}, false
	}
	if got.Year() != y {
		got = at(got.Year())
	}
	return match{ok: true, end: end, t: got, g: Day}, true
}

// easter returns Western Easter Sunday of year y (the anonymous Gregorian algorithm).
func easter(y int) time.Time {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// night matches a night named by its days: "Nacht zu Sonntag", "Nacht von Freitag auf
// Samstag", "nuit de samedi à dimanche", "nuit du 3 au 4 mars", "night of March 3". A
// night into a day is dated by that day: what a report dates to a night mostly happened
// after midnight, and reports name the morning's date ("overnight on 14 March"). A night
// of one day ("la nuit de jeudi", "the night of March 3") is that day's.
func (s *scanner) night(j int) match {
	if s.g.caps.Nouns && !s.tok(j).cap {
		return match{}
	}
	k := j + 1
	if s.lex(k).joins&jNightFrom != 0 {
		d := s.dayCore(k+1, -1)
		if !d.ok {
			return match{}
		}
		if s.lex(d.end).joins&jNightTo != 0 {
			if d2 := s.dayCore(d.end+1, -1); d2.ok {
				return match{ok: true, end: d2.end, t: d2.t, g: Day}
			}
		}
		if d.rng {
			d.t = d.last // "dans la nuit du 3 au 4 septembre"
		}
		return match{ok: true, end: d.end, t: d.t, g: Day}
	}
	if s.lex(k).joins&jNightTo != 0 {
		if d := s.dayCore(k+1, -1); d.ok {
			return match{ok: true, end: d.end, t: d.t, g: Day}
		}
	}
	return match{}
}
