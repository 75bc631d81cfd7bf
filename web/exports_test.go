package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"mime"
	"net/http"
	"strings"
	"testing"

	"newsmap/geo/export"
	"newsmap/geo/layerstore"
)

func newExportServer(t testing.TB) http.Handler {
	t.Helper()
	return NewServer(openStore(t), Options{})
}

func TestExports(t *testing.T) {
	h := newExportServer(t)
	l, err := openStore(t).Layer("mentions")
	if err != nil {
		t.Fatal(err)
	}
	n := l.Count()
	for _, f := range export.Formats() {
		if f.Name == export.GeoJSON {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			rec := do(h, http.MethodGet, "/api/layers/mentions."+f.Name)
			if rec.Code != http.StatusOK {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			if got := rec.Header().Get("Content-Type"); got != f.MediaType {
				t.Errorf("Content-Type %q, want %q", got, f.MediaType)
			}
			disp, params, err := mime.ParseMediaType(rec.Header().Get("Content-Disposition"))
			if err != nil || disp != "attachment" || params["filename"] != "mentions"+f.Extension {
				t.Errorf("Content-Disposition %q", rec.Header().Get("Content-Disposition"))
			}
			tag := `"` + l.Hash() + "-" + f.Name + `"`
			if got := rec.Header().Get("ETag"); got != tag {
				t.Errorf("ETag %q, want %q", got, tag)
			}
			b := rec.Body.Bytes()
			switch f.Name {
			case export.GeoPackage:
				if !bytes.HasPrefix(b, []byte("SQLite format 3\x00")) {
					t.Errorf("not an SQLite file: %q", b[:min(16, len(b))])
				}
			case export.KML:
				var doc struct {
					Placemarks []struct{} `xml:"Document>Folder>Placemark"`
					Flat       []struct{} `xml:"Document>Placemark"`
				}
				if err := xml.Unmarshal(b, &doc); err != nil {
					t.Fatal(err)
				}
				if got := len(doc.Placemarks) + len(doc.Flat); got != n {
					t.Errorf("%d placemarks, want %d", got, n)
				}
			case export.CSV:
				rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				if len(rows) != n+1 {
					t.Errorf("%d rows, want header + %d", len(rows), n)
				}
			case export.GeoJSONSeq:
				lines := strings.Split(strings.TrimSpace(string(b)), "\n")
				if len(lines) != n {
					t.Errorf("%d lines, want %d", len(lines), n)
				}
				for _, ln := range lines {
					if !json.Valid([]byte(strings.TrimPrefix(ln, "\x1e"))) {
						t.Errorf("invalid line %q", ln)
					}
				}
			}

			// Revalidation, HEAD and the cached rendering.
			if rec := do(h, http.MethodGet, "/api/layers/mentions."+f.Name, "If-None-Match", tag); rec.Code != http.StatusNotModified {
				t.Errorf("If-None-Match: %d", rec.Code)
			}
			head := do(h, http.MethodHead, "/api/layers/mentions."+f.Name)
			if head.Code != http.StatusOK || head.Body.Len() != 0 || head.Header().Get("Content-Type") != f.MediaType {
				t.Errorf("HEAD: %d, %d bytes, %q", head.Code, head.Body.Len(), head.Header().Get("Content-Type"))
			}
			if again := do(h, http.MethodGet, "/api/layers/mentions."+f.Name); !bytes.Equal(again.Body.Bytes(), b) && f.Name != export.GeoPackage {
				t.Error("second download differs")
			}
		})
	}
}

func TestExportRoutes(t *testing.T) {
	h := newExportServer(t)
	// The GeoJSON route of layers.go still answers .geojson.
	rec := do(h, http.MethodGet, "/api/layers/mentions.geojson")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != typeGeoJSON || rec.Header().Get("Content-Disposition") != "" {
		t.Errorf(".geojson: %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Content-Disposition"))
	}
	// .geojsons is the file extension of GeoJSON text sequences.
	a := do(h, http.MethodGet, "/api/layers/mentions.geojsons")
	b := do(h, http.MethodGet, "/api/layers/mentions.geojsonseq")
	if a.Code != 200 || !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
		t.Errorf(".geojsons: %d", a.Code)
	}
	for _, tc := range []struct {
		target string
		code   int
	}{
		{"/api/layers/nope.gpkg", 404},
		{"/api/layers/Not_A_Layer.csv", 404},
		{"/api/layers/mentions.shp", 404},
		{"/api/layers/mentions.csv?bogus=1", 400},
		{"/api/layers/mentions.csv?bbox=1,2,3", 400},
		{"/api/layers/mentions.kml?country_code=AZ", 200},
	} {
		rec := do(h, http.MethodGet, tc.target)
		if rec.Code != tc.code {
			t.Errorf("%s: %d, want %d: %s", tc.target, rec.Code, tc.code, rec.Body)
		}
		if tc.code >= 400 && rec.Header().Get("Content-Type") != typeJSON {
			t.Errorf("%s: error as %q", tc.target, rec.Header().Get("Content-Type"))
		}
	}
	if rec := do(h, http.MethodPost, "/api/layers/mentions.csv"); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", rec.Code)
	}
}

func TestExportFiltered(t *testing.T) {
	h := newExportServer(t)
	all := do(h, http.MethodGet, "/api/layers/mentions.csv")
	az := do(h, http.MethodGet, "/api/layers/mentions.csv?country_code=AZ")
	if az.Code != 200 {
		t.Fatalf("%d %s", az.Code, az.Body)
	}
	count := func(b []byte) int {
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return len(rows) - 1
	}
	st := openStore(t)
	res, err := st.Query("mentions", layerstoreQuery("country_code", "AZ"))
	if err != nil {
		t.Fatal(err)
	}
	if got := count(az.Body.Bytes()); got != res.NumberMatched || got >= count(all.Body.Bytes()) {
		t.Errorf("filtered CSV has %d rows, want %d (of %d)", got, res.NumberMatched, count(all.Body.Bytes()))
	}
	if az.Header().Get("ETag") == all.Header().Get("ETag") {
		t.Error("filtered and full exports share an ETag")
	}
}

func TestExportGzip(t *testing.T) {
	h := newExportServer(t)
	rec := do(h, http.MethodGet, "/api/layers/regions.kml", "Accept-Encoding", "gzip")
	if rec.Code != 200 {
		t.Fatal(rec.Code)
	}
	if rec.Header().Get("Content-Encoding") == "gzip" && !strings.HasSuffix(rec.Header().Get("ETag"), `-gz"`) {
		t.Errorf("gzip variant ETag %q", rec.Header().Get("ETag"))
	}
	if !strings.Contains(body(t, rec), "<kml") {
		t.Error("not KML")
	}
}

func layerstoreQuery(k, v string) layerstore.Query {
	return layerstore.Query{Props: map[string]string{k: v}}
}
