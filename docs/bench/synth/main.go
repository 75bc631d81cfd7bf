// Command synth writes a layers folder holding one synthetic mentions layer for the HTTP
// benchmark (docs/bench/http.sh): n Point features scattered over Europe and Asia with
// varied names, articles and dates, following the mentions contract in
// docs/ARCHITECTURE.md, so that the benchmark does not depend on the real corpus. The
// output is deterministic for a given -seed.
//
// Usage:
//
//	go run ./docs/bench/synth [-n 50000] [-seed 1] -out DIR
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	n := flag.Int("n", 50000, "number of mention features")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", "", "folder to write mentions.geojson into (created)")
	flag.Parse()
	if *out == "" || *n < 1 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: synth [-n N] [-seed S] -out DIR")
		os.Exit(2)
	}
	if err := write(*out, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "synth:", err)
		os.Exit(1)
	}
}

var (
	syllables = []string{"ka", "ra", "bad", "sk", "ov", "grad", "ta", "shi", "lin", "mar", "ne", "do", "pol", "is", "an", "ber", "gu", "zan", "ev", "kh", "ul", "yo", "sa", "mir", "tar", "es", "wi", "chen", "burg", "lo"}
	kinds     = []string{"city", "town", "village", "country", "region", "admin", "water", "route", "landform", "facility", "demonym"}
	precision = []string{"point", "city", "admin", "country"}
	countries = []string{"DE", "FR", "PL", "UA", "RU", "AM", "AZ", "GE", "TR", "IR", "KZ", "CN", "IN", "JP", "IT", "ES", "RO", "UZ", "MN", "PK"}
	words     = []string{"Die", "Lage", "in", "bleibt", "angespannt", "nach", "dem", "Angriff", "auf", "die", "Stadt", "the", "talks", "in", "ended", "without", "agreement", "Flüchtlinge", "erreichten", "am", "Montag", "Grenze", "officials", "said", "on", "Sunday", "Behörden", "meldeten", "Schäden"}
	sources   = []string{"Example Zeitung", "Beispiel Rundschau", "Sample Times", "newsmap synthetic wire"}
)

func name(r *rand.Rand) string {
	var b strings.Builder
	for range 2 + r.IntN(3) {
		b.WriteString(syllables[r.IntN(len(syllables))])
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

func sentence(r *rand.Rand, place string) (string, int) {
	var parts []string
	k := 6 + r.IntN(14)
	at := r.IntN(k)
	pos := 0
	for i := range k {
		if i == at {
			pos = len([]rune(strings.Join(parts, " ")))
			if i > 0 {
				pos++
			}
			parts = append(parts, place)
			continue
		}
		parts = append(parts, words[r.IntN(len(words))])
	}
	return strings.Join(parts, " ") + ".", pos
}

type feature struct {
	Type     string         `json:"type"`
	ID       string         `json:"id"`
	Geometry geometry       `json:"geometry"`
	Props    map[string]any `json:"properties"`
}

type geometry struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

func write(dir string, n int, seed uint64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	tmp, err := os.CreateTemp(dir, ".mentions-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	w.WriteString(`{"type":"FeatureCollection","features":[`)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	base := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	places := make([]string, 5000) // places repeat across mentions, as in a corpus
	for i := range places {
		places[i] = name(r)
	}
	for i := range n {
		if i > 0 {
			w.WriteByte(',')
		}
		art := i / 10 // ten mentions per article
		pub := base.AddDate(0, 0, (art*7919)%1095)
		place := places[r.IntN(len(places))]
		quote, qs := sentence(r, place)
		start := (i%10)*400 + r.IntN(400) // increasing within the article, so ids are unique
		id := fmt.Sprintf("synth-%06d:%d", art, start)
		date, prec, tx := pub.Format("2006-01-02"), "day", ""
		var dateEnd any
		switch r.IntN(6) {
		case 0:
			d := pub.AddDate(0, 0, -r.IntN(7))
			date, tx = d.Format("2006-01-02"), "am Sonntag"
		case 1:
			date, prec, tx = pub.Format("2006-01-02")+fmt.Sprintf("T%02d:00", r.IntN(24)), "hour", "um zwei Uhr"
		case 2:
			y, wk := pub.ISOWeek()
			date, prec, tx = fmt.Sprintf("%d-W%02d", y, wk), "week", "vergangene Woche"
		case 3:
			date, prec, tx = pub.Format("2006-01"), "month", "im Mai"
			dateEnd = pub.AddDate(0, 1, 0).Format("2006-01")
		}
		lon := -10 + r.Float64()*150 // Europe and Asia
		lat := 10 + r.Float64()*60
		kind := kinds[r.IntN(len(kinds))]
		var gid any
		if r.IntN(3) > 0 {
			gid = 100000 + r.IntN(900000)
		}
		alts := []any{}
		for range r.IntN(3) {
			alts = append(alts, map[string]any{"name": name(r), "country_code": countries[r.IntN(len(countries))],
				"lat": round(lat + r.NormFloat64()), "lon": round(lon + r.NormFloat64()), "score": round(r.Float64() * 5)})
		}
		f := feature{Type: "Feature", ID: id, Geometry: geometry{"Point", [2]float64{round(lon), round(lat)}}, Props: map[string]any{
			"id": id, "article_id": fmt.Sprintf("synth-%06d", art), "title": "Synthetic report " + place,
			"source": sources[art%len(sources)], "url": fmt.Sprintf("https://example.org/synth/%d", art),
			"published": pub.Format("2006-01-02"), "text": place, "start": start, "end": start + len([]rune(place)),
			"quote": quote, "quote_start": qs, "kind": kind, "name": place, "name_de": "",
			"place_id": fmt.Sprintf("syn:%s", strings.ToLower(place)), "geonames_id": gid,
			"country_code": countries[r.IntN(len(countries))], "geo_precision": precision[r.IntN(len(precision))],
			"confidence": round(r.Float64()), "alternatives": alts, "match": "exact",
			"date": date, "date_end": dateEnd, "date_precision": prec, "timex": tx,
		}}
		if dateEnd == nil {
			delete(f.Props, "date_end")
		}
		if err := enc.Encode(f); err != nil { // Encode appends '\n', valid JSON whitespace
			return err
		}
	}
	w.WriteString("]}\n")
	if err := w.Flush(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil { // nginx workers read it too
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, "mentions.geojson"))
}

func round(f float64) float64 { return float64(int64(f*1e5)) / 1e5 }
