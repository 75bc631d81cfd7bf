package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"time"

	"newsmap/geo/gazetteer"
	"newsmap/pipeline"
	"newsmap/pipeline/article"
	"newsmap/pipeline/batch"
	"newsmap/pipeline/buildcache"
	"newsmap/pipeline/ingest"
	"newsmap/pipeline/lang"
	"newsmap/pipeline/layers"
)

// geoparseOptions are the flags of geoparse.
type geoparseOptions struct {
	published time.Time
	lang      string
	indent    bool
	jsonl     bool
	workers   int
	cache     string // folder of the gazetteer snapshot, "" for none
}

// snapshot returns where geoparse keeps the gazetteer snapshot, made by this
// executable: none when the executable cannot be read to tell its code.
func (opt geoparseOptions) snapshot() gazetteer.SnapshotOptions {
	if opt.cache == "" {
		return gazetteer.SnapshotOptions{}
	}
	code, err := buildcache.Executable()
	if err != nil {
		return gazetteer.SnapshotOptions{}
	}
	return gazetteer.SnapshotOptions{Dir: opt.cache, Code: code}
}

func runGeoparse(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	codes := strings.Join(lang.Codes(), "|")
	fs := newFlagSet("geoparse", "[-published YYYY-MM-DD] [-lang "+codes+"] [-jsonl] [-j N] [-cache DIR] FILE|- [FILE …]", stderr)
	published := fs.String("published", "", "publication date `YYYY-MM-DD` (overrides the front matter; required for plain text)")
	code := fs.String("lang", "", "language of the article: `code` "+codes+" (overrides the front matter; default de)")
	indent := fs.Bool("indent", false, "indent the JSON output")
	jsonl := fs.Bool("jsonl", false, "the inputs are JSON Lines of articles (fields id, title, url, source, published, language, text); - is stdin")
	workers := fs.Int("j", 0, "articles geoparsed in parallel in batch mode (default: the number of CPUs)")
	cache := fs.String("cache", gazetteer.DefaultSnapshotDir(), "`folder` of the gazetteer snapshot, written by the first run and read by the next (\"\": none)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 1 {
		fs.Usage()
		return errUsage
	}
	opt := geoparseOptions{indent: *indent, jsonl: *jsonl, workers: *workers, cache: *cache}
	if *code != "" {
		l, err := lang.Lookup(*code)
		if err != nil {
			return fmt.Errorf("-lang: %w", err)
		}
		opt.lang = l.Code
	}
	if *published != "" {
		t, err := article.ParseDate(*published)
		if err != nil {
			return fmt.Errorf("-published: %w", err)
		}
		opt.published = t
	}
	if !opt.jsonl && fs.NArg() == 1 {
		return geoparseOne(fs.Arg(0), opt, stdout, stderr)
	}
	return geoparseBatch(ctx, fs.Args(), opt, stdout, stderr)
}

// geoparseOne prints one article's mentions as one GeoJSON FeatureCollection.
func geoparseOne(name string, opt geoparseOptions, stdout, stderr io.Writer) error {
	src, err := readInput(name)
	if err != nil {
		return err
	}
	a, err := readArticle(name, src, opt)
	if err != nil {
		return err
	}
	g, _, err := loadGazetteer(opt.snapshot(), "geoparse", stderr)
	if err != nil {
		return err
	}
	doc, err := pipeline.Geoparse(g, a)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return encodeDoc(stdout, doc, opt.indent, false)
}

// readArticle parses a Markdown or text article; the flags win over its front matter.
func readArticle(name string, src []byte, opt geoparseOptions) (*article.Article, error) {
	defaults := &article.Article{ID: articleIDFromPath(name), Language: "de", Published: opt.published}
	a, err := article.Parse(src, defaults)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	opt.apply(a)
	return a, nil
}

func (opt geoparseOptions) apply(a *article.Article) {
	if !opt.published.IsZero() {
		a.Published = opt.published
	}
	if opt.lang != "" {
		a.Language = opt.lang
	}
}

// encodeDoc writes a document's mentions as a FeatureCollection with its temporal
// expressions (and, in batch mode, its article id).
func encodeDoc(w io.Writer, doc *pipeline.Document, indent, withID bool) error {
	fc := layers.Mentions([]*pipeline.Document{doc})
	fc.ExtraMembers = map[string]any{"temporal_expressions": layers.TemporalExpressions(doc)}
	if withID {
		fc.ExtraMembers["article_id"] = doc.Article.ID
	}
	enc := json.NewEncoder(w)
	if indent {
		enc.SetIndent("", "  ")
	}
	return enc.Encode(fc)
}

