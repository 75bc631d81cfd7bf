package layers

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb/geojson"

	"newsmap/geo/schema"
)

// Writer assembles the layers from a stream of article results in bounded memory: each
// result's mention features go straight to a temporary mentions file, the other layers
// keep per-place state (Aggregate). Close writes the aggregate layers and renames every
// file over the old one, each atomically; Abort leaves the old layers as they were.
type Writer struct {
	dir      string
	g        Gazetteer
	agg      *Aggregate
	tmp      *os.File
	bw       *bufio.Writer
	mentions int
	articles int
}

// Stats counts what a Writer wrote.
type Stats struct {
	Articles, Mentions, Places, Routes, Regions int
	Review                                      *ReviewReport
}

// mentionsHead and mentionsTail frame the mention features exactly as json.Marshal frames
// an orb FeatureCollection, so streamed and in-memory layers are byte for byte the same.
const (
	mentionsHead = `{"features":[`
	mentionsTail = `],"type":"FeatureCollection"}` + "\n"
)

// NewWriter starts writing layers into dir. The caller must be the only writer of dir:
// NewWriter removes the temporary files that an earlier writer killed before it could
// clean up left there (see RemoveTemp).
func NewWriter(dir string, g Gazetteer, opts ReviewOptions) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("layers: %w", err)
	}
	if _, err := RemoveTemp(dir); err != nil {
		return nil, err
	}
	name := schema.MentionsLayer + ".geojson"
	tmp, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("layers: %w", err)
	}
	w := &Writer{dir: dir, g: g, agg: NewAggregate(opts), tmp: tmp, bw: bufio.NewWriterSize(tmp, 1<<20)}
	w.bw.WriteString(mentionsHead)
	return w, nil
}

// Add writes one article's result; results are added in article order.
func (w *Writer) Add(r *Result) error {
	for _, m := range r.Mentions {
		if w.mentions > 0 {
			w.bw.WriteByte(',')
		}
		if _, err := w.bw.Write(m); err != nil {
			return fmt.Errorf("layers: write mentions: %w", err)
		}
		w.mentions++
	}
	w.articles++
	w.agg.Add(r)
	return nil
}

// Abort removes the temporary files; the layers in dir stay as they were.
func (w *Writer) Abort() {
	w.tmp.Close()
	os.Remove(w.tmp.Name())
}

// Close finishes the mentions layer, writes the places, routes, regions and review
// files and moves them all into place. When ctx is done before the first file is moved,
// it stops, removes its temporary files and returns ctx's error: the layers in the
// folder stay as they were. (Moving the files into place takes milliseconds and is not
// interrupted.)
func (w *Writer) Close(ctx context.Context) (*Stats, error) {
	defer w.Abort() // no-op for the renamed file
	w.bw.WriteString(mentionsTail)
	if err := w.bw.Flush(); err != nil {
		return nil, fmt.Errorf("layers: write mentions: %w", err)
	}
	if err := w.tmp.Sync(); err != nil {
		return nil, fmt.Errorf("layers: sync mentions: %w", err)
	}
	if err := w.tmp.Chmod(0o644); err != nil {
		return nil, fmt.Errorf("layers: %w", err)
	}
	st := &Stats{Articles: w.articles, Mentions: w.mentions}
	files := map[string]any{}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	places := w.agg.Places(w.g)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	routes, regions := w.agg.Routes(), w.agg.Regions(w.g)
	st.Places, st.Routes, st.Regions = len(places.Features), len(routes.Features), len(regions.Features)
	files[schema.PlacesLayer+".geojson"] = places
	files[schema.RoutesLayer+".geojson"] = routes
	files[schema.RegionsLayer+".geojson"] = regions
	st.Review = w.agg.Review()
	encoded := map[string][]byte{}
	for name, fc := range files {
		b, err := marshalLayer(fc.(*geojson.FeatureCollection))
		if err != nil {
			return nil, fmt.Errorf("layers: encode %s: %w", name, err)
		}
		encoded[name] = append(b, '\n')
	}
	b, err := reviewJSON(st.Review)
	if err != nil {
		return nil, err
	}
	encoded[ReviewJSON] = b
	encoded[ReviewMD] = []byte(ReviewMarkdown(st.Review))
	if err := w.tmp.Close(); err != nil {
		return nil, fmt.Errorf("layers: close mentions: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := os.Rename(w.tmp.Name(), filepath.Join(w.dir, schema.MentionsLayer+".geojson")); err != nil {
		return nil, fmt.Errorf("layers: %w", err)
	}
	for _, l := range schema.Layers() {
		name := l + ".geojson"
		if data, ok := encoded[name]; ok {
			if err := WriteFileAtomic(filepath.Join(w.dir, name), data); err != nil {
				return nil, err
			}
		}
	}
	for _, name := range []string{ReviewJSON, ReviewMD} {
		if err := WriteFileAtomic(filepath.Join(w.dir, name), encoded[name]); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// Files returns the names of the files a Writer writes into its folder.
func Files() []string {
	var names []string
	for _, l := range schema.Layers() {
		names = append(names, l+".geojson")
	}
	return append(names, ReviewJSON, ReviewMD)
}

// RemoveTemp removes the temporary files of the atomic writes into dir (".NAME.*.tmp",
// see WriteFileAtomic) that a killed process left behind, and returns how many it removed.
// Call it only while no other process writes into dir.
func RemoveTemp(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("layers: %w", err)
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".tmp") {
			continue
		}
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return n, fmt.Errorf("layers: removing a stale temporary file: %w", err)
		}
		n++
	}
	return n, nil
}
