// Package translit turns place names from Cyrillic, Armenian, Georgian and the Latin
// romanisations of the former Soviet states into the spellings the press of a target
// language uses: German "Saporischschja" for Запоріжжя/Zaporizhzhia, "Gjumri" for
// Գյումրի/Gyumri, "Sugdidi" for ზუგდიდი/Zugdidi, "Dschalal-Abad" for Jalal-Abad.
//
// A Table is the rule table of one source script or romanisation for one target
// language; Tables(target, country) lists those that apply to a country's names. The
// rules are rewrites of the source letters, longest first, in context (word start or
// end, next to a vowel); where the press has two usual spellings (Dschankoi and
// Dschankoj) a rule gives both, and Apply returns every combination up to MaxVariants.
// cmd/gazetteer uses the tables to store transliteration variants of the gazetteer's
// names; nothing here runs when articles are read.
package translit

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxVariants bounds the spellings Apply returns for one name.
const MaxVariants = 4

// cond is the context a rule needs: prev is the source letter before the match (0 at
// the start of a word), next the letter after it (0 at the end of a word).
type cond func(t *Table, prev, next rune) bool

// rule rewrites the source letters from into one of to (the usual spelling first).
type rule struct {
	from string
	to   []string
	when cond
}

// Table is the rule table of one source script or romanisation for one target language.
type Table struct {
	Name   string // "de-ru": target language, then source (ISO 639-1 or a romanisation)
	Target string // "de"
	Source string // "ru", "uk", "be", "hy", "ka", "bgn", "uk-latn", "az", "uz", "tk"
	About  string // the convention followed, for the documentation
	// Native tables transliterate a script: a name with a letter the table does not
	// know is in another language and is not transliterated. Latin tables respell a
	// romanisation and copy letters they have no rule for.
	Native bool
	vowels string
	signs  string // soft/hard signs and apostrophes after which е, ё … are iotated
	rules  map[rune][]rule
}

func newTable(name, about string, native bool, vowels, signs string, rules []rule) *Table {
	target, source, _ := strings.Cut(name, "-")
	t := &Table{Name: name, Target: target, Source: source, About: about, Native: native,
		vowels: vowels, signs: signs, rules: map[rune][]rule{}}
	for _, r := range rules {
		first, _ := utf8.DecodeRuneInString(r.from)
		t.rules[first] = append(t.rules[first], r)
	}
	for k := range t.rules {
		rs := t.rules[k]
		sort.SliceStable(rs, func(i, j int) bool {
			return utf8.RuneCountInString(rs[i].from) > utf8.RuneCountInString(rs[j].from)
		})
	}
	return t
}

// r builds a rule; to lists the spellings separated by "|" ("i|j").
func r(from, to string, when cond) rule {
	return rule{from: from, to: strings.Split(to, "|"), when: when}
}

func (t *Table) isVowel(c rune) bool { return c != 0 && strings.ContainsRune(t.vowels, c) }

// Contexts.
var (
	always        cond = nil
	wordStart     cond = func(_ *Table, prev, _ rune) bool { return prev == 0 }
	wordEnd       cond = func(_ *Table, _, next rune) bool { return next == 0 }
	beforeVowel   cond = func(t *Table, _, next rune) bool { return t.isVowel(next) }
	afterVowel    cond = func(t *Table, prev, _ rune) bool { return t.isVowel(prev) }
	betweenVowels cond = func(t *Table, prev, next rune) bool { return t.isVowel(prev) && t.isVowel(next) }
	// afterVowelNotBefore: after a vowel and not before one (й in "Dschankoi").
	afterVowelNotBefore cond = func(t *Table, prev, next rune) bool { return t.isVowel(prev) && !t.isVowel(next) }
	// iotated: at the start of a word, after a vowel or after a sign (е → je).
	iotated cond = func(t *Table, prev, _ rune) bool {
		return prev == 0 || t.isVowel(prev) || strings.ContainsRune(t.signs, prev)
	}
	afterSign  cond = func(t *Table, prev, _ rune) bool { return strings.ContainsRune(t.signs, prev) }
	notBeforeK cond = func(_ *Table, _, next rune) bool { return next != 'k' }
)

// after returns a condition that holds after one of the letters of set.
func after(set string) cond {
	return func(_ *Table, prev, _ rune) bool { return prev != 0 && strings.ContainsRune(set, prev) }
}

// apostrophes are dropped before transliteration (German writes none): Ukrainian
// Слов'янськ, GeoNames' Step'anavan and Ts'khinvali, Uzbek oʻ and gʻ.
const apostrophes = "'’ʼʹ‘`ʻʿʾ"

func isApostrophe(c rune) bool { return strings.ContainsRune(apostrophes, c) }

