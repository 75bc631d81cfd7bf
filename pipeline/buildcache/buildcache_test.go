package buildcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
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
	// the key is the SHA-256 of each field as its length, a colon and its bytes, for
	// bodies of any length (Key copies them through a 4 kB buffer)
	for _, n := range []int{0, 1, 4000, 4096, 4097, 10000} {
		a := base
		a.Body = strings.Repeat("ä", n/2) + strings.Repeat("x", n%2)
		h := sha256.New()
		for _, s := range []string{"newsmap-layers-v2", v.Gazetteer, v.Code, a.ID, a.Title, a.Source, a.URL, a.PublishedDate(), a.Language, a.Body} {
			fmt.Fprintf(h, "%d:%s", len(s), s)
		}
		if got, want := Key(&a, v), hex.EncodeToString(h.Sum(nil)); got != want {
			t.Errorf("body of %d bytes: key %s, want %s", len(a.Body), got, want)
		}
	}
}

func result(id string, mentions ...string) *layers.Result {
	r := &layers.Result{ArticleID: id, Places: []layers.PlaceHit{{PlaceID: "gn:1", Text: "X", Date: "2024-03-14"}}}
	for _, m := range mentions {
		r.Mentions = append(r.Mentions, json.RawMessage(m))
	}
	return r
}

func mustGet(t *testing.T, c *Cache, key, wantID string) {
	t.Helper()
	got, err := c.Get(key)
	switch {
	case err != nil:
		t.Fatalf("Get(%s): %v", key, err)
	case wantID == "" && got != nil:
		t.Errorf("Get(%s) = %s, want a miss", key, got.ArticleID)
	case wantID != "" && (got == nil || got.ArticleID != wantID):
		t.Errorf("Get(%s) = %+v, want article %s", key, got, wantID)
	}
}

