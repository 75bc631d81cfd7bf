package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"newsmap/data"
	"newsmap/geo/gazetteer"
	"newsmap/geo/layerstore"
	"newsmap/pipeline/article"
	"newsmap/pipeline/buildcache"
	"newsmap/pipeline/corpus"
	"newsmap/pipeline/ingest"
	"newsmap/pipeline/layers"
)

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("build", "[-articles DIR] [-out DIR] [-feeds FILE [-fetch]] [-cache DIR] [-force]", stderr)
	in := fs.String("articles", "data/articles", "folder of articles: Markdown with front matter (.md, .txt), JSON Lines (.jsonl), feeds (.xml, .rss, .atom), pages (.html)")
	out := fs.String("out", "data/layers", "folder to write the layers to")
	quiet := fs.Bool("q", false, "no progress output")
	strict := fs.Bool("strict", false, "fail when an article cannot be read (default: report it and go on)")
	feeds := fs.String("feeds", "", "`file` listing feeds, pages or JSON Lines files to read besides the articles folder, one path or URL a line")
	fetch := fs.Bool("fetch", false, "fetch the http(s) URLs in the -feeds list (off: they are reported and skipped)")
	timeout := fs.Duration("timeout", 30*time.Second, "time limit for fetching one URL with -fetch")
	cacheDir := fs.String("cache", "data/cache", "`folder` of per-article results and of the gazetteer snapshot, reused by the next build (\"\": no cache)")
	force := fs.Bool("force", false, "parse every article again, ignoring the cache")
	index := fs.Bool("index", false, "also write the index serve reads the layers through (OUT/.index), so that a server's first start finds it; it costs more CPU than the rest of a rebuild (off: serve makes it at its first start)")
	workers := fs.Int("workers", 0, "geoparsing goroutines (0: one per core)")
	reviewPlaces := fs.Int("review-places", layers.DefaultReviewPlaces, "places listed in review.md and review.json, most doubtful mentions first")
	reviewExamples := fs.Int("review-examples", layers.DefaultReviewExamples, "example mentions per place in the review report")
	maxArticle := fs.Int("max-article-bytes", defaultMaxArticle, fmt.Sprintf("skip an article whose text is longer than this (at most %d, the readers' own limit)", ingest.MaxTextBytes))
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the build to `file` (for go tool pprof)")
	db := fs.String("db", "", "also write the layers into PostGIS at this `URL` (postgres://user@host/db), as one transaction (docs/SCALING.md)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *maxArticle <= 0 || *maxArticle > ingest.MaxTextBytes {
		fmt.Fprintf(stderr, "newsmap build: -max-article-bytes must be in 1..%d\n", ingest.MaxTextBytes)
		return errUsage
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	started := time.Now()
	progress := func(format string, a ...any) {
		if !*quiet {
			fmt.Fprintf(stderr, format+"\n", a...)
		}
	}
	if _, err := os.Stat(*in); err != nil {
		return fmt.Errorf("articles folder: %w", err)
	}
	var feedRefs []string
	if *feeds != "" {
		var err error
		if feedRefs, err = readFeedList(*feeds); err != nil {
			return err
		}
	}
	opts := corpus.Options{Workers: *workers, Force: *force, TotalBytes: inputBytes(*in, feedRefs)}
	if *cacheDir != "" {
		var err error
		if opts.Cache, err = buildcache.Open(*cacheDir); err != nil {
			return err
		}
		// Close commits what this run parsed, also when it stops early; Prune (after a
		// complete build) commits first and reports its own errors.
		defer func() {
			if err := opts.Cache.Close(); err != nil {
				fmt.Fprintf(stderr, "newsmap build: %v\n", err) // only the next build's reuse is lost
			}
		}()
		if opts.Versions, err = versions(); err != nil {
			return err
		}
	}
	unlock, err := lockDir(*out)
	if err != nil {
		return err
	}
	defer unlock()
	options := fmt.Sprintf("review-places=%d review-examples=%d", *reviewPlaces, *reviewExamples)
	if opts.Cache != nil && !*force && *db == "" && !*fetch {
		var problem bool
		var readErr error
		arts := readArticles(ctx, *in, feedRefs, false, nil, *maxArticle, func(error) { problem = true }, &readErr)
		if n, st, ok := unchanged(opts.Cache, opts.Versions, *out, options, arts); ok && !problem && readErr == nil && ctx.Err() == nil {
			fmt.Fprintf(stdout, "built %s from %d articles (0 parsed, %d from the cache) in %v: %s; nothing changed since the last build\n",
				*out, n, n, time.Since(started).Round(time.Millisecond), st.Summary)
			return nil
		}
	}
	loadStart := time.Now()
	// the snapshot is made by this executable: the code version of the cache's entries
	g, snap, err := loadGazetteer(gazetteer.SnapshotOptions{Dir: *cacheDir, Code: opts.Versions.Code}, "build", stderr)
	if err != nil {
		return err
	}
	how := ""
	switch {
	case snap.Read:
		how = " from its snapshot"
	case snap.Written:
		how = ", snapshot written"
	}
	progress("gazetteer: %d entries loaded in %v%s", g.Entries(), time.Since(loadStart).Round(time.Millisecond), how)
	if !*quiet {
		opts.Progress = func(p corpus.Progress) {
			if !p.Done {
				fmt.Fprintf(stderr, "build: %v\n", p)
			}
		}
	}
	var mu sync.Mutex // the reader and the workers report
	skipped := 0
	report := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(stderr, "skipped %v\n", err)
		skipped++
	}
	opts.Skipped = func(a *article.Article, err error) { report(fmt.Errorf("%s: %w", a.ID, err)) }
	w, err := layers.NewWriter(*out, g, layers.ReviewOptions{MaxPlaces: *reviewPlaces, MaxExamples: *reviewExamples})
	if err != nil {
		return err
	}
	var readErr error
	arts := readArticles(ctx, *in, feedRefs, *fetch, &ingest.Fetcher{Timeout: *timeout}, *maxArticle, report, &readErr)
	p, err := corpus.Run(ctx, g, arts, w.Add, opts)
	if err == nil {
		err = readErr
	}
	switch {
	case ctx.Err() != nil:
		w.Abort()
		return fmt.Errorf("interrupted; the layers in %s are unchanged", *out)
	case err != nil:
		w.Abort()
		return err
	case *strict && skipped > 0:
		w.Abort()
		return fmt.Errorf("%d article(s) could not be read (-strict); the layers in %s are unchanged", skipped, *out)
	case p.Articles == 0:
		w.Abort()
		return fmt.Errorf("no readable articles in %s", *in)
	}
	st, err := w.Close(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted; the layers in %s are unchanged", *out)
		}
		return err
	}
	if *index {
		if err := layerstore.WriteIndexes(*out); err != nil {
			// The layers are built; a server indexes what is missing when it loads them.
			fmt.Fprintf(stderr, "newsmap build: %v\n", err)
		}
	}
	summary := fmt.Sprintf("%d mentions, %d places, %d routes, %d regions; review: %d doubtful mentions of %d places, the first %d in review.md",
		st.Mentions, st.Places, st.Routes, st.Regions, st.Review.DoubtfulMentions, st.Review.DoubtfulPlaces, len(st.Review.Places))
	if opts.Cache != nil {
		if _, err := opts.Cache.Prune(); err != nil {
			fmt.Fprintf(stderr, "newsmap build: %v\n", err) // the layers are built; a stale entry only costs disk
		}
		// the next build with the same articles and options can stop here
		files, err := buildcache.StampFiles(*out, layers.Files())
		if err == nil {
			err = opts.Cache.SetStamp(*out, buildcache.Stamp{Inputs: p.Digest + " " + options, Files: files, Summary: summary})
		}
		if err != nil {
			fmt.Fprintf(stderr, "newsmap build: %v\n", err) // the next build does all the work
		}
	}
	fmt.Fprintf(stdout, "built %s from %d articles (%d parsed, %d from the cache) in %v: %s",
		*out, st.Articles, p.Parsed, p.Cached, time.Since(started).Round(time.Millisecond), summary)
	if skipped > 0 {
		fmt.Fprintf(stdout, "; %d skipped", skipped)
	}
	fmt.Fprintln(stdout)
	if *db != "" {
		if err := writeDB(ctx, *db, *out, stdout); err != nil {
			return fmt.Errorf("the layers are in %s but not in the database: %w", *out, err)
		}
	}
	return nil
}

