package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"newsmap/geo/gazetteer"
	"newsmap/geo/gazetteer/translit"
)

// dictionaries are the Hunspell word lists, per target language, of the words a
// transliteration must not be (a German "Post", a French "Chat").
var dictionaries = map[string]string{"de": "dictionary-de/index.dic", "fr": "dictionary-fr/index.dic"}

// maxVariantsPerPlace bounds the spellings generated for one place per target language.
const maxVariantsPerPlace = 16

// nameVariant is one generated spelling of a place's name.
type nameVariant struct {
	id   int
	lang string // target language
	rule string // translit table name
	name string
}

// placeVariants generates the transliteration variants of the places of the countries
// translit knows, for every target language: from the place's own name and ASCII name
// (the country's Latin table) and from its native-script alternate names (the
// country's native tables). A spelling is kept when it is not already a name of the
// place, is at least three letters long and is not a common word of the target
// language (words: the stems of its Hunspell dictionary), which would make every "Post"
// or "Wal" a candidate place.
func placeVariants(rows []place, words map[string]map[string]bool, rep *report) []nameVariant {
	wanted := map[string]bool{}
	for _, cc := range translit.Countries {
		wanted[cc] = true
	}
	var out []nameVariant
	for _, p := range rows {
		cc := p.cols[7]
		if !wanted[cc] || p.alts == "" && p.pop < 1000 {
			continue
		}
		have := map[string]bool{gazetteer.Normalize(p.cols[1]): true, gazetteer.Normalize(p.cols[2]): true}
		if p.cols[10] != "" {
			for _, a := range strings.Split(p.cols[10], ",") {
				have[gazetteer.Normalize(a)] = true
			}
		}
		var native []string
		for _, a := range strings.Split(p.alts, ",") {
			if a = strings.TrimSpace(a); a != "" && nativeScript(a) {
				native = append(native, a)
			}
		}
		for _, target := range translit.Targets {
			n := 0
			for _, sp := range translit.Place(target, cc, p.cols[1], p.cols[2], native) {
				k := gazetteer.Normalize(sp.Name)
				if n == maxVariantsPerPlace || have[k] || utf8.RuneCountInString(k) < 3 || !strings.Contains(k, " ") && words[target][k] {
					continue
				}
				have[k] = true
				n++
				out = append(out, nameVariant{id: p.id, lang: target, rule: sp.Rule, name: sp.Name})
				rep.variants++
				rep.variantsBy["rule "+sp.Rule]++
				rep.variantsBy["country "+cc+" "+target]++
			}
		}
	}
	return out
}

// nativeScript reports whether s is written in Cyrillic, Armenian or Georgian.
func nativeScript(s string) bool {
	for _, c := range s {
		if unicode.In(c, unicode.Cyrillic, unicode.Armenian, unicode.Georgian) {
			return true
		}
	}
	return false
}

func writeVariants(w io.Writer, vs []nameVariant) error {
	if _, err := io.WriteString(w, "#geonameid\tkind\tlang\trule\tname\n"); err != nil {
		return err
	}
	for _, v := range vs {
		if _, err := fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", v.id, gazetteer.VariantTransliteration, v.lang, v.rule, clean(v.name)); err != nil {
			return err
		}
	}
	return nil
}

// readDictionary returns the normalised stems of a Hunspell dictionary (igerman98 via
// dictionary-de, Grammalecte via dictionary-fr), nouns and other words alike.
func readDictionary(path string) (map[string]bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	words := map[string]bool{}
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if i == 0 {
			if _, err := strconv.Atoi(line); err != nil {
				return nil, fmt.Errorf("%s: first line is not the word count: %w", path, errInput)
			}
			continue
		}
		word, _, _ := strings.Cut(line, "/")
		if word == "" || strings.HasPrefix(word, "#") {
			continue
		}
		words[gazetteer.Normalize(word)] = true
	}
	return words, nil
}
