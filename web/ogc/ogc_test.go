package ogc

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"newsmap/geo/layerstore"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var fixedNow = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

func testHandler(t testing.TB) http.Handler {
	t.Helper()
	st, err := layerstore.Open(filepath.Join("testdata", "layers"))
	if err != nil {
		t.Fatal(err)
	}
	return Handler(st, Options{BaseURL: "http://example.org", Now: func() time.Time { return fixedNow }})
}

func get(t testing.TB, h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// golden compares indented JSON with testdata/NAME.json.
func golden(t *testing.T, name string, body []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, body, "", "  "); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, body)
	}
	buf.WriteByte('\n')
	path := filepath.Join("testdata", name+".json")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./web/ogc -update)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("%s differs from %s (run go test ./web/ogc -update and review the diff):\n%s", name, path, buf.String())
	}
}

func TestGolden(t *testing.T) {
	h := testHandler(t)
	for _, tc := range []struct{ name, target, ctype string }{
		{"landing", "/ogc", typeJSON},
		{"conformance", "/ogc/conformance", typeJSON},
		{"collections", "/ogc/collections", typeJSON},
		{"collection_mentions", "/ogc/collections/mentions", typeJSON},
		{"collection_regions", "/ogc/collections/regions?f=json", typeJSON},
		{"items_routes", "/ogc/collections/routes/items?limit=1", typeGeoJSON},
		{"item_place", "/ogc/collections/places/items/gn:146970", typeGeoJSON},
		{"queryables_mentions", "/ogc/collections/mentions/queryables", typeSchema},
		{"openapi", "/ogc/api", typeOpenAPI},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(t, h, tc.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", tc.target, rec.Code, rec.Body)
			}
			if got := rec.Header().Get("Content-Type"); got != tc.ctype {
				t.Errorf("%s: Content-Type %q, want %q", tc.target, got, tc.ctype)
			}
			golden(t, tc.name, rec.Body.Bytes())
		})
	}
}

func TestConformanceClasses(t *testing.T) {
	rec := get(t, testHandler(t), "/ogc/conformance")
	var doc struct{ ConformsTo []string }
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"core", "oas30", "html", "geojson"} {
		if !slices.Contains(doc.ConformsTo, "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"+c) {
			t.Errorf("conformance class %s missing: %v", c, doc.ConformsTo)
		}
	}
}

func TestLandingLinks(t *testing.T) {
	rec := get(t, testHandler(t), "/ogc")
	var doc struct{ Links []Link }
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"self":         typeJSON,
		"alternate":    typeHTML,
		"service-desc": typeOpenAPI,
		"service-doc":  typeHTML,
		relConf:        typeJSON,
		relData:        typeJSON,
	}
	for rel, typ := range want {
		if !slices.ContainsFunc(doc.Links, func(l Link) bool { return l.Rel == rel && l.Type == typ }) {
			t.Errorf("no link rel=%s type=%s in %+v", rel, typ, doc.Links)
		}
	}
	for _, l := range doc.Links {
		if l.Rel == "service-desc" && l.Href != "http://example.org/ogc/api" {
			t.Errorf("service-desc href %q", l.Href)
		}
	}
}

func TestNegotiation(t *testing.T) {
	h := testHandler(t)
	paths := []string{
		"/ogc", "/ogc/conformance", "/ogc/api", "/ogc/collections", "/ogc/collections/mentions",
		"/ogc/collections/mentions/items", "/ogc/collections/mentions/items/a1:10",
		"/ogc/collections/mentions/queryables",
	}
	browser := "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	for _, p := range paths {
		for _, tc := range []struct {
			query, accept string
			html          bool
		}{
			{"", "", false},
			{"", "*/*", false},
			{"", browser, true},
			{"", "application/json", false},
			{"", "application/geo+json, application/json;q=0.9", false},
			{"", "text/html;q=0.5, application/json", false},
			{"", "image/png", false},
			{"f=html", "application/json", true},
			{"f=json", browser, false},
		} {
			target := p
			if tc.query != "" {
				target += "?" + tc.query
			}
			rec := get(t, h, target, "Accept", tc.accept)
			if rec.Code != http.StatusOK {
				t.Errorf("%s Accept %q: %d %s", target, tc.accept, rec.Code, rec.Body)
				continue
			}
			ct := rec.Header().Get("Content-Type")
			isHTML := strings.HasPrefix(ct, "text/html")
			if isHTML != tc.html {
				t.Errorf("%s Accept %q: Content-Type %q, want HTML %v", target, tc.accept, ct, tc.html)
			}
			if isHTML && !strings.Contains(rec.Body.String(), "<!doctype html>") {
				t.Errorf("%s: not an HTML page: %.200s", target, rec.Body)
			}
			if !isHTML && !json.Valid(rec.Body.Bytes()) {
				t.Errorf("%s: invalid JSON: %.200s", target, rec.Body)
			}
			if !slices.Contains(rec.Header().Values("Vary"), "Accept") {
				t.Errorf("%s: no Vary: Accept", target)
			}
			if strings.Contains(p, "/items") && !isHTML && rec.Header().Get("Content-Crs") != "<"+crs84+">" {
				t.Errorf("%s: Content-Crs %q", target, rec.Header().Get("Content-Crs"))
			}
		}
	}
}

