package web

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsmap/geo/layerstore"
)

// bigStore opens a folder with one layer of n points near the South Caucasus.
func bigStore(b *testing.B, n int) *layerstore.Store {
	b.Helper()
	dir := b.TempDir()
	r := rand.New(rand.NewPCG(3, 4))
	var sb strings.Builder
	sb.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"type":"Feature","id":"s%06d","geometry":{"type":"Point","coordinates":[%.5f,%.5f]},"properties":{"id":"s%06d","name":"Place %d","article_id":"a%d","kind":"city","date":"2023-09-%02d"}}`,
			i, 38+r.Float64()*14, 36+r.Float64()*8, i, i, i%500, 1+i%28)
	}
	sb.WriteString(`]}`)
	if err := os.WriteFile(filepath.Join(dir, "big.geojson"), []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	s, err := layerstore.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func benchGet(b *testing.B, h http.Handler, target, acceptEncoding string) {
	req := httptest.NewRequest("GET", target, nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	h.ServeHTTP(httptest.NewRecorder(), req) // warm the caches
	b.ReportAllocs()
	var n int
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		n = rec.Body.Len()
	}
	b.SetBytes(int64(n))
}

func BenchmarkFullLayer50k(b *testing.B) {
	h := NewServer(bigStore(b, 50000), Options{})
	benchGet(b, h, "/api/layers/big.geojson", "")
}

func BenchmarkFullLayer50kGzip(b *testing.B) {
	h := NewServer(bigStore(b, 50000), Options{})
	benchGet(b, h, "/api/layers/big.geojson", "gzip")
}

func BenchmarkQueryBBox50k(b *testing.B) {
	h := NewServer(bigStore(b, 50000), Options{})
	benchGet(b, h, "/api/layers/big.geojson?bbox=44,39,46,41&datetime=2023-09-10", "gzip")
}

func BenchmarkTileZ6Cached50k(b *testing.B) {
	s := bigStore(b, 50000)
	h := NewServer(s, Options{})
	// Distinct z6 tiles would exhaust the area; the uncached path is measured in
	// geo/tiles. Here: the HTTP path of a cached tile, with ETag and headers.
	benchGet(b, h, "/tiles/big/6/40/24.mvt", "gzip")
}

func BenchmarkCatalogue(b *testing.B) {
	h := NewServer(bigStore(b, 1000), Options{})
	benchGet(b, h, "/api/layers", "")
}
