package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"time"

	"newsmap/pipeline"
	"newsmap/pipeline/article"
	"newsmap/pipeline/layers"
)

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("build", "[-articles DIR] [-out DIR]", stderr)
	in := fs.String("articles", "data/articles", "folder of articles (.md or .txt with front matter)")
	out := fs.String("out", "data/layers", "folder to write the layers to")
	quiet := fs.Bool("q", false, "no progress output")
	strict := fs.Bool("strict", false, "fail when an article cannot be read (default: report it and go on)")
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
	arts, errs := article.LoadDir(os.DirFS(*in))
	for _, err := range errs {
		fmt.Fprintf(stderr, "skipped %s/%v\n", *in, err)
	}
	if *strict && len(errs) > 0 {
		return fmt.Errorf("%d article(s) could not be read", len(errs))
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
