// Package export writes feature collections that follow the newsmap layer contract as
// GeoPackage, KML, CSV (with WKT), GeoJSON Text Sequences (RFC 8142) and GeoJSON, for GIS
// analysts who open the layers in QGIS, ArcGIS, Google Earth or a spreadsheet.
//
// All writers share one Schema, inferred from the features' properties: typed columns
// (INTEGER, REAL, TEXT, DATE, DATETIME, BOOLEAN, JSON) and, for coarse dates such as
// 2023-W38, a sibling *_start DATE column so that every layer has a usable time field.
package export

import (
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
	if _, err := LookupFormat(format); err != nil {
		return err
	}
	if fc == nil {
		return ErrNilCollection
	}
	switch format {
	case GeoPackage:
		return copyGeoPackage(w, name, fc)
	case KML:
		return WriteKML(w, name, fc)
	case CSV:
		return WriteCSV(w, fc)
	case GeoJSONSeq:
		return WriteGeoJSONSeq(w, fc)
	default:
		return WriteGeoJSON(w, fc)
	}
}

func copyGeoPackage(w io.Writer, name string, fc *geojson.FeatureCollection) error {
	dir, err := os.MkdirTemp("", "newsmap-export-*")
	if err != nil {
		return fmt.Errorf("export: temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "layer.gpkg")
	if err := WriteGeoPackage(path, name, fc); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer f.Close()
	if _, err := io.Copy(w, f); err != nil {
		return fmt.Errorf("export: copying geopackage: %w", err)
	}
	return nil
}
