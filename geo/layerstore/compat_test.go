package layerstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"newsmap/geo/layerstore"
	"newsmap/geo/layerstore/layertest"
	"newsmap/geo/schema"
	"newsmap/geo/tiles"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestAnswersUnchanged")

// TestAnswersUnchanged compares every answer a layer gives (metadata, each feature's
// encoding, geometry and file position, queries, lookups by id, the spatial index and
// vector tiles) with golden files written by the in-memory layer store that came before
// the on-disk index (commit f324f52): the index must not change an observable answer.
// The small layers' answers are kept as text, the synthetic layer's as digests.
func TestAnswersUnchanged(t *testing.T) {
	dir := t.TempDir()
	for _, src := range []string{"testdata/layers/mentions.geojson", "testdata/layers/regions.geojson",
		"testdata/layers/routes.geojson", "testdata/compat/mixed.geojson"} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(src)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st, err := layerstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	synth := layertest.Layer(t, layertest.Spec{Name: "synth", N: 3000, Seed: [2]uint64{3, 4},
		MinLon: -20, MinLat: 30, DLon: 50, DLat: 30,
		Props: func(i int, r *rand.Rand) string {
			day := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(400))
			return fmt.Sprintf(`"name":"Place %d","kind":"%s","article_id":"a%d","date":"%s","mention_count":%d`,
				i%97, []string{"city", "region", "river"}[i%3], i%50, day.Format("2006-01-02"), r.IntN(9))
		}})
	layers := append(st.Layers(), synth)
	for _, l := range layers {
		t.Run(l.Name(), func(t *testing.T) {
			got := answers(t, l)
			golden := filepath.Join("testdata", "compat", l.Name()+".golden.txt")
			if l.Name() == "synth" {
				got = digests(got)
			}
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
				for i := range min(len(gl), len(wl)) {
					if gl[i] != wl[i] {
						t.Fatalf("line %d differs:\n got %s\nwant %s", i+1, gl[i], wl[i])
					}
				}
				t.Fatalf("%d lines, want %d", len(gl), len(wl))
			}
		})
	}
}

// digests replaces each line's answer by a digest, keeping the part before ": ".
func digests(s string) string {
	var sb strings.Builder
	for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		k, v, _ := strings.Cut(line, ": ")
		sum := sha256.Sum256([]byte(v))
		fmt.Fprintf(&sb, "%s: %s\n", k, hex.EncodeToString(sum[:8]))
	}
	return sb.String()
}

func answers(t *testing.T, l *layerstore.Layer) string {
	var sb strings.Builder
	line := func(k string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		fmt.Fprintf(&sb, "%s: %s\n", k, b)
	}
	b, hasB := l.Bound()
	iv, hasIv := l.TimeExtent()
	line("layer", map[string]any{"name": l.Name(), "title": l.Title(), "count": l.Count(), "hash": l.Hash(),
		"bound": b, "hasBound": hasB, "extent": fmt.Sprintf("%+v", iv), "hasExtent": hasIv,
		"fields": l.Fields(), "titleMember": l.TitleMember()})
	for i := range l.Count() {
		f, err := l.FeatureAt(i)
		if err != nil {
			t.Fatal(err)
		}
		enc, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		var g any
		if geom := l.Geometry(i); geom != nil {
			g = geojson.NewGeometry(geom)
		}
		line(fmt.Sprintf("feature %d", i), map[string]any{"json": string(l.FeatureJSON(i)), "decoded": string(enc),
			"geometry": g, "fileOrder": l.FileOrder(i), "keys": layerstore.KeysOf(f)})
		byID, ok := l.Feature(layerstore.FeatureID(f))
		if !ok {
			t.Fatalf("Feature(%q) not found", layerstore.FeatureID(f))
		}
		line(fmt.Sprintf("feature %d by id", i), byID.ID)
	}
	_, ok := l.Feature("no such id")
	line("missing id", ok)
	for k, f := range l.Features() {
		if got, want := string(must(json.Marshal(f))), string(must(json.Marshal(must(l.FeatureAt(k))))); got != want {
			t.Errorf("Features()[%d] = %s, FeatureAt = %s", k, got, want)
		}
	}
	day := func(s string) time.Time { return must(time.Parse("2006-01-02", s)) }
	bound := func(a, b, c, d float64) *orb.Bound { return &orb.Bound{Min: orb.Point{a, b}, Max: orb.Point{c, d}} }
	queries := []layerstore.Query{
		{},
		{Limit: 2, Offset: 1},
		{BBox: bound(44, 39, 47, 41)},
		{BBox: bound(-180, -90, 180, 90)},
		{BBox: bound(25, 25, 25.5, 25.5)}, // inside the hole of poly-hole
		{BBox: bound(21, 21, 22, 22)},     // inside poly-hole
		{BBox: bound(170, -50, -160, 20)}, // across the antimeridian
		{BBox: bound(-5, 40, 10, 55), Limit: 5},
		{BBox: bound(0, 30, 30, 60), GeometryOnly: true, Limit: 20},
		{BBox: bound(0, 30, 30, 60), Encoded: true, Offset: 3, Limit: 10},
		{Time: &schema.Interval{Start: day("2023-09-24"), End: day("2023-09-25")}},
		{Time: &schema.Interval{Start: day("2023-03-01")}},
		{Time: &schema.Interval{End: day("1900-01-01")}},
		{Article: "a2"}, {Article: "x2"}, {Article: "a7"},
		{Q: "stepan"}, {Q: "LOCH"}, {Q: "ß"}, {Q: "place 1"},
		{Props: map[string]string{"kind": "city"}},
		{Props: map[string]string{"tags": "3"}},
		{Props: map[string]string{"ok": "true", "count": "2"}},
		{Props: map[string]string{"mention_count": "4"}, Limit: 7},
		{Props: map[string]string{"e\"sc": "quote key"}},
		{Q: "place", Time: &schema.Interval{Start: day("2023-06-01"), End: day("2023-07-01")}, BBox: bound(0, 30, 30, 60)},
	}
	for k, q := range queries {
		res, err := l.Query(q)
		if err != nil {
			t.Fatalf("query %d: %v", k, err)
		}
		var fs []string
		for _, f := range res.Features {
			fs = append(fs, string(must(json.Marshal(f))))
		}
		line(fmt.Sprintf("query %d", k), map[string]any{"positions": res.Positions, "matched": res.NumberMatched, "features": fs})
	}
	for k, b := range []orb.Bound{*bound(44, 39, 47, 41), *bound(-180, -90, 180, 90), *bound(0, 0, 0, 0), *bound(20, 20, 21, 21)} {
		line(fmt.Sprintf("intersecting %d", k), l.Intersecting(b))
	}
	r := tiles.New(tiles.Options{CacheEntries: -1})
	for _, tl := range []maptile.Tile{maptile.New(0, 0, 0), maptile.New(8, 5, 4), maptile.New(160, 97, 8),
		maptile.New(40, 24, 6), maptile.New(4, 2, 3), maptile.New(2, 1, 2)} {
		e, err := r.Render(context.Background(), l, tl)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(e.MVT)
		line(fmt.Sprintf("tile %d/%d/%d", tl.Z, tl.X, tl.Y), hex.EncodeToString(sum[:]))
	}
	return sb.String()
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
