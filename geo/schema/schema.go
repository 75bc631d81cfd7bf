// Package schema is the contract of the layer files: the names of the layers and of
// their properties, which properties hold dates, how a date value reads as a time
// interval, and the rule that a feature's time runs from the start of its date to the
// end of its date_end. The pipeline writes the layers with these names, and the
// server, the tiles and the exports read them with the same names and the same rule.
//
// The package sits below both geo and pipeline and imports nothing of newsmap, so that
// a reader of layers (the server) does not link the writer (the geoparser), and a
// rename is one edit. docs/ARCHITECTURE.md describes each property.
package schema

// The layers newsmap builds, by file name without .geojson.
const (
	MentionsLayer = "mentions" // one Point per place mention
	PlacesLayer   = "places"   // one Point per distinct place
	RoutesLayer   = "routes"   // LineStrings: corridors and "from X to Y" journeys
	RegionsLayer  = "regions"  // outlines of the countries and regions mentioned
)

// Layers returns the names of the layers newsmap builds, in the order a reader lists
// them (a multi-layer export, a catalogue): mentions, places, routes, regions.
func Layers() []string { return []string{MentionsLayer, PlacesLayer, RoutesLayer, RegionsLayer} }

// LayerDescription describes one of the layers newsmap builds for a catalogue (OGC
// API, GeoPackage); it is "" for any other layer.
func LayerDescription(layer string) string {
	switch layer {
	case MentionsLayer:
		return "One point per place mention in a news article, dated by the article's temporal expressions."
	case PlacesLayer:
		return "One point per distinct place, with the articles and dates that mention it."
	case RoutesLayer:
		return "Routes and corridors named in the articles (lines)."
	case RegionsLayer:
		return "Countries, regions and bodies of water named in the articles (polygons)."
	}
	return ""
}

// Properties every layer has.
const (
	ID      = "id"       // string, equal to the feature id
	Date    = "date"     // ISO 8601 value at the precision known (see ParseValue)
	DateEnd = "date_end" // optional: the last value of the feature's time (see ParseSpan)
)

// Properties that name a place (mentions, places, regions; name also on routes).
const (
	Name   = "name"    // the gazetteer's canonical name
	NameDE = "name_de" // the German name; kept while readers still read it (see Names)
	Names  = "names"   // object of names by language code: {"de": …, "en": …, "fr": …}
	Label  = "label"   // places: the articles' most frequent word for it, in dictionary form
	Kind   = "kind"    // city, town, village, country, region, admin, water, route, …
	// The stable gazetteer id: gn:146970, cc:AM, cur:caspian-sea. It is the id of
	// places and regions and joins a mention to them.
	PlaceID      = "place_id"
	CountryCode  = "country_code"  // ISO 3166-1 alpha-2
	GeonamesID   = "geonames_id"   // integer or null
	GeoPrecision = "geo_precision" // point, city, admin, country
)

// Properties of a mention.
const (
	ArticleID     = "article_id"
	Title         = "title"
	Source        = "source"
	URL           = "url"
	Published     = "published" // the article's publication date
	Text          = "text"      // the words of the article that name the place
	Start         = "start"     // code point offsets of Text in the article body
	End           = "end"
	Quote         = "quote"       // the sentence
	QuoteStart    = "quote_start" // code point offset of Text inside Quote
	Match         = "match"       // exact, inflected, fuzzy
	Confidence    = "confidence"  // 0..1
	Alternatives  = "alternatives"
	DatePrecision = "date_precision" // the Granularity of Date
	Timex         = "timex"          // the expression the date came from ("" = publication)
	TimexValue    = "timex_value"    // that expression's full value when Date narrows it
)

// Keys of the objects in a mention's Alternatives (with Name, CountryCode and PlaceID).
const (
	Lat   = "lat"
	Lon   = "lon"
	Score = "score"
)

// Properties of places, routes and regions: what their mentions add up to.
const (
	MentionCount = "mention_count"
	ArticleCount = "article_count"
	Articles     = "articles" // article ids
	Texts        = "texts"    // distinct written forms
	Dates        = "dates"    // distinct mention dates, by start
	FirstDate    = "first_date"
	LastDate     = "last_date"
)

// Properties of routes.
const (
	From           = "from"
	To             = "to"
	GeometrySource = "geometry_source" // gazetteer or straight-line
)

// IsDate reports whether the property holds ISO 8601 values that ParseValue reads.
func IsDate(key string) bool {
	switch key {
	case Date, DateEnd, FirstDate, LastDate, Published:
		return true
	}
	return false
}

// SearchKeys returns the properties a place is found by: its names and the words the
// articles wrote for it, each a string, an array of strings or (Names) an object of
// strings.
func SearchKeys() []string { return []string{Name, NameDE, Names, Text, Texts} }

// Prominence ranks the features that may stand for others (the point drawn for a cell
// of a thinned tile, a group's representative): a place by how often it is mentioned,
// else a mention by its confidence; higher first, 0 for neither.
func Prominence(p map[string]any) float64 {
	if v, ok := p[MentionCount].(float64); ok {
		return 1 + v
	}
	if v, ok := p[Confidence].(float64); ok {
		return v
	}
	return 0
}