// Apply returns the target-language spellings of name, usual spelling first, at most
// MaxVariants, or nil when a native table meets a letter it does not know. Spaces and
// hyphens are kept; every word starts with a capital when the source word does or the
// script has no case (Georgian).
func (t *Table) Apply(name string) []string {
	var src []rune
	var caps []bool // per source position: the word starting here is capitalised
	for _, c := range name {
		if isApostrophe(c) || unicode.Is(unicode.Mn, c) && !t.Native {
			continue
		}
		lc := unicode.ToLower(c)
		src = append(src, lc)
		caps = append(caps, unicode.IsUpper(c) || unicode.Is(unicode.Georgian, c))
	}
	outs := []string{""}
	letters := 0
	capNext := false
	for i := 0; i < len(src); {
		c := src[i]
		if !unicode.IsLetter(c) {
			if c != ' ' && c != '-' {
				return nil // digits, brackets: not a name to respell
			}
			for k := range outs {
				outs[k] += string(c)
			}
			i++
			continue
		}
		var prev rune
		if i > 0 && unicode.IsLetter(src[i-1]) {
			prev = src[i-1]
		}
		if prev == 0 {
			capNext = caps[i]
		}
		ru, n := t.match(src, i, prev)
		if n == 0 {
			if t.Native {
				return nil
			}
			ru, n = []string{string(c)}, 1
		}
		letters++
		if capNext {
			ru = capitalised(ru)
			// a rule that writes nothing (a sign) leaves the capital for the next letter
			capNext = ru[0] == ""
		}
		outs = product(outs, ru)
		i += n
	}
	if letters == 0 {
		return nil
	}
	seen := map[string]bool{}
	var res []string
	for _, o := range outs {
		o = strings.TrimSpace(o)
		if o != "" && !seen[o] {
			seen[o] = true
			res = append(res, o)
		}
	}
	return res
}

// match finds the longest rule at src[i] whose context holds; it returns its
// spellings and the number of source letters used, or 0.
func (t *Table) match(src []rune, i int, prev rune) ([]string, int) {
	for _, ru := range t.rules[src[i]] {
		n := utf8.RuneCountInString(ru.from)
		if i+n > len(src) || string(src[i:i+n]) != ru.from {
			continue
		}
		var next rune
		if i+n < len(src) && unicode.IsLetter(src[i+n]) {
			next = src[i+n]
		}
		if ru.when == nil || ru.when(t, prev, next) {
			return ru.to, n
		}
	}
	return nil, 0
}

func capitalised(ss []string) []string {
	out := make([]string, len(ss))
	for k, s := range ss {
		if c, n := utf8.DecodeRuneInString(s); n > 0 {
			s = string(unicode.ToUpper(c)) + s[n:]
		}
		out[k] = s
	}
	return out
}

// product appends each of next to each of outs, keeping at most MaxVariants (the
// usual spellings first).
func product(outs, next []string) []string {
	if len(next) == 1 {
		for k := range outs {
			outs[k] += next[0]
		}
		return outs
	}
	res := make([]string, 0, min(MaxVariants, len(outs)*len(next)))
	for _, n := range next {
		for _, o := range outs {
			if len(res) == MaxVariants {
				return res
			}
			res = append(res, o+n)
		}
	}
	return res
}

// Spelling is one generated spelling of a place's name.
type Spelling struct {
	Name string
	Rule string // the table's name
}

// Place returns the target-language spellings of a place in country cc: its
// alternate names in the country's scripts through the native tables first (in the
// order of Tables: the country's own script before Russian), then its
// own name and ASCII name through the country's Latin table. A Cyrillic name without
// the letters that mark one language (і, ї, є, ґ for Ukrainian; ы, э, ъ, ё for
// Russian) is read as Russian, and also in the country's other Cyrillic language when
// the place has no name marked as that language (Житомир, but not Нагорное next to
// Нагірне). Spellings repeat when two tables agree; callers deduplicate.
func Place(target, cc, name, ascii string, alternates []string) []Spelling {
	latin, native := Tables(target, cc)
	var out []Spelling
	marked := map[*Table]bool{}
	for _, a := range alternates {
		for _, t := range native {
			if m := marks[t]; m != "" && strings.ContainsAny(strings.ToLower(a), m) {
				marked[t] = true
			}
		}
	}
	for _, t := range native {
		for _, a := range alternates {
			if marks[t] != "" && t.Source != "ru" && marked[t] && !strings.ContainsAny(strings.ToLower(a), allMarks) {
				continue // a neutral spelling next to a marked one of this language
			}
			for _, s := range t.Apply(a) {
				out = append(out, Spelling{s, t.Name})
			}
		}
	}
	if latin != nil {
		for _, n := range []string{name, ascii} {
			for _, s := range latin.Apply(n) {
				out = append(out, Spelling{s, latin.Name})
			}
		}
	}
	return out
}
