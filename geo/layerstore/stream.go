package layerstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// collection is a FeatureCollection file split without decoding its features: where
// each feature's JSON is in the file, and its other members.
type collection struct {
	features [][2]int // [start, end) of each element of "features"
	extra    geojson.Properties
}

// splitCollection checks that data is a GeoJSON FeatureCollection and finds its
// features, with the errors a person can act on (describeJSON).
func splitCollection(data []byte) (collection, error) {
	var c collection
	if !json.Valid(data) {
		// The decoder's error says where and what: the same words as for any JSON.
		var v any
		err := json.Unmarshal(data, &v)
		if err == nil {
			err = errScan
		}
		return c, describeJSON(err)
	}
	i := skipSpace(data, 0)
	if data[i] != '{' {
		return c, describeJSON(&json.UnmarshalTypeError{Value: "array or value", Offset: int64(i), Field: "the top level (a FeatureCollection object)"})
	}
	typ := ""
	hasFeatures := false
	i++
	for {
		i = skipSpace(data, i)
		switch data[i] {
		case '}':
			if typ != "FeatureCollection" {
				return c, describeJSON(fmt.Errorf("geojson: not a feature collection: type=%s", typ))
			}
			return c, nil
		case ',':
			i++
			continue
		}
		kend, _ := skipValue(data, i) // valid JSON: a member's name, then ':'
		var key string
		if err := json.Unmarshal(data[i:kend], &key); err != nil {
			return c, describeJSON(err)
		}
		i = skipSpace(data, kend) + 1
		i = skipSpace(data, i)
		vend, err := skipValue(data, i)
		if err != nil {
			return c, describeJSON(err)
		}
		val := data[i:vend]
		switch key {
		case "type":
			if err := json.Unmarshal(val, &typ); err != nil {
				return c, describeJSONAt(err, int64(i))
			}
		case "features":
			if hasFeatures {
				c.features = nil // the last one counts, as for encoding/json
			}
			hasFeatures = true
			if c.features, err = splitArray(data, i, vend); err != nil {
				return c, err
			}
		case "bbox":
		default:
			var v any
			if err := json.Unmarshal(val, &v); err != nil {
				return c, describeJSONAt(err, int64(i))
			}
			if c.extra == nil {
				c.extra = geojson.Properties{}
			}
			c.extra[key] = v
		}
		i = vend
	}
}

// splitArray returns the spans of the elements of the array data[start:end] (or none for
// null).
func splitArray(data []byte, start, end int) ([][2]int, error) {
	if data[start] == 'n' { // null
		return nil, nil
	}
	if data[start] != '[' {
		return nil, describeJSON(&json.UnmarshalTypeError{Value: "value", Offset: int64(start), Field: "features (an array)"})
	}
	var out [][2]int
	i := start + 1
	for i < end {
		i = skipSpace(data, i)
		switch data[i] {
		case ']':
			return out, nil
		case ',':
			i++
			continue
		}
		e, err := skipValue(data, i)
		if err != nil {
			return nil, describeJSON(err)
		}
		out = append(out, [2]int{i, e})
		i = e
	}
	return out, nil
}

// describeJSONAt is describeJSON for an error in a piece of the file that starts at byte
// base: its offsets are made the file's.
func describeJSONAt(err error, base int64) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		c := *syn
		c.Offset += base
		err = &c
	case errors.As(err, &typ):
		c := *typ
		c.Offset += base
		err = &c
	}
	return describeJSON(err)
}

// part is what one worker of decodeFeatures makes of its chunk of features, in file
// order.
type part struct {
	meta      []featureMeta
	geoms     []orb.Geometry
	encoded   [][]byte
	types     map[string]string // JSON type of each property ("" for only nulls)
	nonScalar map[string]bool   // array properties with an element that is not a scalar
}

