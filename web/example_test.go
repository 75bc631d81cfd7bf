package web_test

import (
	"fmt"
	"io"
	"net/http/httptest"

	"newsmap/geo/layerstore"
	"newsmap/web"
)

func ExampleNewServer() {
	store, err := layerstore.Open("../geo/layerstore/testdata/layers")
	if err != nil {
		fmt.Println(err)
		return
	}
	h := web.NewServer(store, web.Options{})
	for _, target := range []string{
		"/api/layers/mentions.geojson?bbox=43,38,51,43&datetime=2023-09-25&limit=1",
		"/api/layers/mentions.geojson?bbox=1,2,3",
		"/tiles/mentions/23/0/0.mvt",
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		b, _ := io.ReadAll(rec.Body)
		fmt.Println(rec.Code, rec.Header().Get("Content-Type"), string(b[:min(len(b), 75)]))
	}
	// Output:
	// 200 application/geo+json {"type":"FeatureCollection","numberMatched":2,"numberReturned":1,"features"
	// 400 application/json {"code":400,"error":"layerstore: bad query: bbox: want 4 numbers (minLon,mi
	// 400 application/json {"code":400,"error":"tiles: bad tile coordinates: zoom 23 outside 0..22"}
}
