package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"path"
	"sort"
	"strings"

	"newsmap/pipeline/article"
)

// Format is the kind of an input file.
type Format int

// The input formats, told apart by file extension (FormatOf) or by content (Sniff).
const (
	Unknown   Format = iota
	Markdown         // .md, .markdown, .txt: front matter and body (package article)
	JSONLines        // .jsonl, .ndjson: one JSON article per line
	FeedXML          // .xml, .rss, .atom: RSS 2.0 / RSS 1.0 / Atom (also JSON Feed by content)
	Page             // .html, .htm: one news page
)

func (f Format) String() string {
	return [...]string{"unknown", "markdown", "jsonl", "feed", "html"}[f]
}

// FormatOf tells an input's format from its file name; README and hidden files are not
// inputs.
func FormatOf(name string) Format {
	base := path.Base(name)
	if strings.HasPrefix(base, ".") || strings.HasPrefix(strings.ToUpper(base), "README") {
		return Unknown
	}
	switch strings.ToLower(path.Ext(base)) {
	case ".md", ".markdown", ".txt":
		return Markdown
	case ".jsonl", ".ndjson":
		return JSONLines
	case ".xml", ".rss", ".atom":
		return FeedXML
	case ".html", ".htm":
		return Page
	}
	return Unknown
}

// Sniff tells a fetched document's format from its Content-Type and its first bytes.
func Sniff(contentType string, head []byte) Format {
	ct := strings.ToLower(contentType)
	switch {
	case strings.Contains(ct, "rss") || strings.Contains(ct, "atom") || strings.Contains(ct, "feed+json"):
		return FeedXML
	case strings.Contains(ct, "ndjson") || strings.Contains(ct, "jsonl"):
		return JSONLines
	}
	h := strings.ToLower(string(bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\ufeff")))))
	switch {
	case strings.HasPrefix(h, "<!doctype html") || strings.HasPrefix(h, "<html") || strings.Contains(ct, "text/html"):
		return Page
	case strings.HasPrefix(h, "<?xml") || strings.HasPrefix(h, "<rss") || strings.HasPrefix(h, "<feed") || strings.HasPrefix(h, "<rdf"):
		return FeedXML
	case strings.HasPrefix(h, "{") && strings.Contains(h, "jsonfeed.org"):
		return FeedXML
	case strings.HasPrefix(h, "{"):
		return JSONLines
	case strings.HasPrefix(h, "---"):
		return Markdown
	}
	return Unknown
}

// Read reads the records of one input of the given format from r; name is the file
// name or URL used in errors and, for a page without an address, as the article's
// identity.
func Read(format Format, r io.Reader, name string) iter.Seq2[Record, error] {
	switch format {
	case JSONLines:
		return jsonlRecords(r, name)
	case FeedXML:
		return feedRecords(r, name)
	case Page:
		return one(name, func() (*article.Article, error) { return HTML(r, name, "") })
	case Markdown:
		return one(name, func() (*article.Article, error) {
			src, err := io.ReadAll(io.LimitReader(r, MaxTextBytes+64<<10))
			if err != nil {
				return nil, fmt.Errorf("ingest: %s: %w", name, err)
			}
			a, err := article.Parse(src, nil)
			if err != nil {
				ie := &ItemError{File: name, Err: err}
				var pe *article.ParseError
				if errors.As(err, &pe) {
					ie.Line, ie.Err = pe.Line, pe.Err
				}
				return nil, ie
			}
			return a, nil
		})
	}
	return one(name, func() (*article.Article, error) {
		return nil, &ItemError{File: name, Err: fmt.Errorf("%w: not an article format", ErrSyntax)}
	})
}

func one(name string, f func() (*article.Article, error)) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		a, err := f()
		yield(Record{Article: a, File: name}, err)
	}
}

// Dir reads every input file directly in fsys (Markdown, JSON Lines, feeds, HTML pages;
// other files are ignored), in name order, streaming: a JSON Lines file of any size is
// read one line at a time. An article whose id was already read is an *ItemError
// (ErrDuplicate) naming where the first one came from. Item errors (and a file that
// cannot be opened or fails while being read) are yielded and reading goes on; an error
// listing the folder ends the sequence.
func Dir(fsys fs.FS) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		entries, err := fs.ReadDir(fsys, ".")
		if err != nil {
			yield(Record{}, fmt.Errorf("ingest: %w", err))
			return
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
		seen := map[string]string{}
		for _, e := range entries {
			format := FormatOf(e.Name())
			if e.IsDir() || format == Unknown {
				continue
			}
			if !readFile(fsys, e.Name(), format, seen, yield) {
				return
			}
		}
	}
}

// readFile yields the records of one file; false when the consumer stopped. Only a
// regular file (or a link to one) is read: a FIFO, socket or device named like an
// article would block the build or never end, and is reported instead.
func readFile(fsys fs.FS, name string, format Format, seen map[string]string, yield func(Record, error) bool) bool {
	if info, err := fs.Stat(fsys, name); err != nil {
		return yield(Record{File: name}, &ItemError{File: name, Err: err})
	} else if !info.Mode().IsRegular() {
		return yield(Record{File: name}, &ItemError{File: name, Err: fmt.Errorf("%w: not a regular file (%v)", ErrNotRegular, info.Mode().Type())})
	}
	f, err := fsys.Open(name)
	if err != nil {
		return yield(Record{File: name}, &ItemError{File: name, Err: err})
	}
	defer f.Close()
	for rec, err := range Read(format, f, name) {
		if err != nil {
			if !IsItemError(err) { // a read error inside a file ends that file, not the folder
				return yield(rec, &ItemError{File: name, Line: rec.Line, Err: err})
			}
			if !yield(rec, err) {
				return false
			}
			continue
		}
		if prev, dup := seen[rec.Article.ID]; dup {
			err := &ItemError{File: name, Line: rec.Line, Item: rec.Item, Err: fmt.Errorf("%w %q (first in %s)", ErrDuplicate, rec.Article.ID, prev)}
			rec.Article = nil
			if !yield(rec, err) {
				return false
			}
			continue
		}
		seen[rec.Article.ID] = rec.Where()
		if !yield(rec, nil) {
			return false
		}
	}
	return true
}
