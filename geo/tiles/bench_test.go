package tiles

import (
	"bytes"
	stdgzip "compress/gzip"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/klauspost/compress/gzip"
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

// mentionsLike opens a layer of n points in the box of tile z6 40/24 (45–50.6°E,
// 36.6–41°N) whose properties follow the mentions contract (docs/ARCHITECTURE.md): about
// twenty per feature, quotes and titles mostly distinct, names and kinds repeating.
func mentionsLike(b testing.TB, n int) *layerstore.Layer {
	b.Helper()
	kinds := []string{"city", "town", "village", "region", "admin", "water"}
	return layertest.Layer(b, layertest.Spec{Name: "mentions", N: n, Seed: [2]uint64{3, 4}, MinLon: 45.1, MinLat: 36.8, DLon: 5.4, DLat: 4,
		Props: func(i int, r *rand.Rand) string {
			art := i / 10
			place := fmt.Sprintf("Place %d", r.IntN(800))
			return fmt.Sprintf(`"article_id":"a%d","title":"Report %d on the situation near %s","source":"Example Zeitung",`+
				`"url":"https://example.org/news/%d","published":"2023-%02d-%02d","text":%q,"start":%d,"end":%d,`+
				`"quote":"Officials said on Sunday that the talks in %s ended without agreement after %d hours.","quote_start":%d,`+
				`"kind":%q,"name":%q,"name_de":%q,"place_id":"gn:%d","geonames_id":%d,"country_code":"AZ","geo_precision":"city",`+
				`"confidence":%.2f,"alternatives":[],"date":"2023-%02d-%02d","date_precision":"day","timex":""`,
				art, art, place, art, 1+art%12, 1+art%28, place, i%10*400, i%10*400+len(place),
				place, r.IntN(48), 40, kinds[r.IntN(len(kinds))], place, place, 100000+r.IntN(900000), 100000+r.IntN(900000),
				r.Float64(), 1+art%12, 1+art%28)
		}})
}

// BenchmarkTileZ6Dense renders z6 tile 40/24 holding 6,000 mention-like points uncached:
// encode is the MVT alone (the per-version tables made before the loop, as after the
// first tile of a layer version), gzip adds the compression the cache keeps, reference is
// the orb pipeline the renderer replaced (clone, project, clip, simplify, marshal).
func BenchmarkTileZ6Dense(b *testing.B) {
	l := mentionsLike(b, 6000)
	t := maptile.New(40, 24, 6)
	r := New(Options{CacheEntries: -1})
	e, err := r.Render(context.Background(), l, t)
	if err != nil {
		b.Fatal(err)
	}
	p, err := r.prepare(context.Background(), layerKey{l.Name(), l.Hash()}, l)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r.encode(p, l, t)
		}
		b.ReportMetric(float64(len(e.MVT)), "mvtbytes")
	})
	b.Run("gzip", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.Render(context.Background(), l, t); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(e.Gzip)), "gzbytes")
	})
	b.Run("reference", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := reference(r, l, t); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("prepare", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := prepare(l); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkGzipTile compresses the dense tile with the standard library and with
// klauspost/compress at the levels worth considering.
func BenchmarkGzipTile(b *testing.B) {
	l := mentionsLike(b, 6000)
	e, err := New(Options{}).Render(context.Background(), l, maptile.New(40, 24, 6))
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		new  func(io.Writer) io.WriteCloser
	}{
		{"stdlib-1", func(w io.Writer) io.WriteCloser { zw, _ := stdgzip.NewWriterLevel(w, 1); return zw }},
		{"stdlib-6", func(w io.Writer) io.WriteCloser { zw, _ := stdgzip.NewWriterLevel(w, 6); return zw }},
		{"klauspost-1", func(w io.Writer) io.WriteCloser { zw, _ := gzip.NewWriterLevel(w, 1); return zw }},
		{"klauspost-2", func(w io.Writer) io.WriteCloser { zw, _ := gzip.NewWriterLevel(w, 2); return zw }},
		{"klauspost-5", func(w io.Writer) io.WriteCloser { zw, _ := gzip.NewWriterLevel(w, 5); return zw }},
	} {
		b.Run(c.name, func(b *testing.B) {
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				zw := c.new(&buf)
				zw.Write(e.MVT)
				zw.Close()
			}
			b.ReportMetric(float64(buf.Len()), "gzbytes")
		})
	}
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
