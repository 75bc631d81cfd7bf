// Package site publishes the layers as a static web site: the map page, one PMTiles
// archive with every layer as vector tiles, the GeoJSON and GeoPackage downloads and a
// small index.json for search and the time slider. Any static file server (nginx,
// python3 -m http.server, object storage behind a CDN) serves it; no newsmap process
// runs for the readers.
//
// The site is written into a new folder next to the destination and swapped in only
// when it is complete, so readers of a previous publication never see half a site.
package site

import (
	"bufio"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/paulmach/orb/geojson"

	"newsmap/geo/export"
	"newsmap/geo/layerstore"
	"newsmap/geo/pmtiles"
	"newsmap/geo/tileset"
	"newsmap/web/static"
)

//go:embed index.html site.js
var page embed.FS

// Sentinel errors.
var (
	// ErrNotSite is returned when the destination exists and is not a site written by
	// Publish: it is left alone rather than replaced.
	ErrNotSite = errors.New("site: destination exists and is not a newsmap site")
	// ErrNoLayers is returned when there is nothing to publish.
	ErrNoLayers = errors.New("site: no layers to publish")
)

// Generator marks index.json of a site written by Publish.
const Generator = "newsmap publish"

// TilesPath is the archive's path inside the site.
const TilesPath = "tiles/layers.pmtiles"

// Options configure Publish.
type Options struct {
	// Tiles configures the tile pyramid (zoom levels, size budget).
	Tiles tileset.Options
	// Progress, when set, receives one line per step.
	Progress func(format string, args ...any)
}

// Report describes a published site.
type Report struct {
	Archive pmtiles.Stats
	Tiles   tileset.Stats
	Files   int   // files written
	Bytes   int64 // their total size
}

// Publish writes the site of layers to dir, replacing a site published there before.
func Publish(ctx context.Context, layers []*layerstore.Layer, dir string, opts Options) (rep Report, err error) {
	if len(layers) == 0 {
		return rep, ErrNoLayers
	}
	progress := opts.Progress
	if progress == nil {
		progress = func(string, ...any) {}
	}
	if err := checkDest(dir); err != nil {
		return rep, err
	}
	dir = filepath.Clean(dir)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return rep, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".publish-*")
	if err != nil {
		return rep, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err = os.Chmod(tmp, 0o755); err != nil { // static servers often run as another user
		return rep, err
	}

	progress("page and assets")
	if err = copyAssets(tmp); err != nil {
		return rep, err
	}

	progress("index of %d layers", len(layers))
	idx, err := newIndex(ctx, layers, opts.Tiles)
	if err != nil {
		return rep, err
	}
	for _, l := range layers {
		if err = ctx.Err(); err != nil {
			return rep, err
		}
		progress("downloads of %s (%d features)", l.Name(), l.Count())
		if err = writeDownloads(tmp, l); err != nil {
			return rep, err
		}
	}

	progress("vector tiles z0–%d", idx.MaxZoom)
	if rep.Archive, rep.Tiles, err = writeTiles(ctx, tmp, layers, opts, idx, progress); err != nil {
		return rep, err
	}
	if err = writeJSON(filepath.Join(tmp, "index.json"), idx); err != nil {
		return rep, err
	}

	err = filepath.WalkDir(tmp, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rep.Files++
		rep.Bytes += fi.Size()
		return os.Chmod(p, 0o644)
	})
	if err != nil {
		return rep, err
	}
	return rep, swap(tmp, dir)
}

// checkDest refuses a destination that holds anything but an earlier site.
func checkDest(dir string) error {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(ents) == 0) {
		return nil
	}
	if err != nil {
		return err
	}
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err == nil {
		var head struct {
			Generator string `json:"generator"`
		}
		if json.Unmarshal(b, &head) == nil && head.Generator == Generator {
			return nil
		}
	}
	return fmt.Errorf("%w: %s (choose a new or empty folder)", ErrNotSite, dir)
}

// swap puts the new site tmp in place of dir.
func swap(tmp, dir string) error {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	old := tmp + ".old"
	if err := os.Rename(dir, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return errors.Join(err, os.Rename(old, dir))
	}
	return os.RemoveAll(old)
}

// assets are the files of the served page that the published page uses too: page.js
// is the script both pages share (see web/static/page.js).
var assets = []string{
	"app.css", "schema.js", "page.js",
	"vendor/leaflet", "vendor/protomaps-leaflet", "vendor/topojson-client", "vendor/world-atlas",
}

