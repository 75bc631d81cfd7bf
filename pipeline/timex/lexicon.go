package timex

import "strings"

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
	hedge    bool // fast, knapp, nearly ...
	anchor   int8 // nach/after +1, vor/before -1 in "zwei Monate nach dem ..."
	tense    int8 // +1 future cue, -1 past cue
	noon     int8 // hour+1 of noon / midnight
	stop     bool // English function word (for the "the 2020 war" and "in 2000 cases" tests)
}

type lexicon struct {
	idx     map[string]int32
	entries []lexInfo // entries[0] is the empty entry
}

func (lx *lexicon) add(words string, f func(*lexInfo)) {
	for _, w := range strings.Fields(words) {
		w = strings.ToLower(w)
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

// variants returns w and, when it holds umlauts, its decomposed (NFD) spelling.
func variants(w string) []string {
	if !strings.ContainsAny(w, "äöü") {
		return []string{w}
	}
	r := strings.NewReplacer("ä", "a\u0308", "ö", "o\u0308", "ü", "u\u0308")
	return []string{w, r.Replace(w)}
}

func newLexicon() *lexicon {
	return &lexicon{idx: map[string]int32{}, entries: []lexInfo{{}}}
}

// inflect expands "vergangen" to vergangen, vergangene, vergangenen, ...
func inflect(stems string) string {
	var b strings.Builder
	for _, s := range strings.Fields(stems) {
		for _, e := range []string{"e", "en", "er", "es", "em"} {
			b.WriteString(s + e + " ")
		}
	}
	return b.String()
}

var (
	lexDE = buildDE()
	lexEN = buildEN()
)

func addMonths(lx *lexicon, names []string, ctx map[int]bool) {
	for i, ws := range names {
		m := int8(i + 1)
		lx.add(ws, func(l *lexInfo) { l.month = m; l.monthCtx = ctx[i+1] })
	}
}

func buildDE() *lexicon {
	lx := newLexicon()
	addMonths(lx, []string{"januar jänner", "februar feber", "märz", "april", "mai", "juni", "juli",
		"august", "september", "oktober", "november", "dezember"}, map[int]bool{5: true, 8: true})
	abbr := []string{"jan", "feb febr", "mär mrz", "apr", "", "jun", "jul", "aug", "sep sept", "okt", "nov", "dez"}
	for i, ws := range abbr {
		m := int8(i + 1)
		lx.add(ws, func(l *lexInfo) { l.month = m; l.monthCtx = true; l.abbr = true })
	}
	pods := []struct {
		w string
		p int8
	}{{"morgen", podMorning}, {"früh", podMorning}, {"vormittag", podForenoon}, {"mittag", podNoon},
		{"nachmittag", podAfternoon}, {"abend", podEvening}, {"nacht", podNight}}
	for i, d := range []string{"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"} {
		wd := int8(i + 1)
		lx.add(d, func(l *lexInfo) { l.wd = wd })
		for _, p := range pods {
			p := p
			lx.add(d+p.w, func(l *lexInfo) { l.wd = wd; l.pod = p.p })
		}
	}
	lx.add("sonnabend", func(l *lexInfo) { l.wd = 6 })
	lx.add("wochenende", func(l *lexInfo) { l.wd = 6; l.weekend = true })
	for _, p := range pods {
		p := p
		lx.add(p.w, func(l *lexInfo) { l.pod = p.p })
	}
	for w, p := range map[string]int8{"morgens": podMorning, "früh": podMorning, "vormittags": podForenoon,
		"mittags": podNoon, "nachmittags": podAfternoon, "abends": podEvening, "nachts": podNight} {
		p := p
		lx.add(w, func(l *lexInfo) { l.podAdv = p })
	}
	for w, r := range map[string]int8{"heute": 0, "gestern": -1, "vorgestern": -2, "morgen": 1, "übermorgen": 2, "vortag": -1} {
		r := r
		lx.add(w, func(l *lexInfo) { l.hasRel = true; l.rel = r })
	}
	for i, ws := range []string{"ein eins eine einem einer einen", "zwei zwo", "drei", "vier", "fünf", "sechs",
		"sieben", "acht", "neun", "zehn", "elf", "zwölf"} {
		n := int8(i + 1)
		lx.add(ws, func(l *lexInfo) { l.num = n })
	}
	lx.add("tag tages", func(l *lexInfo) { l.unit = uDay })
	lx.add("tage tagen", func(l *lexInfo) { l.unit = uDay; l.plural = true })
	lx.add("woche", func(l *lexInfo) { l.unit = uWeek })
	lx.add("wochen", func(l *lexInfo) { l.unit = uWeek; l.plural = true })
	lx.add("monat monats", func(l *lexInfo) { l.unit = uMonth })
	lx.add("monate monaten", func(l *lexInfo) { l.unit = uMonth; l.plural = true })
	lx.add("jahr jahres jahrs", func(l *lexInfo) { l.unit = uYear })
	lx.add("jahre jahren", func(l *lexInfo) { l.unit = uYear; l.plural = true })
	lx.add(inflect("vergangen letzt vorig"), func(l *lexInfo) { l.hasMod = true; l.mod = -1 })
	lx.add(inflect("dies laufend"), func(l *lexInfo) { l.hasMod = true; l.mod = 0 })
	lx.add(inflect("nächst kommend"), func(l *lexInfo) { l.hasMod = true; l.mod = 1 })
	lx.add("vorjahr vorjahres", func(l *lexInfo) { l.relUnit = uYear })
	lx.add("vormonat vormonats", func(l *lexInfo) { l.relUnit = uMonth })
	lx.add("vorwoche", func(l *lexInfo) { l.relUnit = uWeek })
	lx.add("am an", func(l *lexInfo) { l.prep = pOn })
	lx.add("an", func(l *lexInfo) { l.an = true })
	lx.add("um gegen", func(l *lexInfo) { l.prep = pAt })
	lx.add("im in", func(l *lexInfo) { l.prep = pIn })
	lx.add("seit", func(l *lexInfo) { l.prep = pSince })
	lx.add("bis zum", func(l *lexInfo) { l.prep = pUntil })
	lx.add("ab von vom", func(l *lexInfo) { l.prep = pFrom })
	lx.add("von vom", func(l *lexInfo) { l.vom = true })
	lx.add("dem der den", func(l *lexInfo) { l.art = true })
	lx.add("des der dem den die das eines einer einem", func(l *lexInfo) { l.artAttr = true })
	lx.add("anfang beginn", func(l *lexInfo) { l.amd = 1 })
	lx.add("mitte", func(l *lexInfo) { l.amd = 2 })
	lx.add("ende", func(l *lexInfo) { l.amd = 3 })
	lx.add("uhr", func(l *lexInfo) { l.uhr = true })
	lx.add("ortszeit mez mesz utc gmt", func(l *lexInfo) { l.tz = true })
	lx.add("vor", func(l *lexInfo) { l.vor = true; l.anchor = -1 })
	lx.add("nach", func(l *lexInfo) { l.anchor = 1 })
	lx.add("fast knapp rund etwa gut genau über mehr als", func(l *lexInfo) { l.hedge = true })
	lx.add("wird werden werde wirst soll sollen will wollen plant planen geplant", func(l *lexInfo) { l.tense = 1 })
	lx.add("war waren wurde wurden hatte hatten hat haben sagte sagten erklärte", func(l *lexInfo) { l.tense = -1 })
	lx.add("mitternacht", func(l *lexInfo) { l.noon = 1 })
	return lx
}

func buildEN() *lexicon {
	lx := newLexicon()
	addMonths(lx, []string{"january", "february", "march", "april", "may", "june", "july", "august",
		"september", "october", "november", "december"}, map[int]bool{3: true, 5: true, 6: true, 8: true})
	abbr := []string{"jan", "feb", "mar", "apr", "", "jun", "jul", "aug", "sep sept", "oct", "nov", "dec"}
	for i, ws := range abbr {
		m := int8(i + 1)
		lx.add(ws, func(l *lexInfo) { l.month = m; l.monthCtx = true; l.abbr = true })
	}
	lx.add("weekend", func(l *lexInfo) { l.wd = 6; l.weekend = true })
	for i, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"} {
		wd := int8(i + 1)
		lx.add(d, func(l *lexInfo) { l.wd = wd })
	}
	for w, p := range map[string]int8{"morning": podMorning, "afternoon": podAfternoon, "evening": podEvening, "night": podNight} {
		p := p
		lx.add(w, func(l *lexInfo) { l.pod = p })
	}
	for w, r := range map[string]int8{"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0} {
		r := r
		lx.add(w, func(l *lexInfo) { l.hasRel = true; l.rel = r })
	}
	lx.add("tonight", func(l *lexInfo) { l.pod = podNight })
	for i, ws := range []string{"a an one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
		"ten", "eleven", "twelve"} {
		n := int8(i + 1)
		lx.add(ws, func(l *lexInfo) { l.num = n })
	}
	lx.add("day", func(l *lexInfo) { l.unit = uDay })
	lx.add("days", func(l *lexInfo) { l.unit = uDay; l.plural = true })
	lx.add("week", func(l *lexInfo) { l.unit = uWeek })
	lx.add("weeks", func(l *lexInfo) { l.unit = uWeek; l.plural = true })
	lx.add("month", func(l *lexInfo) { l.unit = uMonth })
	lx.add("months", func(l *lexInfo) { l.unit = uMonth; l.plural = true })
	lx.add("year", func(l *lexInfo) { l.unit = uYear })
	lx.add("years", func(l *lexInfo) { l.unit = uYear; l.plural = true })
	lx.add("last", func(l *lexInfo) { l.hasMod = true; l.mod = -1 })
	lx.add("this", func(l *lexInfo) { l.hasMod = true; l.mod = 0 })
	lx.add("next coming", func(l *lexInfo) { l.hasMod = true; l.mod = 1 })
	lx.add("on", func(l *lexInfo) { l.prep = pOn })
	lx.add("at around", func(l *lexInfo) { l.prep = pAt })
	lx.add("in", func(l *lexInfo) { l.prep = pIn })
	lx.add("since", func(l *lexInfo) { l.prep = pSince })
	lx.add("until till by", func(l *lexInfo) { l.prep = pUntil })
	lx.add("from", func(l *lexInfo) { l.prep = pFrom })
	lx.add("during", func(l *lexInfo) { l.prep = pDuring })
	lx.add("the", func(l *lexInfo) { l.art = true })
	lx.add("of", func(l *lexInfo) { l.of = true })
	lx.add("early", func(l *lexInfo) { l.amd = 1 })
	lx.add("mid", func(l *lexInfo) { l.amd = 2 })
	lx.add("late", func(l *lexInfo) { l.amd = 3 })
	lx.add("beginning start", func(l *lexInfo) { l.amd = 1; l.amdOf = true })
	lx.add("middle", func(l *lexInfo) { l.amd = 2; l.amdOf = true })
	lx.add("end", func(l *lexInfo) { l.amd = 3; l.amdOf = true })
	lx.add("ago", func(l *lexInfo) { l.ago = true })
	lx.add("after", func(l *lexInfo) { l.anchor = 1 })
	lx.add("before", func(l *lexInfo) { l.anchor = -1 })
	lx.add("nearly almost about around roughly some exactly just over more than", func(l *lexInfo) { l.hedge = true })
	lx.add("will ll shall going plans planned scheduled due expected", func(l *lexInfo) { l.tense = 1 })
	lx.add("was were had said did has have", func(l *lexInfo) { l.tense = -1 })
	lx.add("noon midday", func(l *lexInfo) { l.noon = 13 })
	lx.add("midnight", func(l *lexInfo) { l.noon = 1 })
	lx.add(`the a an and or but nor so yet was were is are be been being had has have do does did to of in on
		at for with by as that which who whom whose when while where it its he she they we i you there their
		his her our after before than then will would could should can may might must not also alone only
		already still again too this these those from into onto over under about against between through
		during since until amid compared versus vs per if because although though however`, func(l *lexInfo) { l.stop = true })
	return lx
}
