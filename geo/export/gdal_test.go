package export

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// ogrinfo returns the path of GDAL's ogrinfo. Without it the GDAL tests skip, or fail
// when NEWSMAP_REQUIRE_TOOLS=1 (CI installs gdal-bin).
func ogrinfo(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("ogrinfo")
	if err != nil {
		if os.Getenv("NEWSMAP_REQUIRE_TOOLS") == "1" {
			t.Fatal("ogrinfo not found and NEWSMAP_REQUIRE_TOOLS=1 (apt-get install gdal-bin)")
		}
		t.Skip("ogrinfo not found (apt-get install gdal-bin); set NEWSMAP_REQUIRE_TOOLS=1 to require it")
	}
	return path
}

// gdalMessage matches a GDAL warning or error line ("Warning 1: ...", "ERROR 1: ...").
var gdalMessage = regexp.MustCompile(`(?m)^(Warning|ERROR)\b.*$`)

func runOgrinfo(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "CPL_DEBUG=OFF")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	s := string(out)
	if m := gdalMessage.FindString(s); m != "" {
		t.Errorf("ogrinfo %s printed %q:\n%s", strings.Join(args, " "), m, s)
	}
	return s
}

func TestGDAL(t *testing.T) {
	bin := ogrinfo(t)
	fc := fixture(t)
	dir := t.TempDir()
	write := func(name string, fn func(*bytes.Buffer) error) string {
		var b bytes.Buffer
		if err := fn(&b); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	gpkg := filepath.Join(dir, "mentions.gpkg")
	if err := WriteGeoPackage(gpkg, "mentions", fc); err != nil {
		t.Fatal(err)
	}
	csvPath := write("mentions.csv", func(b *bytes.Buffer) error { return WriteCSV(b, fc) })
	write("mentions.csvt", func(b *bytes.Buffer) error { return WriteCSVT(b, fc) })
	kmlPath := write("mentions.kml", func(b *bytes.Buffer) error { return WriteKML(b, "mentions", fc) })
	seqPath := write("mentions.geojsons", func(b *bytes.Buffer) error { return WriteGeoJSONSeq(b, fc) })

	tests := []struct {
		name, path, driver string
		fields             []string // "name: Type" lines ogrinfo must print
	}{
		{"gpkg", gpkg, "GPKG", []string{
			"FID Column = fid", "Geometry Column = geom", "id: String", "confidence: Real", "geonames_id: Integer64",
			"published: Date", "date: String", "date_start: DateTime", "date_end_start: Date",
			"verified: Integer(Boolean)", "alternatives: String(JSON)", "meta: String(JSON)",
		}},
		{"kml", kmlPath, "LIBKML", []string{
			"Name: String", "description: String", "begin: DateTime", "end: DateTime", "timestamp: DateTime",
			"id: String", "confidence: Real", "geonames_id: Integer", "end_2: Integer", "name_2: String",
		}},
		{"csv", csvPath, "CSV", []string{
			"id: String", "confidence: Real", "geonames_id: Integer64", "published: Date", "date_start: DateTime",
			"verified: Integer(Boolean)", "lon: Real", "lat: Real",
		}},
		{"geojsonseq", seqPath, "GeoJSONSeq", []string{
			"id: String", "confidence: Real", "geonames_id: Integer", "published: Date", "verified: Integer(Boolean)",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := runOgrinfo(t, bin, "-ro", "-al", "-so", tc.path)
			if !strings.Contains(out, "using driver `"+tc.driver+"' successful") {
				t.Errorf("not opened with %s:\n%s", tc.driver, out)
			}
			if !strings.Contains(out, "Feature Count: 5\n") {
				t.Errorf("feature count is not 5:\n%s", out)
			}
			if !strings.Contains(out, "Extent: (43.500000, 39.000000) - (46.752800, 41.300000)") {
				t.Errorf("wrong extent:\n%s", out)
			}
			for _, f := range tc.fields {
				if !strings.Contains(out, "\n"+f) {
					t.Errorf("no %q in:\n%s", f, out)
				}
			}
			// Read every feature too: values GDAL cannot parse warn only then.
			full := runOgrinfo(t, bin, "-ro", "-al", tc.path)
			if n := strings.Count(full, "OGRFeature("); n != 5 {
				t.Errorf("%d features read, want 5", n)
			}
		})
	}

	t.Run("gpkg spatial index", func(t *testing.T) {
		out := runOgrinfo(t, bin, "-ro", gpkg, "-sql", "SELECT HasSpatialIndex('mentions', 'geom')")
		if !strings.Contains(out, "HasSpatialIndex (Integer) = 1") {
			t.Errorf("no spatial index:\n%s", out)
		}
		out = runOgrinfo(t, bin, "-ro", "-al", "-so", "-spat", "46.7", "39.7", "46.8", "39.9", gpkg)
		if !strings.Contains(out, "Feature Count: 2\n") {
			t.Errorf("spatial filter count is not 2 (Stepanakert and the route):\n%s", out)
		}
	})
	t.Run("kml time", func(t *testing.T) {
		out := runOgrinfo(t, bin, "-ro", "-al", kmlPath)
		for _, want := range []string{
			"timestamp (DateTime) = 2023/09/25 00:00:00",
			"begin (DateTime) = 2023/09/18 00:00:00", "end (DateTime) = 2023/09/30 00:00:00",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("no %q in:\n%s", want, out)
			}
		}
	})
}
