package pipeline_test

import (
	"path/filepath"
	"testing"

	"newsmap/geo/gazetteer/gazettest"
	"newsmap/pipeline"
	"newsmap/pipeline/article"
	"newsmap/pipeline/recognize"
)

// TestTransliteratedArticles geoparses German articles written for the tests about
// towns of 2,000 to 50,000 people in Armenia, Azerbaijan, Belarus, Georgia, Kazakhstan,
// Kyrgyzstan, Moldova, Russia, Tajikistan and Ukraine, in German press spelling
// (Stepanawan, Sestaponi, Schtschutschinsk, Tschadyr-Lunga), gold-annotated in the
// ../shared/eval format (python3 ../shared/eval/run.py pipeline/testdata/gold/de-translit
// pipeline/testdata/gold/de-translit scores them too). A required place counts as found when a
// mention overlaps it and lies within 161 km of it (or names its country or area); the
// test fails below a recall of 0.95, and when a transliterated reading is taken
// where the gold has no place.
func TestTransliteratedArticles(t *testing.T) {
	g := gazettest.Load(t)
	golds, err := filepath.Glob("testdata/gold/de-translit/*.gold.json")
	if err != nil || len(golds) < 10 {
		t.Fatalf("gold files: %v (%d)", err, len(golds))
	}
	required, found, translit := 0, 0, 0
	for _, path := range golds {
		gf, a := readGold(t, path)
		d, err := pipeline.Geoparse(g, a)
		if err != nil {
			t.Fatalf("%s: %v", a.ID, err)
		}
		ms := d.Mentions
		for _, m := range ms {
			if m.Match != recognize.Transliterated {
				continue
			}
			translit++
			inGold := false
			for _, p := range gf.Places {
				if m.Start < p.End && p.Start < m.End {
					inGold = true
				}
			}
			if !inGold {
				t.Errorf("%s: %q read as the transliteration of %s (%s), but it is no place", a.ID, m.Text, m.Entry.Name, m.Entry.CountryCode)
			}
		}
		for _, p := range gf.Places {
			if p.Optional || p.Kind == "demonym" {
				continue
			}
			required++
			ok := false
			for _, m := range ms {
				if m.Demonym || m.Start >= p.End || p.Start >= m.End {
					continue
				}
				cc := p.CountryCode
				switch {
				case p.Kind == "country":
					ok = m.Entry.CountryCode == cc
				case p.Lat != nil:
					ok = goldKm(m.Entry.Lat, m.Entry.Lon, *p.Lat, *p.Lon) <= 161 || p.Area && m.Entry.Name == p.Name && m.Entry.CountryCode == cc
				}
			}
			if ok {
				found++
			} else {
				t.Logf("%s: missed %q at %d (%s)", a.ID, p.Text, p.Start, p.Name)
			}
		}
	}
	recall := float64(found) / float64(required)
	t.Logf("recall %.3f (%d of %d places), %d transliterated readings, over %d articles", recall, found, required, translit, len(golds))
	if recall < 0.95 {
		t.Errorf("recall %.3f below 0.95", recall)
	}
}

// A generated spelling is read only in articles of its language: the French Zougdidi
// and Joukovski in French, the German Sestaponi and Schukowski in German, neither in the
// other language.
func TestTransliterationLanguage(t *testing.T) {
	g := gazettest.Load(t)
	pub, _ := article.ParseDate("2024-05-10")
	tests := []struct {
		lang, body string
		want       map[string]string // text → country code, "" for not a place
	}{
		{"fr", "Les réfugiés sont arrivés à Zougdidi. Une usine a été touchée à Joukovski.", map[string]string{"Zougdidi": "GE", "Joukovski": "RU"}},
		{"de", "Die Flüchtlinge kamen in Sestaponi an. In Schukowski wurde eine Fabrik getroffen.", map[string]string{"Sestaponi": "GE", "Schukowski": "RU"}},
		{"de", "Die Flüchtlinge kamen in Zougdidi an. In Joukovski wurde eine Fabrik getroffen.", map[string]string{"Zougdidi": "", "Joukovski": ""}},
		{"fr", "Les réfugiés sont arrivés à Sestaponi. Une usine a été touchée à Schukowski.", map[string]string{"Sestaponi": "", "Schukowski": ""}},
	}
	for _, tt := range tests {
		a := &article.Article{ID: "t", Language: tt.lang, Published: pub, Body: tt.body}
		d, err := pipeline.Geoparse(g, a)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, m := range d.Mentions {
			got[m.Text] = m.Entry.CountryCode
			if m.Match != recognize.Transliterated && tt.want[m.Text] != "" {
				t.Errorf("%s: %q matched %s, want transliterated", tt.lang, m.Text, m.Match)
			}
		}
		for text, cc := range tt.want {
			if got[text] != cc {
				t.Errorf("%s: %q → %q, want %q", tt.lang, text, got[text], cc)
			}
		}
	}
}
