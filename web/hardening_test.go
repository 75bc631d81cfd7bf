package web

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// TestMalformedQuery: a query string that does not parse is a 400 on every route, never
// dropped (which made ?bbox=0;0;1;1 return the whole layer).
func TestMalformedQuery(t *testing.T) {
	h := newTestServer(t, Options{Static: http.NotFoundHandler()})
	for _, path := range []string{
		"/api/layers", "/api/layers/mentions.geojson", "/api/layers/mentions.csv", "/api/layers/mentions.gpkg",
		"/tiles/mentions/0/0/0.mvt", "/tiles/mentions.json", "/healthz", "/", "/app.js",
	} {
		for _, q := range []string{"bbox=0;0;1;1", "%zz=1", "q=%", "a=1;b=2"} {
			rec := do(h, "GET", path+"?"+q)
			if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "malformed query string") {
				t.Errorf("%s?%s: %d %s", path, q, rec.Code, rec.Body)
			}
		}
	}
}

// TestSecurityHeaders: nosniff on every response; CORS on the data APIs; a CSP, a
// Referrer-Policy, no framing and no CORS on the map's HTML.
func TestSecurityHeaders(t *testing.T) {
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!doctype html>"))
	})
	h := newTestServer(t, Options{Static: page})
	for _, target := range []string{"/", "/api/layers", "/api/layers/nope.geojson", "/tiles/mentions/0/0/0.mvt", "/healthz", "/api/layers/mentions.csv"} {
		hd := do(h, "GET", target).Header()
		html := target == "/"
		if hd.Get("X-Content-Type-Options") != "nosniff" || html && (hd.Get("Referrer-Policy") == "" || hd.Get("X-Frame-Options") != "DENY") {
			t.Errorf("%s: headers %v", target, hd)
		}
		if got := hd.Get("Access-Control-Allow-Origin"); (got == "*") == html {
			t.Errorf("%s: Access-Control-Allow-Origin %q", target, got)
		}
		if csp := hd.Get("Content-Security-Policy"); html && !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", target, csp)
		}
	}
}

// TestLoading: until the layers are loaded every route answers 503 with Retry-After, and
// /healthz says "loading".
func TestLoading(t *testing.T) {
	var ready atomic.Bool
	h := newTestServer(t, Options{Ready: ready.Load})
	for _, target := range []string{"/api/layers", "/tiles/mentions/0/0/0.mvt", "/api/layers/mentions.csv"} {
		rec := do(h, "GET", target)
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), "loading") {
			t.Errorf("%s while loading: %d %s", target, rec.Code, rec.Body)
		}
	}
	if rec := do(h, "GET", "/healthz"); rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), `"status":"loading"`) {
		t.Errorf("/healthz while loading: %d %s", rec.Code, rec.Body)
	}
	ready.Store(true)
	if rec := do(h, "GET", "/healthz"); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"status":"ok"`) {
		t.Errorf("/healthz loaded: %d %s", rec.Code, rec.Body)
	}
}

// TestErrorsJSON: the server's own error paths (unknown paths, wrong methods) answer
// JSON with an Allow header on 405, on every family.
func TestErrorsJSON(t *testing.T) {
	h := newTestServer(t, Options{})
	for _, tc := range []struct {
		method, target string
		code           int
	}{
		{"POST", "/healthz", 405},
		{"DELETE", "/api/layers", 405},
		{"PUT", "/tiles/mentions/0/0/0.mvt", 405},
		{"POST", "/tiles/mentions.json", 405},
		{"POST", "/api/layers/mentions.csv", 405},
		{"GET", "/nothing", 404},
		{"GET", "/api/nothing", 404},
	} {
		rec := do(h, tc.method, tc.target)
		if rec.Code != tc.code || rec.Header().Get("Content-Type") != typeJSON || !strings.Contains(rec.Body.String(), `"error":`) {
			t.Errorf("%s %s: %d %q %s", tc.method, tc.target, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
		if tc.code == 405 && rec.Header().Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow", tc.method, tc.target)
		}
	}
}
