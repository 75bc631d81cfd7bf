package pipeline_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsmap/geo/gazetteer/gazettest"
	"newsmap/pipeline"
	"newsmap/pipeline/article"
)

// langGoldFile is an annotated article in the format of the shared evaluation
// (../shared/eval/*.gold.json): code-point spans of every place with its kind, point
// and event dates.
type langGoldFile struct {
	Article   string `json:"article"`
	Language  string `json:"language"`
	Published string `json:"published"`
	Places    []struct {
		Text        string   `json:"text"`
		Start       int      `json:"start"`
		End         int      `json:"end"`
		Kind        string   `json:"kind"`
		Name        string   `json:"name"`
		Lat         *float64 `json:"lat"`
		Lon         *float64 `json:"lon"`
		CountryCode string   `json:"country_code"`
		Optional    bool     `json:"optional"`
		Area        bool     `json:"area"`
		AreaCountry *string  `json:"area_country"`
		Dates       []string `json:"dates"`
	} `json:"places"`
}

// langGoldScore counts what ../shared/eval/score.py counts.
type langGoldScore struct {
	tp, fp, required, resolved, resolvedOK, dated, datedOK int
}

func (s langGoldScore) f1() float64 {
	p := float64(s.tp) / float64(max(1, s.tp+s.fp))
	r := float64(s.tp) / float64(max(1, s.required))
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func (s langGoldScore) acc161() float64 { return float64(s.resolvedOK) / float64(max(1, s.resolved)) }
func (s langGoldScore) dates() float64  { return float64(s.datedOK) / float64(max(1, s.dated)) }

// TestGoldSets geoparses the annotated articles of testdata/gold/LANG (written for the
// tests, not copied: other regions and years than the seeds) and scores them as the
// shared evaluation does; every language's set must reach F1, acc@161 km and mention
// dates of 0.90. `python3 ../shared/eval/run.py pipeline/testdata/gold/fr
// pipeline/testdata/gold/fr` prints the same scores per article.
func TestGoldSets(t *testing.T) {
	g := gazettest.Load(t)
	dirs, err := filepath.Glob("testdata/gold/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no gold sets: %v", err)
	}
	for _, dir := range dirs {
		golds, _ := filepath.Glob(filepath.Join(dir, "*.gold.json"))
		if len(golds) == 0 {
			t.Errorf("%s: no *.gold.json", dir)
			continue
		}
		var total langGoldScore
		for _, path := range golds {
			s := scoreGold(t, g, path)
			total.tp += s.tp
			total.fp += s.fp
			total.required += s.required
			total.resolved += s.resolved
			total.resolvedOK += s.resolvedOK
			total.dated += s.dated
			total.datedOK += s.datedOK
		}
		t.Logf("%s: %d articles, F1 %.3f, acc161 %.3f, mention dates %.3f", dir, len(golds), total.f1(), total.acc161(), total.dates())
		// a set annotated without event dates (en_regional scores places only) is not
		// held to the dates threshold
		if total.f1() < 0.90 || total.acc161() < 0.90 || total.dated > 0 && total.dates() < 0.90 {
			t.Errorf("%s: F1 %.3f, acc161 %.3f, mention dates %.3f: each must be at least 0.90", dir, total.f1(), total.acc161(), total.dates())
		}
		if floor := goldF1Floor[filepath.Base(dir)]; total.f1() < floor {
			t.Errorf("%s: F1 %.3f below this set's floor %.2f", dir, total.f1(), floor)
		}
	}
}

// goldF1Floor raises the F1 a set must reach above 0.90 where it has reached more: the
// German transliteration set reached 0.992 once common nouns (Norden, Ufer, Kunden)
// needed evidence to be places (docs/BENCHMARKS.md, "Common nouns").
var goldF1Floor = map[string]float64{"de-translit": 0.98}

// readGold reads an annotation file and the article it annotates (beside it).
func readGold(t *testing.T, path string) (langGoldFile, *article.Article) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var gold langGoldFile
	if err := json.Unmarshal(b, &gold); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	body, err := os.ReadFile(filepath.Join(filepath.Dir(path), gold.Article))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := article.ParseDate(gold.Published)
	if err != nil {
		t.Fatal(err)
	}
	return gold, &article.Article{ID: strings.TrimSuffix(gold.Article, ".txt"), Language: gold.Language, Published: pub, Body: string(body)}
}

func scoreGold(t *testing.T, g pipeline.Gazetteer, path string) langGoldScore {
	t.Helper()
	gold, a := readGold(t, path)
	d := mustGeoparse(t, g, a)
	var sys []pipeline.Mention
	for _, m := range d.Mentions {
		if !m.Demonym {
			sys = append(sys, m)
		}
	}
	overlap := func(a0, a1, b0, b1 int) bool { return a0 < b1 && b0 < a1 }
	var s langGoldScore
	matched := map[int]bool{}
	for _, m := range sys {
		hit := false
		for i, p := range gold.Places {
			if p.Kind == "demonym" || !overlap(m.Start, m.End, p.Start, p.End) {
				continue
			}
			hit = true
			if !p.Optional {
				matched[i] = true
			}
		}
		if !hit {
			s.fp++
			t.Logf("%s: not a place in the gold: %q → %s (%s)", gold.Article, m.Text, m.Entry.Name, m.Entry.CountryCode)
		}
	}
	for i, p := range gold.Places {
		if p.Kind == "demonym" || p.Optional {
			continue
		}
		s.required++
		if !matched[i] {
			t.Logf("%s: missed %q at %d", gold.Article, p.Text, p.Start)
			continue
		}
		s.tp++
		var m pipeline.Mention
		for _, c := range sys {
			if overlap(c.Start, c.End, p.Start, p.End) {
				m = c
				break
			}
		}
		if p.Lat != nil || p.Kind == "country" {
			s.resolved++
			ok := false
			switch {
			case p.Kind == "country":
				ok = m.Entry.CountryCode == p.CountryCode
			default:
				ok = goldKm(m.Entry.Lat, m.Entry.Lon, *p.Lat, *p.Lon) <= 161 ||
					p.Area && (sameName(m.Entry.Name, p.Name) || sameName(m.Text, p.Name)) && (p.AreaCountry == nil || *p.AreaCountry == m.Entry.CountryCode)
			}
			if ok {
				s.resolvedOK++
			} else {
				t.Logf("%s: %q resolved to %s (%s), want %s", gold.Article, p.Text, m.Entry.Name, m.Entry.CountryCode, p.Name)
			}
		}
		if len(p.Dates) > 0 {
			s.dated++
			ok := false
			for _, want := range p.Dates {
				ok = ok || want == m.Date
			}
			if ok {
				s.datedOK++
			} else {
				t.Logf("%s: %q dated %s (%q), want one of %v", gold.Article, p.Text, m.Date, m.Timex, p.Dates)
			}
		}
	}
	return s
}

// sameName compares names as score.py does: case and full stops aside.
func sameName(a, b string) bool {
	norm := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(strings.ToLower(s), ".", "")) }
	return a != "" && norm(a) == norm(b)
}

// km is the great-circle distance, as score.py computes it.
func goldKm(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	p1, p2 := lat1*rad, lat2*rad
	dp, dl := p2-p1, (lon2-lon1)*rad
	h := math.Pow(math.Sin(dp/2), 2) + math.Cos(p1)*math.Cos(p2)*math.Pow(math.Sin(dl/2), 2)
	return 2 * 6371.0088 * math.Asin(math.Sqrt(math.Min(1, h)))
}
