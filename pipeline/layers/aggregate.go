package layers

import (
	"sort"

	"github.com/paulmach/orb/geojson"

	"newsmap/geo/schema"
)

// tally counts the mentions of one thing (a place, a route): how often, in which
// articles, written how, and on which dates.
type tally struct {
	count    int
	articles map[string]bool
	texts    map[string]int // written form → how often
	dates    map[string]bool
}

func newTally() *tally {
	return &tally{articles: map[string]bool{}, texts: map[string]int{}, dates: map[string]bool{}}
}

func (t *tally) add(articleID, text, date string) {
	t.count++
	t.articles[articleID] = true
	t.texts[text]++
	if date != "" {
		t.dates[date] = true
	}
}

// sortedDates returns the dates ordered by the start of their intervals (values that do
// not parse go last, in string order).
func (t *tally) sortedDates() []string {
	ds := keys(t.dates)
	start := func(v string) (int64, bool) {
		iv, err := schema.ParseValue(v)
		if err != nil {
			return 0, false
		}
		return iv.Start.Unix(), true
	}
	sort.SliceStable(ds, func(i, j int) bool {
		a, okA := start(ds[i])
		b, okB := start(ds[j])
		if okA != okB {
			return okA
		}
		if a != b {
			return a < b
		}
		return ds[i] < ds[j]
	})
	return ds
}

// lastDate returns the date whose interval ends last.
func lastDate(ds []string) string {
	best, bestEnd := "", int64(0)
	for _, v := range ds {
		iv, err := schema.ParseValue(v)
		if err != nil {
			continue
		}
		if e := iv.End.Unix(); best == "" || e > bestEnd {
			best, bestEnd = v, e
		}
	}
	return best
}

// setProps writes the tally's properties onto a feature.
func (t *tally) setProps(p geojson.Properties) {
	ds := t.sortedDates()
	p[schema.MentionCount] = t.count
	p[schema.ArticleCount] = len(t.articles)
	p[schema.Articles] = keys(t.articles)
	p[schema.Texts] = keys(t.texts)
	p[schema.Label] = t.label()
	p[schema.Dates] = ds
	if len(ds) > 0 {
		first, last := ds[0], lastDate(ds)
		p[schema.FirstDate], p[schema.LastDate] = first, last
		p[schema.Date] = first
		if last != first {
			p[schema.DateEnd] = last
		}
	}
}

// label is the most frequent written form: what readers of the articles call the place.
func (t *tally) label() string {
	best, n := "", 0
	for _, k := range keys(t.texts) {
		if t.texts[k] > n {
			best, n = k, t.texts[k]
		}
	}
	return best
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
