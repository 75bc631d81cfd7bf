package ogc

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/mux"

	"newsmap/geo/layerstore"
	"newsmap/web"
)

var (
	fuzzOnce    sync.Once
	fuzzHandler http.Handler
)

// fuzzServer is the whole newsmap API (layers, exports, tiles, OGC) over the test layers.
func fuzzServer(t testing.TB) http.Handler {
	fuzzOnce.Do(func() {
		st, err := layerstore.Open(filepath.Join("testdata", "layers"))
		if err != nil {
			t.Fatal(err)
		}
		fuzzHandler = web.NewServer(st, web.Options{Extra: func(r *mux.Router, m web.Middleware) { Register(r, m, Options{}) }})
	})
	return fuzzHandler
}

// FuzzQueryParams sends arbitrary query strings (bbox, datetime, limit/offset, property
// filters, f, malformed escapes) and tile coordinates to every route that reads them:
// nothing may panic or answer 5xx, every error must be the JSON {"code", "error"} with
// the status it names, and every JSON answer must be valid JSON.
func FuzzQueryParams(f *testing.F) {
	for _, q := range []string{
		"", "bbox=44,39,46,41", "bbox=170,-10,-170,10", "bbox=0;0;1;1", "bbox=1,2,3", "bbox=NaN,0,1,1",
		"bbox=-180,-90,180,90,0,10", "datetime=2023-09-25", "datetime=../2023-09-25T10:00:00Z",
		"datetime=2023-W38", "datetime=2023-13-01", "datetime=2023-09-26T/..", "limit=1&offset=2",
		"limit=-1", "limit=99999999999999999999", "offset=1e3", "country_code=AM", "kind=city&kind=town",
		"q=%E0%A4%A", "%zz=1", "f=html", "f=json&bbox=44,39,46,41&datetime=2023", "article=a1&q=eri",
		"properties=name", "alternatives=x",
	} {
		for route := range uint8(6) {
			f.Add(route, q, "6", "40", "24")
		}
	}
	f.Fuzz(func(t *testing.T, route uint8, query, z, x, y string) {
		h := fuzzServer(t)
		var path string
		switch route % 6 {
		case 0:
			path = "/api/layers/mentions.geojson"
		case 1:
			path = "/api/layers/mentions.csv"
		case 2:
			path = "/ogc/collections/mentions/items"
		case 3:
			path = "/ogc/collections/mentions"
		case 4:
			path = "/tiles/mentions/" + url.PathEscape(z) + "/" + url.PathEscape(x) + "/" + url.PathEscape(y) + ".mvt"
		default:
			path = "/api/layers/routes.kml"
		}
		if strings.ContainsAny(query, "# \t\r\n") {
			return // not a query string a client can send
		}
		req := httptest.NewRequest(http.MethodGet, "http://example.org/", nil)
		req.URL.Path, req.URL.RawPath, req.URL.RawQuery = path, "", query
		req.RequestURI = req.URL.RequestURI()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s?%s: %d %s", path, query, rec.Code, rec.Body)
		}
		ct := rec.Header().Get("Content-Type")
		if rec.Code >= 400 {
			var e struct {
				Code  int    `json:"code"`
				Error string `json:"error"`
			}
			if ct != "application/json" || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Code != rec.Code || e.Error == "" {
				t.Fatalf("%s?%s: error %d as %q: %s", path, query, rec.Code, ct, rec.Body)
			}
			return
		}
		if strings.Contains(ct, "json") && rec.Header().Get("Content-Encoding") == "" && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s?%s: invalid JSON: %.300s", path, query, rec.Body)
		}
	})
}
