package layers

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"newsmap/geo/gazetteer"
	"newsmap/pipeline"
	"newsmap/pipeline/article"
)

// errNotFinite is a coordinate or score that JSON cannot hold (NaN, ±Inf).
var errNotFinite = errors.New("layers: number is not finite")

// AppendMention appends the GeoJSON Feature of one mention to b: byte for byte what
// encoding/json makes of MentionFeature (properties in key order, HTML-safe strings),
// written directly. A build encodes every mention once; building the feature's map of
// properties and encoding it by reflection cost as much as geoparsing the article.
func AppendMention(b []byte, d *pipeline.Document, m *pipeline.Mention) ([]byte, error) {
	var enc mentionEncoder
	enc.setArticle(d.Article)
	return enc.append(b, m)
}

// mentionEncoder writes the mention features of one article after another, keeping
// what repeats: the article's fields, encoded once per article (every mention carries
// them), and the fields of the gazetteer entries met, encoded once per entry (a place
// is mentioned again and again across a corpus). It is not safe for concurrent use.
type mentionEncoder struct {
	// the article's fields as JSON strings, in one buffer: id, published, source,
	// title, url (see setArticle)
	art        []byte
	artEnds    [5]int
	entries    map[*gazetteer.Entry]*entryJSON
	maxEntries int // kept in entries; 0: maxEncodedEntries (smaller in tests)
}

// maxEncodedEntries bounds the entries whose fields an encoder keeps: past it, it
// forgets them all and starts again. 16,384 entries take a few MB.
const maxEncodedEntries = 1 << 14

// entryJSON is what a mention's feature holds of its entry, encoded: its point and
// the properties that depend on the entry alone, in key order, each part a slice of
// one buffer.
type entryJSON struct {
	buf []byte
	// buf[:coords] is "lon,lat"; then "country_code" as a JSON string up to cc;
	// ,"geo_precision":…,"geonames_id":… up to geo; ,"name":…,"name_de":…,"names":
	// {…},"place_id":… up to names; then the entry as an alternative, up to its
	// score: {"country_code":…,"lat":…,"lon":…,"name":…,"place_id":…,"score":
	coords, cc, geo, names int
}

const (
	artID = iota
	artPublished
	artSource
	artTitle
	artURL
)

// setArticle encodes the fields of the article whose mentions follow.
func (enc *mentionEncoder) setArticle(a *article.Article) {
	b := enc.art[:0]
	for i, s := range [...]string{a.ID, a.PublishedDate(), a.Source, a.Title, a.URL} {
		b = appendString(b, s)
		enc.artEnds[i] = len(b)
	}
	enc.art = b
}

// artField returns an encoded field of the article (artID …).
func (enc *mentionEncoder) artField(i int) []byte {
	start := 0
	if i > 0 {
		start = enc.artEnds[i-1]
	}
	return enc.art[start:enc.artEnds[i]]
}

// entry returns the encoded fields of e.
func (enc *mentionEncoder) entry(e *gazetteer.Entry) (*entryJSON, error) {
	if ej, ok := enc.entries[e]; ok {
		return ej, nil
	}
	lon, lat := round6(e.Lon), round6(e.Lat)
	if !finite(lon) || !finite(lat) {
		return nil, fmt.Errorf("%w: %s", errNotFinite, e.ID)
	}
	ej := &entryJSON{}
	b := make([]byte, 0, 256)
	b = appendFloat(b, lon)
	b = append(b, ',')
	b = appendFloat(b, lat)
	ej.coords = len(b)
	b = appendString(b, e.CountryCode)
	ej.cc = len(b)
	b = appendString(append(b, `,"geo_precision":`...), GeoPrecision(e))
	b = append(b, `,"geonames_id":`...)
	if e.GeonamesID != 0 {
		b = strconv.AppendInt(b, int64(e.GeonamesID), 10)
	} else {
		b = append(b, "null"...)
	}
	ej.geo = len(b)
	b = appendString(append(b, `,"name":`...), e.Name)
	b = appendString(append(b, `,"name_de":`...), e.NameIn("de"))
	b = append(b, `,"names":{`...)
	langs := make([]string, 0, len(e.Names))
	for k := range e.Names {
		langs = append(langs, k)
	}
	slices.Sort(langs)
	for i, k := range langs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendString(b, k), ':')
		b = appendString(b, e.Names[k])
	}
	b = appendString(append(b, `},"place_id":`...), e.ID)
	ej.names = len(b)
	// as an alternative: its point in the other order, rounded the same way
	b = appendString(append(b, `{"country_code":`...), e.CountryCode)
	b = appendFloat(append(b, `,"lat":`...), lat)
	b = appendFloat(append(b, `,"lon":`...), lon)
	b = appendString(append(b, `,"name":`...), e.Name)
	b = appendString(append(b, `,"place_id":`...), e.ID)
	b = append(b, `,"score":`...)
	ej.buf = b
	limit := enc.maxEntries
	if limit <= 0 {
		limit = maxEncodedEntries
	}
	if enc.entries == nil || len(enc.entries) >= limit {
		enc.entries = make(map[*gazetteer.Entry]*entryJSON)
	}
	enc.entries[e] = ej
	return ej, nil
}

