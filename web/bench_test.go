package web

import (
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"

	"newsmap/geo/layerstore"
	"newsmap/geo/layerstore/layertest"
)

// bigStore opens a folder with one layer "big" of n points near the South Caucasus.
func bigStore(b *testing.B, n int) *layerstore.Store {
	b.Helper()
	return layertest.Open(b, layertest.Spec{N: n, Seed: [2]uint64{3, 4}, MinLon: 38, MinLat: 36, DLon: 14, DLat: 8,
		Props: func(i int, _ *rand.Rand) string {
			return fmt.Sprintf(`"name":"Place %d","article_id":"a%d","kind":"city","date":"2023-09-%02d"`, i, i%500, 1+i%28)
		}})
}

// benchGet serves target through h, b.N times, into an httptest.ResponseRecorder; with
// discard, one that drops the body (nil Body), so that only the handler chain is measured,
// not the recorder's copying.
func benchGet(b *testing.B, h http.Handler, target, acceptEncoding string, discard ...bool) {
	req := httptest.NewRequest("GET", target, nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	h.ServeHTTP(httptest.NewRecorder(), req) // warm the caches
	b.ReportAllocs()
	var n int
	for b.Loop() {
		rec := httptest.NewRecorder()
		if len(discard) > 0 && discard[0] {
			rec.Body = nil
		}
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
		if rec.Body != nil {
			n = rec.Body.Len()
		}
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

// BenchmarkTileChain is a cached tile through the whole middleware chain without the
// network or a recorder: what a tile request costs the server besides the write.
func BenchmarkTileChain(b *testing.B) {
	h := NewServer(bigStore(b, 50000), Options{})
	benchGet(b, h, "/tiles/big/6/40/24.mvt", "gzip", true)
}

// BenchmarkTileChainLogged is BenchmarkTileChain with the request log on (a text handler
// into io.Discard), as newsmap serve runs.
func BenchmarkTileChainLogged(b *testing.B) {
	h := NewServer(bigStore(b, 50000), Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	benchGet(b, h, "/tiles/big/6/40/24.mvt", "gzip", true)
}

// BenchmarkQueryChain is a filtered GeoJSON page of 1000 features (cached after the
// first request) through the middleware chain.
func BenchmarkQueryChain(b *testing.B) {
	h := NewServer(bigStore(b, 50000), Options{})
	benchGet(b, h, "/api/layers/big.geojson?limit=1000", "", true)
}
