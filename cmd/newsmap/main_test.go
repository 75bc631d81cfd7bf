package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunHelpAndUnknown(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"help"}, &out, &errb); code != 0 {
		t.Errorf("help exit %d", code)
	}
	for _, name := range []string{"geoparse", "build", "serve", "export"} {
		if !strings.Contains(errb.String(), name) {
			t.Errorf("help does not list %s", name)
		}
	}
	errb.Reset()
	if code := run(context.Background(), []string{"frobnicate"}, &out, &errb); code != 2 {
		t.Errorf("unknown command exit %d, want 2", code)
	}
	for _, name := range []string{"geoparse", "build", "serve", "export"} {
		errb.Reset()
		if code := run(context.Background(), []string{name, "-h"}, &out, &errb); code != 0 || !strings.Contains(errb.String(), "Usage: newsmap "+name) {
			t.Errorf("%s -h: exit %d, %q", name, code, errb.String())
		}
	}
}

// TestGeoparseContract runs the command the evaluation runs and checks the output shape.
func TestGeoparseContract(t *testing.T) {
	dir := t.TempDir()
	body := "Am Montag flohen Tausende aus Stepanakert nach Armenien. Vergangene Woche war die Lage in Eriwan ruhig."
	path := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"geoparse", "--published", "2023-09-25", "--lang", "de", path}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Geometry   struct{ Type string } `json:"geometry"`
			Properties map[string]any        `json:"properties"`
		} `json:"features"`
		Temporal []struct {
			Text, Value, Granularity string
			Start, End               int
		} `json:"temporal_expressions"`
	}
	if err := json.Unmarshal(out.Bytes(), &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != 3 || len(fc.Temporal) != 2 {
		t.Fatalf("got %s with %d features, %d temporal expressions", fc.Type, len(fc.Features), len(fc.Temporal))
	}
	runes := []rune(body)
	for _, f := range fc.Features {
		p := f.Properties
		start, end := int(p["start"].(float64)), int(p["end"].(float64))
		if string(runes[start:end]) != p["text"] {
			t.Errorf("offsets [%d,%d) select %q, text is %q", start, end, string(runes[start:end]), p["text"])
		}
		for _, k := range []string{"id", "article_id", "quote", "kind", "name", "country_code", "geo_precision", "confidence", "alternatives", "date", "date_precision", "timex"} {
			if _, ok := p[k]; !ok {
				t.Errorf("feature %q has no %s", p["text"], k)
			}
		}
	}
	if got := fc.Features[2].Properties["date"]; got != "2023-W38" {
		t.Errorf("Eriwan dated %v, want 2023-W38 (vergangene Woche)", got)
	}
	if got := fc.Features[0].Properties["date"]; got != "2023-09-25" {
		t.Errorf("Stepanakert dated %v, want 2023-09-25 (am Montag)", got)
	}
}

func TestGeoparseErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.md")
	os.WriteFile(bad, []byte("---\nid: x\npublished: someday\nlanguage: de\n---\nText"), 0o644)
	plain := filepath.Join(dir, "plain.txt")
	os.WriteFile(plain, []byte("Text ohne Datum."), 0o644)
	unknown := filepath.Join(dir, "latin.md")
	os.WriteFile(unknown, []byte("---\nid: l\npublished: 2023-09-25\nlanguage: la\n---\nGallia est omnis divisa in partes tres."), 0o644)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"geoparse"}, 2, "Usage"},
		{[]string{"geoparse", filepath.Join(dir, "missing.txt")}, 1, "no such file"},
		{[]string{"geoparse", bad}, 1, "line 3"},
		{[]string{"geoparse", plain}, 1, "missing required field: published"},
		{[]string{"geoparse", "--published", "2023-13-40", plain}, 1, "invalid published date"},
		{[]string{"geoparse", "--published", "2023-09-25", "--lang", "xx", plain}, 1, `unknown language "xx" (known: de, en`},
		{[]string{"geoparse", unknown}, 1, `line 1: lang: unknown language "la"`},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		code := run(context.Background(), tt.args, &out, &errb)
		if code != tt.code || !strings.Contains(errb.String(), tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, errb.String(), tt.code, tt.msg)
		}
	}
}

// TestBuildSkipsMalformed: a bad article is reported with file and line; the others are built.
func TestBuildSkipsMalformed(t *testing.T) {
	in, out := t.TempDir(), filepath.Join(t.TempDir(), "layers")
	os.WriteFile(filepath.Join(in, "good.md"), []byte("---\nid: good\npublished: 2021-01-11\nlanguage: de\n---\nDas Treffen fand in Moskau statt."), 0o644)
	os.WriteFile(filepath.Join(in, "bad.md"), []byte("---\nid: bad\npublished: 2021-01-11\nlanguage de\n---\nText"), 0o644)
	os.WriteFile(filepath.Join(in, "latin.md"), []byte("---\nid: latin\npublished: 2021-01-11\nlanguage: la\n---\nRoma"), 0o644)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"build", "-cache", "", "-articles", in, "-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "bad.md:4: ") {
		t.Errorf("stderr does not name the bad file and line: %q", stderr.String())
	}
	if !strings.Contains(stderr.String(), `latin.md:1: lang: unknown language "la"`) {
		t.Errorf("stderr does not reject the article in an unknown language: %q", stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(out, "places.geojson"))
	if err != nil || !strings.Contains(string(b), "Moscow") {
		t.Errorf("places.geojson: %v, Moscow missing", err)
	}
	if code := run(context.Background(), []string{"build", "-cache", "", "-strict", "-articles", in, "-out", out}, &stdout, &stderr); code != 1 {
		t.Errorf("-strict with a bad article: exit %d, want 1", code)
	}
}
