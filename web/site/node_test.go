package site_test

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"

	"newsmap/web/site"
)

// summary is what geo/pmtiles/testdata/read.mjs prints.
type summary struct {
	SpecVersion  int            `json:"spec_version"`
	TileType     int            `json:"tile_type"`
	MaxZoom      int            `json:"max_zoom"`
	Addressed    uint64         `json:"addressed"`
	Features     int            `json:"features"`
	MaxBytes     int            `json:"max_bytes"`
	Layers       map[string]int `json:"layers"`
	Zooms        map[string]int `json:"zooms"`
	VectorLayers []string       `json:"vector_layers"`
}

// readWithNode reads the site's archive with the reference reader (npm pmtiles under
// node) and decodes every tile with @mapbox/vector-tile.
func readWithNode(t *testing.T, dir string) summary {
	t.Helper()
	node := tool(t, "node", "nodejs")
	nm := nodeModules(t)
	out, err := exec.Command(node, "../../geo/pmtiles/testdata/read.mjs", filepath.Join(dir, site.TilesPath), nm).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("node reader: %v\n%s", err, stderr)
	}
	var s summary
	if err := json.Unmarshal(out, &s); err != nil {
		t.Fatalf("node reader printed %q: %v", out, err)
	}
	return s
}

// TestArchiveReadByNPMPMTiles: the published archive, read by the reference reader,
// has every tile the writer wrote, at every zoom, each a valid vector tile.
func TestArchiveReadByNPMPMTiles(t *testing.T) {
	dir, rep := publish(t, fixtureLayers, site.Options{})
	s := readWithNode(t, dir)
	if s.SpecVersion != 3 || s.TileType != 1 || s.MaxZoom != 14 {
		t.Errorf("header as read: %+v", s)
	}
	if s.Addressed != rep.Archive.AddressedTiles || s.Addressed == 0 {
		t.Errorf("node read %d tiles, the writer addressed %d", s.Addressed, rep.Archive.AddressedTiles)
	}
	for z := 0; z <= 14; z++ {
		if s.Zooms[fmt.Sprint(z)] == 0 {
			t.Errorf("no tiles at zoom %d: %v", z, s.Zooms)
		}
	}
	if fmt.Sprint(s.VectorLayers) != "[mentions places regions routes]" {
		t.Errorf("vector_layers %v", s.VectorLayers)
	}
}