func TestErrors(t *testing.T) {
	h := testHandler(t)
	for _, tc := range []struct {
		target string
		code   int
	}{
		{"/ogc?f=xml", 400},
		{"/ogc?f=json&f=html", 400},
		{"/ogc?foo=1", 400},
		{"/ogc/conformance?limit=1", 400},
		{"/ogc/collections?bbox=0,0,1,1", 400},
		{"/ogc/collections/nope", 404},
		{"/ogc/collections/nope/items", 404},
		{"/ogc/collections/nope/items/x", 404},
		{"/ogc/collections/Bad..Name/items", 404},
		{"/ogc/collections/mentions/items/nope", 404},
		{"/ogc/collections/mentions/items/a1:10?limit=1", 400},
		{"/ogc/collections/mentions/nothing", 404},
		{"/ogc/nothing", 404},
		{"/ogc/collections/mentions/items?bbox=1,2,3", 400},
		{"/ogc/collections/mentions/items?bbox=a,b,c,d", 400},
		{"/ogc/collections/mentions/items?bbox=0,91,1,92", 400},
		{"/ogc/collections/mentions/items?bbox=0,2,1,1", 400},
		{"/ogc/collections/mentions/items?bbox=", 400},
		{"/ogc/collections/mentions/items?datetime=yesterday", 400},
		{"/ogc/collections/mentions/items?datetime=../..", 400},
		{"/ogc/collections/mentions/items?datetime=2023-09-26/2023-09-25", 400},
		{"/ogc/collections/mentions/items?datetime=2023-13-01", 400},
		{"/ogc/collections/mentions/items?limit=abc", 400},
		{"/ogc/collections/mentions/items?limit=0", 400},
		{"/ogc/collections/mentions/items?limit=-1", 400},
		{"/ogc/collections/mentions/items?limit=1&limit=2", 400},
		{"/ogc/collections/mentions/items?offset=x", 400},
		{"/ogc/collections/mentions/items?offset=-1", 400},
		{"/ogc/collections/mentions/items?unknown=1", 400},
		{"/ogc/collections/mentions/items?alternatives=x", 400},
		{"/ogc/collections/mentions/items?bbox-crs=" + url.QueryEscape(crs84), 400},
		{"/ogc/collections/mentions/items?bbox=0;0;1;1", 400},
		{"/ogc/collections/mentions/items?%zz=1", 400},
		{"/ogc?f=json;x", 400},
		{"/ogc/collections/mentions/items/a1:12?q=%", 400},
		{"/ogc/collections/mentions/queryables?a=1;b=2", 400},
		{"/ogc/collections/mentions/items?limit=20000", 200},
		{"/ogc/collections/mentions/items?country_code=XX", 200},
	} {
		rec := get(t, h, tc.target)
		if rec.Code != tc.code {
			t.Errorf("%s: %d, want %d: %s", tc.target, rec.Code, tc.code, rec.Body)
			continue
		}
		if tc.code >= 400 {
			var body struct {
				Code  int
				Error string
			}
			if ct := rec.Header().Get("Content-Type"); ct != typeJSON {
				t.Errorf("%s: error Content-Type %q", tc.target, ct)
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Code != tc.code || body.Error == "" {
				t.Errorf("%s: error body %s (%v)", tc.target, rec.Body, err)
			}
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/ogc/collections", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Content-Type") != typeJSON || rec.Header().Get("Allow") == "" {
		t.Errorf("POST /ogc/collections: %d %q, Allow %q", rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Allow"))
	}
}

type page struct {
	Type           string
	NumberMatched  int
	NumberReturned int
	TimeStamp      string
	Links          []Link
	Features       []struct {
		ID         string
		Properties map[string]any
	}
}

func items(t *testing.T, h http.Handler, target string) page {
	t.Helper()
	rec := get(t, h, target)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
	}
	var p page
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p page) ids() []string {
	var out []string
	for _, f := range p.Features {
		out = append(out, f.ID)
	}
	return out
}

func (p page) link(rel string) (Link, bool) {
	for _, l := range p.Links {
		if l.Rel == rel {
			return l, true
		}
	}
	return Link{}, false
}

func TestItemsFilters(t *testing.T) {
	h := testHandler(t)
	for _, tc := range []struct {
		target string
		want   []string
	}{
		{"mentions/items", []string{"a1:10", "a1:55", "a1:90", "a2:12", "a2:40", "a2:70", "a2:99"}},
		{"mentions/items?bbox=43,39,47,41", []string{"a1:10", "a1:55", "a1:90"}},
		{"mentions/items?bbox=43,39,0,47,41,10", []string{"a1:10", "a1:55", "a1:90"}},
		// Across the antimeridian.
		{"mentions/items?bbox=170,-20,-170,-10", []string{"a2:70", "a2:99"}},
		{"mentions/items?datetime=2023-09-25", []string{"a1:10", "a1:90", "a2:12", "a2:99"}},
		{"mentions/items?datetime=2023-09-25T16:00:00Z", []string{"a1:10", "a2:12", "a2:99"}},
		{"mentions/items?datetime=2023-09-25T14:30:00%2B00:00", []string{"a1:10", "a1:90", "a2:12", "a2:99"}},
		{"mentions/items?datetime=../2023-09-19", []string{"a2:12", "a2:40", "a2:70"}},
		{"mentions/items?datetime=/2023-09-19", []string{"a2:12", "a2:40", "a2:70"}},
		{"mentions/items?datetime=2023-10-01/..", []string{"a2:99"}},
		{"mentions/items?datetime=2023-09-26T00:00:00Z/2023-09-30T00:00:00Z", []string{"a1:55", "a2:12", "a2:99"}},
		{"mentions/items?country_code=AM", []string{"a1:10", "a1:55"}},
		{"mentions/items?country_code=AM&bbox=46,39,47,40", []string{"a1:55"}},
		{"mentions/items?geonames_id=146970", []string{"a1:90"}},
		{"mentions/items?confidence=0.5", []string{"a2:99"}},
		{"mentions/items?country_code=AM&datetime=2023-09-26", []string{"a1:55"}},
		// GDAL before 3.7 sends dates with a bare T.
		{"mentions/items?datetime=2023-09-26T/..", []string{"a1:55", "a2:12", "a2:99"}},
		{"mentions/items?datetime=../2023-09-19T", []string{"a2:12", "a2:40", "a2:70"}},
		{"places/items?articles=a2", []string{"gn:146970", "gn:587084"}},
		// A line whose bounding box meets the bbox but that passes beside it.
		{"routes/items?bbox=48,40,50,42", nil},
		{"routes/items?bbox=44,44,45,45", []string{"route:a2:diagonal"}},
		// A triangle whose bounding box holds the bbox, which lies outside it.
		{"regions/items?bbox=47.1,46,48,46.9", nil},
		{"regions/items?bbox=50,38,51,39", []string{"cur:caspian-sea"}},
		// A bbox inside a polygon.
		{"regions/items?bbox=44,39,45,40", []string{"cc:AM"}},
	} {
		p := items(t, h, "/ogc/collections/"+tc.target)
		if got := p.ids(); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.target, got, tc.want)
		}
		if p.NumberMatched != len(tc.want) || p.NumberReturned != len(tc.want) {
			t.Errorf("%s: numberMatched %d numberReturned %d, want %d", tc.target, p.NumberMatched, p.NumberReturned, len(tc.want))
		}
		if p.Type != "FeatureCollection" || p.TimeStamp != "2024-01-02T03:04:05Z" {
			t.Errorf("%s: type %q timeStamp %q", tc.target, p.Type, p.TimeStamp)
		}
	}
}

