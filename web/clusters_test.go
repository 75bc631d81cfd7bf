package web

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"newsmap/geo/layerstore/layertest"
)

func TestClusters(t *testing.T) {
	h := newTestServer(t, Options{})
	type resp struct {
		NumberMatched int `json:"numberMatched"`
		LeftOut       int `json:"left_out"`
		Features      []struct {
			Geometry struct {
				Coordinates []float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties struct {
				Count int       `json:"count"`
				ID    string    `json:"id"`
				BBox  []float64 `json:"bbox"`
			} `json:"properties"`
		} `json:"features"`
	}
	tests := []struct {
		query   string
		matched int
		counts  []int
		singles []string
	}{
		// at zoom 2 the four Caucasus mentions share a cell, Moscow is alone
		{"zoom=2", 5, []int{4, 1}, []string{"a0:7"}},
		{"zoom=12", 5, []int{1, 1, 1, 1, 1}, []string{"a0:7", "a1:12", "a1:95", "a2:40", "a1:80"}},
		// the time filter runs on the server: 25 September 2023 (a1:80 is dated the week before)
		{"zoom=12&datetime=2023-09-25", 2, []int{1, 1}, []string{"a1:12", "a1:95"}},
		{"zoom=2&bbox=40,38,50,45", 4, []int{4}, nil},
		{"zoom=12&kind=city&datetime=2021-01-01/2021-12-31", 1, []int{1}, []string{"a0:7"}},
	}
	for _, tt := range tests {
		rec := do(h, http.MethodGet, "/api/layers/mentions/clusters?"+tt.query)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", tt.query, rec.Code, rec.Body)
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/geo+json") {
			t.Errorf("%s: Content-Type %q", tt.query, ct)
		}
		var r resp
		if err := json.Unmarshal([]byte(body(t, rec)), &r); err != nil {
			t.Fatal(err)
		}
		var counts []int
		var singles []string
		for _, f := range r.Features {
			counts = append(counts, f.Properties.Count)
			if f.Properties.ID != "" {
				singles = append(singles, f.Properties.ID)
			}
			if len(f.Properties.BBox) != 4 || len(f.Geometry.Coordinates) != 2 {
				t.Errorf("%s: feature %+v", tt.query, f)
			}
		}
		if r.NumberMatched != tt.matched || len(counts) != len(tt.counts) || len(singles) != len(tt.singles) {
			t.Errorf("%s: matched %d counts %v singles %v, want %d %v %v", tt.query, r.NumberMatched, counts, singles, tt.matched, tt.counts, tt.singles)
			continue
		}
		for i := range counts {
			if counts[i] != tt.counts[i] {
				t.Errorf("%s: counts %v, want %v", tt.query, counts, tt.counts)
			}
		}
		for i := range singles {
			if singles[i] != tt.singles[i] {
				t.Errorf("%s: singles %v, want %v (west to east)", tt.query, singles, tt.singles)
			}
		}
	}
}

func TestClustersBadRequests(t *testing.T) {
	h := newTestServer(t, Options{})
	for _, q := range []string{"", "zoom=x", "zoom=99", "zoom=3&cell=1", "zoom=3&limit=5", "zoom=3&frobnicate=1", "zoom=3&zoom=4", "zoom=3&bbox=1,2"} {
		rec := do(h, http.MethodGet, "/api/layers/mentions/clusters?"+q)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"code":400`) {
			t.Errorf("%q: %d %s", q, rec.Code, rec.Body)
		}
	}
	if rec := do(h, http.MethodGet, "/api/layers/nope/clusters?zoom=3"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown layer: %d", rec.Code)
	}
}

// BenchmarkClusters100k measures the clusters of a 100,000-point layer at the zooms of a
// first view (the whole layer in the box) and of a region, computed (each request asks
// for another cell size, so that none is answered from the page cache).
func BenchmarkClusters100k(b *testing.B) {
	store := layertest.Open(b, layertest.Spec{Name: "mentions", N: 100000, Seed: [2]uint64{7, 11},
		MinLon: -10, MinLat: 30, DLon: 60, DLat: 30,
		Props: func(i int, r *rand.Rand) string {
			return fmt.Sprintf(`"date":"2023-%02d-%02d"`, 1+r.IntN(12), 1+r.IntN(28))
		}})
	h := NewServer(store, Options{})
	for _, q := range []string{"zoom=3&bbox=-180,-60,180,80", "zoom=3&bbox=-180,-60,180,80&datetime=2023-06-01/2023-06-30", "zoom=7&bbox=10,40,20,45"} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			cell := 10
			for b.Loop() {
				cell++
				req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/layers/mentions/clusters?%s&cell=%d", q, cell), nil)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatal(rec.Code, rec.Body)
				}
			}
		})
	}
}
