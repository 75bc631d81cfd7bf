package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/mux"

	"newsmap/geo/layerstore"
	"newsmap/geo/tiles"
)

const fixtures = "../geo/layerstore/testdata/layers"

func openStore(t testing.TB) *layerstore.Store {
	t.Helper()
	s, err := layerstore.Open(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newTestServer(t testing.TB, opts Options) http.Handler {
	t.Helper()
	return NewServer(openStore(t), opts)
}

// do runs one request against h; headers come in pairs.
func do(h http.Handler, method, target string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func body(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	if rec.Header().Get("Content-Encoding") != "gzip" {
		return rec.Body.String()
	}
	zr, err := gzip.NewReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("bad gzip: %v", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("bad gzip: %v", err)
	}
	return string(b)
}

func TestRoutes(t *testing.T) {
	h := newTestServer(t, Options{})
	mentions, _ := os.ReadFile(filepath.Join(fixtures, "mentions.geojson"))
	tests := []struct {
		name, target string
		code         int
		ctype        string
		contains     []string
		absent       []string
	}{
		{"catalogue", "/api/layers", 200, typeJSON, []string{`"name":"mentions"`, `"title":"Place mentions"`, `"count":5`, `"bbox":[37.6173,39.8153,49.8671,55.7558]`, `"start":"2021-01-11T00:00:00Z"`, `http://example.com/tiles/routes.json`}, nil},
		{"catalogue params", "/api/layers?x=1", 400, typeJSON, []string{`"code":400`}, nil},
		{"full layer", "/api/layers/mentions.geojson", 200, typeGeoJSON, []string{string(mentions)}, nil},
		{"bbox", "/api/layers/mentions.geojson?bbox=43,38,51,43", 200, typeGeoJSON, []string{`"numberMatched":4,"numberReturned":4`, `"a1:12"`, `"a2:40"`}, []string{`"a0:7"`}},
		{"bbox 6 numbers", "/api/layers/mentions.geojson?bbox=43,38,0,51,43,10", 200, typeGeoJSON, []string{`"numberMatched":4`}, nil},
		{"datetime day", "/api/layers/mentions.geojson?datetime=2023-09-25", 200, typeGeoJSON, []string{`"numberMatched":2`, `"a1:12"`, `"a1:95"`}, nil},
		{"datetime open", "/api/layers/mentions.geojson?datetime=../2022-01-01", 200, typeGeoJSON, []string{`"numberMatched":1`, `"a0:7"`}, nil},
		{"datetime instant", "/api/layers/mentions.geojson?datetime=2023-09-25T12:00:00Z", 200, typeGeoJSON, []string{`"numberMatched":2`}, nil},
		{"article paged", "/api/layers/mentions.geojson?article=a1&limit=1&offset=1", 200, typeGeoJSON, []string{`"numberMatched":3,"numberReturned":1`, `"a1:80"`}, nil},
		{"q", "/api/layers/mentions.geojson?q=ERIWAN", 200, typeGeoJSON, []string{`"numberMatched":1`, `"Yerevan"`}, nil},
		{"property filters", "/api/layers/mentions.geojson?kind=city&country_code=AZ", 200, typeGeoJSON, []string{`"numberMatched":2`}, nil},
		{"limit clamped", "/api/layers/mentions.geojson?limit=999999999", 200, typeGeoJSON, []string{`"numberReturned":5`}, nil},
		{"route articles", "/api/layers/routes.geojson?article=a2", 200, typeGeoJSON, []string{`"route:lachin"`}, nil},
		{"bad bbox count", "/api/layers/mentions.geojson?bbox=1,2,3", 400, typeJSON, []string{`"code":400`, `bbox`}, nil},
		{"bad bbox range", "/api/layers/mentions.geojson?bbox=200,0,201,1", 400, typeJSON, []string{`longitude`}, nil},
		{"bbox across the antimeridian", "/api/layers/mentions.geojson?bbox=40,-90,-170,90", 200, typeGeoJSON, []string{`"numberMatched":4`}, []string{`"a0:7"`}},
		{"bad bbox order", "/api/layers/mentions.geojson?bbox=0,10,5,1", 400, typeJSON, []string{`exceeds`}, nil},
		{"bad datetime", "/api/layers/mentions.geojson?datetime=yesterday", 400, typeJSON, []string{`datetime`}, nil},
		{"bad datetime order", "/api/layers/mentions.geojson?datetime=2023-09-25/2023-09-01", 400, typeJSON, []string{`ends before`}, nil},
		{"unknown param", "/api/layers/mentions.geojson?colour=red", 400, typeJSON, []string{`unknown parameter`}, nil},
		{"repeated param", "/api/layers/mentions.geojson?q=a&q=b", 400, typeJSON, []string{`2 times`}, nil},
		{"limit zero", "/api/layers/mentions.geojson?limit=0", 400, typeJSON, []string{`limit`}, nil},
		{"limit text", "/api/layers/mentions.geojson?limit=ten", 400, typeJSON, []string{`limit`}, nil},
		{"offset negative", "/api/layers/mentions.geojson?offset=-1", 400, typeJSON, []string{`offset`}, nil},
		{"unknown layer", "/api/layers/nope.geojson", 404, typeJSON, []string{`"code":404`, `unknown layer`}, nil},
		{"uppercase layer", "/api/layers/Mentions.geojson", 404, typeJSON, nil, nil},
		{"other format", "/api/layers/mentions.shp", 404, typeJSON, nil, nil},
		{"unknown api path", "/api/nothing", 404, typeJSON, []string{`"code":404`}, nil},
		{"tile", "/tiles/mentions/6/40/24.mvt", 200, typeMVT, nil, nil},
		{"tile z too big", "/tiles/mentions/23/0/0.mvt", 400, typeJSON, []string{`zoom`}, nil},
		{"tile x too big", "/tiles/mentions/1/2/0.mvt", 400, typeJSON, []string{`0..1`}, nil},
		{"tile y too big", "/tiles/mentions/0/0/1.mvt", 400, typeJSON, nil, nil},
		{"tile negative", "/tiles/mentions/1/-1/0.mvt", 400, typeJSON, nil, nil},
		{"tile not numbers", "/tiles/mentions/a/b/c.mvt", 400, typeJSON, nil, nil},
		{"tile params", "/tiles/mentions/0/0/0.mvt?x=1", 400, typeJSON, nil, nil},
		{"tile unknown layer", "/tiles/nope/0/0/0.mvt", 404, typeJSON, nil, nil},
		{"tilejson", "/tiles/regions.json", 200, typeJSON, []string{`"tilejson":"3.0.0"`, `"tiles":["http://example.com/tiles/regions/{z}/{x}/{y}.mvt"]`, `"maxzoom":14`, `GeoNames (CC BY 4.0), Natural Earth`, `"vector_layers":[{"id":"regions"`}, nil},
		{"tilejson unknown", "/tiles/nope.json", 404, typeJSON, nil, nil},
		{"health", "/healthz", 200, typeJSON, []string{`"status":"ok"`, `"layers":3`, `"features":7`}, nil},
		{"no static", "/", 404, typeJSON, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(h, "GET", tt.target)
			b := body(t, rec)
			if rec.Code != tt.code {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tt.code, b)
			}
			if ct := rec.Header().Get("Content-Type"); ct != tt.ctype {
				t.Errorf("Content-Type %q, want %q", ct, tt.ctype)
			}
			if rec.Header().Get("Access-Control-Allow-Origin") != "*" {
				t.Error("no CORS header")
			}
			for _, s := range tt.contains {
				if !strings.Contains(b, s) {
					t.Errorf("body lacks %s:\n%.600s", s, b)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(b, s) {
					t.Errorf("body holds %s", s)
				}
			}
			if rec.Code >= 400 {
				var e struct {
					Code  int    `json:"code"`
					Error string `json:"error"`
				}
				if err := json.Unmarshal([]byte(b), &e); err != nil || e.Code != rec.Code || e.Error == "" {
					t.Errorf("error body %q is not {code, error}", b)
				}
			} else if tt.ctype != typeMVT && !json.Valid([]byte(b)) {
				t.Errorf("body is not JSON: %.300s", b)
			}
		})
	}
}

func TestCacheHeaders(t *testing.T) {
	h := newTestServer(t, Options{})
	for _, target := range []string{
		"/api/layers",
		"/api/layers/mentions.geojson",
		"/api/layers/mentions.geojson?bbox=43,38,51,43",
		"/tiles/mentions/6/40/24.mvt",
		"/tiles/mentions.json",
	} {
		for _, enc := range []string{"", "gzip"} {
			rec := do(h, "GET", target, "Accept-Encoding", enc)
			tag := rec.Header().Get("ETag")
			if rec.Code != 200 || tag == "" || !strings.HasPrefix(rec.Header().Get("Cache-Control"), "public, max-age=") {
				t.Fatalf("%s (%q): status %d, ETag %q, Cache-Control %q", target, enc, rec.Code, tag, rec.Header().Get("Cache-Control"))
			}
			again := do(h, "GET", target, "Accept-Encoding", enc, "If-None-Match", tag)
			if again.Code != http.StatusNotModified || again.Body.Len() != 0 || again.Header().Get("ETag") != tag {
				t.Errorf("%s (%q) with If-None-Match %s: status %d", target, enc, tag, again.Code)
			}
			other := do(h, "GET", target, "Accept-Encoding", enc, "If-None-Match", `"other"`)
			if other.Code != 200 {
				t.Errorf("%s with a stale tag: status %d", target, other.Code)
			}
		}
	}
	if cc := do(h, "GET", "/tiles/mentions/0/0/0.mvt").Header().Get("Cache-Control"); cc != cacheTiles {
		t.Errorf("tile Cache-Control %q", cc)
	}
	a := do(h, "GET", "/api/layers/mentions.geojson?bbox=43,38,51,43").Header().Get("ETag")
	b := do(h, "GET", "/api/layers/mentions.geojson?bbox=43,38,51,44").Header().Get("ETag")
	if a == b {
		t.Error("different queries share an ETag")
	}
}

func TestETagChangesOnReload(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"mentions", "routes"} {
		b, _ := os.ReadFile(filepath.Join(fixtures, n+".geojson"))
		os.WriteFile(filepath.Join(dir, n+".geojson"), b, 0o644)
	}
	store, err := layerstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := NewServer(store, Options{})
	before := do(h, "GET", "/api/layers/routes.geojson").Header().Get("ETag")
	cat := do(h, "GET", "/api/layers").Header().Get("ETag")
	path := filepath.Join(dir, "routes.geojson")
	os.WriteFile(path, []byte(`{"type":"FeatureCollection","features":[]}`), 0o644)
	mt := time.Now().Add(time.Second)
	os.Chtimes(path, mt, mt)
	if err := store.Reload(); err != nil {
		t.Fatal(err)
	}
	rec := do(h, "GET", "/api/layers/routes.geojson", "If-None-Match", before)
	if rec.Code != 200 || rec.Header().Get("ETag") == before || !strings.Contains(rec.Body.String(), `"features":[]`) {
		t.Errorf("after reload: status %d, ETag %s (was %s)", rec.Code, rec.Header().Get("ETag"), before)
	}
	if do(h, "GET", "/api/layers", "If-None-Match", cat).Code != 200 {
		t.Error("catalogue ETag did not change")
	}
}

func TestGzip(t *testing.T) {
	h := newTestServer(t, Options{})
	raw, _ := os.ReadFile(filepath.Join(fixtures, "mentions.geojson"))
	for _, target := range []string{"/api/layers", "/api/layers/mentions.geojson", "/api/layers/mentions.geojson?limit=5"} {
		plain := do(h, "GET", target)
		zipped := do(h, "GET", target, "Accept-Encoding", "br, gzip;q=0.8")
		if zipped.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: not gzipped", target)
			continue
		}
		if !strings.Contains(zipped.Header().Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: no Vary", target)
		}
		if body(t, zipped) != plain.Body.String() {
			t.Errorf("%s: gzip body differs", target)
		}
		if zipped.Header().Get("ETag") == plain.Header().Get("ETag") {
			t.Errorf("%s: gzip and plain share an ETag", target)
		}
	}
	if got := body(t, do(h, "GET", "/api/layers/mentions.geojson", "Accept-Encoding", "gzip")); got != string(raw) {
		t.Error("precompressed layer differs from the file")
	}
	for _, ae := range []string{"", "identity", "gzip;q=0", "br"} {
		if rec := do(h, "GET", "/api/layers", "Accept-Encoding", ae); rec.Header().Get("Content-Encoding") != "" {
			t.Errorf("Accept-Encoding %q got gzip", ae)
		}
	}
	if rec := do(h, "GET", "/healthz", "Accept-Encoding", "gzip"); rec.Header().Get("Content-Encoding") != "" {
		t.Error("tiny body was gzipped")
	}
	// A client without gzip gets the tile as is, the same tile.
	tz := do(h, "GET", "/tiles/mentions/6/40/24.mvt", "Accept-Encoding", "gzip")
	tp := do(h, "GET", "/tiles/mentions/6/40/24.mvt")
	if tz.Header().Get("Content-Encoding") != "gzip" || tp.Header().Get("Content-Encoding") != "" || body(t, tz) != tp.Body.String() || tp.Body.Len() == 0 {
		t.Error("tile encodings disagree")
	}
}

