// Package lang says what newsmap knows about each language it reads: one Language value
// per language holds its function words, inflection and case endings, capitalisation
// rules, demonym endings, the vocabulary and grammar switches of its temporal
// expressions and its "since" markers. The values are registered in one place
// (registry.go); ingest selects one by the article's language code and rejects the
// article when none is registered. Recognition (pipeline/recognize) and the temporal
// tagger (pipeline/timex) read only these values: nowhere else in the pipeline is a
// language named.
//
// Word lists are space-separated, lower-case strings: general knowledge of the
// language's closed word classes, never words picked from any article.
package lang

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnknown is returned for a language code that has no registered Language.
var ErrUnknown = errors.New("lang: unknown language")

// Language is everything the pipeline knows about one language.
type Language struct {
	Code  string // ISO 639-1: "de"
	Code3 string // ISO 639-2/T, as data sources key their translations: "deu"
	Name  string // in English: "German"

	Words      Words
	Inflection Inflection
	Caps       Capitalisation
	// Since lists the words that open a "since" expression ("seit", "since"): the
	// state it dates lasts until the article's publication.
	Since string
	Timex Timex
}

// Words are the word classes recognition looks at, lower case, space-separated.
type Words struct {
	// Function words (articles, pronouns, prepositions, conjunctions, auxiliaries,
	// frequent adverbs): a capitalised one opening a sentence is never a place.
	Function string
	// Determiners before a noun ("die Lage", "seines Landes"): a settlement name right
	// after one is a common noun (only read where nouns are capitalised).
	Determiners string
	// Possessives never precede a place name.
	Possessives string
	// Titles precede personal names: "Präsident", "Secretary".
	Titles string
	// Locatives are prepositions that introduce a place: "in", "nach", "from".
	Locatives string
	// OrgHeads turn a place name before them into an organisation's or a work's name:
	// "Post", "Statut", "University".
	OrgHeads string
	// Divisions name kinds of administrative division: "Region", "province".
	Divisions string
	// DivisionLinks join a division word to its name: "province of Idlib", "Provinz der".
	DivisionLinks string
	// SettlementNouns are common nouns that stand before a settlement's name, alone or
	// with a DivisionLink: "die Stadt Görlitz", "das Dorf Hirschfelde", "the town of
	// Bakhmut", "la ville de Lyon". A name after one stands where a place is expected,
	// as after a locative, and is not a surname after a first name.
	SettlementNouns string
	// Contractions are the prepositions that swallow the article a place's name opens
	// with, and that article: "du Havre", "au Mans" (le), "aux Sables-d'Olonne" (les).
	Contractions map[string]string
	// Directions are the nouns of the compass points ("Norden", "north"), and Towards
	// the words of motion towards one ("nach", "Richtung", "towards"): "die Straße nach
	// Norden" is a direction, not the town of Norden.
	Directions, Towards string
	// Coordinators join two places of one list or route: "und", "and", "bis".
	Coordinators string
	// NameHeads are lower-case common nouns that open a place's name in the language
	// ("mer Noire", "corridor de Latchine", "golfe Persique").
	NameHeads string
}

// Inflection is how the language changes a name's words.
type Inflection struct {
	// Genitive endings added to a name's last word ("Armeniens", "des Schwarzen
	// Meeres"), shortest first.
	Genitive []string
	// PluralDative is the ending a plural name takes in the dative ("in den
	// Niederlanden", "den Vereinigten Arabischen Emiraten"): added to a name ending in
	// "e", it is taken off the last word also after an article that rules out a genitive.
	PluralDative string
	// GenitiveArticles are the determiners after which a name may carry a genitive
	// ending ("des Irans"); after any other determiner it carries none: "der Hamas" is
	// not the genitive of Hama, a feminine genitive takes no ending ("der Ukraine").
	GenitiveArticles string
	// Adjective endings of adjectives that lead names ("kaspischen Meer"), longest
	// first; a name's leading adjective is tried in every one of them.
	Adjective []string
	// Demonym endings stripped to find an adjective's or inhabitant's stem
	// ("armenischen" → "armenisch"), longest first.
	Demonym []string
	// CompassPrefixes and RegionHeads build compounds around a region's name
	// ("Ostukraine", "Südkaukasusregion"); empty where the language writes them apart.
	CompassPrefixes []string
	RegionHeads     []string
	// Plural endings of nouns, each with what replaces it in the singular ("ies" →
	// "y", "s" → ""), for a language whose common-word list holds the singular only
	// (Capitalisation.CommonWords): "Voters" is a common word because "voter" is.
	Plural [][2]string
}

