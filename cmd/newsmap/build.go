package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"newsmap/pipeline"
	"newsmap/pipeline/article"
	"newsmap/pipeline/ingest"
	"newsmap/pipeline/layers"
)

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("build", "[-articles DIR] [-out DIR] [-feeds FILE [-fetch]]", stderr)
	in := fs.String("articles", "data/articles", "folder of articles: Markdown with front matter (.md, .txt), JSON Lines (.jsonl), feeds (.xml, .rss, .atom), pages (.html)")
	out := fs.String("out", "data/layers", "folder to write the layers to")
	quiet := fs.Bool("q", false, "no progress output")
	strict := fs.Bool("strict", false, "fail when an article cannot be read (default: report it and go on)")
	feeds := fs.String("feeds", "", "`file` listing feeds, pages or JSON Lines files to read besides the articles folder, one path or URL a line")
	fetch := fs.Bool("fetch", false, "fetch the http(s) URLs in the -feeds list (off: they are reported and skipped)")
	timeout := fs.Duration("timeout", 30*time.Second, "time limit for fetching one URL with -fetch")
	if err := parseFlags(fs, args); err != nil {
		return err
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
	arts, skipped, err := readArticles(ctx, *in, *feeds, *fetch, &ingest.Fetcher{Timeout: *timeout}, stderr)
	if err != nil {
		return err
	}
	if *strict && skipped > 0 {
		return fmt.Errorf("%d article(s) could not be read", skipped)
	}
	if len(arts) == 0 {
		return fmt.Errorf("no readable articles in %s", *in)
	}
	g, err := loadGazetteer()
	if err != nil {
		return err
	}
	progress("gazetteer: %d entries loaded in %v", g.Entries(), time.Since(started).Round(time.Millisecond))
	docs, err := geoparseAll(ctx, g, arts, func(done int, d *pipeline.Document) {
		progress("[%d/%d] %s: %d mentions, %d temporal expressions", done, len(arts), d.Article.ID, len(d.Mentions), len(d.Timexes))
	})
	if err != nil {
		return err
	}
	set := layers.Build(docs, g)
	if err := set.Write(*out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "built %s from %d articles in %v: %d mentions, %d places, %d routes, %d regions, %d to review\n",
		*out, len(docs), time.Since(started).Round(time.Millisecond), len(set.Mentions.Features), len(set.Places.Features),
		len(set.Routes.Features), len(set.Regions.Features), len(set.Review))
	return nil
}

// geoparseAll geoparses the articles on all cores; documents keep the articles' order.
func geoparseAll(ctx context.Context, g pipeline.Gazetteer, arts []*article.Article, done func(int, *pipeline.Document)) ([]*pipeline.Document, error) {
	docs := make([]*pipeline.Document, len(arts))
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	finished := 0
	var failed error // the first article that could not be geoparsed
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				d, err := pipeline.Geoparse(g, arts[i])
				mu.Lock()
				if err != nil {
					if failed == nil {
						failed = fmt.Errorf("%s: %w", arts[i].ID, err)
					}
					mu.Unlock()
					continue
				}
				docs[i] = d
				finished++
				done(finished, d)
				mu.Unlock()
			}
		}()
	}
	var err error
feed:
	for i := range arts {
		select {
		case jobs <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err == nil {
		err = failed
	}
	return docs, err
}

// readArticles reads every input of the articles folder and of the feeds list (paths in
// it are relative to the list's folder; URLs are fetched only when fetch is set). Each
// bad line or item is reported on stderr with its file and line or item, and skipped.
func readArticles(ctx context.Context, dir, feedList string, fetch bool, f *ingest.Fetcher, stderr io.Writer) (arts []*article.Article, skipped int, err error) {
	report := func(err error) {
		fmt.Fprintf(stderr, "skipped %v\n", err)
		skipped++
	}
	seen := map[string]string{}
	add := func(rec ingest.Record, err error) error {
		switch {
		case err != nil && !ingest.IsItemError(err):
			return err
		case err != nil:
			report(err)
		default:
			if prev, dup := seen[rec.Article.ID]; dup {
				report(fmt.Errorf("%s: %w %q (first in %s)", rec.Where(), ingest.ErrDuplicate, rec.Article.ID, prev))
				return nil
			}
			seen[rec.Article.ID] = rec.Where()
			arts = append(arts, rec.Article)
		}
		return ctx.Err()
	}
	for rec, err := range ingest.Dir(os.DirFS(dir)) {
		rec.File = filepath.Join(dir, rec.File) // messages name the file as the user knows it
		var ie *ingest.ItemError
		if errors.As(err, &ie) {
			ie.File = filepath.Join(dir, ie.File)
		}
		if err := add(rec, err); err != nil {
			return nil, skipped, err
		}
	}
	if feedList == "" {
		return arts, skipped, nil
	}
	refs, err := readFeedList(feedList)
	if err != nil {
		return nil, skipped, err
	}
	for _, ref := range refs {
		if ingest.IsURL(ref) && !fetch {
			report(fmt.Errorf("%s: fetching is off (use -fetch, or newsmap ingest)", ref))
			continue
		}
		for rec, err := range readRef(ctx, f, ref) {
			if err := add(rec, err); err != nil {
				return nil, skipped, err
			}
		}
	}
	return arts, skipped, nil
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