// TestTileEncodingsFromCache checks that a tile is rendered once for both encodings: an
// identity request after a gzip request (and the reverse, and HEAD, and a revalidation
// of either variant) renders and transcodes nothing.
func TestTileEncodingsFromCache(t *testing.T) {
	r := tiles.New(tiles.Options{})
	h := newTestServer(t, Options{Tiles: r})
	const path = "/tiles/mentions/6/40/24.mvt"
	gz := do(h, "GET", path, "Accept-Encoding", "gzip")
	if st := r.Stats(); st.Renders != 1 {
		t.Fatalf("first request: %d renders", st.Renders)
	}
	plain := do(h, "GET", path)
	do(h, "GET", path, "Accept-Encoding", "gzip, deflate, br")
	do(h, "HEAD", path)
	if body(t, gz) != plain.Body.String() || plain.Header().Get("Content-Length") != strconv.Itoa(plain.Body.Len()) {
		t.Error("the identity tile is not the gzip tile decoded, or its length is wrong")
	}
	for _, tag := range []string{gz.Header().Get("ETag"), plain.Header().Get("ETag")} {
		for _, ae := range []string{"", "gzip"} {
			if rec := do(h, "GET", path, "If-None-Match", tag, "Accept-Encoding", ae); rec.Code != http.StatusNotModified {
				t.Errorf("If-None-Match %s, Accept-Encoding %q: status %d, want 304", tag, ae, rec.Code)
			}
		}
	}
	if gz.Header().Get("ETag") == plain.Header().Get("ETag") {
		t.Error("the two encodings share an ETag")
	}
	st := r.Stats()
	if st.Renders != 1 || st.Cache.Hits != 3 {
		t.Errorf("Stats = %+v; want 1 render and the 3 later requests served from the cache", st)
	}
}

