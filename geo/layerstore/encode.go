package layerstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"

	"github.com/paulmach/orb/geojson"
)

// encodedFeature is the GeoJSON form of a feature that FeatureJSON returns: the id as a
// string (the layer contract makes the feature id and the "id" property equal) and
// properties never null.
type encodedFeature struct {
	Type       string             `json:"type"`
	ID         string             `json:"id"`
	Geometry   *geojson.Geometry  `json:"geometry"`
	Properties geojson.Properties `json:"properties"`
}

// encodeFeature appends the encoding of f with id to buf, without HTML escaping and
// without a trailing newline. Property keys come out sorted (encoding/json's map order).
func encodeFeature(buf *bytes.Buffer, f *geojson.Feature, id string) error {
	out := encodedFeature{Type: "Feature", ID: id, Properties: f.Properties}
	if f.Geometry != nil {
		out.Geometry = geojson.NewGeometry(f.Geometry)
	}
	if out.Properties == nil {
		out.Properties = geojson.Properties{}
	}
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1) // the Encoder's newline
	return nil
}

// FeatureJSON returns the GeoJSON encoding of Features()[i], made once when the layer was
// loaded: {"type":"Feature","id":"...","geometry":...,"properties":{...}} with the id as a
// string, the properties sorted by key and never null, no HTML escaping and no trailing
// newline. A page of features is these bytes joined by commas. Each call returns a copy
// read from the layer's index (nil should its block be damaged); FeaturesJSON returns
// many without copying them.
func (l *Layer) FeatureJSON(i int) []byte {
	defer runtime.KeepAlive(l)
	p, err := l.ix.parts(i)
	if err != nil {
		return nil
	}
	return bytes.Clone(p.enc)
}

// WithFeatureJSON calls fn with FeatureJSON(i) without copying it: the bytes are valid
// during the call only, and must not be modified or kept (a reader that decodes them,
// such as a tile's properties, makes its own copies). A damaged block is an error.
func (l *Layer) WithFeatureJSON(i int, fn func(enc []byte) error) error {
	defer runtime.KeepAlive(l)
	p, err := l.ix.parts(i)
	if err != nil {
		return fmt.Errorf("layerstore: layer %s feature %d: %w", l.name, i, err)
	}
	return fn(p.enc)
}

// FeaturesJSON returns FeatureJSON of each position, without copying: the elements are
// shared with the layer's index and must not be modified. The returned slice keeps the
// index (and its mapping) alive for as long as it is reachable, whatever becomes of the
// Layer: use the elements through it (index it, range over it, keep it with them), not
// apart from it, and do not append to it (a grown copy would not keep the index). A
// damaged block gives a nil element.
func (l *Layer) FeaturesJSON(positions []int) [][]byte {
	defer runtime.KeepAlive(l)
	x := l.ix
	// One more element, past the length and capacity, holds the index's anchor: the
	// garbage collector scans the whole array, so the anchor lives as long as any slice
	// of it, and the mapping is released only after the anchor (see mapOpenIndex).
	out := make([][]byte, len(positions)+1)
	out[len(positions)] = x.anchor
	for k, i := range positions {
		if p, err := x.parts(i); err == nil {
			out[k] = p.enc
		}
	}
	return out[:len(positions):len(positions)]
}

// FeatureID returns the feature's id as a string: the feature id, else the "id" property;
// numbers in shortest form, other values as JSON.
func FeatureID(f *geojson.Feature) string { return featureID(f) }

// EncodeFeature returns the encoding of f that FeatureJSON returns for a loaded feature:
// for a store that reads features from elsewhere (geo/postgis) and must answer the same
// bytes.
func EncodeFeature(f *geojson.Feature) ([]byte, error) {
	var buf bytes.Buffer
	if err := encodeFeature(&buf, f, featureID(f)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
