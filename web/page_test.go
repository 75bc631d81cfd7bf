package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/mux"
)

func TestPageServe(t *testing.T) {
	p := NewPage([]byte(strings.Repeat(`{"a":1},`, 500)))
	for _, tc := range []struct {
		ae, method string
		gzip       bool
	}{{"", "GET", false}, {"gzip", "GET", true}, {"gzip;q=0", "GET", false}, {"br, gzip", "HEAD", true}} {
		req := httptest.NewRequest(tc.method, "/x", nil)
		if tc.ae != "" {
			req.Header.Set("Accept-Encoding", tc.ae)
		}
		rec := httptest.NewRecorder()
		rec.Header().Set("ETag", `"abc"`)
		p.Serve(rec, req, typeJSON)
		gz := rec.Header().Get("Content-Encoding") == "gzip"
		if gz != tc.gzip || rec.Code != 200 || rec.Header().Get("Vary") != "Accept-Encoding" {
			t.Errorf("%q %s: gzip %v, status %d, headers %v", tc.ae, tc.method, gz, rec.Code, rec.Header())
		}
		if gz && rec.Header().Get("ETag") != `"abc-gz"` {
			t.Errorf("%q: ETag %q", tc.ae, rec.Header().Get("ETag"))
		}
		if tc.method == "GET" && body(t, rec) != string(p.Bytes()) {
			t.Errorf("%q: body differs", tc.ae)
		}
	}
	if a, b := p.Gzip(), p.Gzip(); &a[0] != &b[0] {
		t.Error("gzip encoded twice")
	}
}

func TestPageCacheBounds(t *testing.T) {
	c := NewPageCache(2, 8<<10)
	page := func(n int) *Page { return NewPage(bytes.Repeat([]byte("x"), n)) }
	c.Add("a", page(10))
	c.Add("b", page(10))
	c.Get("a") // b is now the least recently used
	c.Add("c", page(10))
	if _, ok := c.Get("b"); ok {
		t.Error("b not evicted")
	}
	for _, k := range []string{"a", "c"} {
		if _, ok := c.Get(k); !ok {
			t.Errorf("%s evicted", k)
		}
	}
	c.Add("big", page(2<<10)) // more than an eighth of 8 kB
	if _, ok := c.Get("big"); ok || c.Cacheable(2<<10) {
		t.Error("a page larger than an eighth of the bound was kept")
	}
}

func TestFilteredQueryCached(t *testing.T) {
	h := newTestServer(t, Options{})
	const target = "/api/layers/mentions.geojson?bbox=43,38,51,43"
	a := do(h, "GET", target, "Accept-Encoding", "gzip")
	b := do(h, "GET", target, "Accept-Encoding", "gzip")
	c := do(h, "GET", target)
	if a.Code != 200 || body(t, a) != body(t, b) || body(t, a) != body(t, c) {
		t.Fatalf("cached page differs: %d\n%s\n%s\n%s", a.Code, body(t, a), body(t, b), body(t, c))
	}
	if !strings.Contains(body(t, a), `"numberMatched":4,"numberReturned":4`) || a.Header().Get("ETag") != gzipETag(c.Header().Get("ETag")) {
		t.Errorf("page %s, ETags %q %q", body(t, a), a.Header().Get("ETag"), c.Header().Get("ETag"))
	}
}

// TestTileFastPath: the plain path split answers exactly the paths the router's tile
// route takes; others go to the router as before.
func TestTileFastPath(t *testing.T) {
	for _, tc := range []struct {
		path string
		ok   bool
	}{
		{"/tiles/mentions/6/40/24.mvt", true},
		{"/tiles/mentions/6/40/24.mvt.mvt", true},
		{"/tiles/mentions/6/40.mvt", false},
		{"/tiles/mentions/6/40/24/1.mvt", false},
		{"/tiles/mentions//40/24.mvt", false},
		{"/tiles/mentions/./40/24.mvt", false},
		{"/tiles/mentions.json", false},
		{"/tile/mentions/6/40/24.mvt", false},
	} {
		_, _, _, _, ok := splitTilePath(tc.path)
		if ok != tc.ok {
			t.Errorf("splitTilePath(%s) = %v", tc.path, ok)
		}
		r := mux.NewRouter()
		r.Handle("/tiles/{layer}/{z}/{x}/{y}.mvt", http.NotFoundHandler())
		var m mux.RouteMatch
		if matched := r.Match(httptest.NewRequest("GET", tc.path, nil), &m) && m.MatchErr == nil; matched != tc.ok && !strings.Contains(tc.path, "/./") && !strings.Contains(tc.path, "//") {
			t.Errorf("router matches %s: %v, split: %v", tc.path, matched, tc.ok)
		}
	}
	h := newTestServer(t, Options{})
	if rec := do(h, "POST", "/tiles/mentions/0/0/0.mvt"); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST tile: %d", rec.Code)
	}
	if rec := do(h, "GET", "/tiles/mentions/0/0/0.mvt?x=1"); rec.Code != 400 {
		t.Errorf("tile with a parameter: %d", rec.Code)
	}
	a := do(h, "GET", "/tiles/mentions/0/0/0.mvt", "Accept-Encoding", "gzip")
	b := do(h, "GET", "/tiles/mentions/0/0/0.mvt", "If-None-Match", a.Header().Get("ETag"), "Accept-Encoding", "gzip")
	if a.Code != 200 || b.Code != 304 || a.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("tile %d, revalidated %d, headers %v", a.Code, b.Code, a.Header())
	}
}