func TestHead(t *testing.T) {
	h := newTestServer(t, Options{})
	for _, target := range []string{"/api/layers", "/api/layers/mentions.geojson", "/api/layers/mentions.geojson?q=a", "/tiles/mentions/0/0/0.mvt", "/healthz"} {
		rec := do(h, "HEAD", target)
		if rec.Code != 200 || rec.Body.Len() != 0 {
			t.Errorf("HEAD %s: status %d, %d body bytes", target, rec.Code, rec.Body.Len())
		}
	}
}

func TestCORS(t *testing.T) {
	h := newTestServer(t, Options{})
	rec := do(h, "OPTIONS", "/api/layers/mentions.geojson",
		"Origin", "https://elsewhere.example", "Access-Control-Request-Method", "GET",
		"Access-Control-Request-Headers", "If-None-Match, X-Evil\r\nInjected: 1")
	if rec.Code != http.StatusNoContent {
		t.Fatalf("preflight status %d", rec.Code)
	}
	hd := rec.Header()
	if hd.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(hd.Get("Access-Control-Allow-Methods"), "GET") || hd.Get("Access-Control-Max-Age") == "" {
		t.Errorf("preflight headers %v", hd)
	}
	if got := hd.Get("Access-Control-Allow-Headers"); got != "If-None-Match" {
		t.Errorf("Allow-Headers %q", got)
	}
	if rec := do(h, "OPTIONS", "/tiles/mentions/0/0/0.mvt"); rec.Code != http.StatusNoContent || rec.Header().Get("Allow") == "" {
		t.Errorf("plain OPTIONS: %d", rec.Code)
	}
	if rec := do(h, "POST", "/api/layers"); rec.Code != http.StatusMethodNotAllowed || !strings.Contains(rec.Body.String(), `"code":405`) {
		t.Errorf("POST: %d %s", rec.Code, rec.Body)
	}
}