func TestItemsPaging(t *testing.T) {
	h := testHandler(t)
	var seen []string
	target := "/ogc/collections/mentions/items?limit=3&country_code=AM&f=json"
	for n := 0; target != ""; n++ {
		if n > 5 {
			t.Fatal("next links do not end")
		}
		p := items(t, h, strings.TrimPrefix(target, "http://example.org"))
		seen = append(seen, p.ids()...)
		if p.NumberMatched != 2 {
			t.Errorf("numberMatched %d", p.NumberMatched)
		}
		target = ""
		if l, ok := p.link("next"); ok {
			target = l.Href
		}
	}
	if !slices.Equal(seen, []string{"a1:10", "a1:55"}) {
		t.Errorf("pages gave %v", seen)
	}

	seen = nil
	target = "/ogc/collections/mentions/items?limit=2"
	var last page
	for n := 0; target != ""; n++ {
		if n > 10 {
			t.Fatal("next links do not end")
		}
		p := items(t, h, strings.TrimPrefix(target, "http://example.org"))
		if p.NumberReturned > 2 || p.NumberMatched != 7 {
			t.Errorf("%s: numberReturned %d numberMatched %d", target, p.NumberReturned, p.NumberMatched)
		}
		_, hasPrev := p.link("prev")
		if hasPrev != (n > 0) {
			t.Errorf("page %d: prev link %v", n, hasPrev)
		}
		for _, rel := range []string{"self", "alternate", "collection"} {
			if _, ok := p.link(rel); !ok {
				t.Errorf("page %d: no %s link", n, rel)
			}
		}
		seen = append(seen, p.ids()...)
		last = p
		target = ""
		if l, ok := p.link("next"); ok {
			if l.Type != typeGeoJSON {
				t.Errorf("next link type %q", l.Type)
			}
			target = l.Href
		}
	}
	if len(seen) != 7 || last.NumberReturned != 1 {
		t.Errorf("paged through %v, last page %d features", seen, last.NumberReturned)
	}
	prev, _ := last.link("prev")
	if u, _ := url.Parse(prev.Href); u.Query().Get("offset") != "4" {
		t.Errorf("prev of the last page: %s", prev.Href)
	}

	p := items(t, h, "/ogc/collections/mentions/items")
	if p.NumberReturned != 7 {
		t.Errorf("default limit: %d features", p.NumberReturned)
	}
	p = items(t, h, "/ogc/collections/mentions/items?offset=100")
	if p.NumberReturned != 0 || p.NumberMatched != 7 {
		t.Errorf("offset past the end: %d of %d", p.NumberReturned, p.NumberMatched)
	}
	p = items(t, h, "/ogc/collections/mentions/items?limit=99999")
	if l, _ := p.link("self"); !strings.Contains(l.Href, "limit=99999") {
		t.Errorf("self link %s", l.Href)
	}
}

