package tiles

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/paulmach/orb/maptile"

	"newsmap/geo/layerstore"
)

func TestWarm(t *testing.T) {
	l, _ := store(t).Layer("mentions")
	r := New(Options{})
	w := r.Warm(context.Background(), l, WarmOptions{MaxZoom: 6})
	if !w.Complete || w.Tiles == 0 || w.Bytes == 0 {
		t.Fatalf("Warm = %+v", w)
	}
	renders := r.Stats().Renders
	if renders != int64(w.Tiles) {
		t.Errorf("%d renders for %d tiles", renders, w.Tiles)
	}
	// The tiles readers ask for first are now in the cache.
	for _, tile := range []maptile.Tile{maptile.New(0, 0, 0), maptile.New(2, 1, 2), maptile.New(40, 24, 6)} {
		if _, err := r.Render(context.Background(), l, tile); err != nil {
			t.Fatal(err)
		}
	}
	if st := r.Stats(); st.Renders != renders {
		t.Errorf("warmed tiles rendered again: %d renders after warming, %d before", st.Renders, renders)
	}
	// Warming again finds everything in the cache.
	if again := r.Warm(context.Background(), l, WarmOptions{MaxZoom: 6}); again.Tiles != w.Tiles || r.Stats().Renders != renders {
		t.Errorf("second Warm = %+v, renders %d", again, r.Stats().Renders)
	}
}

func TestWarmBounds(t *testing.T) {
	l, _ := store(t).Layer("mentions")
	for _, tt := range []struct {
		name string
		opts WarmOptions
		ctx  func() context.Context
		max  int
	}{
		{"tiles", WarmOptions{MaxZoom: 8, MaxTiles: 3}, context.Background, 3},
		{"bytes", WarmOptions{MaxZoom: 8, MaxBytes: 1}, context.Background, 1},
		{"ctx", WarmOptions{MaxZoom: 8}, func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := New(Options{})
			w := r.Warm(tt.ctx(), l, tt.opts)
			if w.Complete || w.Tiles != tt.max {
				t.Errorf("Warm = %+v, want %d tiles and incomplete", w, tt.max)
			}
		})
	}
}

// TestWarmStore checks that the warmer warms every layer once and a reloaded layer again.
func TestWarmStore(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"mentions", "routes"} {
		b, _ := os.ReadFile(filepath.Join(fixtures, n+".geojson"))
		os.WriteFile(filepath.Join(dir, n+".geojson"), b, 0o644)
	}
	s, err := layerstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := New(Options{})
	ctx, cancel := context.WithCancel(context.Background())
	reports := make(chan Warmed, 10)
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.WarmStore(ctx, s, time.Millisecond, WarmOptions{}, func(w Warmed) { reports <- w })
	}()
	got := map[string]int{}
	for range 2 {
		w := <-reports
		got[w.Layer]++
	}
	// Reload a changed routes layer: only it is warmed again.
	path := filepath.Join(dir, "routes.geojson")
	b, _ := os.ReadFile(path)
	os.WriteFile(path, append(b, '\n'), 0o644)
	mt := time.Now().Add(time.Second)
	os.Chtimes(path, mt, mt)
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	w := <-reports
	got[w.Layer]++
	cancel()
	<-done
	if got["mentions"] != 1 || got["routes"] != 2 {
		t.Errorf("warmings per layer: %v, want mentions 1, routes 2", got)
	}
}

// TestWarmSkipsLargeTiles warms a layer whose low-zoom tiles are too large for the cache:
// they are skipped, not rendered and thrown away.
func TestWarmSkipsLargeTiles(t *testing.T) {
	l := synthetic(t, 5000)
	r := New(Options{CacheBytes: 2 << 20}) // keeps tiles up to 256 KiB
	w := r.Warm(context.Background(), l, WarmOptions{MaxZoom: 7})
	st := r.Stats()
	if w.Skipped == 0 || w.Tiles == 0 || st.Renders != int64(w.Tiles) {
		t.Errorf("Warm = %+v, %d renders; want some tiles skipped and every rendered tile counted", w, st.Renders)
	}
	if st.Cache.Entries+int(st.Cache.Evicted) != w.Tiles {
		t.Errorf("%d tiles kept and %d evicted of %d rendered: a rendered tile was too large to keep", st.Cache.Entries, st.Cache.Evicted, w.Tiles)
	}
	if _, err := r.Render(context.Background(), l, maptile.New(0, 0, 0)); err != nil || r.Stats().Renders != st.Renders+1 {
		t.Errorf("the skipped z0 tile: err %v, renders %d", err, r.Stats().Renders)
	}
}
