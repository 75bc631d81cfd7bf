package tiles

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
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
	r.Tile(l, empty) // evicted by b, the third tile: rendered again
	if st := r.Stats(); st.Cache.Entries != 2 || st.Renders != 4 || st.Cache.Hits != 1 || st.Prepares != 1 {
		t.Errorf("Stats = %+v, want 2 tiles held, 4 renders, 1 hit, 1 prepared layer", st)
	}
	off := New(Options{CacheEntries: -1})
	off.Tile(l, a)
	off.Tile(l, a)
	if st := off.Stats(); st.Renders != 2 || st.Cache.Entries != 0 {
		t.Errorf("negative CacheEntries did not turn the cache off: %+v", st)
	}
}

// TestRenderBothEncodings checks that one rendering serves both encodings: the identity
// bytes are the gzip bytes decoded, and asking for either again renders nothing.
func TestRenderBothEncodings(t *testing.T) {
	l, _ := store(t).Layer("mentions")
	r := New(Options{})
	tile, _ := NewTile(6, 40, 24)
	e, err := r.Render(context.Background(), l, tile)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(e.Gzip))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	if !bytes.Equal(raw, e.MVT) || len(raw) == 0 {
		t.Errorf("gzip decodes to %d bytes, want the %d identity bytes", len(raw), len(e.MVT))
	}
	for range 3 {
		r.Render(context.Background(), l, tile)
		r.Tile(l, tile)
	}
	if st := r.Stats(); st.Renders != 1 || st.Cache.Hits != 6 {
		t.Errorf("Stats = %+v, want 1 render and 6 hits", st)
	}
}

// TestRenderOnce asks for one uncached tile from many goroutines at once: it is rendered
// once.
func TestRenderOnce(t *testing.T) {
	l := synthetic(t, 20000)
	r := New(Options{})
	tile, _ := NewTile(6, 40, 24)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if _, err := r.Render(context.Background(), l, tile); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if st := r.Stats(); st.Renders != 1 || st.Prepares != 1 || st.Cache.Hits+st.Cache.Shared != 15 {
		t.Errorf("Stats = %+v, want one render shared by 16 callers", st)
	}
}

// TestReloadDropsOldVersion renders a tile of two versions of a layer: the second
// version's preparation drops the first version's tables and tiles.
func TestReloadDropsOldVersion(t *testing.T) {
	r := New(Options{})
	tile, _ := NewTile(2, 2, 1) // holds the whole synthetic area
	for i, n := range []int{100, 200} {
		l := synthetic(t, n)
		e, err := r.Render(context.Background(), l, tile)
		if err != nil {
			t.Fatal(err)
		}
		layers, err := mvt.Unmarshal(e.MVT)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(layers[0].Features); got != n {
			t.Errorf("version %d: %d features, want %d", i, got, n)
		}
	}
	if st := r.Stats(); st.Cache.Entries != 1 || st.Prepares != 2 || r.prepared.Len() != 1 {
		t.Errorf("Stats = %+v, prepared %d; want only the new version kept", st, r.prepared.Len())
	}
}

// reference renders a tile the straightforward way, with orb's mvt package (BuildLayer):
// clone the features, project, clip, simplify, remove the empty, orient, marshal. The
// renderer must produce the same tile (TestMatchesReference).
func reference(r *Renderer, l *layerstore.Layer, t maptile.Tile) ([]byte, error) {
	frac := r.buffer / float64(r.extent)
	all := l.Features()
	var feats []*geojson.Feature
	for _, i := range l.Intersecting(t.Bound(frac)) {
		f := all[i]
		if f.Geometry == nil {
			continue
		}
		feats = append(feats, &geojson.Feature{ID: uint64(i + 1), Type: "Feature", Geometry: orb.Clone(f.Geometry), Properties: Flatten(f.Properties)})
	}
	layer := r.BuildLayer(l.Name(), t, feats)
	r.thin(layer)
	return mvt.Marshal(mvt.Layers{layer})
}

// TestMatchesReference compares the renderer's tiles with the reference rendering, decoded,
// for every fixture layer (points, lines, polygons) at every tile of zooms 0–9 that holds
// a feature, and for a dense synthetic layer, including a non-power-of-two extent.
func TestMatchesReference(t *testing.T) {
	s := store(t)
	check := func(r *Renderer, l *layerstore.Layer, tile maptile.Tile) {
		t.Helper()
		e, err := r.Render(context.Background(), l, tile)
		if err != nil {
			t.Fatal(err)
		}
		want, err := reference(r, l, tile)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := describeRaw(t, e.MVT), describeRaw(t, want); got != want {
			t.Fatalf("%s %d/%d/%d differs from the reference:\n%s\nwant:\n%s", l.Name(), tile.Z, tile.X, tile.Y, got, want)
		}
	}
	tiles := 0
	for _, opts := range []Options{{CacheEntries: -1}, {CacheEntries: -1, Extent: 1000, Buffer: 10}} {
		r := New(opts)
		for _, l := range s.Layers() {
			b, ok := l.Bound()
			if !ok {
				continue
			}
			for z := maptile.Zoom(0); z <= 9; z++ {
				minT, maxT := maptile.At(orb.Point{b.Min[0], b.Max[1]}, z), maptile.At(orb.Point{b.Max[0], b.Min[1]}, z)
				for x := minT.X; x <= maxT.X; x++ {
					for y := minT.Y; y <= maxT.Y; y++ {
						check(r, l, maptile.New(x, y, z))
						tiles++
					}
				}
			}
		}
		big := synthetic(t, 5000)
		for _, tile := range []maptile.Tile{maptile.New(0, 0, 0), maptile.New(10, 6, 4), maptile.New(40, 24, 6), maptile.New(325, 197, 9)} {
			check(r, big, tile)
		}
	}
	t.Logf("%d tiles compared", tiles)
}

