package main

import (
	"newsmap/pipeline/lang"

	"fmt"
	"io"
	"sort"
	"strings"

	"newsmap/geo/gazetteer"
)

type demonym struct {
	form, iso2, lang, source string
}

// germanForms derives adjective and inhabitant stems from a German country
// name by general suffix rules. Irregular names are covered by the curated table.
func germanForms(name string) []string {
	if strings.ContainsAny(name, " -") || name == "" {
		return nil
	}
	l := strings.ToLower(name)
	cut := func(suf string) (string, bool) {
		if strings.HasSuffix(l, suf) && len(l) > len(suf)+2 {
			return strings.TrimSuffix(l, suf), true
		}
		return "", false
	}
	if s, ok := cut("ien"); ok { // Armenien → armenisch, Armenier
		return []string{s + "isch", s + "ier"}
	}
	if s, ok := cut("land"); ok { // Russland → russisch
		return []string{s + "isch"}
	}
	if s, ok := cut("istan"); ok { // Usbekistan → usbekisch, Pakistan → pakistanisch
		return []string{s + "isch", s + "istanisch", s + "istaner"}
	}
	if s, ok := cut("an"); ok { // Aserbaidschan → aserbaidschanisch, Aserbaidschaner
		return []string{s + "anisch", s + "aner"}
	}
	if s, ok := cut("ei"); ok { // Türkei → türkisch
		return []string{s + "isch"}
	}
	if s, ok := cut("en"); ok { // Schweden → schwedisch
		return []string{s + "isch"}
	}
	if s, ok := cut("a"); ok { // Kuba → kubanisch, Kubaner
		return []string{s + "anisch", s + "aner"}
	}
	if s, ok := cut("o"); ok { // Mexiko → mexikanisch, Mexikaner
		return []string{s + "anisch", s + "aner"}
	}
	if strings.HasSuffix(l, "e") { // (no general rule)
		return nil
	}
	return []string{l + "isch"} // Israel → israelisch, Irak → irakisch
}

// deriveDemonyms builds the demonym table: curated forms first, then English
// forms from world-countries, then German forms by rule. A form maps to one
// country; on conflicts the curated form, then an independent UN member, then
// the larger country wins.
func deriveDemonyms(cs []*country, cur []gazetteer.CuratedDemonym) []demonym {
	rank := map[string]int{}
	for _, c := range cs {
		r := int(c.Area)
		if c.UNMember {
			r += 1 << 40
		}
		rank[c.CCA2] = r
	}
	type cand struct {
		demonym
		prio int
	}
	best := map[string]cand{}
	add := func(d demonym, prio int) {
		key := d.lang + "\t" + gazetteer.Normalize(d.form)
		if key == d.lang+"\t" {
			return
		}
		if old, ok := best[key]; ok {
			if old.prio > prio || (old.prio == prio && rank[old.iso2] >= rank[d.iso2]) {
				return
			}
		}
		best[key] = cand{d, prio}
	}
	for _, d := range cur {
		add(demonym{d.Form, d.ISO2, d.Lang, "curated"}, 2)
	}
	for _, c := range cs {
		for _, l := range lang.All() { // world-countries keys its demonyms by ISO 639-2
			if d, ok := c.Demonyms[l.Code3]; ok {
				for _, f := range []string{d.M, d.F} {
					if f != "" && isLatinName(f) {
						add(demonym{strings.ToLower(f), c.CCA2, l.Code, "world-countries"}, 1)
					}
				}
			}
		}
		for _, f := range germanForms(c.Translations["deu"].Common) {
			add(demonym{f, c.CCA2, "de", "rule"}, 0)
		}
	}
	out := make([]demonym, 0, len(best))
	for _, c := range best {
		out = append(out, c.demonym)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].lang != out[j].lang {
			return out[i].lang < out[j].lang
		}
		return out[i].form < out[j].form
	})
	return out
}

func writeDemonyms(w io.Writer, ds []demonym) error {
	if _, err := io.WriteString(w, "#form\tiso2\tlang\tsource\n"); err != nil {
		return err
	}
	for _, d := range ds {
		if _, err := fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", clean(d.form), d.iso2, d.lang, d.source); err != nil {
			return err
		}
	}
	return nil
}
