// Command fuzzyguard measures how often spelling repair fires on correctly spelled
// place names that the gazetteer does not have: every repair there is wrong. It takes
// town names of country-state-city (data/gazetteer/source/node_modules, installed by
// make.sh) in the given countries that no gazetteer name matches exactly, puts each
// into a short local news sentence, geoparses it, and counts the mentions read as
// another place one edit away.
//
//	go run ./docs/bench/fuzzyguard -n 1000 -cc US,CA,AU,GB,IE,IN
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"newsmap/geo/gazetteer"
	"newsmap/pipeline"
	"newsmap/pipeline/article"
	"newsmap/pipeline/recognize"
)

func main() {
	src := flag.String("src", "data/gazetteer/source/node_modules/country-state-city/lib/assets/city.json", "country-state-city's city.json")
	n := flag.Int("n", 1000, "names to try")
	ccs := flag.String("cc", "US,CA,AU,GB,IE,IN", "countries whose town names are tried")
	flag.Parse()
	if err := run(*src, *n, strings.Split(*ccs, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "fuzzyguard:", err)
		os.Exit(1)
	}
}

// bigCity gives each story a place of the name's country, as local news has.
var bigCity = map[string]string{"US": "Dallas", "CA": "Toronto", "AU": "Sydney", "GB": "Leeds", "IE": "Cork", "IN": "Pune"}

func run(src string, n int, ccs []string) error {
	g, err := gazetteer.LoadEmbedded()
	if err != nil {
		return err
	}
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	var rows [][]string
	if err := json.Unmarshal(b, &rows); err != nil {
		return err
	}
	want := map[string]bool{}
	for _, c := range ccs {
		want[c] = true
	}
	seen := map[string]bool{}
	var names []string
	country := map[string]string{}
	for _, r := range rows {
		if len(r) < 2 || !want[r[1]] || seen[r[0]] || strings.ContainsAny(r[0], " -'.()") {
			continue
		}
		seen[r[0]] = true
		if len(g.Lookup(gazetteer.Normalize(r[0]))) == 0 && len([]rune(r[0])) >= 5 {
			names = append(names, r[0])
			country[r[0]] = r[1]
		}
	}
	sort.Strings(names)
	// the story is in the name's country, so a repair there would fit its focus; the
	// name is written once, then twice (a repeated spelling is not repaired)
	templates := []string{"Flooding closed roads in %s and in %s on Monday.", "Flooding closed roads in %[1]s and in %[2]s on Monday, officials in %[1]s said."}
	for _, tmpl := range templates {
		if err := measure(g, names, country, n, tmpl, ccs); err != nil {
			return err
		}
	}
	return nil
}

func measure(g *gazetteer.Gazetteer, names []string, country map[string]string, n int, tmpl string, ccs []string) error {
	step := max(1, len(names)/n)
	tried, repaired := 0, 0
	var examples []string
	for i := 0; i < len(names) && tried < n; i += step {
		name := names[i]
		a := &article.Article{ID: "x", Language: "en", Published: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC),
			Body: fmt.Sprintf(tmpl, name, bigCity[country[name]])}
		d, err := pipeline.Geoparse(g, a)
		if err != nil {
			return err
		}
		tried++
		for _, m := range d.Mentions {
			if m.Match == recognize.Fuzzy {
				repaired++
				if len(examples) < 15 {
					examples = append(examples, fmt.Sprintf("%s → %s (%s)", name, m.Entry.Name, m.Entry.CountryCode))
				}
				break
			}
		}
	}
	fmt.Printf("%q\n  %d correctly spelled town names absent from the gazetteer (of %d in %s): %d read as another place (%.1f%%)\n",
		tmpl, tried, len(names), strings.Join(ccs, ","), repaired, 100*float64(repaired)/float64(max(1, tried)))
	for _, e := range examples {
		fmt.Println("  ", e)
	}
	return nil
}
