package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// discardWriter is a ResponseWriter that keeps the headers and drops the body, so that
// a benchmark measures the handler chain rather than a recorder's copying.
type discardWriter struct {
	h    http.Header
	code int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) WriteHeader(code int)        { d.code = code }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }

// benchChain serves target through h into a discardWriter.
func benchChain(b *testing.B, h http.Handler, target, acceptEncoding string) {
	req := httptest.NewRequest("GET", target, nil)
	req.RemoteAddr = "127.0.0.1:40000"
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	h.ServeHTTP(&discardWriter{h: http.Header{}}, req) // warm the caches
	b.ReportAllocs()
	for b.Loop() {
		w := &discardWriter{h: http.Header{}}
		h.ServeHTTP(w, req)
		if w.code != 200 {
			b.Fatalf("status %d", w.code)
		}
	}
}

// BenchmarkTileChain is a cached tile through the whole middleware chain, without the
// network or a recorder: what each tile request costs the server besides the write.
func BenchmarkTileChain(b *testing.B) {
	h := NewServer(bigStore(b, 50000), Options{})
	benchChain(b, h, "/tiles/big/6/40/24.mvt", "gzip")
}

// BenchmarkQueryChain is a filtered GeoJSON query through the middleware chain.
func BenchmarkQueryChain(b *testing.B) {
	h := NewServer(bigStore(b, 50000), Options{})
	benchChain(b, h, "/api/layers/big.geojson?limit=1000", "")
}

// BenchmarkTileChainLogged is BenchmarkTileChain with the request log on (a text handler
// into io.Discard), as newsmap serve runs.
func BenchmarkTileChainLogged(b *testing.B) {
	h := NewServer(bigStore(b, 50000), Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	benchChain(b, h, "/tiles/big/6/40/24.mvt", "gzip")
}
