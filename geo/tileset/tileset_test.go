package tileset_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb/encoding/mvt"

	"newsmap/geo/layerstore"
	"newsmap/geo/layerstore/layertest"
	"newsmap/geo/pmtiles"
	"newsmap/geo/tileset"
)

type tile struct {
	z    uint8
	x, y uint32
	data []byte
}

func build(t *testing.T, layers []*layerstore.Layer, opts tileset.Options) ([]tile, tileset.Stats) {
	t.Helper()
	var out []tile
	var last uint64
	st, err := tileset.Build(context.Background(), layers, opts, pmtiles.TileID, func(z uint8, x, y uint32, data []byte) error {
		id, _ := pmtiles.TileID(z, x, y)
		if len(out) > 0 && id <= last {
			t.Fatalf("tile %d/%d/%d out of order", z, x, y)
		}
		last = id
		out = append(out, tile{z, x, y, data})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, st
}

// decode returns the MVT layers of a gzipped tile.
func decode(t *testing.T, data []byte) map[string]*mvt.Layer {
	t.Helper()
	ls, err := mvt.UnmarshalGzipped(data)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*mvt.Layer{}
	for _, l := range ls {
		out[l.Name] = l
	}
	return out
}

func fixture(t *testing.T) []*layerstore.Layer {
	st, err := layerstore.Open("../layerstore/testdata/layers")
	if err != nil {
		t.Fatal(err)
	}
	return st.Layers()
}

func TestBuildFixture(t *testing.T) {
	layers := fixture(t)
	tl, st := build(t, layers, tileset.Options{})
	if st.Tiles != len(tl) || st.Tiles == 0 {
		t.Fatalf("stats %+v for %d tiles", st, len(tl))
	}
	byZoom := map[uint8]map[string]bool{}
	for _, x := range tl {
		if byZoom[x.z] == nil {
			byZoom[x.z] = map[string]bool{}
		}
		for name := range decode(t, x.data) {
			byZoom[x.z][name] = true
		}
	}
	for z := uint8(0); z <= 14; z++ {
		got := byZoom[z]
		if !got["mentions"] || !got["routes"] {
			t.Errorf("z%d: layers %v, want mentions and routes", z, got)
		}
		if wantRegions := z <= 8; got["regions"] != wantRegions {
			t.Errorf("z%d: regions present %v, want %v (areas stop at AreaMaxZoom)", z, got["regions"], wantRegions)
		}
	}
	infos := tileset.Layers(layers, tileset.Options{})
	var names []string
	for _, in := range infos {
		names = append(names, fmt.Sprintf("%s:%d-%d", in.ID, in.MinZoom, in.MaxZoom))
	}
	if got := strings.Join(names, " "); got != "mentions:0-14 regions:0-8 routes:0-14" {
		t.Errorf("layers %s", got)
	}
}

// TestBudget: 20,000 mentions of one spot with long quotes on 30 days are thinned at
// every zoom (at 14 too) to fit 500 kB, keep one feature per day, and count them all.
func TestBudget(t *testing.T) {
	quote := strings.Repeat("Ein langer Satz über die Stadt. ", 8)
	l := layertest.Layer(t, layertest.Spec{Name: "mentions", N: 20000, MinLon: 44.5, MinLat: 40.18,
		Props: func(i int, r *rand.Rand) string {
			return fmt.Sprintf(`"name":"Jerewan","quote":%q,"date":"2023-09-%02d","confidence":%.3f`, quote, 1+i%30, r.Float64())
		}})
	tl, st := build(t, []*layerstore.Layer{l}, tileset.Options{MaxZoom: 14})
	if st.MaxTileBytes > 500_000 || st.Thinned == 0 {
		t.Fatalf("stats %+v", st)
	}
	for _, x := range tl {
		ml := decode(t, x.data)["mentions"]
		total := 0
		days := map[any]bool{}
		for _, f := range ml.Features {
			days[f.Properties["date"]] = true
			if c, ok := f.Properties["point_count"].(float64); ok {
				total += int(c)
			} else {
				total++
			}
		}
		if total != 20000 || len(days) != 30 {
			t.Fatalf("%d/%d/%d: %d features count %d points on %d days; want 20000 on 30", x.z, x.x, x.y, len(ml.Features), total, len(days))
		}
	}
}

// TestManyDates: 3,000 mentions of one spot, each on its own day, end up as one
// feature per tile that lists every day.
func TestManyDates(t *testing.T) {
	l := layertest.Layer(t, layertest.Spec{Name: "mentions", N: 3000, MinLon: 13.4, MinLat: 52.5,
		Props: func(i int, r *rand.Rand) string {
			return fmt.Sprintf(`"name":"Berlin","date":%q`, time.Date(2015, 1, 1+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
		}})
	tl, _ := build(t, []*layerstore.Layer{l}, tileset.Options{MaxZoom: 6})
	for _, x := range tl {
		ml := decode(t, x.data)["mentions"]
		if len(ml.Features) != 1 {
			t.Fatalf("%d/%d/%d: %d features, want 1", x.z, x.x, x.y, len(ml.Features))
		}
		p := ml.Features[0].Properties
		var dates []string
		if err := json.Unmarshal([]byte(p["dates"].(string)), &dates); err != nil || len(dates) != 3000 || p["point_count"] != 3000.0 {
			t.Fatalf("%d/%d/%d: point_count %v, %d dates (%v)", x.z, x.x, x.y, p["point_count"], len(dates), err)
		}
	}
}

// TestHourDates: a group across dates lists an hour as its day (the time slider's step),
// and every other date as it is.
func TestHourDates(t *testing.T) {
	for _, tc := range []struct {
		name string
		date func(i int) string
		want []string
	}{
		{"hours of three days", func(i int) string {
			return time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i%72) * time.Hour).Format("2006-01-02T15:04")
		}, []string{"2024-05-01", "2024-05-02", "2024-05-03"}},
		{"hours with a trailing Z, and weeks", func(i int) string {
			if i%2 == 0 {
				return fmt.Sprintf("2024-W%02d", 10+i%4)
			}
			return time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i%48) * time.Hour).Format("2006-01-02T15Z")
		}, []string{"2024-05-01", "2024-05-02", "2024-W10", "2024-W12"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := layertest.Layer(t, layertest.Spec{Name: "mentions", N: 1500, MinLon: 13.4, MinLat: 52.5,
				Props: func(i int, r *rand.Rand) string { return fmt.Sprintf(`"name":"Berlin","date":%q`, tc.date(i)) }})
			tl, _ := build(t, []*layerstore.Layer{l}, tileset.Options{MaxZoom: 4, MaxPoints: 2})
			for _, x := range tl {
				ml := decode(t, x.data)["mentions"]
				if len(ml.Features) != 1 {
					t.Fatalf("%d/%d/%d: %d features, want 1", x.z, x.x, x.y, len(ml.Features))
				}
				var dates []string
				if err := json.Unmarshal([]byte(ml.Features[0].Properties["dates"].(string)), &dates); err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(dates) != fmt.Sprint(tc.want) {
					t.Fatalf("%d/%d/%d: dates %v, want %v", x.z, x.x, x.y, dates, tc.want)
				}
			}
		})
	}
}

func TestBuildCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := tileset.Build(ctx, fixture(t), tileset.Options{}, pmtiles.TileID, func(uint8, uint32, uint32, []byte) error { return nil })
	if err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestProgressAndCancel: Progress reports each level's tiles as they are rendered and
// once when it is done; a ctx cancelled from it stops Build at that level.
func TestProgressAndCancel(t *testing.T) {
	mixed := goldenCases[1]
	for _, stopAt := range []int{-1, 0, 4, 9} {
		t.Run(fmt.Sprintf("cancel at zoom %d", stopAt), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			layers := mixed.layers(t)
			opts := mixed.opts
			var calls []tileset.Progress
			opts.Progress = func(p tileset.Progress) {
				calls = append(calls, p)
				if p.Zoom == stopAt {
					cancel()
				}
			}
			emitted, maxZoom := 0, -1
			_, err := tileset.Build(ctx, layers, opts, pmtiles.TileID, func(z uint8, _, _ uint32, _ []byte) error {
				emitted++
				maxZoom = max(maxZoom, int(z))
				return nil
			})
			if stopAt < 0 {
				if err != nil {
					t.Fatal(err)
				}
			} else if err != context.Canceled || maxZoom > stopAt {
				t.Fatalf("err = %v, tiles up to zoom %d; want context.Canceled at zoom %d", err, maxZoom, stopAt)
			}
			done := map[int]bool{}
			prev := tileset.Progress{Zoom: -1}
			for _, p := range calls {
				if p.Zoom < prev.Zoom || (p.Zoom == prev.Zoom && p.Done <= prev.Done) || p.Done > p.Total || p.Tiles < prev.Tiles {
					t.Fatalf("progress %+v after %+v", p, prev)
				}
				if p.Done == p.Total {
					done[p.Zoom] = true
				}
				prev = p
			}
			if prev.Tiles != emitted {
				t.Errorf("last progress %+v, %d tiles emitted", prev, emitted)
			}
			if want := opts.MaxZoom + 1; stopAt < 0 && len(done) != want {
				t.Errorf("%d levels reported done, want %d", len(done), want)
			}
		})
	}
}

// BenchmarkBuild renders the pyramid of 10,000 mention-like points (z0-8).
func BenchmarkBuild(b *testing.B) {
	l := layertest.Layer(b, layertest.Spec{Name: "mentions", N: 10000, Seed: [2]uint64{1, 2},
		MinLon: -10, MinLat: 35, DLon: 40, DLat: 25, Props: mixedProps})
	b.ReportAllocs()
	for b.Loop() {
		_, err := tileset.Build(context.Background(), []*layerstore.Layer{l}, tileset.Options{MaxZoom: 8}, pmtiles.TileID,
			func(uint8, uint32, uint32, []byte) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
}
