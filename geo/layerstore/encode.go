package layerstore

import (
	"bytes"
	"encoding/json"

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
// newline. A page of features is these bytes joined by commas. The slice is shared and
// must not be modified.
func (l *Layer) FeatureJSON(i int) []byte { return l.encoded[i] }

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
