package export_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"newsmap/geo/export"
)

func ExampleWriteCSV() {
	fc := geojson.NewFeatureCollection()
	f := geojson.NewFeature(orb.Point{44.5152, 40.1872})
	f.ID = "a1:10"
	f.Properties = geojson.Properties{"id": "a1:10", "name": "Yerevan", "date": "2023-W38"}
	fc.Append(f)
	var b strings.Builder
	if err := export.WriteCSV(&b, fc); err != nil {
		fmt.Println(err)
	}
	// RFC 4180 ends lines with CRLF; print them with plain newlines.
	fmt.Print(strings.ReplaceAll(b.String(), "\r\n", "\n"))
	// Output:
	// id,date,date_start,name,wkt,lon,lat
	// a1:10,2023-W38,2023-09-18,Yerevan,POINT (44.5152 40.1872),44.5152,40.1872
}

func ExampleFormats() {
	for _, f := range export.Formats() {
		fmt.Println(f.Name, f.Extension, f.MediaType)
	}
	// Output:
	// gpkg .gpkg application/geopackage+sqlite3
	// kml .kml application/vnd.google-earth.kml+xml
	// csv .csv text/csv
	// geojsonseq .geojsons application/geo+json-seq
	// geojson .geojson application/geo+json
}

func ExampleWriteGeoPackageLayers() {
	mentions := geojson.NewFeatureCollection()
	mentions.Append(geojson.NewFeature(orb.Point{44.5152, 40.1872}))
	regions := geojson.NewFeatureCollection()
	regions.Append(geojson.NewFeature(orb.Polygon{{{43.5, 39}, {46.5, 39}, {46.5, 41.3}, {43.5, 39}}}))

	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	err = export.WriteGeoPackageLayers(filepath.Join(dir, "layers.gpkg"), []export.Layer{
		{Name: "mentions", Features: mentions},
		{Name: "regions", Features: regions},
	})
	fmt.Println(err)
	// Output: <nil>
}

func ExampleWriteGeoJSONSeq() {
	fc := geojson.NewFeatureCollection()
	f := geojson.NewFeature(orb.Point{44.5, 40.2})
	f.Properties = geojson.Properties{"name": "Yerevan"}
	fc.Append(f)
	var b strings.Builder
	if err := export.WriteGeoJSONSeq(&b, fc); err != nil {
		fmt.Println(err)
	}
	fmt.Printf("%q\n", b.String())
	// Output: "\x1e{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[44.5,40.2]},\"properties\":{\"name\":\"Yerevan\"}}\n"
}
