package layerstore

import (
	"errors"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"newsmap/geo/schema"
)

func bbox(s string) *orb.Bound {
	b, err := ParseBBox(s)
	if err != nil {
		panic(err)
	}
	return &b
}

func when(s string) *schema.Interval {
	iv, err := ParseDatetime(s)
	if err != nil {
		panic(err)
	}
	return &iv
}

func TestQuery(t *testing.T) {
	s := openFixtures(t)
	tests := []struct {
		name    string
		layer   string
		q       Query
		want    []string
		matched int
	}{
		{"all", "mentions", Query{}, []string{"a0:7", "a1:12", "a1:80", "a1:95", "a2:40"}, 5},
		{"bbox south caucasus", "mentions", Query{BBox: bbox("43,38,51,43")}, []string{"a1:12", "a1:80", "a1:95", "a2:40"}, 4},
		{"bbox moscow", "mentions", Query{BBox: bbox("37,55,38,56")}, []string{"a0:7"}, 1},
		{"bbox edge inclusive", "mentions", Query{BBox: bbox("37.6173,55.7558,40,60")}, []string{"a0:7"}, 1},
		{"bbox empty sea", "mentions", Query{BBox: bbox("-40,-10,-30,0")}, []string{}, 0},
		{"day", "mentions", Query{Time: when("2023-09-25")}, []string{"a1:12", "a1:95"}, 2},
		{"day in week", "mentions", Query{Time: when("2023-09-24")}, []string{"a1:80", "a2:40"}, 2},
		{"instant in hours", "mentions", Query{Time: when("2023-09-25T12:30:00Z")}, []string{"a1:12", "a1:95"}, 2},
		{"instant at end of hours", "mentions", Query{Time: when("2023-09-25T15:00:00Z")}, []string{"a1:12"}, 1},
		{"open start", "mentions", Query{Time: when("../2022-01-01")}, []string{"a0:7"}, 1},
		{"open end", "mentions", Query{Time: when("2023-09-25/..")}, []string{"a1:12", "a1:95"}, 2},
		{"open start, zero Start", "mentions", Query{Time: &schema.Interval{End: day("2021-01-12")}}, []string{"a0:7"}, 1},
		{"interval inclusive end", "mentions", Query{Time: when("2023-09-20/2023-09-24")}, []string{"a1:80", "a2:40"}, 2},
		{"week", "mentions", Query{Time: when("2023-W38")}, []string{"a1:80", "a2:40"}, 2},
		{"article", "mentions", Query{Article: "a1"}, []string{"a1:12", "a1:80", "a1:95"}, 3},
		{"q name_de case", "mentions", Query{Q: "ERIWAN"}, []string{"a1:12"}, 1},
		{"q substring", "mentions", Query{Q: "mosk"}, []string{"a0:7"}, 1},
		{"props", "mentions", Query{Props: map[string]string{"country_code": "AZ", "kind": "city"}}, []string{"a1:80", "a2:40"}, 2},
		{"props integer", "mentions", Query{Props: map[string]string{"geonames_id": "616052"}}, []string{"a1:12"}, 1},
		{"props float", "mentions", Query{Props: map[string]string{"confidence": "0.97"}}, []string{"a1:12"}, 1},
		{"props missing", "mentions", Query{Props: map[string]string{"nope": "x"}}, []string{}, 0},
		{"page", "mentions", Query{Limit: 2, Offset: 1}, []string{"a1:12", "a1:80"}, 5},
		{"page after bbox", "mentions", Query{BBox: bbox("43,38,51,43"), Limit: 1, Offset: 3}, []string{"a2:40"}, 4},
		{"offset past end", "mentions", Query{Offset: 9}, []string{}, 5},
		{"combined", "mentions", Query{BBox: bbox("43,38,51,43"), Time: when("2023-09-25"), Article: "a1", Q: "tif"}, []string{"a1:95"}, 1},
		{"route bbox hits bound", "routes", Query{BBox: bbox("45,39,45.5,39.6")}, []string{"route:lachin"}, 1},
		{"route articles", "routes", Query{Article: "a2"}, []string{"route:lachin"}, 1},
		{"route texts", "routes", Query{Q: "korridor"}, []string{"route:lachin"}, 1},
		{"route props array element", "routes", Query{Props: map[string]string{"articles": "a1"}}, []string{"route:lachin"}, 1},
		{"route date_end", "routes", Query{Time: when("2023-09-25T23:00:00Z")}, []string{"route:lachin"}, 1},
		{"region bbox inside polygon", "regions", Query{BBox: bbox("46.5,39.5,46.6,39.6")}, []string{"cur:karabakh"}, 1},
		{"region time outside", "regions", Query{Time: when("2023-09-25")}, []string{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Query(tt.layer, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(res.Features); !slices.Equal(got, tt.want) || res.NumberMatched != tt.matched {
				t.Errorf("got %v (%d matched), want %v (%d)", got, res.NumberMatched, tt.want, tt.matched)
			}
		})
	}
}

func TestQueryBad(t *testing.T) {
	s := openFixtures(t)
	for _, q := range []Query{
		{Limit: -1},
		{Offset: -1},
		{BBox: &orb.Bound{Min: orb.Point{0, 10}, Max: orb.Point{10, 0}}},
		{Time: &schema.Interval{Start: day("2023-01-02"), End: day("2023-01-01")}},
	} {
		if _, err := s.Query("mentions", q); !errors.Is(err, ErrBadQuery) {
			t.Errorf("Query(%+v) err = %v, want ErrBadQuery", q, err)
		}
	}
}

func TestIntersecting(t *testing.T) {
	l, err := openFixtures(t).Layer("mentions")
	if err != nil {
		t.Fatal(err)
	}
	got := l.Intersecting(*bbox("43,38,51,43"))
	var names []string
	for _, i := range got {
		names = append(names, l.Features()[i].ID.(string))
	}
	if want := []string{"a1:12", "a1:80", "a1:95", "a2:40"}; !slices.Equal(names, want) {
		t.Errorf("Intersecting = %v, want %v", names, want)
	}
}

func TestFeatureByID(t *testing.T) {
	l, err := openFixtures(t).Layer("mentions")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a0:7", "a1:95", "a2:40"} {
		if f, ok := l.Feature(id); !ok || f.ID != id {
			t.Errorf("Feature(%q) = %v, %v", id, f, ok)
		}
	}
	for _, id := range []string{"", "a1", "a9:1", "zzz"} {
		if f, ok := l.Feature(id); ok {
			t.Errorf("Feature(%q) = %v", id, f.ID)
		}
	}
}

