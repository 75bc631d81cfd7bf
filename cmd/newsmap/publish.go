package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"
	"time"

	"newsmap/geo/layerstore"
	"newsmap/geo/tileset"
	"newsmap/web/site"
)

func runPublish(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("publish", "[-layers DIR] -o DIR", stderr)
	dir := fs.String("layers", filepath.Join("data", "layers"), "folder of the layer files (NAME.geojson)")
	out := fs.String("o", "", "folder to write the site to (new, empty, or an earlier site, which is replaced)")
	maxZoom := fs.Int("maxzoom", 14, "deepest zoom level of the vector tiles (areas stop at -areazoom)")
	areaZoom := fs.Int("areazoom", 8, "deepest zoom level of the area layers (regions); clients overzoom them")
	maxTile := fs.Int("max-tile-kb", 500, "size budget of one tile in kB (uncompressed); points are thinned to fit")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	usageErr := func(format string, a ...any) error {
		fmt.Fprintf(stderr, "newsmap publish: "+format+"\n", a...)
		fs.Usage()
		return errUsage
	}
	switch {
	case fs.NArg() > 0:
		return usageErr("unexpected argument %q", fs.Arg(0))
	case *out == "":
		return usageErr("-o DIR is required")
	case *maxZoom < 0 || *maxZoom > 16:
		return usageErr("-maxzoom must lie in 0..16, not %d", *maxZoom)
	case *areaZoom < 0 || *areaZoom > *maxZoom:
		return usageErr("-areazoom must lie in 0..%d, not %d", *maxZoom, *areaZoom)
	case *maxTile < 16:
		return usageErr("-max-tile-kb must be at least 16, not %d", *maxTile)
	}
	start := time.Now()
	st, err := layerstore.Open(*dir)
	if err != nil {
		return err
	}
	// Opening may have built the layers' indexes: their garbage goes back to the system
	// before the tiles begin, as serve does after a load.
	debug.FreeOSMemory()
	snap := st.Snapshot()
	for _, p := range snap.Problems() {
		fmt.Fprintf(stderr, "newsmap publish: skipped: %v\n", p)
	}
	opts := site.Options{
		Tiles: tileset.Options{MaxZoom: *maxZoom, AreaMaxZoom: *areaZoom, MaxTileBytes: *maxTile * 1000},
		Progress: func(format string, a ...any) {
			fmt.Fprintf(stderr, "publish: "+format+"\n", a...)
		},
	}
	rep, err := site.Publish(ctx, snap.Layers(), *out, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "published %d layers to %s in %s: %d files, %.1f MB; %s: %d tiles (%d stored after deduplication, largest %d kB, %d thinned)\n",
		len(snap.Layers()), *out, time.Since(start).Round(10*time.Millisecond), rep.Files, float64(rep.Bytes)/1e6,
		site.TilesPath, rep.Archive.AddressedTiles, rep.Archive.TileContents, (rep.Tiles.MaxTileBytes+999)/1000, rep.Tiles.Thinned)
	fmt.Fprintf(stdout, "serve it with any static server, e.g. (cd %s && python3 -m http.server 8000)\n", *out)
	return nil
}
