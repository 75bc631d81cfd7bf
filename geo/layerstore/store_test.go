package layerstore

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"newsmap/geo/schema"
)

const fixtures = "testdata/layers"

func openFixtures(t testing.TB) *Store {
	t.Helper()
	s, err := Open(fixtures)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func ids(fs []*geojson.Feature) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.ID.(string))
	}
	return out
}

func TestOpenCatalogue(t *testing.T) {
	s := openFixtures(t)
	var names []string
	for _, l := range s.Layers() {
		names = append(names, l.Name())
	}
	if want := []string{"mentions", "regions", "routes"}; !slices.Equal(names, want) {
		t.Fatalf("layers = %v, want %v (invalid names and other files are ignored)", names, want)
	}
	tests := []struct {
		name   string
		title  string
		count  int
		bound  orb.Bound
		extent schema.Interval
	}{
		{"mentions", "Place mentions", 5,
			orb.Bound{Min: orb.Point{37.6173, 39.8153}, Max: orb.Point{49.8671, 55.7558}},
			schema.Interval{Start: day("2021-01-11"), End: day("2023-09-26")}},
		{"routes", "Routes", 1,
			orb.Bound{Min: orb.Point{44.5126, 39.5}, Max: orb.Point{46.7519, 40.1811}},
			schema.Interval{Start: day("2023-09-24"), End: day("2023-09-26"), Granularity: schema.Day}},
		{"regions", "Regions", 1,
			orb.Bound{Min: orb.Point{46, 39.3}, Max: orb.Point{47.4, 40.3}},
			schema.Interval{Start: day("2023-09-24"), End: day("2023-09-25"), Granularity: schema.Day}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := s.Layer(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if l.Title() != tt.title || l.Count() != tt.count {
				t.Errorf("title, count = %q, %d; want %q, %d", l.Title(), l.Count(), tt.title, tt.count)
			}
			if b, ok := l.Bound(); !ok || b != tt.bound {
				t.Errorf("bound = %v %v, want %v", b, ok, tt.bound)
			}
			if iv, ok := l.TimeExtent(); !ok || !iv.Start.Equal(tt.extent.Start) || !iv.End.Equal(tt.extent.End) || iv.Granularity != tt.extent.Granularity {
				t.Errorf("extent = %+v %v, want %+v", iv, ok, tt.extent)
			}
			if len(l.Hash()) != 32 {
				t.Errorf("hash = %q", l.Hash())
			}
			raw, _ := os.ReadFile(filepath.Join(fixtures, tt.name+".geojson"))
			if got, err := l.GeoJSON(); err != nil || string(got) != string(raw) {
				t.Errorf("GeoJSON differs from the file (%v)", err)
			}
			fs := ids(l.Features())
			if !slices.IsSorted(fs) {
				t.Errorf("features not sorted by id: %v", fs)
			}
		})
	}
	l, _ := s.Layer("mentions")
	var fields []string
	for _, f := range l.Fields() {
		fields = append(fields, f.Name+":"+f.Type)
	}
	for _, want := range []string{"alternatives:array", "confidence:number", "date:string", "geonames_id:integer", "name:string"} {
		if !slices.Contains(fields, want) {
			t.Errorf("fields %v lack %s", fields, want)
		}
	}
}

func TestUnknownLayer(t *testing.T) {
	s := openFixtures(t)
	for _, name := range []string{"nope", "../mentions", "Mentions", "", "mentions.geojson", "not_a_layer"} {
		if _, err := s.Layer(name); !errors.Is(err, ErrUnknownLayer) {
			t.Errorf("Layer(%q) err = %v, want ErrUnknownLayer", name, err)
		}
		if _, err := s.Query(name, Query{}); !errors.Is(err, ErrUnknownLayer) {
			t.Errorf("Query(%q) err = %v, want ErrUnknownLayer", name, err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("Open of a missing folder succeeded")
	}
	dir := t.TempDir()
	copyFile(t, filepath.Join(fixtures, "routes.geojson"), filepath.Join(dir, "routes.geojson"))
	writeFile(t, filepath.Join(dir, "broken.geojson"), `{"type":"FeatureCollection","features":[{"type":"Feat`)
	writeFile(t, filepath.Join(dir, "nullfeature.geojson"), `{"type":"FeatureCollection","features":[null]}`)
	writeFile(t, filepath.Join(dir, "point.geojson"), `{"type":"Point","coordinates":[1,2]}`)
	s, err := Open(dir)
	if !errors.Is(err, ErrBadLayer) || s == nil {
		t.Fatalf("Open = %v, %v; want a store and ErrBadLayer", s, err)
	}
	for _, f := range []string{"broken.geojson", "nullfeature.geojson", "point.geojson"} {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not name %s", err, f)
		}
	}
	if n := len(s.Layers()); n != 1 {
		t.Errorf("%d layers, want only routes", n)
	}
	if n := len(s.Snapshot().Problems()); n != 3 {
		t.Errorf("%d problems, want 3", n)
	}
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, to, string(b))
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