func TestItem(t *testing.T) {
	h := testHandler(t)
	rec := get(t, h, "/ogc/collections/mentions/items/a1:90")
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var f struct {
		Type       string
		ID         string
		Geometry   struct{ Type string }
		Properties map[string]any
		Links      []Link
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	if f.Type != "Feature" || f.ID != "a1:90" || f.Geometry.Type != "Point" || f.Properties["name"] != "Xankandi" {
		t.Errorf("feature %+v", f)
	}
	for _, rel := range []string{"self", "alternate", "collection"} {
		if !slices.ContainsFunc(f.Links, func(l Link) bool { return l.Rel == rel }) {
			t.Errorf("no %s link", rel)
		}
	}
	html := get(t, h, "/ogc/collections/mentions/items/a1:90?f=html").Body.String()
	if !strings.Contains(html, "Xankandi") {
		t.Errorf("HTML feature page lacks the name")
	}
}

// TestOpenAPI checks that the API definition describes every collection's operations and
// parameters, and that every path it lists answers.
func TestOpenAPI(t *testing.T) {
	h := testHandler(t)
	rec := get(t, h, "/ogc/api", "Accept", typeOpenAPI)
	if ct := rec.Header().Get("Content-Type"); ct != typeOpenAPI {
		t.Fatalf("Content-Type %q", ct)
	}
	var doc struct {
		OpenAPI string
		Servers []struct{ URL string }
		Paths   map[string]struct {
			Get struct {
				Parameters []map[string]any
				Responses  map[string]any
			}
		}
		Components struct{ Parameters map[string]map[string]any }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0.") || len(doc.Servers) != 1 || doc.Servers[0].URL != "http://example.org/ogc" {
		t.Errorf("openapi %q servers %v", doc.OpenAPI, doc.Servers)
	}
	for _, c := range []string{"mentions", "places", "routes", "regions"} {
		for _, p := range []string{"/collections/" + c, "/collections/" + c + "/items", "/collections/" + c + "/items/{featureId}", "/collections/" + c + "/queryables"} {
			if _, ok := doc.Paths[p]; !ok {
				t.Errorf("path %s missing", p)
			}
		}
	}
	names := func(path string) []string {
		var out []string
		for _, p := range doc.Paths[path].Get.Parameters {
			if r, ok := p["$ref"].(string); ok {
				c := doc.Components.Parameters[strings.TrimPrefix(r, "#/components/parameters/")]
				if c == nil {
					t.Errorf("%s: dangling %s", path, r)
				}
				out = append(out, c["name"].(string))
				continue
			}
			out = append(out, p["name"].(string))
		}
		return out
	}
	got := names("/collections/mentions/items")
	for _, want := range []string{"bbox", "datetime", "limit", "offset", "f", "country_code", "kind", "date"} {
		if !slices.Contains(got, want) {
			t.Errorf("items parameters %v lack %s", got, want)
		}
	}
	if slices.Contains(got, "alternatives") {
		t.Errorf("alternatives (objects) declared queryable")
	}
	if l := doc.Components.Parameters["limit"]["schema"].(map[string]any); l["maximum"] != float64(MaxLimit) || l["default"] != float64(DefaultLimit) {
		t.Errorf("limit schema %v", l)
	}
	for p := range doc.Paths {
		target := "/ogc" + strings.TrimSuffix(strings.ReplaceAll(p, "{featureId}", "a1:10"), "/")
		if strings.Contains(p, "{featureId}") {
			c := strings.Split(p, "/")[2]
			first := map[string]string{"mentions": "a1:10", "places": "gn:146970", "routes": "route:a2:diagonal", "regions": "cc:AM"}[c]
			target = "/ogc" + strings.ReplaceAll(p, "{featureId}", first)
		}
		for _, f := range []string{"json", "html"} {
			if rec := get(t, h, target+"?f="+f); rec.Code != 200 {
				t.Errorf("%s?f=%s: %d %s", target, f, rec.Code, rec.Body)
			}
		}
		// Every parameter the definition lists is accepted.
		for _, n := range names(p) {
			if n == "featureId" {
				continue
			}
			v := map[string]string{"bbox": "-180,-90,180,90", "datetime": "2023-09-25", "limit": "5", "offset": "1", "f": "json"}[n]
			if v == "" {
				v = "x"
			}
			for _, num := range []string{"geonames_id", "confidence", "mention_count", "article_count", "start", "end", "quote_start"} {
				if n == num {
					v = "1"
				}
			}
			if rec := get(t, h, target+"?"+n+"="+url.QueryEscape(v)); rec.Code != 200 {
				t.Errorf("%s?%s=%s: %d %s", target, n, v, rec.Code, rec.Body)
			}
		}
	}
	html := get(t, h, "/ogc/api?f=html").Body.String()
	if !strings.Contains(html, "/collections/mentions/items") || !strings.Contains(html, "country_code") {
		t.Errorf("HTML API documentation lacks the items path or its filters")
	}
}

func TestHTMLEscapes(t *testing.T) {
	h := testHandler(t)
	body := get(t, h, `/ogc/collections/mentions/items?f=html&name=%3Cscript%3E`).Body.String()
	if strings.Contains(body, "<script>") {
		t.Error("HTML page echoes markup unescaped")
	}
}

func TestHead(t *testing.T) {
	h := testHandler(t)
	req := httptest.NewRequest(http.MethodHead, "/ogc/collections/mentions/items", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != typeGeoJSON {
		t.Errorf("HEAD: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
}

// TestHTMLHeaders: the HTML pages have a Content-Security-Policy and no CORS; the JSON
// documents are readable from any origin.
func TestHTMLHeaders(t *testing.T) {
	h := testHandler(t)
	for _, tc := range []struct {
		target string
		html   bool
	}{
		{"/ogc?f=html", true},
		{"/ogc/collections/mentions/items?f=html", true},
		{"/ogc?f=json", false},
		{"/ogc/collections/mentions/items", false},
	} {
		hd := get(t, h, tc.target).Header()
		if (hd.Get("Access-Control-Allow-Origin") == "*") == tc.html {
			t.Errorf("%s: Access-Control-Allow-Origin %q", tc.target, hd.Get("Access-Control-Allow-Origin"))
		}
		if csp := hd.Get("Content-Security-Policy"); tc.html && !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s: CSP %q", tc.target, csp)
		}
	}
}
