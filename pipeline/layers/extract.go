package layers

import (
	"encoding/json"
	"fmt"

	"github.com/paulmach/orb"

	"newsmap/geo/gazetteer"
	"newsmap/pipeline"
	"newsmap/pipeline/recognize"
)

// Result is what one article contributes to the layers. It depends on the article, the
// gazetteer and the code only, so a build computes it once per article and caches it;
// the layers are then assembled from the results in article order.
type Result struct {
	ArticleID string            `json:"article_id"`
	Mentions  []json.RawMessage `json:"mentions"` // one GeoJSON Feature per mention, encoded
	Places    []PlaceHit        `json:"places,omitempty"`
	Routes    []RouteHit        `json:"routes,omitempty"`
	Review    []ReviewItem      `json:"review,omitempty"`
}

// PlaceHit is one mention of a place (a gazetteer entry) for the places and regions
// layers.
type PlaceHit struct {
	PlaceID string `json:"place_id"`
	Text    string `json:"text"`
	// Label is the place's name in its dictionary form as the article's language
	// writes it (see labelOf); the places layer's label is the most frequent one.
	Label string `json:"label,omitempty"`
	Date  string `json:"date,omitempty"`
	// Journey marks a corridor that a journey ("zwischen A und B") runs along: it counts
	// as a mention of the corridor in the places layer, not in the regions layer.
	Journey bool `json:"journey,omitempty"`
}

// RouteHit is one mention of a route: a named corridor, or a journey between two places.
type RouteHit struct {
	ID     string         `json:"id"`
	Name   string         `json:"name"`
	Kind   string         `json:"kind"`   // corridor, route
	Source string         `json:"source"` // gazetteer, straight-line
	From   string         `json:"from,omitempty"`
	To     string         `json:"to,omitempty"`
	Line   orb.LineString `json:"line"`
	Text   string         `json:"text"`
	Date   string         `json:"date,omitempty"`
}

// Extractor computes articles' contributions to the layers; it holds what it needs of
// the gazetteer, read once, and the encoded fields of the places it has met. It is not
// safe for concurrent use: Clone gives each goroutine its own.
type Extractor struct {
	routes []*gazetteer.Entry
	enc    mentionEncoder
}

// Clone returns an extractor for the same gazetteer, for another goroutine.
func (x *Extractor) Clone() *Extractor { return &Extractor{routes: x.routes} }

// NewExtractor returns an extractor for the gazetteer's corridors.
func NewExtractor(corridors Corridors) *Extractor { return &Extractor{routes: corridors.Routes()} }

// Extract computes one article's contribution with a new Extractor; prefer
// Extractor.Extract for many articles.
func Extract(d *pipeline.Document, corridors Corridors) (*Result, error) {
	return NewExtractor(corridors).Extract(d)
}

// Extract computes an article's contribution to the layers.
func (x *Extractor) Extract(d *pipeline.Document) (*Result, error) {
	r := &Result{ArticleID: d.Article.ID, Mentions: make([]json.RawMessage, len(d.Mentions))}
	// The mentions are encoded one after the other into one buffer and sliced after.
	buf := make([]byte, 0, 1024*len(d.Mentions))
	ends := make([]int, len(d.Mentions))
	x.enc.setArticle(d.Article)
	for i := range d.Mentions {
		var err error
		if buf, err = x.enc.append(buf, &d.Mentions[i]); err != nil {
			return nil, fmt.Errorf("layers: encode mention %s: %w", MentionID(d.Article.ID, d.Mentions[i].Start), err)
		}
		ends[i] = len(buf)
	}
	start := 0
	for i, end := range ends {
		r.Mentions[i] = buf[start:end:end]
		start = end
	}
	for i := range d.Mentions {
		m := &d.Mentions[i]
		if m.Demonym {
			continue
		}
		r.Places = append(r.Places, PlaceHit{PlaceID: m.Entry.ID, Text: m.Text, Label: labelOf(m, d.Language.Code), Date: m.Date})
		if ls, ok := m.Entry.Geometry.(orb.LineString); ok {
			r.Routes = append(r.Routes, RouteHit{ID: m.Entry.ID, Name: m.Entry.Name, Kind: "corridor", Source: "gazetteer",
				Line: ls, Text: m.Text, Date: m.Date})
		}
	}
	for _, j := range journeys(d, x.routes) {
		if j.Corridor != nil {
			r.Places = append(r.Places, PlaceHit{PlaceID: j.Corridor.ID, Text: j.Corridor.Name, Label: nameIn(j.Corridor, d.Language.Code),
				Date: j.From.Date, Journey: true})
		}
		r.Routes = append(r.Routes, j.hit())
	}
	r.Review = reviewItems(d)
	return r, nil
}

// labelOf is the name readers see for a mention's place: the words as written when they
// are one of the entry's names (an exact match: "Stepanakert", "Eriwan"), else the
// entry's name in the article's language, else its canonical name. An inflected form
// ("kaspischen Meer", "Armeniens", "Südkaukasusregion") or a misspelt one ("Gori" for
// Goris) is never a label.
func labelOf(m *pipeline.Mention, code string) string {
	if m.Match == recognize.Exact {
		return m.Text
	}
	return nameIn(m.Entry, code)
}

// nameIn returns the entry's name in the language of code, or its canonical name.
func nameIn(e *gazetteer.Entry, code string) string {
	if n := e.NameIn(code); n != "" {
		return n
	}
	return e.Name
}
