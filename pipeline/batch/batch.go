// Package batch geoparses many articles in one process: the gazetteer is loaded once,
// a bounded number of workers share it, and the results come out in input order.
package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"

	"newsmap/pipeline"
	"newsmap/pipeline/article"
)

// Item is one input: an article, or the error that kept it from being read.
type Item struct {
	Name    string // file name, or "stdin:12" for a JSON Lines record
	Article *article.Article
	Err     error
}

// Result is an item with its geoparsed document (nil when Err is set: the item could
// not be read, or not geoparsed, e.g. in a language without rules).
type Result struct {
	Item
	Doc *pipeline.Document
}

// Run reads items with next until it returns io.EOF, geoparses them with up to workers
// goroutines (GOMAXPROCS when workers < 1) and calls emit once per item, in input order.
// At most 2·workers items are in flight, so memory stays bounded whatever the input's
// length. Run stops at the first error of next (other than io.EOF) or emit, or when ctx
// is done, and returns that error.
func Run(ctx context.Context, g pipeline.Gazetteer, workers int, next func() (Item, error), emit func(Result) error) error {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type job struct {
		item Item
		out  chan Result
	}
	jobs := make(chan job)
	order := make(chan chan Result, 2*workers)
	readErr := make(chan error, 1)
	go func() { // reader: hands out jobs and remembers their order
		defer close(jobs)
		defer close(order)
		for {
			it, err := next()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					readErr <- err
				}
				return
			}
			j := job{it, make(chan Result, 1)}
			select {
			case order <- j.out:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	for w := 0; w < workers; w++ {
		go func() {
			gp := pipeline.NewParser(g) // this goroutine's: it keeps word facts between articles
			for j := range jobs {
				r := Result{Item: j.item}
				if j.item.Err == nil && ctx.Err() == nil {
					r.Doc, r.Err = gp.Geoparse(j.item.Article)
					if r.Err != nil {
						r.Err = fmt.Errorf("%s: %w", j.item.Name, r.Err)
					}
				}
				j.out <- r
			}
		}()
	}
	for out := range order {
		var r Result
		select {
		case r = <-out:
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := emit(r); err != nil {
			return err
		}
	}
	select {
	case err := <-readErr:
		return err
	default:
	}
	return ctx.Err()
}
