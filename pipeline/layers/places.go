package layers

import (
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"newsmap/geo/gazetteer"
	"newsmap/geo/schema"
)

// Shapes gives the outlines that the regions layer draws.
type Shapes interface {
	CountryShape(iso2 string) orb.Geometry
}

// Entries finds gazetteer entries by their stable id.
type Entries interface {
	ByID(id string) *gazetteer.Entry
}

func entryProps(p geojson.Properties, e *gazetteer.Entry) {
	p[schema.ID] = e.ID
	p[schema.Name] = e.Name
	p[schema.NameDE] = e.NameIn("de")
	p[schema.Names] = names(e)
	p[schema.Kind] = string(e.Kind)
	p[schema.CountryCode] = e.CountryCode
	if e.GeonamesID != 0 {
		p[schema.GeonamesID] = e.GeonamesID
	} else {
		p[schema.GeonamesID] = nil
	}
}

// placeIDs returns the keys of m in order.
func placeIDs(m map[string]*tally) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Places returns one Point per place mentioned (demonyms name people, not places; the
// corridors that journeys run along count as places), with mention counts and dates.
func (a *Aggregate) Places(g Entries) *geojson.FeatureCollection {
	merged := make(map[string]*tally, len(a.places)+len(a.journeys))
	for id, t := range a.places {
		merged[id] = t
	}
	for id, jt := range a.journeys {
		if t := merged[id]; t != nil {
			c := newTally()
			c.merge(t)
			c.merge(jt)
			merged[id] = c
		} else {
			merged[id] = jt
		}
	}
	fc := geojson.NewFeatureCollection()
	for _, id := range placeIDs(merged) {
		e := g.ByID(id)
		if e == nil {
			continue // a result from another gazetteer; the cache key prevents this
		}
		f := geojson.NewFeature(orb.Point{round6(e.Lon), round6(e.Lat)})
		f.ID = e.ID
		entryProps(f.Properties, e)
		f.Properties["geo_precision"] = GeoPrecision(e)
		merged[id].setProps(f.Properties)
		fc.Append(f)
	}
	return fc
}

// Regions returns the outlines of the countries and regions mentioned: country shapes
// from Natural Earth, and region or water outlines from the gazetteer where it has them.
func (a *Aggregate) Regions(g interface {
	Entries
	Shapes
}) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, id := range placeIDs(a.places) {
		e := g.ByID(id)
		if e == nil {
			continue
		}
		var geom orb.Geometry
		switch {
		case e.Kind == gazetteer.KindCountry:
			geom = g.CountryShape(e.CountryCode)
		case e.Geometry != nil:
			switch e.Geometry.(type) {
			case orb.Polygon, orb.MultiPolygon:
				geom = e.Geometry
			}
		}
		if geom == nil {
			continue
		}
		f := geojson.NewFeature(geom)
		f.ID = e.ID
		entryProps(f.Properties, e)
		a.places[id].setProps(f.Properties)
		fc.Append(f)
	}
	return fc
}

// names returns the entry's names by language for the names property: an object that
// is empty when no source tags the entry's names by language (most GeoNames places).
func names(e *gazetteer.Entry) map[string]string {
	out := make(map[string]string, len(e.Names))
	for k, v := range e.Names {
		out[k] = v
	}
	return out
}
