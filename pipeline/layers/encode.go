package layers

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"newsmap/pipeline"
)

// errNotFinite is a coordinate or score that JSON cannot hold (NaN, ±Inf).
var errNotFinite = errors.New("layers: number is not finite")

// AppendMention appends the GeoJSON Feature of one mention to b: byte for byte what
// encoding/json makes of MentionFeature (properties in key order, HTML-safe strings),
// written directly. A build encodes every mention once; building the feature's map of
// properties and encoding it by reflection cost as much as geoparsing the article.
func AppendMention(b []byte, d *pipeline.Document, m *pipeline.Mention) ([]byte, error) {
	a := d.Article
	e := m.Entry
	lon, lat := round6(e.Lon), round6(e.Lat)
	if !finite(lon) || !finite(lat) || !finite(m.Confidence) {
		return b, fmt.Errorf("%w: %s", errNotFinite, e.ID)
	}
	idStart := len(b) + len(`{"id":`)
	b = appendString(append(b, `{"id":`...), a.ID)
	b = append(b[:len(b)-1], ':')
	b = strconv.AppendInt(b, int64(m.Start), 10)
	b = append(b, '"')
	id := b[idStart:len(b):len(b)] // the encoded id, written again as a property
	b = append(b, `,"type":"Feature","geometry":{"type":"Point","coordinates":[`...)
	b = appendFloat(b, lon)
	b = append(b, ',')
	b = appendFloat(b, lat)
	b = append(b, `]},"properties":{"alternatives":[`...)
	for i, alt := range m.Alternatives {
		ae := alt.Entry
		alat, alon, score := round6(ae.Lat), round6(ae.Lon), math.Round(alt.Score*1000)/1000
		if !finite(alat) || !finite(alon) || !finite(score) {
			return b, fmt.Errorf("%w: %s", errNotFinite, ae.ID)
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(append(b, `{"country_code":`...), ae.CountryCode)
		b = appendFloat(append(b, `,"lat":`...), alat)
		b = appendFloat(append(b, `,"lon":`...), alon)
		b = appendString(append(b, `,"name":`...), ae.Name)
		b = appendString(append(b, `,"place_id":`...), ae.ID)
		b = appendFloat(append(b, `,"score":`...), score)
		b = append(b, '}')
	}
	b = appendString(append(b, `],"article_id":`...), a.ID)
	b = appendFloat(append(b, `,"confidence":`...), m.Confidence)
	b = appendString(append(b, `,"country_code":`...), e.CountryCode)
	b = appendString(append(b, `,"date":`...), m.Date)
	if m.DateEnd != "" {
		b = appendString(append(b, `,"date_end":`...), m.DateEnd)
	}
	b = appendString(append(b, `,"date_precision":`...), string(m.Precision))
	b = strconv.AppendInt(append(b, `,"end":`...), int64(m.End), 10)
	b = appendString(append(b, `,"geo_precision":`...), GeoPrecision(e))
	b = append(b, `,"geonames_id":`...)
	if e.GeonamesID != 0 {
		b = strconv.AppendInt(b, int64(e.GeonamesID), 10)
	} else {
		b = append(b, "null"...)
	}
	b = append(append(b, `,"id":`...), id...)
	b = appendString(append(b, `,"kind":`...), Kind(m))
	b = appendString(append(b, `,"match":`...), m.Match.String())
	b = appendString(append(b, `,"name":`...), e.Name)
	b = appendString(append(b, `,"name_de":`...), e.NameIn("de"))
	b = append(b, `,"names":{`...)
	langs := make([]string, 0, 8)
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
	b = appendString(append(b, `,"published":`...), a.PublishedDate())
	b = appendString(append(b, `,"quote":`...), m.Quote)
	b = strconv.AppendInt(append(b, `,"quote_start":`...), int64(m.QuoteStart), 10)
	b = appendString(append(b, `,"source":`...), a.Source)
	b = strconv.AppendInt(append(b, `,"start":`...), int64(m.Start), 10)
	b = appendString(append(b, `,"text":`...), m.Text)
	b = appendString(append(b, `,"timex":`...), m.Timex)
	if m.TimexValue != "" && m.TimexValue != m.Date {
		b = appendString(append(b, `,"timex_value":`...), m.TimexValue)
	}
	b = appendString(append(b, `,"title":`...), a.Title)
	b = appendString(append(b, `,"url":`...), a.URL)
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