func TestPathTraversal(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t, Options{Static: http.NotFoundHandler()}))
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range []string{
		"/api/layers/..%2f..%2f..%2fgo.mod.geojson",
		"/api/layers/..%2fmentions.geojson",
		"/api/layers/%2e%2e%2f%2e%2e%2fgo.mod.geojson",
		"/api/layers/%2e%2e/mentions.geojson",
		"/api/layers/../../go.mod",
		"/api/layers/..%5c..%5cgo.mod.geojson",
		"/api/layers/mentions%00.geojson",
		"/api/layers/%252e%252e%252fmentions.geojson",
		"/tiles/..%2fmentions/0/0/0.mvt",
		"/tiles/..%2f..%2fgo.mod.json",
		"/tiles/mentions/0/0/..%2f0.mvt",
	} {
		resp, err := client.Get(srv.URL + p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 200 || strings.Contains(string(b), "module newsmap") || strings.Contains(string(b), "FeatureCollection") {
			t.Errorf("%s: status %d, body %.200s", p, resp.StatusCode, b)
		}
		if resp.StatusCode >= 500 {
			t.Errorf("%s: status %d", p, resp.StatusCode)
		}
	}
}

func TestStaticAndExtra(t *testing.T) {
	static := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "page "+r.URL.Path) })
	h := newTestServer(t, Options{
		Static: static,
		Extra: func(r *mux.Router, _ Middleware) {
			r.HandleFunc("/api/layers/{name}.shp", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "shp "+mux.Vars(r)["name"]) })
			r.HandleFunc("/ogc", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ogc") })
		},
	})
	for target, want := range map[string]string{
		"/":                         "page /",
		"/static/app.js":            "page /static/app.js",
		"/api/layers/mentions.shp":  "shp mentions",
		"/ogc":                      "ogc",
		"/api/layers/mentions.xyz":  `"code":404`,
		"/tiles/mentions/0/0/0.png": `"code":404`,
		"/api/layers":               `"layers"`,
	} {
		if got := do(h, "GET", target).Body.String(); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q", target, got, want)
		}
	}
}