// describeRaw decodes an MVT into a stable text listing (describeTile without the gzip).
func describeRaw(t *testing.T, raw []byte) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(raw)
	zw.Close()
	return describeTile(t, buf.Bytes())
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

// TestRenderFeaturesMatchesRender: a store that finds a tile's features itself
// (geo/postgis) renders the same tile as Render does from the whole layer.
func TestRenderFeaturesMatchesRender(t *testing.T) {
	s := store(t)
	r := New(Options{CacheEntries: -1})
	n := 0
	for _, l := range s.Layers() {
		b, ok := l.Bound()
		if !ok {
			continue
		}
		for z := maptile.Zoom(0); z <= 8; z++ {
			minT, maxT := maptile.At(orb.Point{b.Min[0], b.Max[1]}, z), maptile.At(orb.Point{b.Max[0], b.Min[1]}, z)
			for x := minT.X; x <= maxT.X; x++ {
				for y := minT.Y; y <= maxT.Y; y++ {
					tile := maptile.New(x, y, z)
					want, err := r.Render(context.Background(), l, tile)
					if err != nil {
						t.Fatal(err)
					}
					all := l.Features()
					var feats []*geojson.Feature
					for _, i := range l.Intersecting(r.TileBound(tile)) {
						if f := all[i]; f.Geometry != nil {
							feats = append(feats, &geojson.Feature{ID: uint64(i + 1), Type: "Feature", Geometry: orb.Clone(f.Geometry), Properties: Flatten(f.Properties)})
						}
					}
					got, err := r.RenderFeatures(l.Name(), tile, feats)
					if err != nil {
						t.Fatal(err)
					}
					if g, w := describeRaw(t, got.MVT), describeRaw(t, want.MVT); g != w {
						t.Fatalf("%s %d/%d/%d: RenderFeatures\n%s\nRender:\n%s", l.Name(), z, x, y, g, w)
					}
					n++
				}
			}
		}
	}
	if n < 20 {
		t.Fatalf("only %d tiles compared", n)
	}
}

// TestThinning: a tile with more points than MaxPoints draws at most MaxPoints of them,
// each standing for the points of its grid cell (point_count), together all the points
// the tile would draw; the fast renderer and the reference draw the same thinned tile;
// tiles within the bound are not thinned.
func TestThinning(t *testing.T) {
	l := synthetic(t, 5000)
	thin := New(Options{CacheEntries: -1, MaxPoints: 300})
	all := New(Options{CacheEntries: -1, MaxPoints: -1})
	thinned := 0
	for _, tile := range []maptile.Tile{maptile.New(0, 0, 0), maptile.New(2, 1, 2), maptile.New(40, 24, 6), maptile.New(325, 197, 9)} {
		full, err := all.Render(context.Background(), l, tile)
		if err != nil {
			t.Fatal(err)
		}
		e, err := thin.Render(context.Background(), l, tile)
		if err != nil {
			t.Fatal(err)
		}
		points := func(raw []byte) (n, total int) {
			layers, err := mvt.Unmarshal(raw)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range layers[0].Features {
				n++
				switch c := f.Properties[PointCount].(type) {
				case nil:
					total++
				case float64:
					total += int(c)
				default:
					t.Fatalf("point_count %T %v", c, c)
				}
			}
			return n, total
		}
		want, _ := points(full.MVT)
		n, total := points(e.MVT)
		if total != want {
			t.Errorf("%v: the %d points drawn stand for %d, want %d", tile, n, total, want)
		}
		switch {
		case want > 300 && (n > 300 || n == want):
			t.Errorf("%v: %d of %d points drawn, want at most 300", tile, n, want)
		case want <= 300 && n != want:
			t.Errorf("%v: %d of %d points drawn: a tile within the bound was thinned", tile, n, want)
		}
		if n < want {
			thinned++
		}
		ref, err := reference(thin, l, tile)
		if err != nil {
			t.Fatal(err)
		}
		if got, w := describeRaw(t, e.MVT), describeRaw(t, ref); got != w {
			t.Fatalf("%v: thinned tile differs from the reference:\n%s\nwant:\n%s", tile, got, w)
		}
	}
	if thinned < 2 {
		t.Errorf("%d tiles thinned, want the low zooms", thinned)
	}
}

func TestThinGrid(t *testing.T) {
	tests := []struct {
		name       string
		xs, ys, ws []float64
		max        int
		want       []int32
	}{
		{"within the bound", []float64{1, 2}, []float64{1, 2}, []float64{0, 0}, 2, nil},
		{"one cell, first of equals", []float64{0, 1, 2}, []float64{0, 1, 2}, []float64{0.5, 0.5, 0.5}, 1, []int32{3, 0, 0}},
		{"one cell, most prominent", []float64{0, 1, 2}, []float64{0, 1, 2}, []float64{0.2, 0.9, 0.5}, 1, []int32{0, 3, 0}},
		{"two cells of the finest grid", []float64{0, 1, 100, 101}, []float64{0, 1, 100, 101}, []float64{0, 1, 1, 0}, 2, []int32{0, 2, 2, 0}},
		{"negative coordinates in the buffer", []float64{-3, -1, 50}, []float64{-3, -1, 50}, []float64{0, 0, 0}, 2, []int32{2, 0, 1}},
	}
	for _, tt := range tests {
		got := thinGrid(tt.xs, tt.ys, tt.ws, tt.max)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: thinGrid = %v, want %v", tt.name, got, tt.want)
		}
	}
}
