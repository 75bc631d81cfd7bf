package layers

import (
	"encoding/json"
	"slices"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// marshalLayer encodes a feature collection as json.Marshal does (through orb's
// MarshalJSON methods), byte for byte: directly for the geometries and property values
// the layers hold, by json.Marshal for anything else. The places layer of a large
// corpus lists every article of each place, and the regions layer holds country
// outlines; by reflection, and with encoding/json scanning again what each feature's
// MarshalJSON returned, they cost a build as much as thousands of articles.
func marshalLayer(fc *geojson.FeatureCollection) ([]byte, error) {
	if b, ok := appendFeatureCollection(nil, fc); ok {
		return b, nil
	}
	return json.Marshal(fc)
}

// appendFeatureCollection appends fc's JSON to b, or reports false when fc holds what
// it does not write (extra members, a bounding box, another geometry type, a number
// that is not finite, a property value of another type).
func appendFeatureCollection(b []byte, fc *geojson.FeatureCollection) ([]byte, bool) {
	if len(fc.ExtraMembers) > 0 || fc.BBox != nil {
		return b, false
	}
	b = append(b, `{"features":[`...)
	for i, f := range fc.Features {
		if i > 0 {
			b = append(b, ',')
		}
		var ok bool
		if b, ok = appendFeature(b, f); !ok {
			return b, false
		}
	}
	return append(b, `],"type":"FeatureCollection"}`...), true
}

func appendFeature(b []byte, f *geojson.Feature) ([]byte, bool) {
	if f == nil || len(f.ExtraMembers) > 0 || len(f.BBox) > 0 {
		return b, false
	}
	b = append(b, '{')
	switch id := f.ID.(type) {
	case nil:
	case string:
		b = appendString(append(b, `"id":`...), id)
		b = append(b, ',')
	case int:
		b = strconv.AppendInt(append(b, `"id":`...), int64(id), 10)
		b = append(b, ',')
	default:
		return b, false
	}
	b = append(b, `"type":"Feature","geometry":`...)
	var ok bool
	if b, ok = appendGeometry(b, f.Geometry); !ok {
		return b, false
	}
	b = append(b, `,"properties":`...)
	if len(f.Properties) == 0 {
		// orb writes an empty object as null, and a nil map is null
		b = append(b, "null"...)
	} else if b, ok = appendProperties(b, f.Properties); !ok {
		return b, false
	}
	return append(b, '}'), true
}

func appendGeometry(b []byte, g orb.Geometry) ([]byte, bool) {
	ok := true
	switch g := g.(type) {
	case nil:
		return append(b, "null"...), true
	case orb.Point:
		b = append(b, `{"type":"Point","coordinates":`...)
		b, ok = appendPoint(b, g)
	case orb.LineString:
		b = append(b, `{"type":"LineString","coordinates":`...)
		b, ok = appendPoints(b, g)
	case orb.Polygon:
		b = append(b, `{"type":"Polygon","coordinates":`...)
		b, ok = appendPolygon(b, g)
	case orb.MultiPolygon:
		b = append(b, `{"type":"MultiPolygon","coordinates":`...)
		if g == nil {
			b = append(b, "null"...)
			break
		}
		b = append(b, '[')
		for i, p := range g {
			if i > 0 {
				b = append(b, ',')
			}
			if b, ok = appendPolygon(b, p); !ok {
				break
			}
		}
		b = append(b, ']')
	default:
		return b, false
	}
	return append(b, '}'), ok
}

func appendPoint(b []byte, p orb.Point) ([]byte, bool) {
	if !finite(p[0]) || !finite(p[1]) {
		return b, false
	}
	b = appendFloat(append(b, '['), p[0])
	b = appendFloat(append(b, ','), p[1])
	return append(b, ']'), true
}

// appendPoints writes a LineString or a Ring: null when nil, as encoding/json does.
func appendPoints[S ~[]orb.Point](b []byte, ps S) ([]byte, bool) {
	if ps == nil {
		return append(b, "null"...), true
	}
	b = append(b, '[')
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		var ok bool
		if b, ok = appendPoint(b, p); !ok {
			return b, false
		}
	}
	return append(b, ']'), true
}

func appendPolygon(b []byte, p orb.Polygon) ([]byte, bool) {
	if p == nil {
		return append(b, "null"...), true
	}
	b = append(b, '[')
	for i, r := range p {
		if i > 0 {
			b = append(b, ',')
		}
		var ok bool
		if b, ok = appendPoints(b, r); !ok {
			return b, false
		}
	}
	return append(b, ']'), true
}

// appendProperties writes a non-empty property map with its keys in order, as
// encoding/json writes a map.
func appendProperties(b []byte, p geojson.Properties) ([]byte, bool) {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendString(b, k), ':')
		switch v := p[k].(type) {
		case nil:
			b = append(b, "null"...)
		case string:
			b = appendString(b, v)
		case int:
			b = strconv.AppendInt(b, int64(v), 10)
		case float64:
			if !finite(v) {
				return b, false
			}
			b = appendFloat(b, v)
		case bool:
			b = strconv.AppendBool(b, v)
		case []string:
			if v == nil {
				b = append(b, "null"...)
				continue
			}
			b = append(b, '[')
			for j, s := range v {
				if j > 0 {
					b = append(b, ',')
				}
				b = appendString(b, s)
			}
			b = append(b, ']')
		case map[string]string:
			if v == nil {
				b = append(b, "null"...)
				continue
			}
			ks := make([]string, 0, len(v))
			for k := range v {
				ks = append(ks, k)
			}
			slices.Sort(ks)
			b = append(b, '{')
			for j, k := range ks {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(appendString(b, k), ':')
				b = appendString(b, v[k])
			}
			b = append(b, '}')
		default:
			return b, false
		}
	}
	return append(b, '}'), true
}
