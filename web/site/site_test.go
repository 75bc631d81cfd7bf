package site_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"newsmap/geo/layerstore"
	"newsmap/web/site"
)

func layers(t *testing.T, dir string) []*layerstore.Layer {
	t.Helper()
	st, err := layerstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return st.Layers()
}

func TestPublishIndex(t *testing.T) {
	dir, rep := publish(t, fixtureLayers, site.Options{})
	if rep.Files < 10 || rep.Archive.AddressedTiles == 0 || rep.Archive.TileContents > rep.Archive.AddressedTiles {
		t.Errorf("report %+v", rep)
	}
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx site.Index
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	if idx.Generator != site.Generator || idx.Tiles != site.TilesPath || idx.MaxZoom != 14 {
		t.Errorf("index head %+v", idx)
	}
	if !slices.Equal(idx.Extent, []string{"2021-01-11", "2023-10-01"}) {
		t.Errorf("extent %v, want to the end of 2023-W39", idx.Extent)
	}
	// The mentions layer counts the Stepanakert mention on 2023-09-25 and the week-dated
	// Armenia mention on each day of 2023-W39.
	var mi int
	for i, l := range idx.Layers {
		if l.Name == "mentions" {
			mi = i
		}
		for _, d := range l.Downloads {
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(d.Href))); err != nil {
				t.Errorf("download %s: %v", d.Href, err)
			}
		}
	}
	if got := idx.Days["2023-09-25"][mi]; got != 2 {
		t.Errorf("mentions on 2023-09-25: %d, want 2 (Stepanakert and the week)", got)
	}
	if got := idx.Days["2023-09-27"][mi]; got != 1 {
		t.Errorf("mentions on 2023-09-27: %d, want 1 (the week)", got)
	}
	found := false
	for _, p := range idx.Places {
		if slices.Contains(p.Names, "Moskau") && p.Name == "Moscow" {
			found = true
		}
	}
	if !found {
		t.Errorf("no search entry finds Moskau: %+v", idx.Places)
	}
	for _, f := range []string{"index.html", "site.js", "page.js", "schema.js", "app.css", "vendor/leaflet/leaflet.js",
		"vendor/protomaps-leaflet/protomaps-leaflet.js", "vendor/protomaps-leaflet/LICENSE",
		"vendor/world-atlas/countries-110m.json", site.TilesPath} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("site lacks %s", f)
		}
	}
}

func TestPublishReplacesOnlyASite(t *testing.T) {
	ls := layers(t, fixtureLayers)
	root := t.TempDir()
	out := filepath.Join(root, "site")
	if _, err := site.Publish(context.Background(), ls, out, site.Options{}); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(out, "data", "stale.geojson")
	if err := os.WriteFile(stale, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A second publication replaces the first whole.
	if _, err := site.Publish(context.Background(), ls, out, site.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("file of the earlier site survived: %v", err)
	}
	// A folder with other things in it is refused and left as it is.
	other := filepath.Join(root, "docs")
	if err := os.MkdirAll(other, 0o755); err != nil {
		t.Fatal(err)
	}
	keep := filepath.Join(other, "notes.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := site.Publish(context.Background(), ls, other, site.Options{}); !errors.Is(err, site.ErrNotSite) {
		t.Errorf("publish into a non-site folder: %v, want ErrNotSite", err)
	}
	if b, err := os.ReadFile(keep); err != nil || string(b) != "mine" {
		t.Errorf("non-site folder touched: %q %v", b, err)
	}
	// A cancelled publication leaves the earlier site and no temporary folder.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := site.Publish(ctx, ls, out, site.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	ents, _ := os.ReadDir(root)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"docs", "site"}) {
		t.Errorf("folder after a cancelled publication: %v", names)
	}
	if _, err := site.Publish(context.Background(), nil, out, site.Options{}); !errors.Is(err, site.ErrNoLayers) {
		t.Errorf("no layers: %v", err)
	}
}
