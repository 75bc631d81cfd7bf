package layers

import (
	"slices"
	"sort"

	"github.com/paulmach/orb/geojson"

	"newsmap/geo/schema"
)

// tally counts the mentions of one thing (a place, a route): how often, in which
// articles, written how, and on which dates. Its size grows with the distinct articles,
// forms and dates of the thing, not with the corpus.
type tally struct {
	count    int
	articles []string       // in the order added; an article added twice in a row is kept once
	texts    map[string]int // written form → how often
	labels   map[string]int // dictionary form → how often
	dates    map[string]bool
}

func newTally() *tally {
	return &tally{texts: map[string]int{}, labels: map[string]int{}, dates: map[string]bool{}}
}

// add counts one mention: its article, its written form, its dictionary form (label; the
// written form when empty) and its date.
func (t *tally) add(articleID, text, label, date string) {
	t.count++
	if n := len(t.articles); n == 0 || t.articles[n-1] != articleID {
		t.articles = append(t.articles, articleID)
	}
	t.texts[text]++
	if label == "" {
		label = text
	}
	t.labels[label]++
	if date != "" {
		t.dates[date] = true
	}
}

// merge adds the counts of o to t.
func (t *tally) merge(o *tally) {
	t.count += o.count
	t.articles = append(t.articles, o.articles...)
	for k, n := range o.texts {
		t.texts[k] += n
	}
	for k, n := range o.labels {
		t.labels[k] += n
	}
	for d := range o.dates {
		t.dates[d] = true
	}
}

// articleIDs returns the distinct article ids, sorted.
func (t *tally) articleIDs() []string {
	ids := append([]string(nil), t.articles...)
	sort.Strings(ids)
	return slices.Compact(ids)
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
	ids := t.articleIDs()
	p[schema.ArticleCount] = len(ids)
	p[schema.Articles] = ids
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

// label is the most frequent dictionary form: what readers of the articles call the
// place, spelt right and uninflected.
func (t *tally) label() string {
	best, n := "", 0
	for _, k := range keys(t.labels) {
		if t.labels[k] > n {
			best, n = k, t.labels[k]
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

// Aggregate assembles the places, routes, regions and review layers from article
// results added one at a time, keeping per-place (per-route) state only: its memory
// grows with the places mentioned, not with the articles or mentions.
type Aggregate struct {
	places   map[string]*tally // mentions of each place (not demonyms)
	journeys map[string]*tally // journeys along each corridor, counted as places
	routes   map[string]*routeTally
	review   *reviewAggregate
	mentions int
	articles int
}

type routeTally struct {
	hit RouteHit // the first mention: name, kind, ends and line
	*tally
}

// NewAggregate returns an empty aggregate whose review report keeps the places and
// examples opts allows.
func NewAggregate(opts ReviewOptions) *Aggregate {
	return &Aggregate{places: map[string]*tally{}, journeys: map[string]*tally{}, routes: map[string]*routeTally{},
		review: newReviewAggregate(opts)}
}

// Add counts one article's result. Results are added in article order.
func (a *Aggregate) Add(r *Result) {
	a.articles++
	a.mentions += len(r.Mentions)
	for _, h := range r.Places {
		m := a.places
		if h.Journey {
			m = a.journeys
		}
		t := m[h.PlaceID]
		if t == nil {
			t = newTally()
			m[h.PlaceID] = t
		}
		t.add(r.ArticleID, h.Text, h.Label, h.Date)
	}
	for _, h := range r.Routes {
		rt := a.routes[h.ID]
		if rt == nil {
			rt = &routeTally{hit: h, tally: newTally()}
			rt.hit.Text, rt.hit.Date = "", ""
			a.routes[h.ID] = rt
		}
		rt.add(r.ArticleID, h.Text, "", h.Date)
	}
	for i := range r.Review {
		a.review.add(&r.Review[i])
	}
}

// Routes returns the routes the articles mention: named corridors, and journeys written
// as "zwischen X und Y" / "from X to Y", drawn along a gazetteer corridor whose vertices
// lie near both ends, else as a straight line.
func (a *Aggregate) Routes() *geojson.FeatureCollection {
	ids := make([]string, 0, len(a.routes))
	for id := range a.routes {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	fc := geojson.NewFeatureCollection()
	for _, id := range ids {
		rt := a.routes[id]
		f := geojson.NewFeature(rt.hit.Line)
		f.ID = rt.hit.ID
		p := f.Properties
		p[schema.ID], p[schema.Name], p[schema.Kind], p[schema.GeometrySource] = rt.hit.ID, rt.hit.Name, rt.hit.Kind, rt.hit.Source
		if rt.hit.From != "" {
			p[schema.From], p[schema.To] = rt.hit.From, rt.hit.To
		}
		rt.setProps(p)
		fc.Append(f)
	}
	return fc
}

// Review returns the ranked, capped review report.
func (a *Aggregate) Review() *ReviewReport { return a.review.report() }
