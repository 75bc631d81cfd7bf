package ogc

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"newsmap/geo/layerstore"
	"newsmap/web"
)

// benchStore opens a folder with one mentions-like layer of n points.
func benchStore(b *testing.B, n int) *layerstore.Store {
	b.Helper()
	dir := b.TempDir()
	r := rand.New(rand.NewPCG(3, 4))
	var sb strings.Builder
	sb.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"type":"Feature","id":"m%06d","geometry":{"type":"Point","coordinates":[%.5f,%.5f]},"properties":{"id":"m%06d","name":"Place %d","article_id":"a%d","kind":"city","confidence":%.3f,"quote":"Die Lage in Place %d bleibt angespannt.","alternatives":[{"name":"Other %d","score":1.5}],"date":"2023-09-%02d"}}`,
			i, 38+r.Float64()*14, 36+r.Float64()*8, i, i, i%500, r.Float64(), i, i, 1+i%28)
	}
	sb.WriteString(`]}`)
	if err := os.WriteFile(filepath.Join(dir, "mentions.geojson"), []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	s, err := layerstore.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

type discardWriter struct {
	h    http.Header
	code int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) WriteHeader(code int)        { d.code = code }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }

// benchItems serves one items page through newsmap's whole middleware chain; with
// distinct, each iteration asks for another page (offset), so that none comes from the
// page cache.
func benchItems(b *testing.B, target, acceptEncoding string, distinct bool) {
	st := benchStore(b, 50000)
	h := web.NewServer(st, web.Options{Extra: func(r *mux.Router) { Register(r, st, Options{}) }})
	req := httptest.NewRequest("GET", target, nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	h.ServeHTTP(&discardWriter{h: http.Header{}}, req)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		w := &discardWriter{h: http.Header{}}
		if distinct {
			n++
			req = httptest.NewRequest("GET", target+"&offset="+strconv.Itoa(n%40000), nil)
			req.Header.Set("Accept-Encoding", acceptEncoding)
		}
		h.ServeHTTP(w, req)
		if w.code != 200 {
			b.Fatalf("status %d", w.code)
		}
	}
}

const items1000 = "/ogc/collections/mentions/items?limit=1000"

func BenchmarkItems1000(b *testing.B)             { benchItems(b, items1000, "", false) }
func BenchmarkItems1000Gzip(b *testing.B)         { benchItems(b, items1000, "gzip", false) }
func BenchmarkItems1000Uncached(b *testing.B)     { benchItems(b, items1000, "", true) }
func BenchmarkItems1000UncachedGzip(b *testing.B) { benchItems(b, items1000, "gzip", true) }
func BenchmarkItemsBBoxUncached(b *testing.B) {
	benchItems(b, "/ogc/collections/mentions/items?bbox=44,39,46,41&limit=100", "", true)
}
