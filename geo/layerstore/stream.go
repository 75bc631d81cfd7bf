package layerstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/paulmach/orb/geojson"
)

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

// addTypes records the JSON types of a feature's properties in types ("" for only
// nulls) and the array properties with an element that is not a scalar in nonScalar.
func addTypes(types map[string]string, nonScalar map[string]bool, props geojson.Properties) {
	for k, v := range props {
		if arr, isArr := v.([]any); isArr && !nonScalar[k] {
			for _, e := range arr {
				switch e.(type) {
				case string, float64, bool:
				default:
					nonScalar[k] = true
				}
			}
		}
		t := jsonType(v)
		if prev, seen := types[k]; seen {
			t = mergeType(prev, t)
		}
		types[k] = t
	}
}

// unixTime is the UTC time sec seconds and nsec nanoseconds after the Unix epoch.
func unixTime(sec int64, nsec uint32) time.Time { return time.Unix(sec, int64(nsec)).UTC() }

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
