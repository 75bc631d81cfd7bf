package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBuildMixedFolder: Markdown, JSON Lines, a feed and a page in one folder build into
// layers; bad lines and items are reported with file and line or item; an article in a
// language newsmap cannot parse is reported, not parsed.
func TestBuildMixedFolder(t *testing.T) {
	in, out := t.TempDir(), filepath.Join(t.TempDir(), "layers")
	os.WriteFile(filepath.Join(in, "a.md"), []byte("---\nid: md1\npublished: 2021-01-11\nlanguage: de\n---\nDas Treffen fand in Moskau statt."), 0o644)
	os.WriteFile(filepath.Join(in, "b.jsonl"), []byte(
		`{"id":"j1","published":"2024-03-14","language":"en","text":"Floodwaters rose in Taunton on Tuesday."}`+"\n"+
			`{"id":"j2","published":"2024-03-14","text":"Las lluvias torrenciales provocaron inundaciones en Valencia, donde miles de hogares se quedaron sin electricidad desde el lunes por la noche."}`+"\n"+
			`{"id":"j3","text":"no date"}`+"\n"), 0o644)
	copyFile(t, "../../pipeline/ingest/testdata/rss.xml", filepath.Join(in, "c.xml"))
	copyFile(t, "../../pipeline/ingest/testdata/page.html", filepath.Join(in, "d.html"))
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"build", "-cache", "", "-q", "-articles", in, "-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{
		filepath.Join(in, "b.jsonl") + `:2: detected Spanish: lang: unknown language "es"`,
		filepath.Join(in, "b.jsonl") + ":3: ingest: missing required field: published",
		filepath.Join(in, "c.xml") + " item 3: ingest: missing required field: published",
		filepath.Join(in, "c.xml") + " item 5: ingest: missing required field: link or guid",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	if !strings.Contains(stdout.String(), "from 6 articles") {
		t.Errorf("stdout = %q, want 6 articles (md, 1 json line, 3 feed items, 1 page)", stdout.String())
	}
	b, err := os.ReadFile(filepath.Join(out, "places.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	for _, place := range []string{"Moscow", "Taunton", "Odesa", "Kharkiv"} {
		if !strings.Contains(string(b), place) {
			t.Errorf("places.geojson lacks %s", place)
		}
	}
}

// TestIngestCommand: feeds and pages, as files and over HTTP, merge into one JSON Lines
// file that build then reads.
func TestIngestCommand(t *testing.T) {
	atom, err := os.ReadFile("../../pipeline/ingest/testdata/atom.xml")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/atom" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/atom+xml")
		w.Write(atom)
	}))
	defer srv.Close()
	dir := t.TempDir()
	store := filepath.Join(dir, "articles", "ingested.jsonl")
	var stdout, stderr bytes.Buffer
	args := []string{"ingest", "-o", store, "../../pipeline/ingest/testdata/rss.xml", srv.URL + "/atom", srv.URL + "/gone"}
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "5 new, 0 updated") {
		t.Errorf("stdout = %q, want 5 new articles", stdout.String())
	}
	if !strings.Contains(stderr.String(), srv.URL+"/gone: ingest: fetch failed") || !strings.Contains(stderr.String(), "rss.xml item 3") {
		t.Errorf("stderr does not report the failed URL and the bad item: %s", stderr.String())
	}
	stdout.Reset()
	if code := run(context.Background(), args[:5], &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "0 new, 0 updated, 5 unchanged") {
		t.Errorf("second ingest: exit %d, %q", code, stdout.String())
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"build", "-cache", "", "-q", "-articles", filepath.Dir(store), "-out", filepath.Join(dir, "layers")}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "from 5 articles") {
		t.Errorf("build of the ingested file: exit %d, %q", code, stdout.String())
	}
}

// TestBuildFeedList: -feeds reads files listed relative to the list; URLs only with -fetch.
func TestBuildFeedList(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "articles")
	os.MkdirAll(in, 0o755)
	os.WriteFile(filepath.Join(in, "a.md"), []byte("---\nid: md1\npublished: 2021-01-11\nlanguage: de\n---\nDas Treffen fand in Moskau statt."), 0o644)
	copyFile(t, "../../pipeline/ingest/testdata/atom.xml", filepath.Join(dir, "times.atom"))
	list := filepath.Join(dir, "feeds.txt")
	os.WriteFile(list, []byte("# my feeds\ntimes.atom\n\nhttps://feeds.example/never-fetched.xml\n"), 0o644)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"build", "-cache", "", "-q", "-articles", in, "-feeds", list, "-out", filepath.Join(dir, "layers")}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "from 3 articles") || !strings.Contains(stderr.String(), "never-fetched.xml: fetching is off") {
		t.Errorf("stdout %q stderr %q", stdout.String(), stderr.String())
	}
}