// unchanged reports whether the last build into out was made from these articles (the
// same cache keys in the same order, so the same texts, gazetteer and code) with the
// same options, and its files are as it left them: then there is nothing to do, and
// the gazetteer is not loaded. It stops reading at the first article whose result is
// not in the cache. It returns the number of articles read and the last build's stamp.
func unchanged(c *buildcache.Cache, v buildcache.Versions, out, options string, arts iter.Seq[*article.Article]) (int, buildcache.Stamp, bool) {
	st, ok := c.Stamp(out)
	if !ok || !st.Current(out) {
		return 0, st, false
	}
	d := buildcache.NewDigest()
	n := 0
	for a := range arts {
		k := buildcache.Key(a, v)
		if !c.Has(k) {
			return n, st, false
		}
		d.Add(k)
		n++
	}
	return n, st, n > 0 && d.Sum()+" "+options == st.Inputs
}

// defaultMaxArticle is the default of -max-article-bytes: far above any news article
// (tens of kB), low enough that one article takes seconds, not minutes.
const defaultMaxArticle = 8 << 20

// versions names the gazetteer and the code the cached results depend on.
func versions() (buildcache.Versions, error) {
	gz, err := fs.Sub(data.Gazetteer, "gazetteer")
	if err != nil {
		return buildcache.Versions{}, err
	}
	gv, err := buildcache.HashFS(gz)
	if err != nil {
		return buildcache.Versions{}, err
	}
	cv, err := buildcache.Executable()
	if err != nil {
		return buildcache.Versions{}, err
	}
	return buildcache.Versions{Gazetteer: gv, Code: cv}, nil
}

