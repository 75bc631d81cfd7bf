package ogc

import (
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/gorilla/mux"

	"newsmap/geo/layerstore/layertest"
	"newsmap/web"
)

// benchItems serves items pages of a 50k-point mentions-like layer through newsmap's
// whole middleware chain, dropping the body (a recorder with a nil Body). With distinct,
// each iteration asks for another page (offset), so that none comes from the page cache.
func benchItems(b *testing.B, target, acceptEncoding string, distinct bool) {
	st := layertest.Open(b, layertest.Spec{Name: "mentions", N: 50000, Seed: [2]uint64{3, 4}, MinLon: 38, MinLat: 36, DLon: 14, DLat: 8,
		Props: func(i int, r *rand.Rand) string {
			return fmt.Sprintf(`"name":"Place %d","article_id":"a%d","kind":"city","confidence":%.3f,"quote":"Die Lage in Place %d bleibt angespannt.","alternatives":[{"name":"Other %d","score":1.5}],"date":"2023-09-%02d"`,
				i, i%500, r.Float64(), i, i, 1+i%28)
		}})
	h := web.NewServer(st, web.Options{Extra: func(r *mux.Router, m web.Middleware) { Register(r, m, Options{}) }})
	req := httptest.NewRequest("GET", target, nil)
	req.Header.Set("Accept-Encoding", acceptEncoding)
	h.ServeHTTP(httptest.NewRecorder(), req)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if distinct {
			n++
			req = httptest.NewRequest("GET", target+"&offset="+strconv.Itoa(n%40000), nil)
			req.Header.Set("Accept-Encoding", acceptEncoding)
		}
		rec := httptest.NewRecorder()
		rec.Body = nil
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
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
