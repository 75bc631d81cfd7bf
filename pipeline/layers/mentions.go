// Package layers assembles the GeoJSON layers from geoparsed documents: one Point per
// mention, one per place, LineStrings for routes and (Multi)Polygons for the countries and
// regions mentioned, plus a review report of the doubtful mentions.
package layers

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"newsmap/geo/gazetteer"
	"newsmap/geo/schema"
	"newsmap/pipeline"
	"newsmap/pipeline/recognize"
)

// MentionID is the stable id of a mention: its article's id and its start offset.
func MentionID(articleID string, start int) string { return fmt.Sprintf("%s:%d", articleID, start) }

// Kind returns the mention kind of a resolved mention: the entry's kind, or "demonym".
func Kind(m *pipeline.Mention) string {
	if m.Demonym {
		return "demonym"
	}
	return string(m.Entry.Kind)
}

// GeoPrecision tells how exact an entry's point is, as ACLED and GDELT let analysts filter.
func GeoPrecision(e *gazetteer.Entry) string {
	switch e.Kind {
	case gazetteer.KindCountry:
		return "country"
	case gazetteer.KindCity, gazetteer.KindTown, gazetteer.KindVillage:
		return "city"
	case gazetteer.KindFacility:
		return "point"
	}
	return "admin"
}

// MentionFeature returns the Point feature of one mention with all its properties.
func MentionFeature(d *pipeline.Document, m *pipeline.Mention) *geojson.Feature {
	a := d.Article
	e := m.Entry
	f := geojson.NewFeature(orb.Point{round6(e.Lon), round6(e.Lat)})
	id := MentionID(a.ID, m.Start)
	f.ID = id
	alts := make([]map[string]any, 0, len(m.Alternatives))
	for _, alt := range m.Alternatives {
		alts = append(alts, map[string]any{
			schema.Name: alt.Entry.Name, schema.CountryCode: alt.Entry.CountryCode,
			schema.Lat: round6(alt.Entry.Lat), schema.Lon: round6(alt.Entry.Lon),
			schema.Score: math.Round(alt.Score*1000) / 1000, schema.PlaceID: alt.Entry.ID,
		})
	}
	p := f.Properties
	p[schema.ID] = id
	p[schema.ArticleID] = a.ID
	p[schema.Title] = a.Title
	p[schema.Source] = a.Source
	p[schema.URL] = a.URL
	p[schema.Published] = a.PublishedDate()
	p[schema.Text] = m.Text
	p[schema.Start] = m.Start
	p[schema.End] = m.End
	p[schema.Quote] = m.Quote
	p[schema.QuoteStart] = m.QuoteStart
	p[schema.Kind] = Kind(m)
	p[schema.Name] = e.Name
	p[schema.NameDE] = e.NameIn("de")
	p[schema.Names] = names(e)
	p[schema.PlaceID] = e.ID
	if e.GeonamesID != 0 {
		p[schema.GeonamesID] = e.GeonamesID
	} else {
		p[schema.GeonamesID] = nil
	}
	p[schema.CountryCode] = e.CountryCode
	p[schema.GeoPrecision] = GeoPrecision(e)
	p[schema.Match] = m.Match.String()
	p[schema.Confidence] = m.Confidence
	p[schema.Alternatives] = alts
	p[schema.Date] = m.Date
	if m.DateEnd != "" {
		p[schema.DateEnd] = m.DateEnd
	}
	p[schema.DatePrecision] = string(m.Precision)
	p[schema.Timex] = m.Timex
	if m.TimexValue != "" && m.TimexValue != m.Date {
		p[schema.TimexValue] = m.TimexValue
	}
	return f
}

// Mentions returns the mention layer of the documents.
func Mentions(docs []*pipeline.Document) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, d := range docs {
		for i := range d.Mentions {
			fc.Append(MentionFeature(d, &d.Mentions[i]))
		}
	}
	return fc
}

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// isFuzzy reports whether the mention's name was a spelling slip.
func isFuzzy(m *pipeline.Mention) bool { return m.Match == recognize.Fuzzy }
