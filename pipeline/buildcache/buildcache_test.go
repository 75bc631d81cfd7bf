package buildcache

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"newsmap/pipeline/article"
	"newsmap/pipeline/layers"
)

func TestKey(t *testing.T) {
	base := article.Article{ID: "a", Title: "T", Source: "S", URL: "u", Published: time.Date(2024, 3, 14, 0, 0, 0, 0, time.UTC), Language: "de", Body: "Text"}
	v := Versions{Gazetteer: "g", Code: "c"}
	k := Key(&base, v)
	if k != Key(&base, v) || len(k) != 64 {
		t.Fatalf("key not stable: %s", k)
	}
	change := map[string]func(a *article.Article, v *Versions){
		"id":        func(a *article.Article, v *Versions) { a.ID = "b" },
		"title":     func(a *article.Article, v *Versions) { a.Title = "U" },
		"source":    func(a *article.Article, v *Versions) { a.Source = "X" },
		"url":       func(a *article.Article, v *Versions) { a.URL = "w" },
		"published": func(a *article.Article, v *Versions) { a.Published = a.Published.AddDate(0, 0, 1) },
		"language":  func(a *article.Article, v *Versions) { a.Language = "en" },
		"body":      func(a *article.Article, v *Versions) { a.Body = "Text." },
		"gazetteer": func(a *article.Article, v *Versions) { v.Gazetteer = "g2" },
		"code":      func(a *article.Article, v *Versions) { v.Code = "c2" },
		// the length prefix keeps field boundaries: "T"+"S" is not "TS"+""
		"boundary": func(a *article.Article, v *Versions) { a.Title, a.Source = "TS", "" },
	}
	for name, f := range change {
		a, v2 := base, v
		f(&a, &v2)
		if Key(&a, v2) == k {
			t.Errorf("changing the %s keeps the key", name)
		}
	}
}

func TestGetPutPrune(t *testing.T) {
	dir := t.TempDir()
	c, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	k1, k2 := "abcdef", "0123456789"
	if r, err := c.Get(k1); r != nil || err != nil {
		t.Errorf("missing entry: %v %v", r, err)
	}
	want := &layers.Result{ArticleID: "a", Mentions: []json.RawMessage{json.RawMessage(`{"type":"Feature"}`)},
		Places: []layers.PlaceHit{{PlaceID: "gn:1", Text: "X", Date: "2024-03-14"}}}
	if err := c.Put(k1, want); err != nil {
		t.Fatal(err)
	}
	if err := c.Put(k2, &layers.Result{ArticleID: "b"}); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(k1)
	if err != nil || got.ArticleID != "a" || string(got.Mentions[0]) != `{"type":"Feature"}` || got.Places[0] != want.Places[0] {
		t.Errorf("round trip: %+v %v", got, err)
	}
	os.WriteFile(filepath.Join(dir, "zz"+"_"), nil, 0o644) // not a shard: left alone
	os.MkdirAll(filepath.Join(dir, "ff"), 0o755)
	os.WriteFile(filepath.Join(dir, "ff", "ffff.json"), []byte("{broken"), 0o644)
	if _, err := c.Get("ffff"); !errors.Is(err, ErrCorrupt) {
		t.Errorf("corrupt entry: %v", err)
	}
	// a new build uses only k1: k2 and the corrupt entry go
	c2, _ := Open(dir)
	if _, err := c2.Get(k1); err != nil {
		t.Fatal(err)
	}
	if n, err := c2.Prune(); n != 2 || err != nil {
		t.Errorf("pruned %d (%v), want 2", n, err)
	}
	if r, _ := c2.Get(k1); r == nil {
		t.Error("pruned an entry in use")
	}
}

func TestHashFS(t *testing.T) {
	a := fstest.MapFS{"x.tsv": {Data: []byte("1")}, "y.json": {Data: []byte("2")}}
	b := fstest.MapFS{"x.tsv": {Data: []byte("1")}, "y.json": {Data: []byte("3")}}
	ha, err := HashFS(a)
	if err != nil {
		t.Fatal(err)
	}
	hb, _ := HashFS(b)
	ha2, _ := HashFS(a)
	if ha == hb || ha != ha2 {
		t.Errorf("HashFS: %s %s %s", ha, hb, ha2)
	}
	if v, err := Executable(); err != nil || len(v) != 16 {
		t.Errorf("Executable: %q %v", v, err)
	}
}
