package tileset_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"newsmap/geo/layerstore"
	"newsmap/geo/layerstore/layertest"
	"newsmap/geo/tileset"
)

var update = flag.Bool("update", false, "rewrite the golden tile lists in testdata/golden")

// mixedProps are mention-like properties with everything the thinning reads: mention
// counts or confidences (prominence), single dates, date ranges and lists of dates, and
// nested values that the tiles carry as JSON text.
func mixedProps(i int, r *rand.Rand) string {
	s := fmt.Sprintf(`"name":"Ort %d","alternatives":[{"name":"Alt <%d>","score":%.2f}]`, i%97, i%7, r.Float64())
	switch i % 5 {
	case 0:
		s += fmt.Sprintf(`,"mention_count":%d`, r.IntN(40))
	case 1:
		s += fmt.Sprintf(`,"confidence":%.3f`, r.Float64())
	}
	switch i % 4 {
	case 0:
		s += fmt.Sprintf(`,"date":"2024-03-%02d"`, 1+r.IntN(6))
	case 1:
		s += fmt.Sprintf(`,"date":"2024-03","date_end":"2024-%02d"`, 4+r.IntN(2))
	case 2:
		s += fmt.Sprintf(`,"dates":["2024-03-%02d","2024-03-%02d"]`, 1+r.IntN(3), 4+r.IntN(3))
	}
	return s
}

// goldenCases are the pyramids whose tiles are pinned in testdata/golden: the renderer
// must keep drawing exactly these tiles (a change to them is a decision, made with
// -update and explained in the commit).
var goldenCases = []struct {
	name   string
	layers func(t *testing.T) []*layerstore.Layer
	opts   tileset.Options
}{
	{"fixture", fixture, tileset.Options{}},
	{"mixed", func(t *testing.T) []*layerstore.Layer {
		// Dense enough to be thinned by cell and by MaxPoints at low zooms, grouped
		// across dates where a tile still holds too many, plain at the deepest zoom.
		m := layertest.Layer(t, layertest.Spec{Name: "mentions", N: 3000, Seed: [2]uint64{7, 9},
			MinLon: 5, MinLat: 45, DLon: 10, DLat: 8, Props: mixedProps})
		return append(fixture(t)[1:], m) // regions and routes, then the points
	}, tileset.Options{MaxZoom: 9, AreaMaxZoom: 5, MaxPoints: 150}},
	{"budget", func(t *testing.T) []*layerstore.Layer {
		// One crowded spot whose tiles exceed a small byte budget: the cells grow, then
		// the points are grouped across dates.
		return []*layerstore.Layer{layertest.Layer(t, layertest.Spec{Name: "mentions", N: 2000, Seed: [2]uint64{3, 4},
			MinLon: 44.5, MinLat: 40.18, DLon: 0.01, DLat: 0.01, Props: mixedProps})}
	}, tileset.Options{MaxZoom: 12, MaxTileBytes: 40_000}},
	{"dates", func(t *testing.T) []*layerstore.Layer {
		// Fewer points allowed than there are date combinations: grouped across dates.
		return []*layerstore.Layer{layertest.Layer(t, layertest.Spec{Name: "mentions", N: 600, Seed: [2]uint64{5, 6},
			MinLon: 13.3, MinLat: 52.4, DLon: 0.2, DLat: 0.1, Props: mixedProps})}
	}, tileset.Options{MaxZoom: 10, MaxPoints: 8}},
}

// TestGolden compares every tile (z/x/y and the SHA-256 of its uncompressed MVT) with
// the golden list.
func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			tl, st := build(t, tc.layers(t), tc.opts)
			var got bytes.Buffer
			fmt.Fprintf(&got, "# tiles %d, thinned %d, largest %d bytes\n", st.Tiles, st.Thinned, st.MaxTileBytes)
			for _, x := range tl {
				zr, err := gzip.NewReader(bytes.NewReader(x.data))
				if err != nil {
					t.Fatal(err)
				}
				raw, err := io.ReadAll(zr)
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&got, "%d/%d/%d %x\n", x.z, x.x, x.y, sha256.Sum256(raw))
			}
			path := filepath.Join("testdata", "golden", tc.name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update to write it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				gl, wl := bytes.Split(got.Bytes(), []byte("\n")), bytes.Split(want, []byte("\n"))
				for i := range max(len(gl), len(wl)) {
					var g, w []byte
					if i < len(gl) {
						g = gl[i]
					}
					if i < len(wl) {
						w = wl[i]
					}
					if !bytes.Equal(g, w) {
						t.Fatalf("%s differs at line %d:\n got %s\nwant %s", path, i+1, g, w)
					}
				}
			}
		})
	}
}
