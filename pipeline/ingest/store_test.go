package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsmap/pipeline/article"
)

func TestMergeJSONL(t *testing.T) {
	day := time.Date(2024, 3, 14, 0, 0, 0, 0, time.UTC)
	art := func(id, body string) *article.Article {
		return &article.Article{ID: id, Published: day, Language: "en", Body: body}
	}
	path := filepath.Join(t.TempDir(), "ingested.jsonl")
	st, err := MergeJSONL(path, []*article.Article{art("a", "one"), art("b", "two"), art("a", "one again")})
	if err != nil {
		t.Fatal(err)
	}
	if st != (MergeStats{Added: 2}) {
		t.Errorf("first merge: %+v", st)
	}
	// a bad line written by hand stays; b is updated, a unchanged, c added
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("{broken\n")
	f.Close()
	st, err = MergeJSONL(path, []*article.Article{art("c", "three"), art("b", "two, edited"), art("a", "one again")})
	if err != nil {
		t.Fatal(err)
	}
	if st != (MergeStats{Added: 1, Updated: 1, Unchanged: 1}) {
		t.Errorf("second merge: %+v", st)
	}
	var got []string
	for rec, err := range Read(JSONLines, mustOpen(t, path), path) {
		if err != nil {
			got = append(got, "error")
			continue
		}
		got = append(got, rec.Article.ID+"="+rec.Article.Body)
	}
	want := "a=one again|b=two, edited|error|c=three"
	if strings.Join(got, "|") != want {
		t.Errorf("file = %v, want %s", got, want)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*tmp")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func mustOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
