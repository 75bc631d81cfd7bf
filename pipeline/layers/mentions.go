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
			"name": alt.Entry.Name, "country_code": alt.Entry.CountryCode,
			"lat": round6(alt.Entry.Lat), "lon": round6(alt.Entry.Lon),
			"score": math.Round(alt.Score*1000) / 1000, "place_id": alt.Entry.ID,
		})
	}
	p := f.Properties
	p["id"] = id
	p["article_id"] = a.ID
	p["title"] = a.Title
	p["source"] = a.Source
	p["url"] = a.URL
	p["published"] = a.PublishedDate()
	p["text"] = m.Text
	p["start"] = m.Start
	p["end"] = m.End
	p["quote"] = m.Quote
	p["quote_start"] = m.QuoteStart
	p["kind"] = Kind(m)
	p["name"] = e.Name
	p["name_de"] = e.NameDE
	p["place_id"] = e.ID
	if e.GeonamesID != 0 {
		p["geonames_id"] = e.GeonamesID
	} else {
		p["geonames_id"] = nil
	}
	p["country_code"] = e.CountryCode
	p["geo_precision"] = GeoPrecision(e)
	p["match"] = m.Match.String()
	p["confidence"] = m.Confidence
	p["alternatives"] = alts
	p["date"] = m.Date
	if m.DateEnd != "" {
		p["date_end"] = m.DateEnd
	}
	p["date_precision"] = string(m.Precision)
	p["timex"] = m.Timex
	if m.TimexValue != "" && m.TimexValue != m.Date {
		p["timex_value"] = m.TimexValue
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