// TestQueryBBoxSemantics: a bbox across the antimeridian is split in two, and a feature
// matches when its geometry, not only its bounding box, meets the box: the one query
// semantics of /api/layers and /ogc/.../items.
func TestQueryBBoxSemantics(t *testing.T) {
	l, err := parseLayer("t", []byte(`{"type":"FeatureCollection","features":[
{"type":"Feature","id":"east","geometry":{"type":"Point","coordinates":[179.5,0]},"properties":{"id":"east"}},
{"type":"Feature","id":"west","geometry":{"type":"Point","coordinates":[-179.5,0]},"properties":{"id":"west"}},
{"type":"Feature","id":"middle","geometry":{"type":"Point","coordinates":[0,0]},"properties":{"id":"middle"}},
{"type":"Feature","id":"diagonal","geometry":{"type":"LineString","coordinates":[[10,10],[20,20]]},"properties":{"id":"diagonal"}},
{"type":"Feature","id":"ring","geometry":{"type":"Polygon","coordinates":[[[30,30],[40,30],[40,40],[30,40],[30,30]],[[31,31],[39,31],[39,39],[31,39],[31,31]]]},"properties":{"id":"ring"}}
]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		bbox string
		want []string
	}{
		{"179,-1,-179,1", []string{"east", "west"}},
		{"170,-5,5,5", []string{"east", "middle", "west"}},
		{"-1,-1,1,1", []string{"middle"}},
		{"17,10,20,13", nil},                  // in the line's bounding box, beside the line
		{"14,14,16,16", []string{"diagonal"}}, // on the line
		{"34,34,36,36", nil},                  // in the polygon's hole
		{"29,34,31,36", []string{"ring"}},     // across its edge
		{"-180,-90,180,90", []string{"diagonal", "east", "middle", "ring", "west"}},
	} {
		b, err := ParseBBox(tc.bbox)
		if err != nil {
			t.Fatal(err)
		}
		res, err := l.Query(Query{BBox: &b})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range res.Features {
			got = append(got, FeatureID(f))
		}
		if !slices.Equal(got, tc.want) || res.NumberMatched != len(tc.want) {
			t.Errorf("bbox %s: %v (%d matched), want %v", tc.bbox, got, res.NumberMatched, tc.want)
		}
	}
}

// TestQueryNames: Q finds a place by its name in any language (the names object).
func TestQueryNames(t *testing.T) {
	l, err := parseLayer("places", []byte(`{"type":"FeatureCollection","features":[
		{"type":"Feature","id":"gn:616052","geometry":{"type":"Point","coordinates":[44.51,40.18]},
		 "properties":{"name":"Yerevan","name_de":"Eriwan","names":{"de":"Eriwan","en":"Yerevan","fr":"Erevan"}}},
		{"type":"Feature","id":"gn:587084","geometry":{"type":"Point","coordinates":[49.89,40.38]},
		 "properties":{"name":"Baku","names":{"fr":"Bakou"}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{"erevan": "gn:616052", "BAKOU": "gn:587084", "eriwan": "gn:616052"} {
		res, err := l.Query(Query{Q: q})
		if err != nil || len(res.Features) != 1 || res.Features[0].ID != want {
			t.Errorf("Q %q: %d features, %v; want %s", q, len(res.Features), err, want)
		}
	}
}
