// Package corpus runs the pipeline over a stream of articles: geoparsing on every core,
// each article's result taken from the build cache when its content, the gazetteer and
// the code are unchanged, and the results handed on in input order with a bounded
// number of articles in flight, so memory does not grow with the corpus.
package corpus

import (
	"context"
	"fmt"
	"iter"
	"runtime"
	"sync"
	"time"

	"newsmap/pipeline"
	"newsmap/pipeline/article"
	"newsmap/pipeline/buildcache"
	"newsmap/pipeline/layers"
)

// Gazetteer is what the run needs of the gazetteer.
type Gazetteer interface {
	pipeline.Gazetteer
	layers.Corridors
}

// Options configure a run.
type Options struct {
	Workers  int                 // geoparsing goroutines; 0: GOMAXPROCS
	Cache    *buildcache.Cache   // nil: no cache
	Versions buildcache.Versions // what cache keys depend on besides the article
	Force    bool                // parse every article, ignoring (but refreshing) the cache
	// Progress is called about once a second from one goroutine, and once at the end.
	Progress func(Progress)
	// Skipped is told about each article that could not be geoparsed (e.g. its language
	// has no rules); the run goes on.
	Skipped func(a *article.Article, err error)
	// TotalBytes, when known (the sizes of the input files), lets Progress estimate the
	// time left from the bytes read so far.
	TotalBytes int64
}

// Progress is the state of a run.
type Progress struct {
	Articles int           // results handed on
	Parsed   int           // of which geoparsed in this run
	Cached   int           // of which taken from the cache
	Mentions int           // mentions handed on
	Bytes    int64         // article text read so far
	Elapsed  time.Duration //
	ETA      time.Duration // time left, 0 when unknown
	Done     bool          // the final report
	// Digest, with a cache, sums the cache keys of the results handed on, in order
	// (buildcache.Digest): set in the final report.
	Digest string
}

// Rate returns articles per second.
func (p Progress) Rate() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Articles) / p.Elapsed.Seconds()
}

// String formats the progress for a terminal line.
func (p Progress) String() string {
	s := fmt.Sprintf("%d articles (%d parsed, %d cached), %d mentions, %.0f articles/s, %.1f MB/s",
		p.Articles, p.Parsed, p.Cached, p.Mentions, p.Rate(), float64(p.Bytes)/1e6/max(p.Elapsed.Seconds(), 1e-9))
	if p.ETA > 0 && !p.Done {
		s += fmt.Sprintf(", about %v left", p.ETA.Round(time.Second))
	}
	return s
}

type job struct {
	seq int
	a   *article.Article
}

type done struct {
	seq    int
	r      *layers.Result // nil: skipped
	key    string         // the cache key, "" without a cache
	cached bool
	bytes  int
}

// Run geoparses the articles and hands each result to sink in input order. An error
// from sink or a cancelled ctx stops the run and is returned (a cancelled ctx at once,
// without waiting for the articles being parsed); articles that cannot be
// geoparsed go to Options.Skipped. The cache is written as results are made.
func Run(parent context.Context, g Gazetteer, arts iter.Seq[*article.Article], sink func(*layers.Result) error, opts Options) (Progress, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	window := 16 * workers // articles in flight: read, parsing or waiting for their turn
	slots := make(chan struct{}, window)
	jobs := make(chan job, workers)
	results := make(chan done, window)
	// reader
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		defer close(jobs)
		seq := 0
		for a := range arts {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- job{seq, a}:
			case <-ctx.Done():
				return
			}
			seq++
		}
	}()

	// workers
	x := layers.NewExtractor(g)
	var wg sync.WaitGroup
	var skipMu sync.Mutex
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			gp := pipeline.NewParser(g) // this goroutine's: it keeps word facts between articles
			x := x.Clone()              // and the encoded fields of the places met
			for j := range jobs {
				r, key, cached, err := result(gp, x, j.a, opts)
				if err != nil {
					if opts.Skipped != nil {
						skipMu.Lock()
						opts.Skipped(j.a, err)
						skipMu.Unlock()
					}
					r = nil
				}
				select {
				case results <- done{j.seq, r, key, cached, len(j.a.Body)}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	// collector: hands results on in order
	start := time.Now()
	var p Progress
	pending := map[int]done{}
	next := 0
	lastReport := start
	report := func(final bool) {
		if opts.Progress == nil {
			return
		}
		p.Elapsed = time.Since(start)
		p.Done = final
		p.ETA = 0
		if opts.TotalBytes > 0 && p.Bytes > 0 && p.Bytes < opts.TotalBytes {
			p.ETA = time.Duration(float64(p.Elapsed) * float64(opts.TotalBytes-p.Bytes) / float64(p.Bytes))
		}
		opts.Progress(p)
	}
	var sinkErr error
	digest := buildcache.NewDigest()
collect:
	for {
		var d done
		select {
		case r, ok := <-results:
			if !ok {
				break collect
			}
			d = r
		case <-parent.Done():
			// Stop now, not when the articles being parsed are done: their workers
			// finish them in the background (an article is bounded in size) and their
			// results are dropped.
			cancel()
			return p, parent.Err()
		}
		pending[d.seq] = d
		for {
			d, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-slots
			p.Bytes += int64(d.bytes)
			if d.r == nil || sinkErr != nil {
				continue
			}
			if err := sink(d.r); err != nil {
				sinkErr = err
				cancel()
				continue
			}
			p.Articles++
			p.Mentions += len(d.r.Mentions)
			digest.Add(d.key)
			if d.cached {
				p.Cached++
			} else {
				p.Parsed++
			}
		}
		if now := time.Now(); now.Sub(lastReport) >= time.Second {
			lastReport = now
			report(false)
		}
	}
	cancel()
	<-readerDone
	if sinkErr != nil {
		return p, sinkErr
	}
	if err := parent.Err(); err != nil {
		return p, err
	}
	if opts.Cache != nil {
		p.Digest = digest.Sum()
	}
	report(true)
	return p, nil
}

// result returns the article's result and cache key, from the cache, or geoparsed and
// stored.
func result(gp *pipeline.Parser, x *layers.Extractor, a *article.Article, opts Options) (*layers.Result, string, bool, error) {
	key := ""
	if opts.Cache != nil {
		key = buildcache.Key(a, opts.Versions)
		if !opts.Force {
			if r, err := opts.Cache.Get(key); err == nil && r != nil && r.ArticleID == a.ID {
				return r, key, true, nil
			}
		}
	}
	d, err := gp.Geoparse(a)
	if err != nil {
		return nil, key, false, err
	}
	r, err := x.Extract(d)
	if err != nil {
		return nil, key, false, err
	}
	if opts.Cache != nil {
		if err := opts.Cache.Put(key, r); err != nil {
			return nil, key, false, err
		}
	}
	return r, key, false, nil
}