func TestRecover(t *testing.T) {
	var logs bytes.Buffer
	h := newTestServer(t, Options{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Extra: func(r *mux.Router, _ Middleware) {
			r.HandleFunc("/boom", func(http.ResponseWriter, *http.Request) { panic("secret detail") })
		},
	})
	rec := do(h, "GET", "/boom")
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "secret") || !strings.Contains(rec.Body.String(), `"code":500`) {
		t.Errorf("panic: %d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), "secret detail") || !strings.Contains(logs.String(), "status=500") {
		t.Errorf("log lacks the panic or the request line:\n%s", logs.String())
	}
}

func TestInternalErrorHidden(t *testing.T) {
	var logs bytes.Buffer
	s := &server{log: slog.New(slog.NewTextHandler(&logs, nil))}
	rec := httptest.NewRecorder()
	s.writeError(rec, httptest.NewRequest("GET", "/x", nil), io.ErrUnexpectedEOF)
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "EOF") || !strings.Contains(logs.String(), "EOF") {
		t.Errorf("500: %d %s; log %s", rec.Code, rec.Body, logs.String())
	}
}

// blockedServer returns a server with a handler at path that blocks until release is
// called, and a request to path in flight there; release returns that request's status.
// The handler is wrapped in the middleware that kind picks.
func blockedServer(t *testing.T, opts Options, path string, kind func(Middleware, http.Handler) http.Handler) (h http.Handler, release func() int) {
	t.Helper()
	unblock := make(chan struct{})
	started := make(chan struct{})
	opts.Extra = func(r *mux.Router, m Middleware) {
		r.Handle(path, kind(m, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			close(started)
			<-unblock
		})))
	}
	h = newTestServer(t, opts)
	done := make(chan int)
	go func() { done <- do(h, "GET", path).Code }()
	<-started
	return h, func() int { close(unblock); return <-done }
}