// inputBytes is the size of the input files, for the progress estimate.
func inputBytes(dir string, refs []string) int64 {
	var n int64
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && !e.IsDir() && ingest.FormatOf(e.Name()) != ingest.Unknown {
			n += info.Size()
		}
	}
	for _, r := range refs {
		if info, err := os.Stat(r); err == nil && !ingest.IsURL(r) {
			n += info.Size()
		}
	}
	return n
}

// readArticles streams every input of the articles folder and of the feeds list (URLs
// are fetched only when fetch is set). Each bad line or item, each article longer than
// maxBytes and each article whose id was already read, is reported and skipped; an error that stops reading is stored in
// *fatal and ends the sequence.
func readArticles(ctx context.Context, dir string, refs []string, fetch bool, f *ingest.Fetcher, maxBytes int, report func(error), fatal *error) func(func(*article.Article) bool) {
	return func(yield func(*article.Article) bool) {
		seen := map[string]string{}
		add := func(rec ingest.Record, err error) bool {
			switch {
			case err != nil && !ingest.IsItemError(err):
				*fatal = err
				return false
			case err != nil:
				report(err)
			case len(rec.Article.Body) > maxBytes:
				report(fmt.Errorf("%s: %w: the text has %d bytes, more than -max-article-bytes %d", rec.Where(), ingest.ErrTooLarge, len(rec.Article.Body), maxBytes))
			default:
				if prev, dup := seen[rec.Article.ID]; dup {
					report(fmt.Errorf("%s: %w %q (first in %s)", rec.Where(), ingest.ErrDuplicate, rec.Article.ID, prev))
					return ctx.Err() == nil
				}
				seen[rec.Article.ID] = rec.Where()
				if !yield(rec.Article) {
					return false
				}
			}
			return ctx.Err() == nil
		}
		for rec, err := range ingest.Dir(os.DirFS(dir)) {
			rec.File = filepath.Join(dir, rec.File) // messages name the file as the user knows it
			var ie *ingest.ItemError
			if errors.As(err, &ie) {
				ie.File = filepath.Join(dir, ie.File)
			}
			if !add(rec, err) {
				return
			}
		}
		for _, ref := range refs {
			if ingest.IsURL(ref) && !fetch {
				report(fmt.Errorf("%s: fetching is off (use -fetch, or newsmap ingest)", ref))
				continue
			}
			for rec, err := range readRef(ctx, f, ref) {
				if !add(rec, err) {
					return
				}
			}
		}
	}
}

// readFeedList reads a list of inputs, one path or URL a line; blank lines and lines
// starting with # are skipped; relative paths are relative to the list's folder.
func readFeedList(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("feeds list: %w", err)
	}
	var refs []string
	for line := range strings.SplitSeq(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !ingest.IsURL(line) && !filepath.IsAbs(line) {
			line = filepath.Join(filepath.Dir(path), line)
		}
		refs = append(refs, line)
	}
	return refs, nil
}

// startCPUProfile profiles the process into path until the returned function is called.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpuprofile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
