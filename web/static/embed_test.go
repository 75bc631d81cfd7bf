package static_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"newsmap/web/static"
)

func TestHandler(t *testing.T) {
	h := static.Handler()
	tests := []struct {
		method, path string
		status       int
		contentType  string
		cache        string
		bodyHas      string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8", "no-cache", `<div id="status"`},
		{"GET", "/index.html", 200, "text/html; charset=utf-8", "no-cache", "app.js"},
		{"HEAD", "/", 200, "text/html; charset=utf-8", "no-cache", ""},
		{"GET", "/app.js", 200, "text/javascript; charset=utf-8", "no-cache", "newsmapPage"},
		{"GET", "/page.js", 200, "text/javascript; charset=utf-8", "no-cache", "function parseValue"},
		{"GET", "/app.css", 200, "text/css; charset=utf-8", "no-cache", ".legend"},
		{"GET", "/vendor/leaflet/leaflet.js", 200, "text/javascript; charset=utf-8", "public, max-age=86400", "Leaflet"},
		{"GET", "/vendor/leaflet/leaflet.css", 200, "text/css; charset=utf-8", "public, max-age=86400", ".leaflet-pane"},
		{"GET", "/vendor/leaflet/images/marker-icon.png", 200, "image/png", "public, max-age=86400", ""},
		{"GET", "/vendor/world-atlas/countries-110m.json", 200, "application/json", "public, max-age=86400", `"Topology"`},
		{"GET", "/vendor/leaflet/LICENSE", 200, "text/plain; charset=utf-8", "public, max-age=86400", "Copyright"},
		{"GET", "/vendor/", 404, "", "", ""},
		{"GET", "/vendor", 404, "", "", ""},
		{"GET", "/missing.js", 404, "", "", ""},
		{"GET", "/../embed.go", 404, "", "", ""},
		{"POST", "/", 405, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			if tt.status != 200 {
				if ct := rec.Header().Get("Content-Type"); ct != "application/json" || !strings.Contains(rec.Body.String(), `"error":`) {
					t.Errorf("error as %q: %s", ct, rec.Body)
				}
				return
			}
			if got := rec.Header().Get("Content-Type"); got != tt.contentType {
				t.Errorf("Content-Type %q, want %q", got, tt.contentType)
			}
			if got := rec.Header().Get("Cache-Control"); got != tt.cache {
				t.Errorf("Cache-Control %q, want %q", got, tt.cache)
			}
			if rec.Header().Get("ETag") == "" {
				t.Error("no ETag")
			}
			if !strings.Contains(rec.Body.String(), tt.bodyHas) {
				t.Errorf("body lacks %q", tt.bodyHas)
			}
			if tt.method == "HEAD" && rec.Body.Len() != 0 {
				t.Error("HEAD with a body")
			}
		})
	}
}

func TestHandlerETag(t *testing.T) {
	h := static.Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/app.js", nil))
	req := httptest.NewRequest("GET", "/app.js", nil)
	req.Header.Set("If-None-Match", rec.Header().Get("ETag"))
	rec2 := httptest.NewRecorder()
	h.ServeHTTP(rec2, req)
	if rec2.Code != http.StatusNotModified {
		t.Errorf("revalidation: status %d, want 304", rec2.Code)
	}
}

// The page loads nothing from another host: every script, style sheet and data file
// it names is embedded.
func TestPageAssetsEmbedded(t *testing.T) {
	h := static.Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	page := rec.Body.String()
	for _, attr := range []string{`src="`, `href="`} {
		for rest := page; ; {
			i := strings.Index(rest, attr)
			if i < 0 {
				break
			}
			rest = rest[i+len(attr):]
			ref := rest[:strings.IndexByte(rest, '"')]
			if strings.HasPrefix(ref, "data:") {
				continue
			}
			if strings.Contains(ref, "//") {
				t.Errorf("index.html refers to another host: %s", ref)
				continue
			}
			r := httptest.NewRecorder()
			h.ServeHTTP(r, httptest.NewRequest("GET", "/"+ref, nil))
			if r.Code != 200 {
				t.Errorf("%s: status %d", ref, r.Code)
			}
		}
	}
	// The basemap is valid TopoJSON with the countries object.
	r := httptest.NewRecorder()
	h.ServeHTTP(r, httptest.NewRequest("GET", "/vendor/world-atlas/countries-110m.json", nil))
	var topo struct {
		Type    string `json:"type"`
		Objects map[string]struct {
			Geometries []json.RawMessage `json:"geometries"`
		} `json:"objects"`
	}
	if err := json.Unmarshal(r.Body.Bytes(), &topo); err != nil {
		t.Fatal(err)
	}
	if topo.Type != "Topology" || len(topo.Objects["countries"].Geometries) < 150 {
		t.Errorf("countries-110m.json: type %q, %d countries", topo.Type, len(topo.Objects["countries"].Geometries))
	}
}

func ExampleHandler() {
	srv := httptest.NewServer(static.Handler())
	defer srv.Close()
	res, err := http.Get(srv.URL + "/vendor/leaflet/leaflet.js")
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	fmt.Println(res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
	// Output: 200 text/javascript; charset=utf-8 public, max-age=86400
}