func TestLimiter(t *testing.T) {
	h, release := blockedServer(t, Options{MaxInFlight: 1, QueueWait: 20 * time.Millisecond}, "/slow", Middleware.Data)
	rec := do(h, "GET", "/api/layers")
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), `"code":503`) {
		t.Errorf("busy: %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
	if rec := do(h, "GET", "/healthz"); rec.Code != 200 {
		t.Errorf("healthz while busy: %d", rec.Code)
	}
	if code := release(); code != 200 {
		t.Errorf("slow request: %d", code)
	}
	if rec := do(h, "GET", "/api/layers"); rec.Code != 200 {
		t.Errorf("after release: %d", rec.Code)
	}
}

// TestHeavyLimit: heavy requests (filtered queries, OGC items) have a bound of their
// own; cheap requests still pass while it is full.
func TestHeavyLimit(t *testing.T) {
	h, release := blockedServer(t, Options{MaxHeavyInFlight: 1, QueueWait: 20 * time.Millisecond}, "/slow", Middleware.Heavy)
	if rec := do(h, "GET", "/api/layers/mentions.geojson?limit=1"); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("second heavy request: %d", rec.Code)
	}
	if rec := do(h, "GET", "/api/layers/mentions.geojson"); rec.Code != 200 {
		t.Errorf("cheap request while the heavy bound is full: %d", rec.Code)
	}
	if code := release(); code != 200 {
		t.Errorf("slow request: %d", code)
	}
}

