// Command corpus writes a JSON Lines corpus for the build benchmarks (docs/bench/build.sh)
// from the repository's own articles (data/articles, pipeline/testdata and its regression
// texts): n articles cycling through them, each with its own id and a publication date
// shifted by up to three years, so that every article is parsed (no two share a cache
// key) and the layers span many dates. The output is deterministic for a given -seed.
//
// Usage:
//
//	go run ./docs/bench/corpus [-n 10000] [-seed 1] -o FILE
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"

	"newsmap/pipeline/article"
	"newsmap/pipeline/ingest"
)

var sources = []string{"data/articles", "pipeline/testdata", "pipeline/testdata/regression"}

func main() {
	n := flag.Int("n", 10000, "number of articles")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("o", "", "JSON Lines file to write")
	flag.Parse()
	if *out == "" || *n < 1 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: corpus [-n N] [-seed S] -o FILE (run from the repository root)")
		os.Exit(2)
	}
	if err := write(*out, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(1)
	}
}

func write(path string, n int, seed uint64) error {
	var base []*article.Article
	for _, dir := range sources {
		arts, errs := article.LoadDir(os.DirFS(dir))
		if len(errs) > 0 {
			return fmt.Errorf("%s: %v", dir, errs[0])
		}
		base = append(base, arts...)
	}
	if len(base) == 0 {
		return fmt.Errorf("no articles in %v (run from the repository root)", sources)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(seed, 0))
	var bytes int64
	for i := range n {
		a := *base[i%len(base)]
		a.ID = fmt.Sprintf("%s-%06d", a.ID, i)
		a.Published = a.Published.AddDate(0, 0, -rng.IntN(3*365))
		bytes += int64(len(a.Body))
		if err := ingest.WriteJSONL(w, &a); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%s: %d articles from %d originals, %.1f MB of text\n", path, n, len(base), float64(bytes)/1e6)
	return nil
}
