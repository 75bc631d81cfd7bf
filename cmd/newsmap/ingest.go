package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"newsmap/pipeline/article"
	"newsmap/pipeline/ingest"
)

func runIngest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("ingest", "[-o FILE] [-timeout 30s] [-max-bytes N] FEED|PAGE|JSONL|URL...", stderr)
	out := fs.String("o", "data/articles/ingested.jsonl", "JSON Lines `file` to merge the articles into (an article with the same id is replaced)")
	timeout := fs.Duration("timeout", 30*time.Second, "time limit for fetching one URL")
	maxBytes := fs.Int64("max-bytes", ingest.MaxFeedBytes, "size limit for one fetched feed or page, in bytes")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	fetcher := &ingest.Fetcher{Timeout: *timeout, MaxBytes: *maxBytes}
	var arts []*article.Article
	skipped := 0
	for _, ref := range fs.Args() {
		n := 0
		for rec, err := range readRef(ctx, fetcher, ref) {
			if err != nil {
				if !ingest.IsItemError(err) {
					return err
				}
				fmt.Fprintf(stderr, "skipped %v\n", err)
				skipped++
				continue
			}
			arts = append(arts, rec.Article)
			n++
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		fmt.Fprintf(stderr, "%s: %d articles\n", ref, n)
	}
	if len(arts) == 0 {
		return fmt.Errorf("no readable articles in %d input(s) (%d skipped)", fs.NArg(), skipped)
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return err
	}
	st, err := ingest.MergeJSONL(*out, arts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d new, %d updated, %d unchanged articles (%d kept from before, %d skipped)\n",
		*out, st.Added, st.Updated, st.Unchanged, st.Kept, skipped)
	return nil
}

// readRef reads one command-line input: an http(s) URL is fetched (naming it is the
// consent to fetch), anything else is a file whose format its extension or content tells.
func readRef(ctx context.Context, f *ingest.Fetcher, ref string) func(func(ingest.Record, error) bool) {
	if ingest.IsURL(ref) {
		return f.URL(ctx, ref)
	}
	return func(yield func(ingest.Record, error) bool) {
		file, err := os.Open(ref)
		if err != nil {
			yield(ingest.Record{File: ref}, &ingest.ItemError{File: ref, Err: err})
			return
		}
		defer file.Close()
		format := ingest.FormatOf(ref)
		if format == ingest.Unknown {
			head := make([]byte, 512)
			n, _ := io.ReadFull(file, head)
			format = ingest.Sniff("", head[:n])
			if _, err := file.Seek(0, io.SeekStart); err != nil {
				yield(ingest.Record{File: ref}, &ingest.ItemError{File: ref, Err: err})
				return
			}
		}
		for rec, err := range ingest.Read(format, file, ref) {
			if !yield(rec, err) {
				return
			}
		}
	}
}