func packs(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*"+packSuffix))
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestGetPut(t *testing.T) {
	dir := t.TempDir()
	c, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	mustGet(t, c, "k1", "")
	want := result("a", `{"type":"Feature","id":"a:1"}`, `{"type":"Feature","id":"a:9"}`)
	if err := c.Put("k1", want); err != nil {
		t.Fatal(err)
	}
	if err := c.Put("k2", result("b")); err != nil {
		t.Fatal(err)
	}
	// readable at once by this cache, by others once committed
	got, err := c.Get("k1")
	if err != nil || got.ArticleID != "a" || len(got.Mentions) != 2 || string(got.Mentions[1]) != `{"type":"Feature","id":"a:9"}` || got.Places[0] != want.Places[0] {
		t.Errorf("round trip: %+v %v", got, err)
	}
	other, _ := Open(dir)
	mustGet(t, other, "k1", "")
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get("k1"); !errors.Is(err, ErrClosed) {
		t.Errorf("Get after Close: %v", err)
	}
	if err := c.Put("k3", result("c")); !errors.Is(err, ErrClosed) {
		t.Errorf("Put after Close: %v", err)
	}
	if n := len(packs(t, dir)); n != 1 {
		t.Errorf("%d packs, want 1", n)
	}
	c2, _ := Open(dir)
	defer c2.Close()
	mustGet(t, c2, "k1", "a")
	mustGet(t, c2, "k2", "b")
	mustGet(t, c2, "k3", "")

	if err := c2.Put("bad key", result("x")); err == nil {
		t.Error("a key with a space was stored")
	}
	for _, m := range []string{"", "{", `"a"`, `{"a":1} `} {
		if err := c2.Put("k4", result("x", m)); err == nil {
			t.Errorf("a mention %q that is not a JSON object was stored", m)
		}
	}
}

// TestPrune: a new build uses k1 and adds k4; k2 and k3 are pruned, k1 is kept (its pack
// rewritten), and a pack all of whose entries are used is left as it is.
func TestPrune(t *testing.T) {
	dir := t.TempDir()
	c, _ := Open(dir)
	for _, k := range []string{"k1", "k2", "k3"} {
		if err := c.Put(k, result("a-"+k, `{"id":1}`)); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := c.Prune(); n != 0 || err != nil { // all written by this build
		t.Errorf("pruned %d (%v), want 0", n, err)
	}
	c.Close()
	first := packs(t, dir)

	c2, _ := Open(dir)
	mustGet(t, c2, "k1", "a-k1")
	if err := c2.Put("k4", result("a-k4")); err != nil {
		t.Fatal(err)
	}
	if n, err := c2.Prune(); n != 2 || err != nil {
		t.Errorf("pruned %d (%v), want 2", n, err)
	}
	mustGet(t, c2, "k1", "a-k1") // still readable after the rewrite
	c2.Close()
	second := packs(t, dir)
	if len(second) != 1 || second[0] == first[0] {
		t.Errorf("packs %v after %v: want the old one replaced by one new pack", second, first)
	}

	c3, _ := Open(dir)
	mustGet(t, c3, "k1", "a-k1")
	mustGet(t, c3, "k4", "a-k4")
	mustGet(t, c3, "k2", "")
	if n, err := c3.Prune(); n != 0 || err != nil {
		t.Errorf("pruned %d (%v), want 0", n, err)
	}
	c3.Close()
	if third := packs(t, dir); len(third) != 1 || third[0] != second[0] {
		t.Errorf("packs %v, want %v untouched", third, second)
	}

	// a build that uses nothing removes everything
	c4, _ := Open(dir)
	if n, err := c4.Prune(); n != 2 || err != nil {
		t.Errorf("pruned %d (%v), want 2", n, err)
	}
	c4.Close()
	if p := packs(t, dir); len(p) != 0 {
		t.Errorf("packs left: %v", p)
	}
}

// TestPackSize: a build's entries go into several packs when they exceed the size
// bound, and a rewrite during Prune respects it too.
func TestPackSize(t *testing.T) {
	dir := t.TempDir()
	c, _ := Open(dir)
	c.maxPack = 300
	for i := range 10 {
		// 128 hex digits that S2 cannot shorten
		sum := sha256.Sum256([]byte{byte(i)})
		pad := hex.EncodeToString(sum[:])
		sum = sha256.Sum256(sum[:])
		mention := `{"pad":"` + pad + hex.EncodeToString(sum[:]) + `"}`
		if err := c.Put(fmt.Sprintf("k%d", i), result(fmt.Sprint(i), mention)); err != nil {
			t.Fatal(err)
		}
	}
	c.Close()
	if n := len(packs(t, dir)); n < 4 {
		t.Errorf("%d packs, want several", n)
	}
	c2, _ := Open(dir)
	c2.maxPack = 300
	for i := range 10 {
		if i%3 != 0 {
			mustGet(t, c2, fmt.Sprintf("k%d", i), fmt.Sprint(i))
		}
	}
	if n, err := c2.Prune(); n != 4 || err != nil {
		t.Errorf("pruned %d (%v), want 4", n, err)
	}
	c2.Close()
	c3, _ := Open(dir)
	defer c3.Close()
	for i := range 10 {
		want := fmt.Sprint(i)
		if i%3 == 0 {
			want = ""
		}
		mustGet(t, c3, fmt.Sprintf("k%d", i), want)
	}
}

// TestDamage: a pack cut short (a crash while renaming, a full disk) is left out and
// pruned; an entry whose bytes are damaged is ErrCorrupt; the first layout's files and
// stale temporary packs are removed by Prune.
func TestDamage(t *testing.T) {
	dir := t.TempDir()
	c, _ := Open(dir)
	c.Put("k1", result("a", `{"id":1}`))
	c.Put("k2", result("b", `{"id":2}`))
	c.Close()
	p := packs(t, dir)[0]
	b, _ := os.ReadFile(p)

	// damage k2's entry but keep the index
	i := bytes.Index(b, []byte(`{"id":2}`))
	damaged := bytes.Clone(b)
	copy(damaged[i:], `{"id":2]`)
	os.WriteFile(p, damaged, 0o644)
	c2, _ := Open(dir)
	mustGet(t, c2, "k1", "a")
	if _, err := c2.Get("k2"); !errors.Is(err, ErrCorrupt) {
		t.Errorf("damaged entry: %v", err)
	}
	c2.Close()

	// damage k2's entry so that it still reads as JSON: the checksum finds it
	damaged = bytes.Clone(b)
	copy(damaged[i:], `{"id":3}`)
	os.WriteFile(p, damaged, 0o644)
	c2, _ = Open(dir)
	mustGet(t, c2, "k1", "a")
	if _, err := c2.Get("k2"); !errors.Is(err, ErrCorrupt) {
		t.Errorf("entry damaged into other JSON: %v", err)
	}
	c2.Close()

	// cut the pack short: its index is gone
	os.WriteFile(p, b[:len(b)-10], 0o644)
	os.MkdirAll(filepath.Join(dir, "ab"), 0o755)
	os.WriteFile(filepath.Join(dir, "ab", "abcd.json"), []byte("{}\n"), 0o644) // first layout
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)       // not the cache's
	stale := filepath.Join(dir, ".pack-1.tmp")
	os.WriteFile(stale, []byte("half a pack"), 0o644)
	old := time.Now().Add(-48 * time.Hour)
	os.Chtimes(stale, old, old)
	c3, _ := Open(dir)
	mustGet(t, c3, "k1", "")
	if n, err := c3.Prune(); n != 1 || err != nil { // the first layout's entry
		t.Errorf("pruned %d (%v), want 1", n, err)
	}
	c3.Close()
	left, _ := os.ReadDir(dir)
	var names []string
	for _, e := range left {
		names = append(names, e.Name())
	}
	if len(names) != 1 || names[0] != "notes.txt" {
		t.Errorf("left in the cache folder: %v", names)
	}
}

func TestConcurrent(t *testing.T) {
	c, _ := Open(t.TempDir())
	defer c.Close()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				k := fmt.Sprintf("w%d-%d", w, i)
				if err := c.Put(k, result(k, `{"id":1}`)); err != nil {
					t.Error(err)
					return
				}
				if r, err := c.Get(k); err != nil || r == nil || r.ArticleID != k {
					t.Errorf("Get(%s) = %v, %v", k, r, err)
					return
				}
			}
		}()
	}
	wg.Wait()
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

