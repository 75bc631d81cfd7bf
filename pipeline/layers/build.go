package layers

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/paulmach/orb/geojson"

	"newsmap/geo/schema"
	"newsmap/pipeline"
)

// Gazetteer is what layer assembly needs of the gazetteer.
type Gazetteer interface {
	Shapes
	Corridors
	Entries
}

// Set is the layers built from a corpus, in memory.
type Set struct {
	Mentions, Places, Routes, Regions *geojson.FeatureCollection
	Review                            *ReviewReport
}

// Build assembles all layers from the geoparsed documents in memory, the same way
// Writer assembles them from a stream of results.
func Build(docs []*pipeline.Document, g Gazetteer) (*Set, error) {
	agg := NewAggregate(ReviewOptions{})
	x := NewExtractor(g)
	for _, d := range docs {
		r, err := x.Extract(d)
		if err != nil {
			return nil, err
		}
		agg.Add(r)
	}
	return &Set{Mentions: Mentions(docs), Places: agg.Places(g), Routes: agg.Routes(), Regions: agg.Regions(g), Review: agg.Review()}, nil
}

// Files returns the layer files of the set: name → content.
func (s *Set) Files() (map[string][]byte, error) {
	files := map[string][]byte{}
	for name, fc := range map[string]*geojson.FeatureCollection{
		schema.MentionsLayer + ".geojson": s.Mentions, schema.PlacesLayer + ".geojson": s.Places,
		schema.RoutesLayer + ".geojson": s.Routes, schema.RegionsLayer + ".geojson": s.Regions,
	} {
		b, err := json.Marshal(fc)
		if err != nil {
			return nil, fmt.Errorf("layers: encode %s: %w", name, err)
		}
		files[name] = append(b, '\n')
	}
	b, err := reviewJSON(s.Review)
	if err != nil {
		return nil, err
	}
	files[ReviewJSON] = b
	files[ReviewMD] = []byte(ReviewMarkdown(s.Review))
	return files, nil
}

// Write writes the layer files into dir, each atomically (a temporary file in dir,
// synced, then renamed over the old one), so a reader never sees half a layer.
func (s *Set) Write(dir string) error {
	files, err := s.Files()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("layers: %w", err)
	}
	var names []string
	for _, l := range schema.Layers() {
		names = append(names, l+".geojson")
	}
	for _, name := range append(names, ReviewJSON, ReviewMD) {
		if err := WriteFileAtomic(filepath.Join(dir, name), files[name]); err != nil {
			return err
		}
	}
	return nil
}

// WriteFileAtomic writes data to path through a temporary file in the same directory
// and a rename, so the file is either the old or the new content, never a mix.
func WriteFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("layers: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("layers: write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("layers: sync %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("layers: close %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("layers: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("layers: %w", err)
	}
	return nil
}

// The review report's files.
const (
	ReviewJSON = "review.json"
	ReviewMD   = "review.md"
)

func reviewJSON(r *ReviewReport) ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("layers: encode review: %w", err)
	}
	return append(b, '\n'), nil
}
