package corpus

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"newsmap/geo/gazetteer/gazettest"
	"newsmap/pipeline"
	"newsmap/pipeline/article"
	"newsmap/pipeline/buildcache"
	"newsmap/pipeline/layers"
)

// articles returns the project's articles and the regression texts, each repeated under
// several ids so that the run has more articles than workers.
func articles(t testing.TB, copies int) []*article.Article {
	t.Helper()
	var base []*article.Article
	for _, dir := range []string{"../../data/articles", "../testdata", "../testdata/regression"} {
		arts, errs := article.LoadDir(os.DirFS(dir))
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		base = append(base, arts...)
	}
	var out []*article.Article
	for i := range copies {
		for _, a := range base {
			c := *a
			c.ID = fmt.Sprintf("%s-%d", a.ID, i)
			out = append(out, &c)
		}
	}
	return out
}

type run struct {
	ids      []string
	mentions map[string][]byte // article id → its encoded mentions
	p        Progress
}

func runAll(t *testing.T, arts []*article.Article, opts Options) run {
	t.Helper()
	r := run{mentions: map[string][]byte{}}
	p, err := Run(context.Background(), gazettest.Load(t), slices.Values(arts), func(res *layers.Result) error {
		r.ids = append(r.ids, res.ArticleID)
		r.mentions[res.ArticleID] = bytes.Join(func() [][]byte {
			var b [][]byte
			for _, m := range res.Mentions {
				b = append(b, m)
			}
			return b
		}(), []byte("\n"))
		return nil
	}, opts)
	if err != nil {
		t.Fatal(err)
	}
	r.p = p
	return r
}

func ids(arts []*article.Article) []string {
	var out []string
	for _, a := range arts {
		out = append(out, a.ID)
	}
	return out
}

func TestRunKeepsInputOrder(t *testing.T) {
	arts := articles(t, 2)
	r := runAll(t, arts, Options{Workers: 4})
	if !slices.Equal(r.ids, ids(arts)) {
		t.Errorf("results out of order:\n%v\nwant\n%v", r.ids, ids(arts))
	}
	if r.p.Parsed != len(arts) || r.p.Cached != 0 || r.p.Mentions == 0 {
		t.Errorf("progress %+v", r.p)
	}
}

// TestCacheInvalidation: an unchanged article comes from the cache with the same
// result; an edited article, a new gazetteer or new code parses again; removed articles'
// entries are pruned.
func TestCacheInvalidation(t *testing.T) {
	arts := articles(t, 1)
	cache, err := buildcache.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { cache.Close() }()
	v1 := buildcache.Versions{Gazetteer: "g1", Code: "c1"}
	first := runAll(t, arts, Options{Cache: cache, Versions: v1})
	if first.p.Parsed != len(arts) {
		t.Fatalf("first run: %+v", first.p)
	}

	again := runAll(t, arts, Options{Cache: cache, Versions: v1})
	if again.p.Cached != len(arts) || again.p.Parsed != 0 {
		t.Errorf("unchanged corpus: %+v, want all from the cache", again.p)
	}
	for id, m := range first.mentions {
		if !bytes.Equal(again.mentions[id], m) {
			t.Errorf("%s: cached mentions differ from parsed ones", id)
		}
	}

	edited := slices.Clone(arts)
	e := *edited[1]
	e.Body += "\nSpäter wurde auch aus Lyon berichtet."
	edited[1] = &e
	added := &article.Article{ID: "new", Published: arts[0].Published, Language: "en", Body: "Floods hit Leeds on Monday."}
	edited = append(edited, added)
	r := runAll(t, edited, Options{Cache: cache, Versions: v1})
	if r.p.Parsed != 2 || r.p.Cached != len(arts)-1 {
		t.Errorf("one edited, one added: %+v, want 2 parsed", r.p)
	}

	// both runs above used entries of arts[1]'s old content; the next build sees only
	// its own keys, so pruning after it drops the old entry of the edited article
	if err := cache.Close(); err != nil {
		t.Fatal(err)
	}
	cache2, _ := buildcache.Open(cache.Dir())
	runAll(t, edited[:len(edited)-1], Options{Cache: cache2, Versions: v1}) // "new" removed again
	removed, err := cache2.Prune()
	if err != nil {
		t.Fatal(err)
	}
	if removed != 2 { // arts[1] before the edit, and "new"
		t.Errorf("pruned %d entries, want 2", removed)
	}
	cache2.Close()
	cache, _ = buildcache.Open(cache.Dir())
	if r := runAll(t, edited[:len(edited)-1], Options{Cache: cache, Versions: v1}); r.p.Cached != len(arts) {
		t.Errorf("after pruning: %+v, want every article from the cache", r.p)
	}

	for name, v := range map[string]buildcache.Versions{"gazetteer": {Gazetteer: "g2", Code: "c1"}, "code": {Gazetteer: "g1", Code: "c2"}} {
		r := runAll(t, arts, Options{Cache: cache, Versions: v})
		if r.p.Parsed != len(arts) {
			t.Errorf("new %s version: %+v, want every article parsed", name, r.p)
		}
	}
	if r := runAll(t, arts, Options{Cache: cache, Versions: v1, Force: true}); r.p.Parsed != len(arts) {
		t.Errorf("-force: %+v", r.p)
	}
}