// append appends the feature of m, a mention of the article of the last setArticle.
func (enc *mentionEncoder) append(b []byte, m *pipeline.Mention) ([]byte, error) {
	ej, err := enc.entry(m.Entry)
	if err != nil {
		return b, err
	}
	if !finite(m.Confidence) {
		return b, fmt.Errorf("%w: %s", errNotFinite, m.Entry.ID)
	}
	articleID := enc.artField(artID)
	idStart := len(b) + len(`{"id":`)
	b = append(append(b, `{"id":`...), articleID[:len(articleID)-1]...)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(m.Start), 10)
	b = append(b, '"')
	id := b[idStart:len(b):len(b)] // the encoded id, written again as a property
	b = append(b, `,"type":"Feature","geometry":{"type":"Point","coordinates":[`...)
	b = append(b, ej.buf[:ej.coords]...)
	b = append(b, `]},"properties":{"alternatives":[`...)
	for i, alt := range m.Alternatives {
		aj, err := enc.entry(alt.Entry)
		if err != nil {
			return b, err
		}
		score := math.Round(alt.Score*1000) / 1000
		if !finite(score) {
			return b, fmt.Errorf("%w: %s", errNotFinite, alt.Entry.ID)
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, aj.buf[aj.names:]...)
		b = appendFloat(b, score)
		b = append(b, '}')
	}
	b = append(append(b, `],"article_id":`...), articleID...)
	b = appendFloat(append(b, `,"confidence":`...), m.Confidence)
	b = append(append(b, `,"country_code":`...), ej.buf[ej.coords:ej.cc]...)
	b = appendString(append(b, `,"date":`...), m.Date)
	if m.DateEnd != "" {
		b = appendString(append(b, `,"date_end":`...), m.DateEnd)
	}
	b = appendString(append(b, `,"date_precision":`...), string(m.Precision))
	b = strconv.AppendInt(append(b, `,"end":`...), int64(m.End), 10)
	b = append(b, ej.buf[ej.cc:ej.geo]...)
	b = append(append(b, `,"id":`...), id...)
	b = appendString(append(b, `,"kind":`...), Kind(m))
	b = appendString(append(b, `,"match":`...), m.Match.String())
	b = append(b, ej.buf[ej.geo:ej.names]...)
	b = append(append(b, `,"published":`...), enc.artField(artPublished)...)
	b = appendString(append(b, `,"quote":`...), m.Quote)
	b = strconv.AppendInt(append(b, `,"quote_start":`...), int64(m.QuoteStart), 10)
	b = append(append(b, `,"source":`...), enc.artField(artSource)...)
	b = strconv.AppendInt(append(b, `,"start":`...), int64(m.Start), 10)
	b = appendString(append(b, `,"text":`...), m.Text)
	b = appendString(append(b, `,"timex":`...), m.Timex)
	if m.TimexValue != "" && m.TimexValue != m.Date {
		b = appendString(append(b, `,"timex_value":`...), m.TimexValue)
	}
	b = append(append(b, `,"title":`...), enc.artField(artTitle)...)
	b = append(append(b, `,"url":`...), enc.artField(artURL)...)
	return append(b, "}}"...), nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// appendFloat appends f as encoding/json writes a float64 (f must be finite).
func appendFloat(b []byte, f float64) []byte {
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		enc, _ := json.Marshal(f) // exponent form, rare in coordinates and scores
		return append(b, enc...)
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string as encoding/json writes it: HTML-safe
// (<, >, & as \u003c …), invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(append(b, s[start:i]...), `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(b, s[start:]...), '"')
}