// geoparseBatch geoparses many files, or JSON Lines of articles, with one gazetteer and
// writes one FeatureCollection per article and line (JSON Lines, in input order). An
// article that cannot be read is reported on stderr and the others are still written.
func geoparseBatch(ctx context.Context, names []string, opt geoparseOptions, stdout, stderr io.Writer) error {
	g, _, err := loadGazetteer(opt.snapshot(), "geoparse", stderr)
	if err != nil {
		return err
	}
	next := fileItems(names, opt)
	if opt.jsonl {
		next = jsonlItems(names, opt)
	}
	defer next.close()
	out := bufio.NewWriterSize(stdout, 1<<16)
	start := time.Now()
	var done, failed, bytes int
	err = batch.Run(ctx, g, opt.workers, next.next, func(r batch.Result) error {
		if r.Err != nil {
			failed++
			fmt.Fprintf(stderr, "newsmap geoparse: %v\n", r.Err)
			return nil
		}
		done++
		bytes += len(r.Article.Body)
		return encodeDoc(out, r.Doc, opt.indent, true)
	})
	if ferr := out.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	fmt.Fprintf(stderr, "newsmap geoparse: %d articles (%.1f MB) in %.2fs: %.0f articles/s, %.2f MB/s\n",
		done, float64(bytes)/1e6, secs, float64(done)/secs, float64(bytes)/1e6/secs)
	if failed > 0 {
		return fmt.Errorf("%d of %d articles could not be read (%w)", failed, failed+done, errBadArticles)
	}
	return nil
}

// errBadArticles: some inputs of a batch were not articles; the rest were written.
var errBadArticles = errors.New("bad articles")

// itemSource yields batch items and releases what it opened.
type itemSource struct {
	next  func() (batch.Item, error)
	close func()
}

// fileItems reads one Markdown or text article per file.
func fileItems(names []string, opt geoparseOptions) itemSource {
	i := 0
	return itemSource{next: func() (batch.Item, error) {
		if i == len(names) {
			return batch.Item{}, io.EOF
		}
		name := names[i]
		i++
		src, err := readInput(name)
		if err != nil {
			return batch.Item{Name: name, Err: err}, nil
		}
		a, err := readArticle(name, src, opt)
		return batch.Item{Name: name, Article: a, Err: err}, nil
	}, close: func() {}}
}

// jsonlItems reads JSON Lines of articles (ingest.JSONL) from each file in turn ("-" is
// stdin); a bad line is an item with its error, and reading goes on.
func jsonlItems(names []string, opt geoparseOptions) itemSource {
	var (
		i    int
		f    *os.File
		next func() (*article.Article, error, bool)
		stop func()
	)
	closeFile := func() {
		if stop != nil {
			stop()
		}
		if f != nil && f != os.Stdin {
			f.Close()
		}
		f, next, stop = nil, nil, nil
	}
	read := func() (batch.Item, error) {
		for {
			if next == nil {
				if i == len(names) {
					return batch.Item{}, io.EOF
				}
				name := names[i]
				i++
				if name == "-" {
					f = os.Stdin
				} else {
					var err error
					if f, err = os.Open(name); err != nil {
						return batch.Item{Name: name, Err: err}, nil
					}
				}
				next, stop = iter.Pull2(ingest.JSONL(f, displayName(name)))
			}
			a, err, ok := next()
			switch {
			case !ok:
				closeFile()
				continue
			case err != nil && !ingest.IsItemError(err):
				return batch.Item{}, err // the file cannot be read on
			case err != nil:
				return batch.Item{Err: err}, nil
			}
			opt.apply(a)
			return batch.Item{Name: a.ID, Article: a}, nil
		}
	}
	return itemSource{next: read, close: closeFile}
}

func displayName(name string) string {
	if name == "-" {
		return "stdin"
	}
	return name
}

func readInput(name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(os.Stdin)
	}
	return os.ReadFile(name)
}

func articleIDFromPath(name string) string {
	if name == "-" {
		return "stdin"
	}
	base := filepath.Base(name)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// loadGazetteer opens the gazetteer embedded in the binary, with its snapshot (see
// gazetteer.LoadCached). A snapshot that cannot be written is reported on stderr as
// the command's; the load goes on without it.
func loadGazetteer(snap gazetteer.SnapshotOptions, command string, stderr io.Writer) (*gazetteer.Gazetteer, gazetteer.SnapshotStatus, error) {
	g, st, err := gazetteer.LoadEmbeddedCached(snap)
	if err == nil && st.WriteErr != nil {
		fmt.Fprintf(stderr, "newsmap %s: %v (the gazetteer loads without it)\n", command, st.WriteErr)
	}
	return g, st, err
}