func TestRunSkipsAndStops(t *testing.T) {
	arts := articles(t, 1)
	bad := &article.Article{ID: "latin", Published: arts[0].Published, Language: "la", Body: "Gallia est omnis divisa in partes tres."}
	withBad := append([]*article.Article{bad}, arts...)
	var skipped []string
	r := runAll(t, withBad, Options{Skipped: func(a *article.Article, err error) { skipped = append(skipped, a.ID+": "+err.Error()) }})
	if len(skipped) != 1 || r.p.Articles != len(arts) {
		t.Errorf("skipped %v, %d articles", skipped, r.p.Articles)
	}

	stop := errors.New("disk full")
	n := 0
	_, err := Run(context.Background(), gazettest.Load(t), slices.Values(arts), func(*layers.Result) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	}, Options{Workers: 2})
	if !errors.Is(err, stop) || n != 2 {
		t.Errorf("sink error: %v after %d results", err, n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	many := articles(t, 20)
	done := 0
	_, err = Run(ctx, gazettest.Load(t), slices.Values(many), func(*layers.Result) error {
		done++
		if done == 3 {
			cancel()
		}
		return nil
	}, Options{Workers: 2})
	if !errors.Is(err, context.Canceled) || done >= len(many) {
		t.Errorf("cancelled run: %v after %d of %d", err, done, len(many))
	}
}

func TestProgress(t *testing.T) {
	p := Progress{Articles: 100, Parsed: 90, Cached: 10, Mentions: 500, Bytes: 2e6, Elapsed: 2 * time.Second, ETA: 10 * time.Second}
	if got, want := p.String(), "100 articles (90 parsed, 10 cached), 500 mentions, 50 articles/s, 1.0 MB/s, about 10s left"; got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// BenchmarkCorpus measures, on the text of the benchmark corpus (docs/bench/corpus: the
// repository's articles and regression texts), on one goroutine so that MB/s is per
// core: geoparsing alone; geoparsing and layer extraction (the encoded mentions);
// extraction and the cache write of each result; and the build's whole path
// (geoparse, extraction, the streamed layer writer, whose Close writes the places and
// regions layers once per pass). The gazetteer's load is outside the timer. Besides
// wall time each reports the process's CPU time per pass (cpu-ns/op) and MB per CPU
// second (MB/cpu-s, GC included): on a shared machine these move less than wall time.
func BenchmarkCorpus(b *testing.B) {
	g := gazettest.Load(b)
	arts := articles(b, 1)
	var size int64
	for _, a := range arts {
		size += int64(len(a.Body))
	}
	if _, err := pipeline.Geoparse(g, arts[0]); err != nil { // the lazy fuzzy index
		b.Fatal(err)
	}
	x := layers.NewExtractor(g)
	// geoparse: a new Parser each pass, so that no pass reads a word the parser has
	// seen in an earlier pass (the texts differ from one another).
	geoparse := func(b *testing.B, arts []*article.Article, warm bool) {
		var size int64
		for _, a := range arts {
			size += int64(len(a.Body))
		}
		b.SetBytes(size)
		b.ReportAllocs()
		gp := pipeline.NewParser(g)
		defer reportCPU(b, size)()
		for b.Loop() {
			if !warm {
				gp = pipeline.NewParser(g)
			}
			for _, a := range arts {
				if _, err := gp.Geoparse(a); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.Run("geoparse", func(b *testing.B) { geoparse(b, arts, false) })
	// geoparse-distinct: every distinct text of the repository (gold sets too), each
	// once a pass, with a new Parser.
	b.Run("geoparse-distinct", func(b *testing.B) { geoparse(b, distinctArticles(b), false) })
	// geoparse-warm: one Parser for every pass, as a build's goroutine that has read
	// these texts' words before (an upper bound for an archive's recurring words).
	b.Run("geoparse-warm", func(b *testing.B) { geoparse(b, arts, true) })
	b.Run("extract", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		defer reportCPU(b, size)()
		for b.Loop() {
			gp := pipeline.NewParser(g)
			for _, a := range arts {
				d, err := gp.Geoparse(a)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := x.Extract(d); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("extract-cache", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		cache, err := buildcache.Open(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		defer cache.Close()
		opts := Options{Cache: cache, Versions: buildcache.Versions{Gazetteer: "g", Code: "c"}, Force: true}
		defer reportCPU(b, size)()
		for b.Loop() {
			gp := pipeline.NewParser(g)
			for _, a := range arts {
				if _, _, _, err := result(gp, x, a, opts); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	// cached: what a build after adding one article does for every other article: the
	// key computed, the result read from the cache and counted by the aggregate layers
	// (the writing of the mentions is left out: see build-1-worker).
	b.Run("cached", func(b *testing.B) {
		b.SetBytes(size)
		cache, err := buildcache.Open(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		defer cache.Close()
		opts := Options{Cache: cache, Versions: buildcache.Versions{Gazetteer: "g", Code: "c"}}
		gp := pipeline.NewParser(g)
		for _, a := range arts {
			if _, _, _, err := result(gp, x, a, opts); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportAllocs()
		b.ResetTimer()
		defer reportCPU(b, size)()
		for b.Loop() {
			agg := layers.NewAggregate(layers.ReviewOptions{})
			for _, a := range arts {
				r, _, cached, err := result(gp, x, a, opts)
				if err != nil || !cached {
					b.Fatalf("%s: cached %v, %v", a.ID, cached, err)
				}
				agg.Add(r)
			}
		}
	})
	b.Run("build-1-worker", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		dir := b.TempDir()
		defer reportCPU(b, size)()
		for b.Loop() {
			w, err := layers.NewWriter(dir, g, layers.ReviewOptions{})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := Run(context.Background(), g, slices.Values(arts), w.Add, Options{Workers: 1}); err != nil {
				b.Fatal(err)
			}
			if _, err := w.Close(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// distinctArticles returns every distinct text of the repository: the articles and
// regression texts of articles(), and the gold-set texts (testdata/gold/LANG/*.txt, with
// the language and publication date of their .gold.json).
func distinctArticles(t testing.TB) []*article.Article {
	t.Helper()
	out := articles(t, 1)
	golds, err := filepath.Glob("../testdata/gold/*/*.gold.json")
	if err != nil || len(golds) == 0 {
		t.Fatalf("gold sets: %v (%d files)", err, len(golds))
	}
	for _, name := range golds {
		var meta struct{ Article, Language, Published string }
		b, err := os.ReadFile(name)
		if err == nil {
			err = json.Unmarshal(b, &meta)
		}
		if err != nil {
			t.Fatal(name, err)
		}
		body, err := os.ReadFile(filepath.Join(filepath.Dir(name), meta.Article))
		if err != nil {
			t.Fatal(err)
		}
		pub, err := time.Parse(time.DateOnly, meta.Published)
		if err != nil {
			t.Fatal(name, err)
		}
		out = append(out, &article.Article{ID: strings.TrimSuffix(meta.Article, ".txt"), Language: meta.Language,
			Published: pub, Body: string(body)})
	}
	return out
}

// reportCPU starts measuring the process's CPU time; the function it returns reports
// it per op and as MB of text per CPU second.
func reportCPU(b *testing.B, bytesPerOp int64) func() {
	start, ok := processCPU()
	return func() {
		end, ok2 := processCPU()
		if !ok || !ok2 || b.N == 0 {
			return
		}
		perOp := float64(end-start) / float64(b.N)
		b.ReportMetric(perOp, "cpu-ns/op")
		b.ReportMetric(float64(bytesPerOp)/1e6/(perOp/1e9), "MB/cpu-s")
	}
}

// TestParserMemory holds a Parser that has read other texts to the answers of a new
// one: what it keeps between articles (word facts, the gazetteer's answers about words,
// scratch memory) must not change what it finds. Every distinct text is parsed by a
// fresh Parser, then by one Parser over all texts, forwards and then backwards, so
// that each text meets words left by texts of every language before it.
func TestParserMemory(t *testing.T) {
	g := gazettest.Load(t)
	arts := distinctArticles(t)
	x := layers.NewExtractor(g)
	encode := func(gp *pipeline.Parser, a *article.Article) string {
		d, err := gp.Geoparse(a)
		if err != nil {
			t.Fatal(a.ID, err)
		}
		r, err := x.Extract(d)
		if err != nil {
			t.Fatal(a.ID, err)
		}
		var b strings.Builder
		for _, m := range r.Mentions {
			b.Write(m)
			b.WriteByte('\n')
		}
		return b.String()
	}
	want := make([]string, len(arts))
	mentions := 0
	for i, a := range arts {
		want[i] = encode(pipeline.NewParser(g), a)
		mentions += strings.Count(want[i], "\n")
	}
	if len(arts) < 50 || mentions < 500 {
		t.Fatalf("%d texts, %d mentions: the test needs the gold sets", len(arts), mentions)
	}
	gp := pipeline.NewParser(g)
	order := make([]int, 0, 2*len(arts))
	for i := range arts {
		order = append(order, i)
	}
	for i := range arts {
		order = append(order, len(arts)-1-i)
	}
	for _, i := range order {
		if got := encode(gp, arts[i]); got != want[i] {
			t.Errorf("%s: a Parser that read other texts finds\n%s\nwant (a new Parser)\n%s", arts[i].ID, got, want[i])
		}
	}
}
