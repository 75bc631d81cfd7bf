package postgis_test

import (
	"context"
	"errors"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"newsmap/geo/layerstore"
	"newsmap/geo/layerstore/layertest"
	"newsmap/geo/postgis"
	"newsmap/geo/postgis/pgtest"
	"newsmap/geo/store"
)

func openStore(t *testing.T, url string) *postgis.Store {
	t.Helper()
	st, err := postgis.OpenStore(url, postgis.StoreOptions{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	return st
}

// TestStoreWithoutBuild: a database without a build is unavailable for now (503), not
// an internal error.
func TestStoreWithoutBuild(t *testing.T) {
	st := openStore(t, pgtest.DB(t))
	for _, call := range []func() error{
		func() error { _, err := st.Catalog(context.Background()); return err },
		func() error { _, err := st.Layer(context.Background(), "mentions"); return err },
	} {
		if err := call(); !errors.Is(err, store.ErrUnavailable) || !errors.Is(err, postgis.ErrNoBuild) {
			t.Errorf("err = %v, want ErrUnavailable and ErrNoBuild", err)
		}
	}
}

func TestStoreBadURL(t *testing.T) {
	if _, err := postgis.OpenStore("postgres://%zz", postgis.StoreOptions{}); err == nil {
		t.Error("OpenStore accepted a malformed URL")
	}
}

// TestStoreFollowsBuilds: the Store serves the last build; Refresh finds a newer one,
// and the answers, hashes and tiles are then the new build's.
func TestStoreFollowsBuilds(t *testing.T) {
	url := pgtest.DB(t)
	ctx := context.Background()
	conn := connect(t, url)
	write := func(n int) *layerstore.Layer {
		l := layertest.Layer(t, layertest.Spec{Name: "mentions", N: n, Seed: [2]uint64{uint64(n), 1}, MinLon: 40, MinLat: 38, DLon: 8, DLat: 4})
		if _, err := postgis.Write(ctx, conn, []*layerstore.Layer{l}); err != nil {
			t.Fatal(err)
		}
		return l
	}
	first := write(50)
	st := openStore(t, url)
	l, err := st.Layer(ctx, "mentions")
	if err != nil {
		t.Fatal(err)
	}
	if l.Count() != 50 || l.Hash() != first.Hash() || st.Build() == 0 {
		t.Fatalf("first build: %d features, hash %s (want %s), build %d", l.Count(), l.Hash(), first.Hash(), st.Build())
	}
	tile := maptile.At(orb.Point{44, 40}, 4)
	before, err := l.Tile(ctx, tile)
	if err != nil {
		t.Fatal(err)
	}
	if changed, err := st.Refresh(ctx); changed || err != nil {
		t.Errorf("Refresh without a new build = %v, %v", changed, err)
	}
	build := st.Build()
	second := write(80)
	if changed, err := st.Refresh(ctx); !changed || err != nil {
		t.Fatalf("Refresh after a new build = %v, %v", changed, err)
	}
	l, err = st.Layer(ctx, "mentions")
	if err != nil {
		t.Fatal(err)
	}
	if l.Count() != 80 || l.Hash() != second.Hash() || st.Build() <= build {
		t.Errorf("second build: %d features, hash %s (want %s), build %d after %d", l.Count(), l.Hash(), second.Hash(), st.Build(), build)
	}
	res, err := l.Query(ctx, layerstore.Query{})
	if err != nil || res.NumberMatched != 80 || len(res.JSON) != 80 {
		t.Fatalf("Query: %d matched, %d returned, %v", res.NumberMatched, len(res.JSON), err)
	}
	after, err := l.Tile(ctx, tile)
	if err != nil {
		t.Fatal(err)
	}
	if string(after.MVT) == string(before.MVT) {
		t.Error("the tile of the new build is the old one")
	}
	if _, err := st.Layer(ctx, "places"); !errors.Is(err, layerstore.ErrUnknownLayer) {
		t.Errorf("unknown layer: %v", err)
	}
	if _, err := l.Query(ctx, layerstore.Query{Limit: -1}); !errors.Is(err, layerstore.ErrBadQuery) {
		t.Errorf("negative limit: %v", err)
	}
	if _, err := l.Tile(ctx, maptile.Tile{X: 9, Y: 0, Z: 2}); err == nil {
		t.Error("a tile outside its zoom was rendered")
	}
}
