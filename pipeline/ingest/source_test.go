package ingest

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

func TestDirMixedFolder(t *testing.T) {
	rss, _ := os.ReadFile("testdata/rss.xml")
	page, _ := os.ReadFile("testdata/page.html")
	md := "---\nid: md-1\ntitle: Odessa\npublished: 2024-03-14\nlanguage: de\n---\nDrohnen über Odessa.\n"
	fsys := fstest.MapFS{
		"a.md":         {Data: []byte(md)},
		"b.jsonl":      {Data: []byte(`{"id":"j1","published":"2024-03-14","language":"en","text":"Rain in Leeds."}` + "\n" + `{"id":"md-1","published":"2024-03-14","language":"de","text":"dup"}` + "\n" + "not json\n")},
		"c.xml":        {Data: rss},
		"d.html":       {Data: page},
		"e.md":         {Data: []byte("---\nid: e\n")},
		"notes.csv":    {Data: []byte("ignored")},
		"README.md":    {Data: []byte("# not an article")},
		".hidden.json": {Data: []byte("{}")},
		"sub/x.md":     {Data: []byte(md)},
	}
	var got, errs []string
	for rec, err := range Dir(fsys) {
		if err != nil {
			if !IsItemError(err) {
				t.Fatal(err)
			}
			errs = append(errs, err.Error())
			continue
		}
		got = append(got, rec.Where()+" "+rec.Article.ID)
	}
	want := []string{
		"a.md md-1",
		"b.jsonl:1 j1",
		"c.xml item 1 " + URLID("https://zeitung.example/odessa"),
		"c.xml item 2 " + URLID("https://zeitung.example/kiew"),
		"c.xml item 6 " + URLID("https://zeitung.example/en/valencia"),
		"d.html " + URLID("https://zeitung.example/2024/03/odessa"),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("articles:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantErr := []string{
		`b.jsonl:2: ingest: duplicate id "md-1" (first in a.md)`,
		"b.jsonl:3: ingest: malformed input",
		"c.xml item 3: ", "c.xml item 4: ", "c.xml item 5: ",
		"e.md:3: article: malformed front matter",
	}
	if len(errs) != len(wantErr) {
		t.Fatalf("errors:\n%s", strings.Join(errs, "\n"))
	}
	for i := range errs {
		if !strings.HasPrefix(errs[i], wantErr[i]) {
			t.Errorf("error %d = %q, want %q", i, errs[i], wantErr[i])
		}
	}
}

func TestFormatOfAndSniff(t *testing.T) {
	for name, want := range map[string]Format{"a.md": Markdown, "a.TXT": Markdown, "x.jsonl": JSONLines, "x.ndjson": JSONLines,
		"f.rss": FeedXML, "f.atom": FeedXML, "f.xml": FeedXML, "p.htm": Page, "p.HTML": Page, "README.md": Unknown, ".x.md": Unknown, "x.pdf": Unknown} {
		if got := FormatOf(name); got != want {
			t.Errorf("FormatOf(%q) = %v, want %v", name, got, want)
		}
	}
	tests := []struct {
		ct, head string
		want     Format
	}{
		{"application/rss+xml", "", FeedXML},
		{"application/atom+xml; charset=utf-8", "", FeedXML},
		{"text/xml", "<?xml version='1.0'?><rss>", FeedXML},
		{"", "\ufeff  <feed xmlns=", FeedXML},
		{"text/html", "<!DOCTYPE html>", Page},
		{"application/octet-stream", "<html lang=de>", Page},
		{"application/json", `{"version":"https://jsonfeed.org/version/1.1"`, FeedXML},
		{"application/x-ndjson", `{"id":1}`, JSONLines},
		{"text/plain", "---\nid: x", Markdown},
		{"image/png", "\x89PNG", Unknown},
	}
	for _, tt := range tests {
		if got := Sniff(tt.ct, []byte(tt.head)); got != tt.want {
			t.Errorf("Sniff(%q, %q) = %v, want %v", tt.ct, tt.head, got, tt.want)
		}
	}
}
