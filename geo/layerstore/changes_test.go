package layerstore

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestChanges follows a layer file through the life a server reports: added, updated,
// broken (the previous version still served, the reason in words), fixed, removed.
func TestChanges(t *testing.T) {
	dir := t.TempDir()
	s, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Layers()) != 0 {
		t.Fatal("New loaded layers")
	}
	path := filepath.Join(dir, "a.geojson")
	mod := time.Now()
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		mod = mod.Add(time.Second)
		os.Chtimes(path, mod, mod)
	}
	point := `{"type":"Feature","id":"%d","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"id":"%d"}}`
	layer := func(n int) string {
		var fs []string
		for i := range n {
			fs = append(fs, fmt.Sprintf(point, i, i))
		}
		return `{"type":"FeatureCollection","features":[` + strings.Join(fs, ",") + `]}`
	}
	step := func(want string) {
		t.Helper()
		old := s.Snapshot()
		s.Reload()
		var got []string
		for _, c := range Changes(old, s.Snapshot()) {
			g := fmt.Sprintf("%s %s %d", c.Layer, c.Kind, c.Features)
			if c.Kind == Failed {
				g += fmt.Sprintf(" serving=%v: %v", c.Serving, c.Err)
			}
			got = append(got, g)
		}
		if g := strings.Join(got, "; "); !strings.HasPrefix(g, want) || (want == "" && g != "") {
			t.Errorf("changes %q, want %q…", g, want)
		}
	}
	write(layer(1))
	step("a added 1")
	write(layer(2))
	step("a updated 2")
	write(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":"x"}}]}`)
	step("a failed 2 serving=true: layerstore: bad layer file " + path + ": invalid GeoJSON at byte")
	step("") // reported once
	write(`{"type":"FeatureCollection","features":[`)
	step("a failed 2 serving=true: layerstore: bad layer file " + path + ": the JSON ends early")
	write(layer(3))
	step("a fixed 3")
	os.Remove(path)
	step("a removed 0")
	if err := s.Snapshot().Problems(); len(err) != 0 {
		t.Errorf("problems left: %v", err)
	}
}
