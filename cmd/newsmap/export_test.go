package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const exportLayer = `{"type":"FeatureCollection","features":[
{"type":"Feature","id":"a:1","geometry":{"type":"Point","coordinates":[44.5,40.2]},"properties":{"id":"a:1","name":"Yerevan","date":"2023-W38","confidence":0.9}},
{"type":"Feature","id":"a:2","geometry":{"type":"Point","coordinates":[46.7,39.8]},"properties":{"id":"a:2","name":"Stepanakert","date":"2023-09-25","confidence":1}}]}`

const exportRegions = `{"type":"FeatureCollection","features":[
{"type":"Feature","id":"cc:AM","geometry":{"type":"Polygon","coordinates":[[[43,39],[46,39],[46,41],[43,39]]]},"properties":{"id":"cc:AM","date":"2023"}}]}`

func exportDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	layers := filepath.Join(dir, "layers")
	if err := os.Mkdir(layers, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"mentions": exportLayer, "regions": exportRegions} {
		if err := os.WriteFile(filepath.Join(layers, name+".geojson"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRunExport(t *testing.T) {
	dir := exportDir(t)
	layers := filepath.Join(dir, "layers")
	for _, tc := range []struct {
		format, file, want string
	}{
		{"gpkg", "all.gpkg", "SQLite format 3"},
		{"kml", "m.kml", "<Placemark>"},
		{"csv", "m.csv", "id,confidence,date,date_start,name,wkt,lon,lat\r\n"},
		{"geojsonseq", "m.geojsons", "\x1e{"},
		{"geojson", "m.geojson", `"FeatureCollection"`},
	} {
		t.Run(tc.format, func(t *testing.T) {
			out := filepath.Join(dir, tc.file)
			var stdout, stderr bytes.Buffer
			if err := runExport(context.Background(), []string{"-format", tc.format, "-layers", layers, "-o", out}, &stdout, &stderr); err != nil {
				t.Fatalf("%v\n%s", err, stderr.String())
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), tc.want) {
				t.Errorf("%s lacks %q:\n%.300s", tc.file, tc.want, b)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "m.csvt")); err != nil {
		t.Errorf("no csvt sidecar: %v", err)
	}

	var stdout, stderr bytes.Buffer
	if err := runExport(context.Background(), []string{"-format", "kml", "-layer", "regions", "-layers", layers, "-o", "-"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "<when>2023</when>") {
		t.Errorf("stdout:\n%s", stdout.String())
	}
}

func TestRunExportErrors(t *testing.T) {
	dir := exportDir(t)
	layers := filepath.Join(dir, "layers")
	bad := filepath.Join(layers, "broken.geojson")
	if err := os.WriteFile(bad, []byte(`{"type":"FeatureCollection","features":[{`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "keep.csv")
	if err := os.WriteFile(out, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, error) {
		var stdout, stderr bytes.Buffer
		err := runExport(context.Background(), args, &stdout, &stderr)
		return stderr.String(), err
	}
	for _, tc := range []struct {
		name  string
		args  []string
		usage bool
		msg   string
	}{
		{"no format", []string{"-o", out}, true, "-format"},
		{"unknown format", []string{"-format", "shp", "-o", out}, true, "shp"},
		{"no output", []string{"-format", "csv"}, true, "-o FILE"},
		{"gpkg to stdout", []string{"-format", "gpkg", "-layers", layers, "-o", "-"}, true, "needs a file"},
		{"malformed layer", []string{"-format", "csv", "-layer", "broken", "-layers", layers, "-o", out}, false, bad},
		{"missing layer", []string{"-format", "csv", "-layer", "routes", "-layers", layers, "-o", out}, false, "routes.geojson"},
		{"malformed among all", []string{"-format", "gpkg", "-layers", layers, "-o", filepath.Join(dir, "x.gpkg")}, false, bad},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stderr, err := run(tc.args...)
			if err == nil {
				t.Fatal("no error")
			}
			if errors.Is(err, errUsage) != tc.usage {
				t.Errorf("err = %v, usage error wanted: %v", err, tc.usage)
			}
			if !strings.Contains(err.Error()+stderr, tc.msg) {
				t.Errorf("error %q / %q does not mention %q", err, stderr, tc.msg)
			}
		})
	}
	if b, _ := os.ReadFile(out); string(b) != "old" {
		t.Errorf("failed export changed %s: %q", out, b)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.gpkg")); !os.IsNotExist(err) {
		t.Errorf("failed gpkg export left a file: %v", err)
	}
}
