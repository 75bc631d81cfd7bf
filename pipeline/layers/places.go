package layers

import (
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"newsmap/geo/gazetteer"
	"newsmap/geo/schema"
	"newsmap/pipeline"
)

// Shapes gives the outlines that the regions layer draws.
type Shapes interface {
	CountryShape(iso2 string) orb.Geometry
}

type placeTally struct {
	entry *gazetteer.Entry
	*tally
}

// tallyPlaces groups the mentions (not demonyms: those name people, not places) by
// gazetteer entry, and counts the corridors that journeys run along as places too.
func tallyPlaces(docs []*pipeline.Document, journeys []Journey) []*placeTally {
	byID := map[string]*placeTally{}
	var order []*placeTally
	add := func(e *gazetteer.Entry, articleID, text, date string) {
		pt := byID[e.ID]
		if pt == nil {
			pt = &placeTally{e, newTally()}
			byID[e.ID] = pt
			order = append(order, pt)
		}
		pt.add(articleID, text, date)
	}
	for _, d := range docs {
		for i := range d.Mentions {
			if m := &d.Mentions[i]; !m.Demonym {
				add(m.Entry, d.Article.ID, m.Text, m.Date)
			}
		}
	}
	for _, j := range journeys {
		if j.Corridor != nil {
			add(j.Corridor, j.Doc.Article.ID, j.Corridor.Name, j.From.Date)
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].entry.ID < order[j].entry.ID })
	return order
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

// Places returns one Point per place mentioned, with mention counts and dates.
func Places(docs []*pipeline.Document, corridors Corridors) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, pt := range tallyPlaces(docs, Journeys(docs, corridors)) {
		e := pt.entry
		f := geojson.NewFeature(orb.Point{round6(e.Lon), round6(e.Lat)})
		f.ID = e.ID
		entryProps(f.Properties, e)
		f.Properties["geo_precision"] = GeoPrecision(e)
		pt.setProps(f.Properties)
		fc.Append(f)
	}
	return fc
}

// Regions returns the outlines of the countries and regions mentioned: country shapes
// from Natural Earth, and region or water outlines from the gazetteer where it has them.
func Regions(docs []*pipeline.Document, shapes Shapes) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, pt := range tallyPlaces(docs, nil) {
		e := pt.entry
		var g orb.Geometry
		switch {
		case e.Kind == gazetteer.KindCountry:
			g = shapes.CountryShape(e.CountryCode)
		case e.Geometry != nil:
			switch e.Geometry.(type) {
			case orb.Polygon, orb.MultiPolygon:
				g = e.Geometry
			}
		}
		if g == nil {
			continue
		}
		f := geojson.NewFeature(g)
		f.ID = e.ID
		entryProps(f.Properties, e)
		pt.setProps(f.Properties)
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
