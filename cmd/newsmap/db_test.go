package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb/encoding/mvt"

	"newsmap/geo/layerstore"
	"newsmap/geo/postgis/pgtest"
	"newsmap/geo/tiles"
	"newsmap/web"
	"newsmap/web/ogc"
)

func handlerFor(store *layerstore.Store) http.Handler {
	return web.NewServer(store, web.Options{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Tiles:  tiles.New(tiles.Options{}),
		Extra: func(r *mux.Router, m web.Middleware) {
			ogc.Register(r, m, ogc.Options{})
		},
	})
}

// volatile are response members that name a layer version or the time of the
// response, not the data: they differ between any two stores.
var volatile = map[string]bool{"timeStamp": true, "hash": true, "etag": true, "modified": true, "updated": true, "loaded": true, "version": true}

func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k := range x {
			if volatile[k] {
				delete(x, k)
				continue
			}
			x[k] = normalize(x[k])
		}
	case []any:
		for i := range x {
			x[i] = normalize(x[i])
		}
	}
	return v
}

// answer is a route's response reduced to what must be equal: the status, the content
// type and the body (JSON parsed and without volatile members; vector tiles decoded).
func answer(t *testing.T, h http.Handler, path string) string {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	ct := rec.Header().Get("Content-Type")
	body := rec.Body.Bytes()
	if rec.Header().Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	switch {
	case strings.Contains(ct, "vnd.mapbox-vector-tile"):
		ls, err := mvt.Unmarshal(body)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var parts []string
		for _, l := range ls {
			for _, f := range l.Features {
				b, _ := json.Marshal(f)
				parts = append(parts, l.Name+" "+string(b))
			}
		}
		sort.Strings(parts)
		body = []byte(strings.Join(parts, "\n"))
	case strings.Contains(ct, "json"):
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatalf("%s: %v\n%s", path, err, body)
		}
		body, _ = json.Marshal(normalize(v))
	}
	return fmt.Sprintf("%d %s\n%s", rec.Code, ct, body)
}

// TestServeFromPostGIS: `build -db` writes the layers into PostGIS, `serve -db` syncs
// them back, and every route answers as it does from the layer files.
func TestServeFromPostGIS(t *testing.T) {
	url := pgtest.DB(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	const fixture = "../../web/static/testdata/layers"
	var out bytes.Buffer
	if err := writeDB(ctx, url, fixture, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "into PostGIS") {
		t.Errorf("writeDB said %q", out.String())
	}
	files, err := layerstore.Open(fixture)
	if err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(t.TempDir(), "db-cache")
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := followDB(ctx, url, cache, time.Hour, logger, func() {}); err != nil {
		t.Fatal(err)
	}
	fromDB, err := layerstore.Open(cache)
	if err != nil {
		t.Fatal(err)
	}
	a, b := handlerFor(files), handlerFor(fromDB)
	for _, path := range []string{
		"/api/layers",
		"/api/layers/mentions.geojson",
		"/api/layers/places.geojson",
		"/api/layers/regions.geojson",
		"/api/layers/routes.geojson",
		"/api/layers/mentions.geojson?bbox=46,39,47.5,40.5",
		"/api/layers/mentions.geojson?datetime=2023-09-25",
		"/api/layers/places.geojson?q=moskau",
		"/ogc/collections",
		"/ogc/collections/mentions",
		"/ogc/collections/mentions/items?bbox=30,30,50,60&datetime=2021-01-01/2023-12-31&limit=2",
		"/ogc/collections/regions/items",
		"/ogc/collections/places/items?name=Moscow",
		"/tiles/mentions/6/40/24.mvt",
		"/tiles/regions/4/10/5.mvt",
		"/tiles/mentions.json",
	} {
		wa, wb := answer(t, a, path), answer(t, b, path)
		if wa != wb {
			t.Errorf("%s differs:\nfiles:   %.600s\npostgis: %.600s", path, wa, wb)
		} else if !strings.HasPrefix(wa, "200 ") {
			t.Logf("%s: %.80s", path, wa)
		}
	}
	if !reflect.DeepEqual(len(files.Layers()), len(fromDB.Layers())) {
		t.Errorf("layers: %d from files, %d from PostGIS", len(files.Layers()), len(fromDB.Layers()))
	}
}
