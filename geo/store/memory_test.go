package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"newsmap/geo/layerstore"
	"newsmap/geo/store"
)

const fixtures = "../layerstore/testdata/layers"

func memory(t *testing.T, dir string) (*store.Memory, *layerstore.Store) {
	t.Helper()
	st, err := layerstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return store.NewMemory(st, nil), st
}

func TestMemoryAnswersAsLayerstore(t *testing.T) {
	ctx := context.Background()
	m, st := memory(t, fixtures)
	cat, err := m.Catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Layers) != len(st.Layers()) || cat.Hash != st.Snapshot().Hash() {
		t.Fatalf("catalog: %d layers hash %s; layerstore %d hash %s", len(cat.Layers), cat.Hash, len(st.Layers()), st.Snapshot().Hash())
	}
	for i, l := range st.Layers() {
		got := cat.Layers[i]
		if got.Name() != l.Name() || got.Count() != l.Count() || got.Hash() != l.Hash() {
			t.Errorf("layer %d: %s/%d/%s, want %s/%d/%s", i, got.Name(), got.Count(), got.Hash(), l.Name(), l.Count(), l.Hash())
		}
	}
	bbox := orb.Bound{Min: orb.Point{170, -90}, Max: orb.Point{-170, 90}} // across the antimeridian
	for _, tc := range []struct {
		layer string
		q     layerstore.Query
	}{
		{"mentions", layerstore.Query{}},
		{"mentions", layerstore.Query{Limit: 2, Offset: 1}},
		{"mentions", layerstore.Query{BBox: &orb.Bound{Min: orb.Point{40, 35}, Max: orb.Point{50, 45}}}},
		{"routes", layerstore.Query{BBox: &bbox}},
		{"mentions", layerstore.Query{Q: "a"}},
	} {
		l, err := m.Layer(ctx, tc.layer)
		if err != nil {
			t.Fatal(err)
		}
		got, err := l.Query(ctx, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		ll, _ := st.Layer(tc.layer)
		want, _ := ll.Query(tc.q)
		if got.NumberMatched != want.NumberMatched || len(got.JSON) != len(want.Positions) || len(got.Features) != len(want.Features) {
			t.Fatalf("%s %+v: %d matched, %d returned; want %d, %d", tc.layer, tc.q, got.NumberMatched, len(got.JSON), want.NumberMatched, len(want.Positions))
		}
		for k, i := range want.Positions {
			if string(got.JSON[k]) != string(ll.FeatureJSON(i)) || layerstore.FeatureID(got.Features[k]) != layerstore.FeatureID(want.Features[k]) {
				t.Errorf("%s %+v: feature %d differs", tc.layer, tc.q, k)
			}
		}
	}
}

func TestMemoryLayerErrors(t *testing.T) {
	m, _ := memory(t, fixtures)
	for _, name := range []string{"nope", "Not_A_Layer", "../x"} {
		if _, err := m.Layer(context.Background(), name); !errors.Is(err, layerstore.ErrUnknownLayer) {
			t.Errorf("Layer(%q) = %v, want ErrUnknownLayer", name, err)
		}
	}
}

// TestMemoryLayerAllocatesNothing: finding a layer (every tile request does) costs a
// map lookup, not an allocation.
func TestMemoryLayerAllocatesNothing(t *testing.T) {
	m, _ := memory(t, fixtures)
	ctx := context.Background()
	if n := testing.AllocsPerRun(100, func() {
		l, err := m.Layer(ctx, "mentions")
		if err != nil || l.Hash() == "" {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("Layer allocates %.0f times", n)
	}
}

// TestMemoryFollowsReload: the catalogue and the layers are the snapshot's after a reload.
func TestMemoryFollowsReload(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(fixtures, "routes.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "routes.geojson")
	os.WriteFile(path, b, 0o644)
	m, st := memory(t, dir)
	ctx := context.Background()
	before, _ := m.Layer(ctx, "routes")
	os.WriteFile(path, []byte(`{"type":"FeatureCollection","features":[]}`), 0o644)
	mt := time.Now().Add(time.Second)
	os.Chtimes(path, mt, mt)
	if err := st.Reload(); err != nil {
		t.Fatal(err)
	}
	after, _ := m.Layer(ctx, "routes")
	if after.Hash() == before.Hash() || after.Count() != 0 {
		t.Errorf("after reload: hash %s (before %s), %d features", after.Hash(), before.Hash(), after.Count())
	}
	cat, _ := m.Catalog(ctx)
	if cat.Hash != st.Snapshot().Hash() {
		t.Errorf("catalog hash %s, snapshot %s", cat.Hash, st.Snapshot().Hash())
	}
	raw, _ := after.GeoJSON(ctx)
	if string(raw) != `{"type":"FeatureCollection","features":[]}` {
		t.Errorf("GeoJSON = %s", raw)
	}
	if _, err := after.Tile(ctx, maptile.New(0, 0, 0)); err != nil {
		t.Errorf("Tile: %v", err)
	}
}

func TestResultDecoded(t *testing.T) {
	for _, tc := range []struct {
		name string
		json []string
		ids  []string
		err  bool
	}{
		{"empty", nil, nil, false},
		{"encoded only", []string{`{"type":"Feature","id":"b","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"n": 1}}`,
			`{"type":"Feature","id":"c","geometry":null,"properties":{}}`}, []string{"b", "c"}, false},
		{"bad", []string{`{"type":"Feature",`}, nil, true},
	} {
		r := store.Result{NumberMatched: len(tc.json)}
		for _, j := range tc.json {
			r.JSON = append(r.JSON, []byte(j))
		}
		got, err := r.Decoded()
		if (err != nil) != tc.err {
			t.Fatalf("%s: err %v", tc.name, err)
		}
		if err != nil {
			continue
		}
		if len(got) != len(tc.ids) {
			t.Fatalf("%s: %d features, want %d", tc.name, len(got), len(tc.ids))
		}
		for i, f := range got {
			if f.ID != tc.ids[i] {
				t.Errorf("%s: feature %d id %v, want %s", tc.name, i, f.ID, tc.ids[i])
			}
		}
		if again, _ := r.Decoded(); len(again) > 0 && again[0] != got[0] {
			t.Errorf("%s: decoded twice", tc.name)
		}
	}
}