// TestLoad runs concurrent clients over loopback for a short while: every answer must be
// a 200 or 304 (the limiter is large enough not to shed this load).
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	srv := httptest.NewServer(newTestServer(t, Options{MaxInFlight: 64, QueueWait: time.Second}))
	defer srv.Close()
	targets := []string{
		"/api/layers",
		"/api/layers/mentions.geojson",
		"/api/layers/mentions.geojson?bbox=43,38,51,43&datetime=2023-09-25",
		"/api/layers/routes.geojson?q=korridor",
		"/tiles/mentions/6/40/24.mvt",
		"/tiles/regions/5/20/12.mvt",
		"/tiles/mentions.json",
		"/healthz",
	}
	var ok, bad atomic.Int64
	deadline := time.Now().Add(2 * time.Second)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			client := srv.Client()
			for i := w; time.Now().Before(deadline); i++ {
				req, _ := http.NewRequest("GET", srv.URL+targets[i%len(targets)], nil)
				req.Header.Set("Accept-Encoding", "gzip")
				resp, err := client.Do(req)
				if err != nil {
					bad.Add(1)
					t.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 && resp.StatusCode != 304 {
					bad.Add(1)
					t.Errorf("%s: %d", targets[i%len(targets)], resp.StatusCode)
					return
				}
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	t.Logf("%d requests, %d failures", ok.Load(), bad.Load())
	if ok.Load() == 0 || bad.Load() != 0 {
		t.Fail()
	}
}

// TestOnceForVersion checks the once-per-version cache of the whole layer's gzip and the
// exports, in memory and spooled into files: made once per version however often asked,
// the older version dropped when a newer one is made, and a dropped spooled body's file
// removed.
func TestOnceForVersion(t *testing.T) {
	for _, spooled := range []bool{false, true} {
		t.Run(fmt.Sprintf("spooled=%v", spooled), func(t *testing.T) {
			store, path, _ := routesCopy(t)
			s := &server{versions: newVersionCache(1 << 20)}
			spoolDir := t.TempDir()
			if spooled {
				s.spool = &spool{dir: spoolDir}
			}
			made := 0
			get := func() []byte {
				l, _ := store.Layer("routes")
				out, err := s.onceForVersion(t.Context(), l, "gzip", func(w io.Writer) error {
					made++
					raw, err := l.GeoJSON()
					if err != nil {
						return err
					}
					return gzipLayer(w, raw)
				})
				if err != nil {
					t.Fatal(err)
				}
				if (out.path != "") != spooled {
					t.Fatalf("spooled = %v, want %v", out.path != "", spooled)
				}
				rec := httptest.NewRecorder()
				sendBody(t, rec, out)
				if int64(rec.Body.Len()) != out.Len() {
					t.Fatalf("sent %d bytes of %d", rec.Body.Len(), out.Len())
				}
				return rec.Body.Bytes()
			}
			first := get()
			get()
			os.WriteFile(path, []byte(`{"type":"FeatureCollection","features":[]}`), 0o644)
			mt := time.Now().Add(time.Second)
			os.Chtimes(path, mt, mt)
			if err := store.Reload(); err != nil {
				t.Fatal(err)
			}
			second := get()
			get()
			if made != 2 || bytes.Equal(first, second) {
				t.Errorf("made %d times (want 2: once per version)", made)
			}
			if st := s.versions.Stats(); st.Entries != 1 || st.Bytes != int64(len(second)) {
				t.Errorf("Stats = %+v, want only the new version", st)
			}
			if !spooled {
				return
			}
			// The first version's file goes once nothing refers to its body.
			for range 50 {
				runtime.GC()
				if files, _ := os.ReadDir(spoolDir); len(files) == 1 {
					runtime.KeepAlive(s) // its cache holds the current version
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
			files, _ := os.ReadDir(spoolDir)
			t.Errorf("%d files in the spool folder, want 1 (the current version)", len(files))
			runtime.KeepAlive(s)
		})
	}
}

// TestFullLayerChangedFile: the whole layer is read from its file when first asked; a
// file rewritten since the layer was loaded answers 503 with Retry-After (the next
// reload serves it), never the new bytes under the old version's ETag.
func TestFullLayerChangedFile(t *testing.T) {
	st, path, _ := routesCopy(t)
	h := NewServer(st, Options{})
	os.WriteFile(path, []byte(`{"type":"FeatureCollection","features":[]}`), 0o644)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/layers/routes.geojson", nil))
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), "reloaded") {
		t.Errorf("GET after the file changed: %d %q %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
	}
	if err := st.Reload(); err != nil {
		t.Fatal(err)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/layers/routes.geojson", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"features":[]`) {
		t.Errorf("GET after the reload: %d %s", rec.Code, rec.Body)
	}
}

// routesCopy opens a store of a copy of the routes fixture in a folder of its own, so
// that a test may rewrite the file; it returns the store, the file and its bytes.
func routesCopy(t *testing.T) (*layerstore.Store, string, []byte) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "routes.geojson")
	b, err := os.ReadFile(filepath.Join(fixtures, "routes.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := layerstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return st, path, b
}
