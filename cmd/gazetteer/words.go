package main

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// commonWordLangs are the languages whose common words are written to
// <code>-words.txt.gz from their Hunspell dictionary (dictionaries), and which
// entries count: German capitalises every noun, so its list holds the nouns (the
// capitalised entries) in every form the affix file's suffix rules give them
// ("Haus", "Hauses", "Häuser"); French writes common words in lower case, so its list
// holds the lower-case entries as listed (its affix rules conjugate every verb, which
// would multiply the list for words that open no sentence as a name).
var commonWordLangs = []struct {
	code  string
	nouns bool // capitalised entries, expanded with the suffix rules
}{{"de", true}, {"fr", false}}

// minCommonWordRunes is the shortest word kept: shorter ones are function words or
// abbreviations, which recognition treats on their own.
const minCommonWordRunes = 3

// suffixRule is one Hunspell SFX line: strip strip from a word ending in cond, add add.
type suffixRule struct {
	strip, add string
	cond       *regexp.Regexp
}

// affixes is what the words list needs from a Hunspell .aff file.
type affixes struct {
	long      bool // FLAG long: flags are two characters
	forbidden string
	suffixes  map[string][]suffixRule
}

// readAffixes parses the suffix rules of a Hunspell .aff file.
func readAffixes(path string) (*affixes, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	a := &affixes{suffixes: map[string][]suffixRule{}}
	conds := map[string]*regexp.Regexp{}
	for n, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 2 && f[0] == "FLAG":
			a.long = f[1] == "long"
		case len(f) >= 2 && f[0] == "FORBIDDENWORD":
			a.forbidden = f[1]
		case len(f) >= 5 && f[0] == "SFX":
			strip, add, cond := f[2], f[3], f[4]
			if strip == "0" {
				strip = ""
			}
			add, _, _ = strings.Cut(add, "/") // continuation flags: one level is enough
			if add == "0" {
				add = ""
			}
			re, ok := conds[cond]
			if !ok {
				if re, err = regexp.Compile("(?:" + cond + ")$"); err != nil {
					return nil, fmt.Errorf("%s:%d: condition %q: %w", path, n+1, cond, errInput)
				}
				conds[cond] = re
			}
			a.suffixes[f[1]] = append(a.suffixes[f[1]], suffixRule{strip: strip, add: add, cond: re})
		}
	}
	return a, nil
}

// flags splits a dictionary entry's flag string.
func (a *affixes) flags(s string) []string {
	var out []string
	if a.long {
		for len(s) >= 2 {
			out = append(out, s[:2])
			s = s[2:]
		}
		return out
	}
	for _, r := range s {
		out = append(out, string(r))
	}
	return out
}

// readCommonWords returns the sorted, lower-case common words of a Hunspell
// dictionary: with nouns, its capitalised entries and their suffixed forms; without,
// its lower-case entries. Words shorter than minCommonWordRunes, forbidden entries and
// entries holding digits or dots are left out.
func readCommonWords(dicPath, affPath string, nouns bool) ([]string, error) {
	a, err := readAffixes(affPath)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(dicPath)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	add := func(w string) {
		if utf8.RuneCountInString(w) < minCommonWordRunes || strings.ContainsAny(w, "0123456789.") {
			return
		}
		seen[strings.ToLower(w)] = true
	}
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if i == 0 || line == "" || strings.HasPrefix(line, "#") {
			continue // the entry count; comments
		}
		if j := strings.IndexAny(line, " \t"); j >= 0 {
			line = line[:j] // morphological fields
		}
		word, fl, _ := strings.Cut(line, "/")
		first, _ := utf8.DecodeRuneInString(word)
		if word == "" || nouns != unicode.IsUpper(first) {
			continue
		}
		flags := a.flags(fl)
		forbidden := false
		for _, f := range flags {
			forbidden = forbidden || f == a.forbidden
		}
		if forbidden {
			continue
		}
		add(word)
		if !nouns {
			continue
		}
		for _, f := range flags {
			for _, r := range a.suffixes[f] {
				if strings.HasSuffix(word, r.strip) && r.cond.MatchString(word) {
					add(word[:len(word)-len(r.strip)] + r.add)
				}
			}
		}
	}
	words := make([]string, 0, len(seen))
	for w := range seen {
		words = append(words, w)
	}
	sort.Strings(words)
	return words, nil
}

// writeCommonWords writes one word a line.
func writeCommonWords(w io.Writer, words []string) error {
	_, err := io.WriteString(w, strings.Join(words, "\n")+"\n")
	return err
}
