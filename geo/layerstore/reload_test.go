package layerstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// tempStore copies the fixtures into a temporary folder and opens it.
func tempStore(t *testing.T) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	for _, n := range []string{"mentions", "routes", "regions"} {
		copyFile(t, filepath.Join(fixtures, n+".geojson"), filepath.Join(dir, n+".geojson"))
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

// rewrite writes content and moves the modification time forward, so the change is seen
// even on file systems with coarse timestamps.
func rewrite(t testing.TB, path, content string, tick int) {
	t.Helper()
	writeFile(t, path, content)
	mt := time.Now().Add(time.Duration(tick) * time.Second)
	if err := os.Chtimes(path, mt, mt); err != nil {
		t.Fatal(err)
	}
}

func pointsFC(n int, id string) string {
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"Feature","id":"%s%04d","geometry":{"type":"Point","coordinates":[%d,%d]},"properties":{"id":"%s%04d","date":"2023-09-25"}}`, id, i, i%180, i%90, id, i)
	}
	b.WriteString(`]}`)
	return b.String()
}

func count(t *testing.T, s *Store, name string) int {
	t.Helper()
	l, err := s.Layer(name)
	if err != nil {
		t.Fatal(err)
	}
	return l.Count()
}

func TestReload(t *testing.T) {
	s, dir := tempStore(t)
	path := filepath.Join(dir, "mentions.geojson")
	first := s.Snapshot()

	// Nothing changed: the same snapshot stays.
	if err := s.Reload(); err != nil || s.Snapshot() != first {
		t.Fatalf("unchanged Reload: err %v, snapshot swapped %v", err, s.Snapshot() != first)
	}

	// A rewritten file gives a new snapshot; the old one is untouched.
	rewrite(t, path, pointsFC(2, "m"), 1)
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "mentions"); n != 2 {
		t.Fatalf("after rewrite: %d features, want 2", n)
	}
	if l, _ := first.Layer("mentions"); l.Count() != 5 {
		t.Fatal("old snapshot changed")
	}
	if s.Snapshot().Hash() == first.Hash() {
		t.Error("snapshot hash did not change")
	}
	routesBefore, _ := first.Layer("routes")
	routesAfter, _ := s.Layer("routes")
	if routesBefore != routesAfter {
		t.Error("an unchanged layer was re-read")
	}
	good := s.Snapshot()

	// A truncated file keeps the last good layer and names the file, once.
	full := pointsFC(3, "m")
	rewrite(t, path, full[:len(full)/2], 2)
	err := s.Reload()
	if !errors.Is(err, ErrBadLayer) || !strings.Contains(err.Error(), "mentions.geojson") {
		t.Fatalf("truncated file: err = %v", err)
	}
	if n := count(t, s, "mentions"); n != 2 {
		t.Fatalf("after truncation: %d features, want the old 2", n)
	}
	if l, _ := s.Layer("mentions"); l.Hash() != mustLayer(t, good, "mentions").Hash() {
		t.Error("hash of the kept layer changed")
	}
	if p := s.Snapshot().Problems(); len(p) != 1 || !strings.Contains(p[0].Error(), "mentions.geojson") {
		t.Errorf("problems = %v", p)
	}
	if err := s.Reload(); err != nil {
		t.Errorf("second Reload of the same bad file: %v, want nil (reported once)", err)
	}

	// Repaired: new layer, no problems.
	rewrite(t, path, full, 3)
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "mentions"); n != 3 || len(s.Snapshot().Problems()) != 0 {
		t.Fatalf("after repair: %d features, problems %v", n, s.Snapshot().Problems())
	}

	// Removed and added files.
	if err := os.Remove(filepath.Join(dir, "regions.geojson")); err != nil {
		t.Fatal(err)
	}
	rewrite(t, filepath.Join(dir, "extra_layer.geojson"), pointsFC(1, "x"), 4)
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Layer("regions"); !errors.Is(err, ErrUnknownLayer) {
		t.Errorf("removed layer: err = %v", err)
	}
	if n := count(t, s, "extra_layer"); n != 1 {
		t.Errorf("added layer: %d features", n)
	}
}

func mustLayer(t *testing.T, s *Snapshot, name string) *Layer {
	t.Helper()
	l, err := s.Layer(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestWatch(t *testing.T) {
	s, dir := tempStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 10)
	done := make(chan struct{})
	go func() {
		s.Watch(ctx, 5*time.Millisecond, func(err error) { errc <- err })
		close(done)
	}()
	rewrite(t, filepath.Join(dir, "routes.geojson"), `{"type":"FeatureCollection","features":[`, 1)
	select {
	case err := <-errc:
		if !errors.Is(err, ErrBadLayer) || !strings.Contains(err.Error(), "routes.geojson") {
			t.Errorf("Watch error = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Watch reported nothing")
	}
	rewrite(t, filepath.Join(dir, "routes.geojson"), pointsFC(4, "r"), 2)
	deadline := time.Now().Add(5 * time.Second)
	for count(t, s, "routes") != 4 {
		if time.Now().After(deadline) {
			t.Fatal("Watch did not pick up the repaired file")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
}

// TestConcurrentReload runs queries while files are rewritten and reloaded; run with -race.
func TestConcurrentReload(t *testing.T) {
	s, dir := tempStore(t)
	path := filepath.Join(dir, "mentions.geojson")
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				snap := s.Snapshot()
				l, err := snap.Layer("mentions")
				if err != nil {
					t.Error(err)
					return
				}
				res, err := l.Query(Query{BBox: bbox("-180,-90,180,90"), Time: when("2023-09-25")})
				if err != nil {
					t.Error(err)
					return
				}
				// A layer is whole: a full-extent query on a fixture or rewritten layer
				// matches a known number of features.
				if n := res.NumberMatched; n != 2 && n != 10 && n != 11 {
					t.Errorf("matched %d", n)
					return
				}
				_ = l.Count()
				_ = s.Layers()
			}
		})
	}
	for i := range 30 {
		n := 10 + i%2
		content := pointsFC(n, "c")
		if i%5 == 4 {
			content = content[:len(content)-7] // truncated: must be rejected
		}
		rewrite(t, path, content, i+1)
		_ = s.Reload()
	}
	close(stop)
	wg.Wait()
}

// TestGeoJSONChanged: a layer's GeoJSON is its file as loaded; once the file holds
// another version, GeoJSON fails with ErrChanged until a Reload loads it.
func TestGeoJSONChanged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.geojson")
	v1 := `{"type":"FeatureCollection","features":[{"type":"Feature","id":"1","geometry":{"type":"Point","coordinates":[1,2]},"properties":{}}]}`
	os.WriteFile(path, []byte(v1), 0o644)
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := s.Layer("a")
	if got, err := l.GeoJSON(); err != nil || string(got) != v1 {
		t.Fatalf("GeoJSON = %q, %v", got, err)
	}
	var buf bytes.Buffer
	if err := l.WriteGeoJSON(&buf); err != nil || buf.String() != v1 {
		t.Fatalf("WriteGeoJSON wrote %q, %v", buf.String(), err)
	}
	os.WriteFile(path, []byte(`{"type":"FeatureCollection","features":[]}`), 0o644)
	if _, err := l.GeoJSON(); !errors.Is(err, ErrChanged) {
		t.Errorf("after the file changed: err = %v, want ErrChanged", err)
	}
	if err := l.WriteGeoJSON(io.Discard); !errors.Is(err, ErrChanged) {
		t.Errorf("WriteGeoJSON after the file changed: err = %v, want ErrChanged", err)
	}
	os.Remove(path)
	if _, err := l.GeoJSON(); !errors.Is(err, ErrChanged) {
		t.Errorf("after the file went: err = %v, want ErrChanged", err)
	}
	if err := l.WriteGeoJSON(io.Discard); !errors.Is(err, ErrChanged) {
		t.Errorf("WriteGeoJSON after the file went: err = %v, want ErrChanged", err)
	}
}
