package ingest

import (
	"fmt"
	"io"
	"iter"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"newsmap/pipeline/article"
)

// MaxFeedBytes is the largest feed document Feed reads.
const MaxFeedBytes = 64 << 20

// Feed reads an RSS 2.0, RSS 1.0 or Atom feed (or a JSON Feed) with gofeed and yields one
// article per item: its link (or guid) gives the id (see URLID), its title, link, date and
// the feed's title as the source; the body is the item's full text (content:encoded,
// Atom content) when the feed carries it, else its summary, as plain text. The item's
// language is the feed's (<language>, xml:lang) unless the text is detected otherwise
// when the feed gives none. An item without text, date or link is an *ItemError with its
// 1-based item number; a document that is not a feed at all is an *ItemError for the
// whole file.
func Feed(r io.Reader, name string) iter.Seq2[*article.Article, error] {
	return articles(feedRecords(r, name))
}

func feedRecords(r io.Reader, name string) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		data, err := io.ReadAll(io.LimitReader(r, MaxFeedBytes+1))
		if err != nil {
			yield(Record{File: name}, fmt.Errorf("ingest: %s: %w", name, err))
			return
		}
		if len(data) > MaxFeedBytes {
			yield(Record{File: name}, &ItemError{File: name, Err: fmt.Errorf("%w: feed larger than %d bytes", ErrTooLarge, MaxFeedBytes)})
			return
		}
		f, err := gofeed.NewParser().ParseString(string(data))
		if err != nil {
			yield(Record{File: name}, &ItemError{File: name, Err: fmt.Errorf("%w: not an RSS, Atom or JSON feed: %v", ErrSyntax, err)})
			return
		}
		for i, it := range f.Items {
			a, err := feedItem(f, it)
			if err != nil {
				err = &ItemError{File: name, Item: i + 1, Err: err}
			}
			if !yield(Record{Article: a, File: name, Item: i + 1}, err) {
				return
			}
		}
	}
}

func feedItem(f *gofeed.Feed, it *gofeed.Item) (*article.Article, error) {
	if it == nil {
		return nil, fmt.Errorf("%w: empty item", ErrSyntax)
	}
	a := &article.Article{Title: htmlText(it.Title), URL: strings.TrimSpace(it.Link), Source: htmlText(f.Title), Language: f.Language}
	if it.DublinCoreExt != nil && len(it.DublinCoreExt.Language) > 0 && it.DublinCoreExt.Language[0] != "" {
		a.Language = it.DublinCoreExt.Language[0] // <dc:language> of the item
	}
	key := a.URL
	if key == "" {
		key = strings.TrimSpace(it.GUID)
	}
	if key == "" {
		return nil, fmt.Errorf("%w: link or guid", ErrMissing)
	}
	a.ID = URLID(key)
	a.Body = htmlText(it.Content)
	if strings.TrimSpace(a.Body) == "" {
		a.Body = htmlText(it.Description)
	}
	// the publisher's calendar day: the date as written when it parses (gofeed's parsed
	// time is in UTC, a day late for an evening story west of Greenwich), else gofeed's
	for _, d := range []struct {
		text   string
		parsed *time.Time
	}{{it.Published, it.PublishedParsed}, {it.Updated, it.UpdatedParsed}} {
		if t, err := ParseTime(d.text); err == nil {
			a.Published = t
		} else if d.parsed != nil {
			a.Published = dayOf(*d.parsed)
		} else if strings.TrimSpace(d.text) != "" {
			return nil, err
		}
		if !a.Published.IsZero() {
			break
		}
	}
	if err := finish(a, ""); err != nil {
		return nil, err
	}
	return a, nil
}
