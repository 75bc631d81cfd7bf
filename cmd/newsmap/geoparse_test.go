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

type batchLine struct {
	ArticleID string `json:"article_id"`
	Features  []struct {
		Properties struct {
			Text string `json:"text"`
		} `json:"properties"`
	} `json:"features"`
}

func decodeLines(t *testing.T, out []byte) []batchLine {
	t.Helper()
	var got []batchLine
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var b batchLine
		if err := json.Unmarshal([]byte(l), &b); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		got = append(got, b)
	}
	return got
}

// TestGeoparseBatchFiles: many files in one process, one FeatureCollection per line in
// input order; a missing file is reported and the others are still written.
func TestGeoparseBatchFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"a.txt": "Floods closed roads in Athens, Ga., on Monday.", "b.txt": "Heavy rain fell in Kelowna, B.C., and Penticton."}
	for n, body := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errb bytes.Buffer
	args := []string{"geoparse", "-published", "2024-03-12", "-lang", "en", "-j", "2",
		filepath.Join(dir, "a.txt"), filepath.Join(dir, "missing.txt"), filepath.Join(dir, "b.txt")}
	if code := run(context.Background(), args, &out, &errb); code != 1 {
		t.Errorf("exit %d, want 1 (one file missing); stderr %s", code, errb.String())
	}
	got := decodeLines(t, out.Bytes())
	if len(got) != 2 || got[0].ArticleID != "a" || got[1].ArticleID != "b" {
		t.Fatalf("got %+v, want a then b", got)
	}
	if len(got[0].Features) == 0 || got[0].Features[0].Properties.Text != "Athens" {
		t.Errorf("a: features %+v", got[0].Features)
	}
	for _, want := range []string{"missing.txt", "2 articles", "articles/s", "1 of 3 articles could not be read"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("stderr lacks %q: %s", want, errb.String())
		}
	}
	// The single-file form keeps its output: one FeatureCollection, no article_id.
	out.Reset()
	if code := run(context.Background(), []string{"geoparse", "-published", "2024-03-12", "-lang", "en", filepath.Join(dir, "a.txt")}, &out, &errb); code != 0 {
		t.Fatalf("single file: exit %d", code)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &top); err != nil || top["article_id"] != nil || bytes.Count(bytes.TrimSpace(out.Bytes()), []byte("\n")) != 0 {
		t.Errorf("single-file output changed: %s", out.String())
	}
}

// TestGeoparseJSONL: JSON Lines of articles; a bad record names its line.
func TestGeoparseJSONL(t *testing.T) {
	p := filepath.Join(t.TempDir(), "in.jsonl")
	in := `{"id":"x1","title":"t","url":"https://example.org/1","source":"s","published":"2024-05-02","language":"en","text":"The council met in Moscow, Idaho, and in Pullman."}
{"id":"x2","published":"not a date","language":"en","text":"Rain in Boise."}

{"id":"x3","published":"2023-09-25","language":"de","text":"Am Sonntag kamen Flüchtlinge in Goris an."}
`
	if err := os.WriteFile(p, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"geoparse", "-jsonl", p}, &out, &errb); code != 1 {
		t.Errorf("exit %d, want 1; stderr %s", code, errb.String())
	}
	got := decodeLines(t, out.Bytes())
	if len(got) != 2 || got[0].ArticleID != "x1" || got[1].ArticleID != "x3" {
		t.Fatalf("got %+v, want x1 then x3", got)
	}
	if !strings.Contains(errb.String(), "in.jsonl:2") || !strings.Contains(errb.String(), "published") {
		t.Errorf("stderr does not name line 2 and its date: %s", errb.String())
	}
}
