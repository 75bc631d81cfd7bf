package layers

import (
	"math"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"newsmap/geo/gazetteer"
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

// Journey is a route an article describes: "zwischen A und B", "from A to B".
type Journey struct {
	Doc      *pipeline.Document
	From, To *pipeline.Mention
	Corridor *gazetteer.Entry // the named corridor the route runs along, or nil
	Line     orb.LineString   // along the corridor, else the straight line
}

// Text returns the words of the journey as written.
func (j *Journey) Text() string { return j.Doc.Text.Slice(j.From.Start, j.To.End) }

// hit is the journey as a route mention.
func (j *Journey) hit() RouteHit {
	a, b := j.From.Entry, j.To.Entry
	h := RouteHit{Kind: "route", From: a.Name, To: b.Name, Line: j.Line, Text: j.Text(), Date: j.From.Date}
	if j.Corridor != nil {
		h.ID, h.Name, h.Source = "route:"+j.Corridor.ID, j.Corridor.Name, "gazetteer"
		return h
	}
	ends := []string{a.ID, b.ID}
	sort.Strings(ends)
	h.ID, h.Name, h.Source = "route:"+ends[0]+"~"+ends[1], a.Name+" – "+b.Name, "straight-line"
	return h
}

// Journeys finds the routes the documents describe, in document order.
func Journeys(docs []*pipeline.Document, corridors Corridors) []Journey {
	var out []Journey
	routes := corridors.Routes()
	for _, d := range docs {
		out = append(out, journeys(d, routes)...)
	}
	return out
}

// journeys finds the routes one document describes, given the gazetteer's corridors.
func journeys(d *pipeline.Document, routes []*gazetteer.Entry) []Journey {
	var out []Journey
	for i := 0; i+1 < len(d.Mentions); i++ {
		a, b := &d.Mentions[i], &d.Mentions[i+1]
		if !isJourney(d, a, b) {
			continue
		}
		c, line := alongCorridor(a.Entry, b.Entry, routes)
		out = append(out, Journey{Doc: d, From: a, To: b, Corridor: c, Line: line})
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