func copyAssets(dst string) error {
	for _, name := range []string{"index.html", "site.js"} {
		if err := copyFile(page, name, filepath.Join(dst, name)); err != nil {
			return err
		}
	}
	src := static.FS()
	for _, root := range assets {
		err := fs.WalkDir(src, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			return copyFile(src, p, filepath.Join(dst, filepath.FromSlash(p)))
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func copyFile(src fs.FS, name, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := src.Open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// downloads lists a layer's files in the site.
func downloads(name string) []Download {
	return []Download{
		{Format: "geojson", Href: path.Join("data", name+".geojson")},
		{Format: "gpkg", Href: path.Join("data", name+".gpkg")},
	}
}

func writeDownloads(dst string, l *layerstore.Layer) error {
	if err := os.MkdirAll(filepath.Join(dst, "data"), 0o755); err != nil {
		return err
	}
	for _, d := range downloads(l.Name()) {
		p := filepath.Join(dst, filepath.FromSlash(d.Href))
		var err error
		switch d.Format {
		case "geojson": // copied, not read whole: a large layer's file is hundreds of MB
			err = writeFile(p, l.WriteGeoJSON)
		case "gpkg":
			err = export.WriteGeoPackageLayers(p, []export.Layer{{Name: l.Name(), Source: layerFeatures{l}}})
		}
		if err != nil {
			return fmt.Errorf("site: %s: %w", d.Href, err)
		}
	}
	return nil
}

// progressEvery is how often a zoom level in progress is reported.
const progressEvery = 10 * time.Second

func writeTiles(ctx context.Context, dst string, layers []*layerstore.Layer, opts Options, idx *Index,
	progress func(string, ...any)) (pmtiles.Stats, tileset.Stats, error) {
	p := filepath.Join(dst, filepath.FromSlash(TilesPath))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return pmtiles.Stats{}, tileset.Stats{}, err
	}
	b := idx.Bounds
	po := pmtiles.Options{
		TileType: pmtiles.TileTypeMVT, TileCompression: pmtiles.CompressionGzip,
		MaxZoom: uint8(idx.MaxZoom),
		MinLon:  -180, MinLat: -85.0511287798, MaxLon: 180, MaxLat: 85.0511287798,
	}
	if len(b) == 4 {
		po.MinLon, po.MinLat, po.MaxLon, po.MaxLat = b[0], b[1], b[2], b[3]
		po.CenterLon, po.CenterLat, po.CenterZoom = (b[0]+b[2])/2, (b[1]+b[3])/2, 4
	}
	w, err := pmtiles.Create(p, po)
	if err != nil {
		return pmtiles.Stats{}, tileset.Stats{}, err
	}
	topts := opts.Tiles
	last := time.Now()
	topts.Progress = func(p tileset.Progress) {
		switch {
		case p.Done == p.Total:
			progress("  zoom %2d: %d tiles so far", p.Zoom, p.Tiles)
		case time.Since(last) >= progressEvery: // a deep level of a large layer takes minutes
			progress("  zoom %2d: %d of %d tiles rendered", p.Zoom, p.Done, p.Total)
		default:
			return
		}
		last = time.Now()
	}
	ts, err := tileset.Build(ctx, layers, topts, pmtiles.TileID, w.Add)
	if err != nil {
		w.Abort()
		return pmtiles.Stats{}, ts, err
	}
	meta := map[string]any{
		"name":          "newsmap",
		"format":        "pbf",
		"type":          "overlay",
		"generator":     Generator,
		"attribution":   "Places: GeoNames (CC BY 4.0)",
		"vector_layers": tileset.Layers(layers, opts.Tiles),
	}
	as, err := w.Close(meta)
	return as, ts, err
}

// writeFile creates the file p with what write writes (the site is a new folder:
// nothing else reads p until it is complete).
func writeFile(p string, write func(io.Writer) error) error {
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := write(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeJSON(p string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(p, append(b, '\n'), 0o644)
}

// layerFeatures are a layer's features for an export, decoded one at a time.
type layerFeatures struct{ l *layerstore.Layer }

func (f layerFeatures) Len() int                           { return f.l.Count() }
func (f layerFeatures) At(i int) (*geojson.Feature, error) { return f.l.FeatureAt(i) }
