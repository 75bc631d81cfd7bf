package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// fixture returns testdata/fixture.geojson: points, a line, a polygon with a hole and a
// multipolygon, with string, number, bool, null, array and object properties.
func fixture(t testing.TB) *geojson.FeatureCollection {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "fixture.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	fc := geojson.NewFeatureCollection()
	if err := json.Unmarshal(b, fc); err != nil {
		t.Fatal(err)
	}
	return fc
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update to accept):\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	fc := fixture(t)
	for _, tc := range []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"fixture.kml", func(b *bytes.Buffer) error { return WriteKML(b, "mentions", fc) }},
		{"fixture.csv", func(b *bytes.Buffer) error { return WriteCSV(b, fc) }},
		{"fixture.csvt", func(b *bytes.Buffer) error { return WriteCSVT(b, fc) }},
		{"fixture.geojsons", func(b *bytes.Buffer) error { return WriteGeoJSONSeq(b, fc) }},
		{"fixture.out.geojson", func(b *bytes.Buffer) error { return WriteGeoJSON(b, fc) }},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.file, b.Bytes())
		})
	}
}

func TestInferSchema(t *testing.T) {
	point := func(props geojson.Properties) *geojson.Feature {
		f := geojson.NewFeature(orb.Point{1, 2})
		f.Properties = props
		return f
	}
	tests := []struct {
		name  string
		props []geojson.Properties
		want  []Column
	}{
		{"ints", []geojson.Properties{{"n": 1.0}, {"n": 2}, {"n": nil}}, []Column{{"n", "n", Integer, false}}},
		{"reals", []geojson.Properties{{"n": 1.0}, {"n": 2.5}}, []Column{{"n", "n", Real, false}}},
		{"bools", []geojson.Properties{{"b": true}, {}}, []Column{{"b", "b", Boolean, false}}},
		{"mixed", []geojson.Properties{{"x": true}, {"x": "a"}}, []Column{{"x", "x", Text, false}}},
		{"json", []geojson.Properties{{"a": []any{"x"}}, {"a": map[string]any{"k": 1.0}}}, []Column{{"a", "a", JSON, false}}},
		{"null", []geojson.Properties{{"z": nil}}, []Column{{"z", "z", Text, false}}},
		{"date", []geojson.Properties{{"date": "2023-09-25"}, {"date": ""}}, []Column{{"date", "date", Date, false}}},
		{"datetime", []geojson.Properties{{"published": "2023-09-25"}, {"published": "2023-09-25T14:00"}}, []Column{{"published", "published", DateTime, false}}},
		{"week", []geojson.Properties{{"date": "2023-W38"}, {"date": "2023-09-25"}}, []Column{{"date", "date", Text, false}, {"date_start", "date", Date, true}}},
		{"week and hour", []geojson.Properties{{"date_end": "2023"}, {"date_end": "2023-09-25T14"}}, []Column{{"date_end", "date_end", Text, false}, {"date_end_start", "date_end", DateTime, true}}},
		{"not a date key", []geojson.Properties{{"when": "2023-09-25"}}, []Column{{"when", "when", Text, false}}},
		{"bad date", []geojson.Properties{{"date": "soon"}}, []Column{{"date", "date", Text, false}}},
		{"start taken", []geojson.Properties{{"date": "2023", "date_start": "x"}}, []Column{{"date", "date", Text, false}, {"date_start_2", "date", Date, true}, {"date_start", "date_start", Text, false}}},
		{"case clash", []geojson.Properties{{"Name": "a"}, {"name": "b"}}, []Column{{"Name", "Name", Text, false}, {"name_2", "name", Text, false}}},
		{"order", []geojson.Properties{{"b": "1", "a": "2"}, {"c": "3", "a": "4", "id": "x"}}, []Column{{"id", "id", Text, false}, {"a", "a", Text, false}, {"b", "b", Text, false}, {"c", "c", Text, false}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fc := geojson.NewFeatureCollection()
			for _, p := range tc.props {
				fc.Append(point(p))
			}
			got := InferSchema(fc).Columns
			if len(got) != len(tc.want) {
				t.Fatalf("columns = %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("column %d = %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestSchemaIDFromFeature(t *testing.T) {
	fc := geojson.NewFeatureCollection()
	f := geojson.NewFeature(orb.Point{1, 2})
	f.ID = "gn:1"
	f.Properties = geojson.Properties{"name": "x"}
	fc.Append(f)
	s := InferSchema(fc)
	if s.Columns[0].Name != "id" || s.Row(f)[0] != "gn:1" {
		t.Errorf("id column = %v, row %v", s.Columns, s.Row(f))
	}
}

func TestRow(t *testing.T) {
	fc := fixture(t)
	s := InferSchema(fc)
	row := func(i int) map[string]any {
		m := map[string]any{}
		for j, v := range s.Row(fc.Features[i]) {
			m[s.Columns[j].Name] = v
		}
		return m
	}
	r := row(1)
	if r["date_start"] == nil || cellText(r["date_start"]) != "2023-09-18T00:00:00Z" {
		t.Errorf("date_start = %v, want the Monday of 2023-W38", r["date_start"])
	}
	if r["date_end_start"] != "2023-09-01" {
		t.Errorf("date_end_start = %v", r["date_end_start"])
	}
	if r["geonames_id"] != nil || r["confidence"] != 1.0 || r["verified"] != false || r["alternatives"] != "[]" {
		t.Errorf("row = %v", r)
	}
	if r := row(0); r["geonames_id"] != int64(616052) || r["published"] != "2023-09-25" {
		t.Errorf("row = %v", r)
	}
}

func TestRepresentativePoint(t *testing.T) {
	donut := orb.Polygon{
		{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}},
		{{2, 2}, {8, 2}, {8, 8}, {2, 8}, {2, 2}},
	}
	tests := []struct {
		name string
		g    orb.Geometry
		want orb.Point
		ok   bool
	}{
		{"point", orb.Point{1, 2}, orb.Point{1, 2}, true},
		{"line", orb.LineString{{0, 0}, {2, 0}, {2, 2}}, orb.Point{2, 0}, true},
		{"donut", donut, orb.Point{1, 5}, true},
		{"multi", orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}, donut}, orb.Point{1, 5}, true},
		{"empty", orb.LineString{}, orb.Point{}, false},
		{"nil", nil, orb.Point{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := representativePoint(tc.g)
			if got != tc.want || ok != tc.ok {
				t.Errorf("representativePoint = %v, %v; want %v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestFormats(t *testing.T) {
	want := map[string]string{
		"gpkg": "application/geopackage+sqlite3", "kml": "application/vnd.google-earth.kml+xml",
		"csv": "text/csv", "geojsonseq": "application/geo+json-seq", "geojson": "application/geo+json",
	}
	fs := Formats()
	if len(fs) != len(want) {
		t.Fatalf("Formats() = %v", fs)
	}
	for _, f := range fs {
		if want[f.Name] != f.MediaType || !strings.HasPrefix(f.Extension, ".") {
			t.Errorf("format %+v", f)
		}
	}
	if _, err := LookupFormat("shp"); !errors.Is(err, ErrFormat) {
		t.Errorf("LookupFormat(shp) = %v", err)
	}
}

func TestWrite(t *testing.T) {
	fc := fixture(t)
	for _, f := range Formats() {
		t.Run(f.Name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(f.Name, &b, "mentions", fc); err != nil {
				t.Fatal(err)
			}
			switch f.Name {
			case GeoPackage:
				if !bytes.HasPrefix(b.Bytes(), []byte("SQLite format 3\x00")) {
					t.Errorf("not an SQLite file: %q", b.Bytes()[:16])
				}
			case GeoJSONSeq:
				if n := bytes.Count(b.Bytes(), []byte{0x1E}); n != len(fc.Features) {
					t.Errorf("%d records, want %d", n, len(fc.Features))
				}
			default:
				if b.Len() == 0 {
					t.Error("empty output")
				}
			}
		})
	}
}

func TestErrors(t *testing.T) {
	var b bytes.Buffer
	fc := fixture(t)
	dir := t.TempDir()
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"unknown format", Write("shp", &b, "x", fc), ErrFormat},
		{"nil collection", Write("csv", &b, "x", nil), ErrNilCollection},
		{"nil kml", WriteKML(&b, "x", nil), ErrNilCollection},
		{"nil seq", WriteGeoJSONSeq(&b, nil), ErrNilCollection},
		{"empty layer name", WriteGeoPackage(filepath.Join(dir, "a.gpkg"), " ", fc), ErrLayerName},
		{"reserved layer name", WriteGeoPackage(filepath.Join(dir, "a.gpkg"), "gpkg_contents", fc), ErrLayerName},
		{"no layers", WriteGeoPackageLayers(filepath.Join(dir, "a.gpkg"), nil), ErrNoLayers},
		{"duplicate", WriteGeoPackageLayers(filepath.Join(dir, "a.gpkg"), []Layer{{Name: "a", Features: fc}, {Name: "A", Features: fc}}), ErrDuplicateLayer},
		{"missing dir", WriteGeoPackage(filepath.Join(dir, "no", "a.gpkg"), "a", fc), os.ErrNotExist},
	}
	for _, tc := range tests {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, tc.err, tc.want)
		}
		if tc.err != nil && !strings.HasPrefix(tc.err.Error(), "export:") {
			t.Errorf("%s: %q lacks the export: prefix", tc.name, tc.err)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("failed writes left files: %v", ents)
	}
}

func TestKMLTime(t *testing.T) {
	tests := []struct{ date, end, want string }{
		{"2023-09-25", "", "<TimeStamp><when>2023-09-25</when></TimeStamp>"},
		{"2023-09-25T14:00", "", "<TimeStamp><when>2023-09-25T14:00:00Z</when></TimeStamp>"},
		{"2023-09", "", "<TimeStamp><when>2023-09</when></TimeStamp>"},
		{"2023-W38", "", "<TimeSpan><begin>2023-09-18</begin><end>2023-09-24</end></TimeSpan>"},
		{"2023-09-25", "2023-10", "<TimeSpan><begin>2023-09-25</begin><end>2023-10-31</end></TimeSpan>"},
		{"2023-09-25", "2023-09-01", "<TimeStamp><when>2023-09-25</when></TimeStamp>"},
		{"2023-09-25", "2023-09-25", "<TimeStamp><when>2023-09-25</when></TimeStamp>"},
		{"2023-09-25T14:00", "2023-09-25T16:00", "<TimeSpan><begin>2023-09-25T14:00:00Z</begin><end>2023-09-25T17:00:00Z</end></TimeSpan>"},
		{"2023", "2023-05-01", "<TimeSpan><begin>2023</begin><end>2023-05-01</end></TimeSpan>"},
		{"2023-09-25", "later", "<TimeStamp><when>2023-09-25</when></TimeStamp>"},
		{"later", "", ""},
	}
	for _, tc := range tests {
		var b bytes.Buffer
		props := geojson.Properties{"date": tc.date}
		if tc.end != "" {
			props["date_end"] = tc.end
		}
		if e := kmlTime(props); e != nil {
			if err := xmlEncode(&b, e); err != nil {
				t.Fatal(err)
			}
		}
		if b.String() != tc.want {
			t.Errorf("kmlTime(%q, %q) = %s, want %s", tc.date, tc.end, b.String(), tc.want)
		}
	}
}

func xmlEncode(b *bytes.Buffer, e interface {
	MarshalXML(*xml.Encoder, xml.StartElement) error
}) error {
	enc := xml.NewEncoder(b)
	if err := enc.Encode(e); err != nil {
		return err
	}
	return enc.Flush()
}

// TestCSVInjection: a text cell that a spreadsheet would run as a formula is prefixed
// with an apostrophe; numbers, also negative ones, are not.
func TestCSVInjection(t *testing.T) {
	fc := geojson.NewFeatureCollection()
	f := geojson.NewFeature(orb.Point{-12.5, -33})
	f.Properties = geojson.Properties{"id": "x", "name": `=HYPERLINK("http://evil.example","click")`, "a": "+1+2", "b": "-cmd", "c": "@SUM(A1)", "d": "\tx", "e": "\rx", "n": -3.5, "s": "-4", "ok": "a=b"}
	fc.Append(f)
	var b bytes.Buffer
	if err := WriteCSV(&b, fc); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll() // with CRLF line ends a CR in a cell is dropped
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for i, h := range rows[0] {
		got[h] = rows[1][i]
	}
	for k, want := range map[string]string{
		"name": `'=HYPERLINK("http://evil.example","click")`, "a": "'+1+2", "b": "'-cmd", "c": "'@SUM(A1)",
		"d": "'\tx", "e": "'x", "n": "-3.5", "s": "-4", "ok": "a=b", "lon": "-12.5", "lat": "-33",
	} {
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
}
