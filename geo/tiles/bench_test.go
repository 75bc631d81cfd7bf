package tiles

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb/maptile"

	"newsmap/geo/layerstore"
	"newsmap/geo/layerstore/layertest"
)

// synthetic opens a layer of n points with distinct ids and names (many distinct tag
// values, the case that makes a linear-scan encoder quadratic), dense around the South
// Caucasus.
func synthetic(b testing.TB, n int) *layerstore.Layer {
	b.Helper()
	return layertest.Layer(b, layertest.Spec{N: n, Seed: [2]uint64{1, 2}, MinLon: 38, MinLat: 36, DLon: 14, DLat: 8,
		Props: func(i int, r *rand.Rand) string {
			return fmt.Sprintf(`"name":"Place %d","confidence":%.4f,"articles":["a%d"],"date":"2023-09-%02d"`, i, r.Float64(), i%500, 1+i%28)
		}})
}

func benchTile(b *testing.B, z, x, y int) {
	l := synthetic(b, 50000)
	r := New(Options{CacheEntries: -1})
	t, err := NewTile(z, x, y)
	if err != nil {
		b.Fatal(err)
	}
	data, err := r.Tile(l, t)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Tile(l, t); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(l.Intersecting(t.Bound()))), "features")
	b.ReportMetric(float64(len(data)), "gzbytes")
}

// BenchmarkTileZ6 renders 6/40/24 (east of the South Caucasus box) uncached.
func BenchmarkTileZ6(b *testing.B) { benchTile(b, 6, 40, 24) }

// BenchmarkTileZ4 renders 4/10/6, which holds most of the 50k points.
func BenchmarkTileZ4(b *testing.B) { benchTile(b, 4, 10, 6) }

func BenchmarkTileCached(b *testing.B) {
	l := synthetic(b, 50000)
	r := New(Options{})
	t := maptile.New(40, 24, 6)
	if _, err := r.Tile(l, t); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Tile(l, t); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTileDistinctValues renders one tile holding n features that each carry
// distinct property values. ns/feature staying flat as n grows shows the encoder's
// key/value tables are hashed, not scanned (orb's mvt keeps a map per layer).
func BenchmarkTileDistinctValues(b *testing.B) {
	for _, n := range []int{1000, 4000, 16000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			l := synthetic(b, n)
			r := New(Options{CacheEntries: -1})
			t := maptile.New(2, 1, 2) // holds the whole synthetic area
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Tile(l, t); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/feature")
		})
	}
}