func TestStamp(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	c, _ := Open(dir)
	defer c.Close()
	if _, ok := c.Stamp(out); ok {
		t.Error("a stamp before any build")
	}
	os.WriteFile(filepath.Join(out, "a.geojson"), []byte("{}"), 0o644)
	files, err := StampFiles(out, []string{"a.geojson"})
	if err != nil {
		t.Fatal(err)
	}
	d1, d2 := NewDigest(), NewDigest()
	d1.Add("k1")
	d1.Add("k2")
	d2.Add("k2")
	d2.Add("k1")
	if d1.Sum() == d2.Sum() {
		t.Error("the digest ignores the order of the keys")
	}
	if err := c.SetStamp(out, Stamp{Inputs: d1.Sum(), Files: files, Summary: "1 mention"}); err != nil {
		t.Fatal(err)
	}
	c2, _ := Open(dir) // another build
	defer c2.Close()
	st, ok := c2.Stamp(out)
	if !ok || st.Inputs != d1.Sum() || st.Summary != "1 mention" || !st.Current(out) {
		t.Fatalf("stamp %+v, %v", st, ok)
	}
	os.WriteFile(filepath.Join(out, "a.geojson"), []byte("{ }"), 0o644)
	if st.Current(out) {
		t.Error("an edited file is current")
	}
	os.Remove(filepath.Join(out, "a.geojson"))
	if st.Current(out) {
		t.Error("a removed file is current")
	}
	if _, err := StampFiles(out, []string{"a.geojson"}); err == nil {
		t.Error("stamped a missing file")
	}
	os.WriteFile(filepath.Join(dir, stampsFile), []byte("{damaged"), 0o644)
	if _, ok := c2.Stamp(out); ok {
		t.Error("a damaged stamps file gives a stamp")
	}
	if c2.Has("k") {
		t.Error("Has on an empty cache")
	}
	c2.Put("k", result("a"))
	if !c2.Has("k") {
		t.Error("Has misses a stored entry")
	}
}

// BenchmarkKey: the cache key of an article of 1 kB (the 10k corpus's average), which
// every build computes for every article.
func BenchmarkKey(b *testing.B) {
	a := article.Article{ID: "000_0c5f2d33e4e6b40a-000000", Title: "Tausende fliehen aus Bergkarabach nach Armenien", Source: "S",
		URL: "https://example.org/a", Published: time.Date(2024, 3, 14, 0, 0, 0, 0, time.UTC), Language: "de", Body: strings.Repeat("Text über Eriwan. ", 57)}
	v := Versions{Gazetteer: "0123456789abcdef", Code: "fedcba9876543210"}
	b.SetBytes(int64(len(a.Body)))
	b.ReportAllocs()
	for b.Loop() {
		Key(&a, v)
	}
}