// decodeFeatures decodes the features at spans of data in parallel chunks, one feature
// at a time: each is kept as its metadata, its geometry and its encoding (encodeFeature),
// and the decoded feature is dropped. The encodings of a chunk share one exactly sized
// array.
func decodeFeatures(data []byte, spans [][2]int) ([]part, error) {
	workers := min(runtime.GOMAXPROCS(0), max(1, len(spans)/1024))
	chunk := (len(spans) + workers - 1) / max(workers, 1)
	parts := make([]part, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*chunk, min((w+1)*chunk, len(spans))
		if lo >= hi {
			continue
		}
		wg.Go(func() { parts[w], errs[w] = decodeChunk(data, spans, lo, hi) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return parts, nil
}

func decodeChunk(data []byte, spans [][2]int, lo, hi int) (part, error) {
	p := part{
		meta:      make([]featureMeta, 0, hi-lo),
		geoms:     make([]orb.Geometry, 0, hi-lo),
		types:     map[string]string{},
		nonScalar: map[string]bool{},
	}
	// The encodings are about as long as the file's features: one array of that size,
	// so that it does not grow by doubling (a large layer's chunk is hundreds of MB).
	size := 0
	for _, sp := range spans[lo:hi] {
		size += sp[1] - sp[0]
	}
	var buf bytes.Buffer
	buf.Grow(size + size/16)
	ends := make([]int, 0, hi-lo)
	for i := lo; i < hi; i++ {
		sp := spans[i]
		raw := data[sp[0]:sp[1]]
		if string(raw) == "null" {
			return p, fmt.Errorf("feature %d is null", i)
		}
		f, err := decodeFeature(raw)
		if err != nil {
			return p, describeJSONAt(err, int64(sp[0]))
		}
		m := newMeta(f)
		g := f.Geometry // kept even when empty (then not indexed: m.hasGeom is false)
		if err := encodeFeature(&buf, f, m.id); err != nil {
			return p, err
		}
		p.meta = append(p.meta, m)
		p.geoms = append(p.geoms, g)
		ends = append(ends, buf.Len())
		p.addTypes(f.Properties)
	}
	all := buf.Bytes()
	if cap(all)-len(all) > len(all)/8 {
		all = bytes.Clone(all) // much shorter than the file's text: the spare room goes
	}
	p.encoded = make([][]byte, len(ends))
	start := 0
	for k, end := range ends {
		p.encoded[k] = all[start:end:end]
		start = end
	}
	return p, nil
}

// addTypes records the JSON types of a feature's properties.
func (p *part) addTypes(props geojson.Properties) {
	for k, v := range props {
		if arr, isArr := v.([]any); isArr && !p.nonScalar[k] {
			for _, e := range arr {
				switch e.(type) {
				case string, float64, bool:
				default:
					p.nonScalar[k] = true
				}
			}
		}
		t := jsonType(v)
		if prev, seen := p.types[k]; seen {
			t = mergeType(prev, t)
		}
		p.types[k] = t
	}
}

// mergeType combines two JSON types of one property: "" (null) gives way to any type,
// integer and number make number, any other pair mixed.
func mergeType(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "" || a == b:
		return a
	case (a == "integer" && b == "number") || (a == "number" && b == "integer"):
		return "number"
	}
	return "mixed"
}

// featureJSON is the members of a GeoJSON Feature that a layer keeps; others are skipped.
type featureJSON struct {
	ID         any                `json:"id"`
	Type       string             `json:"type"`
	Geometry   *geojson.Geometry  `json:"geometry"`
	Properties geojson.Properties `json:"properties"`
}

// decodeFeature decodes one feature in one pass (orb's Feature.UnmarshalJSON reads the
// members as raw JSON first, then decodes each again: twice the work at load).
func decodeFeature(raw []byte) (*geojson.Feature, error) {
	var fj featureJSON
	if err := json.Unmarshal(raw, &fj); err != nil {
		return nil, err
	}
	if fj.Type != "Feature" {
		return nil, fmt.Errorf("geojson: not a feature: type=%s", fj.Type)
	}
	f := &geojson.Feature{ID: fj.ID, Type: fj.Type, Properties: fj.Properties}
	if fj.Geometry != nil {
		f.Geometry = fj.Geometry.Geometry()
	}
	return f, nil
}
