package layers

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsmap/geo/gazetteer/gazettest"
	"newsmap/pipeline"
	"newsmap/pipeline/article"
	"newsmap/pipeline/resolve"
)

// testDocuments geoparses the project's articles, the test and regression articles and
// the gold sets: every language and many kinds of place.
func testDocuments(t testing.TB) []*pipeline.Document {
	t.Helper()
	g := gazettest.Load(t)
	var arts []*article.Article
	for _, dir := range []string{"../../data/articles", "../testdata", "../testdata/regression"} {
		as, errs := article.LoadDir(os.DirFS(dir))
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		arts = append(arts, as...)
	}
	golds, err := filepath.Glob("../testdata/gold/*/*.gold.json")
	if err != nil || len(golds) == 0 {
		t.Fatalf("no gold sets: %v", err)
	}
	for _, p := range golds {
		var gold struct{ Article, Language, Published string }
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &gold); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		body, err := os.ReadFile(filepath.Join(filepath.Dir(p), gold.Article))
		if err != nil {
			t.Fatal(err)
		}
		pub, err := article.ParseDate(gold.Published)
		if err != nil {
			t.Fatal(err)
		}
		arts = append(arts, &article.Article{ID: strings.TrimSuffix(gold.Article, ".txt"), Language: gold.Language,
			Published: pub, Body: string(body), Title: "Gold <" + gold.Article + "> & co", URL: "https://example.org/a?b=1&c=2"})
	}
	var docs []*pipeline.Document
	for _, a := range arts {
		d, err := pipeline.Geoparse(g, a)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	return docs
}

func checkSame(t *testing.T, d *pipeline.Document, m *pipeline.Mention) {
	t.Helper()
	want, err := MentionFeature(d, m).MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	got, err := AppendMention([]byte("prefix"), d, m)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got[len("prefix"):], want) {
		t.Errorf("%s: AppendMention\n%s\nwant (MentionFeature, encoding/json)\n%s", MentionID(d.Article.ID, m.Start), got[len("prefix"):], want)
	}
}

// TestAppendMentionMatchesMentionFeature: the direct encoder writes exactly what
// encoding/json makes of MentionFeature, for every mention of the test articles and
// for mentions whose fields hold what needs escaping or is optional.
func TestAppendMentionMatchesMentionFeature(t *testing.T) {
	docs := testDocuments(t)
	n := 0
	var withAlts, withDateEnd, withTimexValue int
	for _, d := range docs {
		for i := range d.Mentions {
			m := &d.Mentions[i]
			checkSame(t, d, m)
			n++
			if len(m.Alternatives) > 0 {
				withAlts++
			}
			if m.DateEnd != "" {
				withDateEnd++
			}
			if m.TimexValue != "" && m.TimexValue != m.Date {
				withTimexValue++
			}
		}
	}
	if n < 500 || withAlts == 0 || withDateEnd == 0 || withTimexValue == 0 {
		t.Errorf("%d mentions, %d with alternatives, %d with date_end, %d with timex_value: the test covers too little", n, withAlts, withDateEnd, withTimexValue)
	}

	// An Extractor keeps the encoded fields of the places it met from one article to
	// the next: the features are the same with them, and when it forgets them (a small
	// bound here: every few mentions).
	g := gazettest.Load(t)
	for _, limit := range []int{0, 3} {
		x := NewExtractor(g).Clone()
		x.enc.maxEntries = limit
		for range 2 { // the second time, every entry was met before
			for _, d := range docs {
				r, err := x.Extract(d)
				if err != nil {
					t.Fatal(err)
				}
				for i := range d.Mentions {
					want, err := MentionFeature(d, &d.Mentions[i]).MarshalJSON()
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(r.Mentions[i], want) {
						t.Fatalf("limit %d: %s: Extract\n%s\nwant\n%s", limit, MentionID(d.Article.ID, d.Mentions[i].Start), r.Mentions[i], want)
					}
				}
			}
		}
		if limit > 0 && len(x.enc.entries) > limit {
			t.Errorf("%d entries kept, limit %d", len(x.enc.entries), limit)
		}
	}

	// Fields that need escaping, and the optional ones.
	d := docs[0]
	a := *d.Article
	a.ID, a.Title, a.Source, a.URL = "id\"\\<>&\u2028", "Titel\t\n\r\b\f\x01\x7f <b>", "Quelle \xff\xfe ungültig", "https://x.org/?a=1&b=<2>"
	d2 := *d
	d2.Article = &a
	m := d.Mentions[0]
	e := *m.Entry
	e.Names = map[string]string{"fr": "É\u2029", "de": "Ä", "en": ""}
	e.GeonamesID = 0
	e.Lat, e.Lon = 1e-7, -179.9999999
	m.Entry = &e
	m.DateEnd, m.TimexValue, m.Timex = "2024-05-01", "2023-W38", "vergangene Woche"
	m.Confidence = 0.3333333
	m.Alternatives = []resolve.Alternative{{Entry: &e, Score: 2.71828}, {Entry: d.Mentions[0].Entry, Score: -1e-9}}
	checkSame(t, &d2, &m)
	m.Demonym = true
	m.Quote = ""
	checkSame(t, &d2, &m)

	m.Confidence = math.NaN()
	if _, err := AppendMention(nil, &d2, &m); err == nil {
		t.Error("NaN confidence encoded")
	}
}

func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "plain", `"quoted" \back\slash`, "<a href='x'>&amp;</a>", "tab\tnew\nline\rcr\bbs\fff",
		"\x00\x01\x1f\x7f", "Ärger über Straße, Erevan, Ереван, 東京", "\u2028\u2029", "bad \xff utf8 \xc3", "ends mid-rune \xe2\x82"} {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	f.Add("Bergkarabach <&> \u2028 \xff")
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	})
}

func TestAppendFloat(t *testing.T) {
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 46.7528, -179.999999, 1e-6, 9.99e-7, 1e20, 1e21, 123456789.123, 0.001} {
		want, _ := json.Marshal(f)
		if got := appendFloat(nil, f); !bytes.Equal(got, want) {
			t.Errorf("appendFloat(%v) = %s, want %s", f, got, want)
		}
	}
}
