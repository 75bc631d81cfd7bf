package tileset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/paulmach/orb/geojson"

	"newsmap/geo/layerstore"
)

// flatProperties returns the MVT-ready properties (tiles.Flatten's) of the i-th feature
// of l, read from its encoding (layerstore's FeatureJSON) without decoding the feature:
// each top-level value is taken as its JSON text, scalars converted as encoding/json
// converts them, arrays and objects kept as text. The text equals what Flatten gets
// from json.Marshal of the decoded value: the layer wrote it with encoding/json (compact,
// map keys sorted, the same number and string forms) except that it did not escape <, >
// and &, which json.HTMLEscape does here. A tile's features are drawn this way: it costs
// a fraction of a full decode, which also builds every nested map and slice.
func flatProperties(l *layerstore.Layer, i int) (geojson.Properties, error) {
	var f struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	// Read in place (RawMessage values are copies), not copied out of the layer first.
	if err := l.WithFeatureJSON(i, func(enc []byte) error { return json.Unmarshal(enc, &f) }); err != nil {
		return nil, fmt.Errorf("tileset: layer %s feature %d: %w", l.Name(), i, err)
	}
	out := make(geojson.Properties, len(f.Properties))
	for k, raw := range f.Properties {
		if len(raw) == 0 {
			continue
		}
		switch raw[0] {
		case 'n': // null: MVT has none, left out
		case 't', 'f':
			out[k] = raw[0] == 't'
		case '"':
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return nil, fmt.Errorf("tileset: layer %s feature %d property %s: %w", l.Name(), i, k, err)
			}
			out[k] = s
		case '[', '{':
			var b bytes.Buffer
			json.HTMLEscape(&b, raw)
			out[k] = b.String()
		default:
			v, err := strconv.ParseFloat(string(raw), 64)
			if err != nil {
				return nil, fmt.Errorf("tileset: layer %s feature %d property %s: %w", l.Name(), i, k, err)
			}
			out[k] = v
		}
	}
	return out, nil
}
