// Package export writes feature collections that follow the newsmap layer contract as
// GeoPackage, KML, CSV (with WKT), GeoJSON Text Sequences (RFC 8142) and GeoJSON, for GIS
// analysts who open the layers in QGIS, ArcGIS, Google Earth or a spreadsheet.
//
// All writers share one Schema, inferred from the features' properties: typed columns
// (INTEGER, REAL, TEXT, DATE, DATETIME, BOOLEAN, JSON) and, for coarse dates such as
// 2023-W38, a sibling *_start DATE column so that every layer has a usable time field.
package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/paulmach/orb/geojson"
)

// Sentinel errors. Callers test them with errors.Is.
var (
	// ErrFormat is returned for a format name that Formats does not list.
	ErrFormat = errors.New("export: unknown format")
	// ErrLayerName is returned for an empty or reserved layer (table) name.
	ErrLayerName = errors.New("export: invalid layer name")
	// ErrDuplicateLayer is returned when two layers of one GeoPackage share a name.
	ErrDuplicateLayer = errors.New("export: duplicate layer name")
	// ErrNoLayers is returned when a GeoPackage would hold no layer.
	ErrNoLayers = errors.New("export: no layers")
	// ErrNilCollection is returned for a nil feature collection.
	ErrNilCollection = errors.New("export: nil feature collection")
	// ErrGeometry is returned for a geometry type that cannot be written.
	ErrGeometry = errors.New("export: unsupported geometry")
)

// Format describes one output format.
type Format struct {
	Name      string // the name used by Write and on the command line: "gpkg"
	Extension string // the file name extension with its dot: ".gpkg"
	MediaType string // the IANA media type for Content-Type headers
	Binary    bool   // true when the output is not text (and needs a file to be built)
}

// The format names accepted by Write.
const (
	GeoPackage = "gpkg"
	KML        = "kml"
	CSV        = "csv"
	GeoJSONSeq = "geojsonseq"
	GeoJSON    = "geojson"
)

// Formats lists the formats this package writes, in a stable order.
func Formats() []Format {
	return []Format{
		{GeoPackage, ".gpkg", "application/geopackage+sqlite3", true},
		{KML, ".kml", "application/vnd.google-earth.kml+xml", false},
		{CSV, ".csv", "text/csv", false},
		{GeoJSONSeq, ".geojsons", "application/geo+json-seq", false},
		{GeoJSON, ".geojson", "application/geo+json", false},
	}
}

// LookupFormat returns the format with the given name, or an error wrapping ErrFormat.
func LookupFormat(name string) (Format, error) {
	for _, f := range Formats() {
		if f.Name == name {
			return f, nil
		}
	}
	return Format{}, fmt.Errorf("%w: %q", ErrFormat, name)
}

// Write writes fc to w in the named format; name is the layer or document name. A
// GeoPackage is built in a temporary file that is then copied to w and removed.
func Write(format string, w io.Writer, name string, fc *geojson.FeatureCollection) error {
	return WriteContext(context.Background(), format, w, name, fc)
}

// WriteContext is Write that stops when ctx is done, returning ctx's error. The text
// formats are written as they are produced, through a small buffer, so that their
// memory does not grow with fc; they check ctx every few hundred features.
func WriteContext(ctx context.Context, format string, w io.Writer, name string, fc *geojson.FeatureCollection) error {
	if fc == nil {
		if _, err := LookupFormat(format); err != nil {
			return err
		}
		return ErrNilCollection
	}
	return WriteFeatures(ctx, format, w, name, Collection(fc))
}

// WriteFeatures is WriteContext for features got one at a time (see Features).
func WriteFeatures(ctx context.Context, format string, w io.Writer, name string, src Features) error {
	if _, err := LookupFormat(format); err != nil {
		return err
	}
	if src == nil {
		return ErrNilCollection
	}
	switch format {
	case GeoPackage:
		return copyGeoPackage(ctx, w, name, src)
	case KML:
		return writeKML(ctx, w, name, src)
	case CSV:
		return writeCSV(ctx, w, src)
	case GeoJSONSeq:
		return writeGeoJSONSeq(ctx, w, src)
	default:
		return writeGeoJSON(ctx, w, src)
	}
}

// checkEvery is how many features the writers write between looks at their context.
const checkEvery = 256

// stopped reports ctx's error every checkEvery-th feature i.
func stopped(ctx context.Context, i int) error {
	if i%checkEvery != 0 {
		return nil
	}
	return ctx.Err()
}

// TempGeoPackage writes src as the single layer name of a GeoPackage in a new temporary
// file, stopping when ctx is done, and returns the file opened for reading at its start;
// the file is already removed from its folder (on systems that allow it) or is removed
// by the returned close function, which the caller must call.
func TempGeoPackage(ctx context.Context, name string, src Features) (*os.File, func(), error) {
	dir, err := os.MkdirTemp("", "newsmap-export-*")
	if err != nil {
		return nil, nil, fmt.Errorf("export: temporary directory: %w", err)
	}
	path := filepath.Join(dir, "layer.gpkg")
	if err := writeGeoPackageLayers(ctx, path, []Layer{{Name: name, Source: src}}); err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("export: %w", err)
	}
	os.RemoveAll(dir) // the open file stays readable
	return f, func() { f.Close() }, nil
}

func copyGeoPackage(ctx context.Context, w io.Writer, name string, src Features) error {
	f, done, err := TempGeoPackage(ctx, name, src)
	if err != nil {
		return err
	}
	defer done()
	if _, err := io.Copy(w, f); err != nil {
		return fmt.Errorf("export: copying geopackage: %w", err)
	}
	return nil
}
