package layerstore

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/paulmach/orb/geojson"
)

// TestFeatureJSON checks that every feature's encoded bytes decode to the feature: its id
// as a string, its geometry and its properties.
func TestFeatureJSON(t *testing.T) {
	s := openFixtures(t)
	for _, l := range s.Snapshot().Layers() {
		for i, f := range l.Features() {
			b := l.FeatureJSON(i)
			if bytes.HasSuffix(b, []byte("\n")) || !json.Valid(b) {
				t.Fatalf("%s %d: not one JSON value: %s", l.Name(), i, b)
			}
			var got struct {
				Type       string          `json:"type"`
				ID         string          `json:"id"`
				Geometry   json.RawMessage `json:"geometry"`
				Properties map[string]any  `json:"properties"`
			}
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if got.Type != "Feature" || got.ID != FeatureID(f) || got.Properties == nil {
				t.Errorf("%s %d: type %q id %q (want %q)", l.Name(), i, got.Type, got.ID, FeatureID(f))
			}
			if len(f.Properties) > 0 && !reflect.DeepEqual(map[string]any(f.Properties), got.Properties) {
				t.Errorf("%s %s: properties differ", l.Name(), got.ID)
			}
			wantGeom, _ := json.Marshal(geojson.NewGeometry(f.Geometry))
			if f.Geometry != nil && !jsonEqual(t, wantGeom, got.Geometry) {
				t.Errorf("%s %s: geometry %s, want %s", l.Name(), got.ID, got.Geometry, wantGeom)
			}
		}
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

func TestQueryPositions(t *testing.T) {
	s := openFixtures(t)
	l, err := s.Layer("mentions")
	if err != nil {
		t.Fatal(err)
	}
	res, err := l.Query(Query{Offset: 1, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Positions) != len(res.Features) {
		t.Fatalf("%d positions for %d features", len(res.Positions), len(res.Features))
	}
	all := l.Features()
	for k, i := range res.Positions {
		if FeatureID(all[i]) != FeatureID(res.Features[k]) {
			t.Errorf("position %d of match %d is another feature", i, k)
		}
	}
}

func TestFieldScalarItems(t *testing.T) {
	s := openFixtures(t)
	for _, l := range s.Snapshot().Layers() {
		for _, fd := range l.Fields() {
			if fd.ScalarItems && fd.Type != "array" {
				t.Errorf("%s.%s: ScalarItems on a %s", l.Name(), fd.Name, fd.Type)
			}
			if fd.Name == "alternatives" && fd.ScalarItems {
				t.Errorf("%s.alternatives holds objects but has ScalarItems", l.Name())
			}
			if fd.Name == "articles" && fd.Type == "array" && !fd.ScalarItems {
				t.Errorf("%s.articles holds strings but lacks ScalarItems", l.Name())
			}
		}
	}
}

// TestPropertyJSON checks the property scanner against a full decode, on every feature
// and property of the fixtures and on encodings with nested and escaped members.
func TestPropertyJSON(t *testing.T) {
	s := openFixtures(t)
	for _, l := range s.Layers() {
		for i := range l.Count() {
			f, err := l.FeatureAt(i)
			if err != nil {
				t.Fatal(err)
			}
			for _, fd := range l.Fields() {
				got, err := property(l.FeatureJSON(i), fd.Name)
				if err != nil {
					t.Fatalf("%s %d %s: %v", l.Name(), i, fd.Name, err)
				}
				if want := f.Properties[fd.Name]; !reflect.DeepEqual(got, want) {
					t.Errorf("%s %d %s = %#v, want %#v", l.Name(), i, fd.Name, got, want)
				}
			}
		}
	}
	enc := []byte(`{"type":"Feature","id":"a\"b","geometry":null,"properties":{"p":{"properties":{"x":1}},"q\u0022":"}\"]","r":[1,{"s":"t"}],"n":-1.5e3,"z":null,"b":true}}`)
	for key, want := range map[string]string{
		"p": `{"properties":{"x":1}}`, `q"`: `"}\"]"`, "r": `[1,{"s":"t"}]`, "n": "-1.5e3", "z": "null", "b": "true", "x": "", "s": "",
	} {
		got, err := propertyJSON(enc, key)
		if err != nil || string(got) != want {
			t.Errorf("propertyJSON(%q) = %q, %v; want %q", key, got, err, want)
		}
	}
	for _, bad := range []string{`{}`, `{"type":"Feature","properties":{"a":"unterminated}}`, `{"type":"Feature","geometry":null,"properties":{"a":}}`} {
		if _, err := propertyJSON([]byte(bad), "a"); err == nil {
			t.Errorf("propertyJSON(%s): no error", bad)
		}
	}
}