// Capitalisation is what an upper-case first letter says in the language.
type Capitalisation struct {
	// Nouns: every noun is capitalised (German), so a capital is weak evidence for a
	// name; otherwise only names are (English, French).
	Nouns bool
	// Months and Weekdays are capitalised (German, English; not French).
	Months, Weekdays bool
	// Dictionary: the gazetteer's English common-word list tells a common word opening
	// a sentence ("Police said") from a place.
	Dictionary bool
	// CommonWords: the gazetteer holds the language's common words
	// (data/gazetteer/<code>-words.txt.gz, from its Hunspell dictionary). A name that is
	// one of them is a place only with evidence: where only names are capitalised, a
	// sentence-initial one needs a locative; where every noun is (German), a noun
	// naming a place that is not well known needs a locative without an article or a
	// list of places. No dictionary word is read as a misspelt name.
	CommonWords bool
}

// Timex is the vocabulary and grammar of the language's temporal expressions.
// Every field is a space-separated word list unless said otherwise. A word may hold
// an apostrophe or a hyphen ("aujourd'hui", "avant-hier"): written so in a text, its
// parts are read as one word.
type Timex struct {
	Months            [12]string // January first; several forms each ("januar jänner")
	MonthsNeedContext []int      // months whose name is also a common word (Mai, May, March)
	MonthAbbrevs      [12]string
	Weekdays          [7]string // Monday first
	Weekend           string
	// WeekdayCompounds: a weekday and a part of the day are written as one word
	// ("Montagabend").
	WeekdayCompounds bool
	PartsOfDay       [6]string // nouns: morning, forenoon, noon, afternoon, evening, night
	PartOfDayAdverbs [6]string // after a clock time: "nachmittags"
	RelativeDays     map[string]int
	// RelativeDayNouns are relative days that are also nouns when capitalised
	// mid-sentence ("Morgen", the morning).
	RelativeDayNouns string
	Numbers          [12]string   // one to twelve
	Units            [4][2]string // day, week, month, year: singular and plural forms
	Last, This, Next string       // modifiers of a unit or a weekday
	// PreviousUnits are one-word "the unit before" nouns, indexed like Units
	// ("Vortag" is a relative day, "Vorwoche", "Vormonat", "Vorjahr").
	PreviousUnits [4]string
	// Prepositions that become part of an expression.
	On, At, In, Since, Until, From, During string
	// YearIn are the In prepositions that take a bare year ("in 2020", not "im 2020").
	YearIn string
	// InFuture before a count opens a span that far ahead ("in zwei Wochen").
	InFuture string
	// Frame opens a "von ... an" frame and FrameEnd closes it.
	Frame, FrameEnd string
	// Articles may stand between a preposition and the expression ("seit dem").
	Articles string
	// Attributive grammar: AttributiveArticles before a date phrase that modifies a
	// noun ("die Bilanz der vergangenen Woche"), Genitives among them that follow the
	// noun, AttributiveFrom opening "das Abkommen vom 9. November", RangeWords that
	// make it a range instead ("vom 3. bis 5. März").
	AttributiveArticles, Genitives, AttributiveFrom, RangeWords string
	// Of links a noun or a day to a date ("the agreement of 9 November", "11th of
	// January"); with AttributiveOf set it makes the date attributive.
	Of string
	// Beginning/Middle/End of a period; the ...Of forms need Of ("the end of 2020").
	Beginning, Middle, End       string
	BeginningOf, MiddleOf, EndOf string
	ClockWords                   string // "Uhr"
	TimeZones                    string
	AgoBefore                    string // "vor drei Jahren"; one phrase ("il y a")
	AgoAfter                     string // "three years ago"
	After, Before                string // "zwei Monate nach dem ..."
	Hedges                       string // "fast", "nearly"
	Future, Past                 string // tense cues
	Noon, Midnight               string
	OrdinalSuffixes              string // "th": "9th November"
	// Stop are function words that a year before them leaves a year ("in 2020 the
	// ..."), where a content word makes it a count ("in 2000 cases").
	Stop string
	// Records are superlatives and "for the first time" words after which a Since
	// phrase measures a record, not when the event happened: "the highest level since
	// 2018", "erstmals seit 2015" leave the sentence at its own date.
	Records string

	// NightFrom and NightTo link a night to its days: "in der Nacht von Freitag auf
	// Samstag", "in der Nacht zu Sonntag", "dans la nuit de samedi à dimanche". The
	// night is dated by its evening: the day before the NightTo day, or the NightFrom day.
	NightFrom, NightTo string
	// DayRange joins two days of one month: "vom 3. bis 5. März", "du 3 au 5 mars",
	// "Sept. 3 to 5" (a dash does too). The range is dated by its first day.
	DayRange string
	// ElidedArticles are articles written with an apostrophe before a vowel ("l'année").
	ElidedArticles string
	// Anaphoric days count from the last day named before them in the text ("am
	// Folgetag", "le lendemain", "the following day"), or from the publication date
	// when none was; phrases of words in lower case.
	Anaphoric map[string]int
	// Holidays maps a holiday's name (lower case, several words allowed) to its day:
	// "12-25", or "easter+N" / "easter-N" for the feasts that move with (Western) Easter.
	// Its year is read like a date's without one.
	Holidays map[string]string
	// HolidayPreps may stand before a one-word holiday besides the prepositions ("zu
	// Ostern"): such a holiday needs one of them, or a year after it, to be a date
	// ("der Osterhase" aside, "Christmas market" is no date).
	HolidayPreps string

	// Grammar switches.
	MonthDay bool // "January 11" besides "11 January"
	// PastWithoutAuxiliary: the simple past has no auxiliary to find, so a day far
	// ahead without a tense cue is last year's.
	PastWithoutAuxiliary bool
	TwelveHourClock      bool // "2 p.m.", "o'clock", "at 14:00"
	ThisPartOfDay        bool // "this morning" is today
	PeriodHyphen         bool // "mid-2020"
	AttributiveOf        bool // "the agreement of 9 November 2020", "Monday's attack"
	AttributiveYear      bool // "the 2020 war"
	// ModifierAfter: a modifier may follow its weekday or unit ("lundi dernier", "la
	// semaine prochaine").
	ModifierAfter bool
}

// Lookup returns the registered language for a code: an ISO 639-1 code or a longer tag
// whose first part is one ("de-AT", "en_GB"), in any case.
func Lookup(code string) (*Language, error) {
	c := strings.ToLower(strings.TrimSpace(code))
	if i := strings.IndexAny(c, "-_"); i >= 0 {
		c = c[:i]
	}
	for _, l := range registered {
		if l.Code == c {
			return l, nil
		}
	}
	return nil, fmt.Errorf("%w %q (known: %s)", ErrUnknown, code, strings.Join(Codes(), ", "))
}

// Codes lists the codes of the registered languages, in registration order.
func Codes() []string {
	out := make([]string, len(registered))
	for i, l := range registered {
		out[i] = l.Code
	}
	return out
}

// All returns the registered languages, in registration order.
func All() []*Language {
	return append([]*Language(nil), registered...)
}

// WordSet splits a space-separated list into a set.
func WordSet(words ...string) map[string]bool {
	m := map[string]bool{}
	for _, ws := range words {
		for _, w := range strings.Fields(ws) {
			m[w] = true
		}
	}
	return m
}
