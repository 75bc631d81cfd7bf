package layers

import (
	"math"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"newsmap/geo/gazetteer"
	"newsmap/geo/schema"
	"newsmap/pipeline"
	"newsmap/pipeline/resolve"
)

// Corridors lists the named routes of the gazetteer (entries with a LineString).
type Corridors interface {
	Routes() []*gazetteer.Entry
}

// corridorSnapKm is how far a route's end may lie from a corridor's vertex for the
// route to be drawn along that corridor.
const corridorSnapKm = 40

// route words: "zwischen X und Y", "von X nach Y", "between X and Y", "from X to Y".
var (
	routeOpeners    = map[string]bool{"zwischen": true, "von": true, "vom": true, "between": true, "from": true}
	routeConnectors = map[string]bool{"und": true, "nach": true, "bis": true, "bis nach": true, "and": true, "to": true, "-": true, "–": true, "—": true}
)

type routeTally struct {
	id, name, kind, source string
	from, to               string
	line                   orb.LineString
	*tally
}

// Routes returns the routes the articles mention: named corridors, and journeys written
// as "zwischen X und Y" / "from X to Y", drawn along a gazetteer corridor whose vertices
// lie near both ends, else as a straight line.
func Routes(docs []*pipeline.Document, corridors Corridors) *geojson.FeatureCollection {
	byID := map[string]*routeTally{}
	get := func(rt *routeTally) *routeTally {
		if have := byID[rt.id]; have != nil {
			return have
		}
		rt.tally = newTally()
		byID[rt.id] = rt
		return rt
	}
	for _, d := range docs {
		for i := range d.Mentions {
			m := &d.Mentions[i]
			if ls, ok := m.Entry.Geometry.(orb.LineString); ok && !m.Demonym {
				rt := get(&routeTally{id: m.Entry.ID, name: m.Entry.Name, kind: "corridor", source: "gazetteer", line: ls})
				rt.add(d.Article.ID, m.Text, m.Date)
			}
		}
	}
	for _, j := range Journeys(docs, corridors) {
		rt := get(j.route())
		rt.add(j.Doc.Article.ID, j.Text(), j.From.Date)
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	fc := geojson.NewFeatureCollection()
	for _, id := range ids {
		rt := byID[id]
		f := geojson.NewFeature(rt.line)
		f.ID = rt.id
		p := f.Properties
		p[schema.ID], p[schema.Name], p[schema.Kind], p[schema.GeometrySource] = rt.id, rt.name, rt.kind, rt.source
		if rt.from != "" {
			p[schema.From], p[schema.To] = rt.from, rt.to
		}
		rt.setProps(p)
		fc.Append(f)
	}
	return fc
}

// Journey is a route an article describes: "zwischen A und B", "from A to B".
type Journey struct {
	Doc      *pipeline.Document
	From, To *pipeline.Mention
	Corridor *gazetteer.Entry // the named corridor the route runs along, or nil
	Line     orb.LineString   // along the corridor, else the straight line
}

// Text returns the words of the journey as written.
func (j *Journey) Text() string { return j.Doc.Text.Slice(j.From.Start, j.To.End) }

func (j *Journey) route() *routeTally {
	a, b := j.From.Entry, j.To.Entry
	if j.Corridor != nil {
		return &routeTally{id: "route:" + j.Corridor.ID, name: j.Corridor.Name, kind: "route", source: "gazetteer",
			from: a.Name, to: b.Name, line: j.Line}
	}
	ends := []string{a.ID, b.ID}
	sort.Strings(ends)
	return &routeTally{id: "route:" + ends[0] + "~" + ends[1], name: a.Name + " – " + b.Name, kind: "route",
		source: "straight-line", from: a.Name, to: b.Name, line: j.Line}
}

// Journeys finds the routes the documents describe, in document order.
func Journeys(docs []*pipeline.Document, corridors Corridors) []Journey {
	var out []Journey
	routes := corridors.Routes()
	for _, d := range docs {
		for i := 0; i+1 < len(d.Mentions); i++ {
			a, b := &d.Mentions[i], &d.Mentions[i+1]
			if !isJourney(d, a, b) {
				continue
			}
			c, line := alongCorridor(a.Entry, b.Entry, routes)
			out = append(out, Journey{Doc: d, From: a, To: b, Corridor: c, Line: line})
		}
	}
	return out
}

// isJourney reports whether two consecutive mentions of one sentence are the ends of a
// route: "zwischen A und B", "von A nach B", "between A and B", "from A to B".
func isJourney(d *pipeline.Document, a, b *pipeline.Mention) bool {
	if a.Sentence != b.Sentence || a.Demonym || b.Demonym || a.Entry == b.Entry ||
		!pointLike(a.Entry) || !pointLike(b.Entry) {
		return false
	}
	between := strings.ToLower(strings.Join(strings.Fields(d.Text.Slice(a.End, b.Start)), " "))
	if !routeConnectors[between] {
		return false
	}
	before := strings.Fields(strings.ToLower(d.Text.Slice(d.Sentences[a.Sentence].Start, a.Start)))
	return len(before) > 0 && routeOpeners[before[len(before)-1]]
}

func pointLike(e *gazetteer.Entry) bool {
	switch e.Kind {
	case gazetteer.KindCity, gazetteer.KindTown, gazetteer.KindVillage, gazetteer.KindFacility, gazetteer.KindAdmin, gazetteer.KindRegion:
		return true
	}
	return false
}

// alongCorridor returns the first corridor that passes near both a and b and the part of
// it between them, else nil and the straight line.
func alongCorridor(a, b *gazetteer.Entry, corridors []*gazetteer.Entry) (*gazetteer.Entry, orb.LineString) {
	for _, c := range corridors {
		ls, ok := c.Geometry.(orb.LineString)
		if !ok || len(ls) < 2 {
			continue
		}
		ia, da := nearestVertex(ls, a)
		ib, db := nearestVertex(ls, b)
		if da > corridorSnapKm || db > corridorSnapKm || ia == ib {
			continue
		}
		lo, hi := min(ia, ib), max(ia, ib)
		part := append(orb.LineString(nil), ls[lo:hi+1]...)
		if ia > ib {
			part.Reverse()
		}
		return c, part
	}
	return nil, orb.LineString{{round6(a.Lon), round6(a.Lat)}, {round6(b.Lon), round6(b.Lat)}}
}

func nearestVertex(ls orb.LineString, e *gazetteer.Entry) (int, float64) {
	best, bestD := -1, math.Inf(1)
	for i, p := range ls {
		if d := resolve.Distance(e.Lat, e.Lon, p.Lat(), p.Lon()); d < bestD {
			best, bestD = i, d
		}
	}
	return best, bestD
}
