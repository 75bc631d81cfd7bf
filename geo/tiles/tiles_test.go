package tiles

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"newsmap/geo/layerstore"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const fixtures = "../layerstore/testdata/layers"

func store(t testing.TB) *layerstore.Store {
	t.Helper()
	s, err := layerstore.Open(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./geo/tiles -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestParseTile(t *testing.T) {
	tests := []struct {
		z, x, y string
		ok      bool
	}{
		{"0", "0", "0", true},
		{"6", "40", "24", true},
		{"22", "4194303", "4194303", true},
		{"23", "0", "0", false},
		{"1", "2", "0", false},
		{"1", "0", "2", false},
		{"-1", "0", "0", false},
		{"a", "0", "0", false},
		{"3", "", "0", false},
		{"3", "1.5", "0", false},
		{"99999999999", "0", "0", false},
	}
	for _, tt := range tests {
		_, err := ParseTile(tt.z, tt.x, tt.y)
		if tt.ok != (err == nil) || (err != nil && !errors.Is(err, ErrBadTile)) {
			t.Errorf("ParseTile(%s/%s/%s) err = %v", tt.z, tt.x, tt.y, err)
		}
	}
	if _, err := New(Options{}).Tile(nil, maptile.New(4, 0, 2)); !errors.Is(err, ErrBadTile) {
		t.Errorf("Tile out of range: err = %v", err)
	}
}

func TestTileJSONGolden(t *testing.T) {
	s := store(t)
	var docs []TileJSON
	for _, l := range s.Layers() {
		docs = append(docs, NewTileJSON(l, "http://example.test/"))
	}
	b, err := json.MarshalIndent(docs, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "tilejson.golden.json", append(b, '\n'))
	if docs[0].TileJSON != "3.0.0" || docs[0].Tiles[0] != "http://example.test/tiles/mentions/{z}/{x}/{y}.mvt" {
		t.Errorf("tilejson = %+v", docs[0])
	}
}

// describeTile decodes a gzipped tile into a stable text listing.
func describeTile(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("tile is not gzip: %v", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	layers, err := mvt.Unmarshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for _, l := range layers {
		fmt.Fprintf(&sb, "layer %s version %d extent %d features %d\n", l.Name, l.Version, l.Extent, len(l.Features))
		for _, f := range l.Features {
			g, _ := json.Marshal(f.Geometry)
			fmt.Fprintf(&sb, "  id %v %s %s\n", f.ID, f.Geometry.GeoJSONType(), g)
			keys := make([]string, 0, len(f.Properties))
			for k := range f.Properties {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				fmt.Fprintf(&sb, "    %s = %#v\n", k, f.Properties[k])
			}
		}
	}
	return sb.String()
}

// TestTileGolden renders z6 tile 40/24, which holds Stepanakert, Baku, the Lachin corridor
// and Karabakh (Yerevan lies in 39/24, Tbilisi in 40/23).
func TestTileGolden(t *testing.T) {
	s := store(t)
	r := New(Options{})
	tile, err := NewTile(6, 40, 24)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, name := range []string{"mentions", "routes", "regions"} {
		l, err := s.Layer(name)
		if err != nil {
			t.Fatal(err)
		}
		data, err := r.Tile(l, tile)
		if err != nil {
			t.Fatal(err)
		}
		out.WriteString(describeTile(t, data))
	}
	golden(t, "z6_40_24.golden.txt", []byte(out.String()))
	for _, want := range []string{"Stepanakert", "Baku", "Lachin corridor", "Nagorno-Karabakh"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("tile lacks %s", want)
		}
	}
	for _, absent := range []string{"Moscow", "Yerevan\"", "Tbilisi"} {
		if strings.Contains(out.String(), "name = \""+strings.Trim(absent, "\"")+"\"") {
			t.Errorf("tile holds %s", absent)
		}
	}
}

func TestTileEmptyAndCache(t *testing.T) {
	s := store(t)
	l, _ := s.Layer("mentions")
	r := New(Options{CacheEntries: 2})
	empty, _ := NewTile(3, 0, 0) // the Americas
	data, err := r.Tile(l, empty)
	if err != nil {
		t.Fatal(err)
	}
	if got := describeTile(t, data); got != "layer mentions version 2 extent 4096 features 0\n" {
		t.Errorf("empty tile = %q", got)
	}
	a, _ := NewTile(6, 40, 24)
	b, _ := NewTile(6, 39, 24)
	first, _ := r.Tile(l, a)
	again, _ := r.Tile(l, a)
	if &first[0] != &again[0] {
		t.Error("second request was not served from the cache")
	}
	r.Tile(l, b)
	r.Tile(l, empty)
	if n := r.cache.len(); n != 2 {
		t.Errorf("cache holds %d tiles, want at most 2", n)
	}
	if off := New(Options{CacheEntries: -1}); off.cache != nil {
		t.Error("negative CacheEntries did not turn the cache off")
	}
}

// TestTileDoesNotModifyLayer checks that projecting and clipping work on copies.
func TestTileDoesNotModifyLayer(t *testing.T) {
	s := store(t)
	l, _ := s.Layer("routes")
	before, _ := json.Marshal(l.Features())
	tile, _ := NewTile(8, 161, 97)
	if _, err := New(Options{}).Tile(l, tile); err != nil {
		t.Fatal(err)
	}
	after, _ := json.Marshal(l.Features())
	if !bytes.Equal(before, after) {
		t.Error("rendering changed the layer's features")
	}
}

func TestOrient(t *testing.T) {
	// A GeoJSON-style square with a hole, already in tile coordinates (y down): the
	// exterior must end up with a positive area (orb's CCW) and the hole negative.
	p := orb.Polygon{
		{{0, 10}, {10, 10}, {10, 0}, {0, 0}, {0, 10}},
		{{2, 2}, {8, 2}, {8, 8}, {2, 8}, {2, 2}},
	}
	orient(p)
	if p[0].Orientation() != orb.CCW || p[1].Orientation() != orb.CW {
		t.Errorf("orientations %v %v", p[0].Orientation(), p[1].Orientation())
	}
}
