package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/paulmach/orb/geojson"

	"newsmap/geo/export"
	"newsmap/geo/schema"
)

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "-format gpkg|kml|csv|geojsonseq|geojson [-layer NAME] [-layers DIR] -o FILE", stderr)
	format := fs.String("format", "", "output format: gpkg, kml, csv, geojsonseq or geojson")
	layer := fs.String("layer", "", "layer to export (default: all layers for gpkg, mentions otherwise)")
	dir := fs.String("layers", filepath.Join("data", "layers"), "folder of the layer files (NAME.geojson)")
	out := fs.String("o", "", `output file ("-" for standard output, text formats only)`)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	usageErr := func(format string, a ...any) error {
		fmt.Fprintf(stderr, "newsmap export: "+format+"\n", a...)
		fs.Usage()
		return errUsage
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	f, err := export.LookupFormat(*format)
	if err != nil {
		names := make([]string, 0, len(export.Formats()))
		for _, f := range export.Formats() {
			names = append(names, f.Name)
		}
		return usageErr("-format must be one of %s, not %q", strings.Join(names, ", "), *format)
	}
	if *out == "" {
		return usageErr("-o FILE is required")
	}
	if *out == "-" && f.Binary {
		return usageErr("%s is binary and needs a file: -o FILE%s", f.Name, f.Extension)
	}

	names := []string{*layer}
	if *layer == "" {
		names = []string{schema.MentionsLayer}
		if f.Name == export.GeoPackage {
			if names, err = layerNames(*dir); err != nil {
				return err
			}
		}
	}
	layers := make([]export.Layer, 0, len(names))
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		fc, err := readLayer(filepath.Join(*dir, name+".geojson"))
		if err != nil {
			return err
		}
		layers = append(layers, export.Layer{Name: name, Features: fc})
	}

	if f.Name == export.GeoPackage {
		return export.WriteGeoPackageLayers(*out, layers)
	}
	l := layers[0]
	write := func(w io.Writer) error { return export.Write(f.Name, w, l.Name, l.Features) }
	if *out == "-" {
		return write(stdout)
	}
	if err := writeFileAtomic(*out, write); err != nil {
		return err
	}
	if f.Name == export.CSV && strings.EqualFold(filepath.Ext(*out), ".csv") {
		// The GDAL/QGIS sidecar that types the CSV columns.
		csvt := strings.TrimSuffix(*out, filepath.Ext(*out)) + ".csvt"
		return writeFileAtomic(csvt, func(w io.Writer) error { return export.WriteCSVT(w, l.Features) })
	}
	return nil
}

// layerNames lists the layers in dir: the contract layers first, then the others.
func layerNames(dir string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.geojson"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range paths {
		names = append(names, strings.TrimSuffix(filepath.Base(p), ".geojson"))
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no layer files (*.geojson) in %s", dir)
	}
	contract := schema.Layers()
	rank := func(n string) int {
		if i := slices.Index(contract, n); i >= 0 {
			return i
		}
		return len(contract)
	}
	slices.SortStableFunc(names, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
	return names, nil
}

// readLayer reads one layer file as a FeatureCollection.
func readLayer(path string) (*geojson.FeatureCollection, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("layer file: %w", err)
	}
	fc := geojson.NewFeatureCollection()
	if err := json.Unmarshal(b, fc); err != nil {
		return nil, fmt.Errorf("layer file %s is not valid GeoJSON: %w", path, err)
	}
	if fc.Type != "FeatureCollection" {
		return nil, fmt.Errorf("layer file %s is not a FeatureCollection (type %q)", path, fc.Type)
	}
	for i, f := range fc.Features {
		if f == nil {
			return nil, fmt.Errorf("layer file %s: feature %d is null", path, i)
		}
	}
	return fc, nil
}

// writeFileAtomic writes path through a temporary file in the same folder that is
// renamed into place only when fill succeeded, so a failed export loses nothing.
func writeFileAtomic(path string, fill func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = fill(tmp); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return errors.Join(err, os.Remove(tmp.Name()))
	}
	return nil
}
