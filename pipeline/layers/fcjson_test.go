package layers

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"newsmap/geo/gazetteer/gazettest"
)

// TestMarshalLayer: the direct encoder writes what json.Marshal writes, for the layers
// of the test documents and for features that hold what the layers rarely or never
// hold (it hands those to json.Marshal).
func TestMarshalLayer(t *testing.T) {
	check := func(name string, fc *geojson.FeatureCollection, direct bool) {
		t.Helper()
		want, wantErr := json.Marshal(fc)
		got, err := marshalLayer(fc)
		if (err != nil) != (wantErr != nil) || !bytes.Equal(got, want) {
			t.Errorf("%s: marshalLayer\n%s (%v)\nwant\n%s (%v)", name, got, err, want, wantErr)
		}
		if _, ok := appendFeatureCollection(nil, fc); ok != direct {
			t.Errorf("%s: written directly: %v, want %v", name, ok, direct)
		}
	}
	set, err := Build(testDocuments(t), gazettest.Load(t))
	if err != nil {
		t.Fatal(err)
	}
	for name, fc := range map[string]*geojson.FeatureCollection{"places": set.Places, "routes": set.Routes, "regions": set.Regions, "mentions": set.Mentions} {
		if len(fc.Features) == 0 {
			t.Errorf("no %s", name)
		}
		check(name, fc, name != "mentions") // a mention's alternatives are []map[string]any
	}

	feature := func(g orb.Geometry, id any, props geojson.Properties) *geojson.FeatureCollection {
		f := geojson.NewFeature(g)
		f.ID = id
		f.Properties = props
		fc := geojson.NewFeatureCollection()
		return fc.Append(f)
	}
	check("empty", geojson.NewFeatureCollection(), true)
	check("nil features", &geojson.FeatureCollection{}, true)
	check("escapes", feature(orb.Point{1e-7, -179.9999999}, "a\"<&>\u2028\xff", geojson.Properties{
		"s": "Ä\t\n", "<k>": 1, "f": 0.5, "g": -1e21, "z": math.Copysign(0, -1), "b": true, "n": nil,
		"l": []string{"x", "<y>"}, "nl": []string(nil), "el": []string{}, "m": map[string]string{"de": "Ä", "a&b": ""},
		"nm": map[string]string(nil), "em": map[string]string{}}), true)
	check("int id, no properties", feature(orb.LineString{{1, 2}, {3, 4}}, 7, nil), true)
	check("empty properties", feature(orb.LineString{}, nil, geojson.Properties{}), true)
	check("nil line", feature(orb.LineString(nil), "x", geojson.Properties{"a": "b"}), true)
	check("polygon", feature(orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}, nil, {}}, "p", geojson.Properties{"a": 1}), true)
	check("multipolygon", feature(orb.MultiPolygon{{{{0, 0}, {1, 0}, {0, 0}}}, nil, {}}, "mp", geojson.Properties{"a": 1}), true)
	check("nil multipolygon", feature(orb.MultiPolygon(nil), "mp", geojson.Properties{"a": 1}), true)
	check("no geometry", feature(nil, "g", geojson.Properties{"a": 1}), true)
	// handed to json.Marshal
	check("other property type", feature(orb.Point{1, 2}, "x", geojson.Properties{"a": []int{1}}), false)
	check("other id type", feature(orb.Point{1, 2}, 1.5, geojson.Properties{"a": 1}), false)
	check("other geometry", feature(orb.MultiPoint{{1, 2}}, "x", geojson.Properties{"a": 1}), false)
	check("NaN property", feature(orb.Point{1, 2}, "x", geojson.Properties{"a": math.NaN()}), false)
	check("NaN coordinate", feature(orb.Point{math.NaN(), 2}, "x", geojson.Properties{"a": 1}), false)
	check("NaN in a polygon", feature(orb.MultiPolygon{{{{0, 0}, {math.Inf(1), 0}}}}, "x", nil), false)
	withBBox := feature(orb.Point{1, 2}, "x", nil)
	withBBox.Features[0].BBox = geojson.BBox{1, 2, 1, 2}
	check("bbox", withBBox, false)
	extra := feature(orb.Point{1, 2}, "x", nil)
	extra.ExtraMembers = geojson.Properties{"name": "layer"}
	check("extra members", extra, false)
}

// BenchmarkMarshalLayer: the places, routes and regions layers of the test documents.
func BenchmarkMarshalLayer(b *testing.B) {
	set, err := Build(testDocuments(b), gazettest.Load(b))
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		f    func(*geojson.FeatureCollection) ([]byte, error)
	}{{"direct", marshalLayer}, {"json", func(fc *geojson.FeatureCollection) ([]byte, error) { return json.Marshal(fc) }}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, fc := range []*geojson.FeatureCollection{set.Places, set.Routes, set.Regions} {
					if _, err := c.f(fc); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
