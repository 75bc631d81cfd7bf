// Package ingest reads the inputs people have (JSON Lines exports, RSS 2.0 and Atom
// feeds, saved HTML pages, and Markdown articles with front matter) into
// article.Article values. Each reader streams: a bad line or item is reported with the
// file and the line or item number, and the reader goes on with the next one.
//
// The body an article gets is the text its offsets refer to: the "text" field of a JSON
// line as it is, a feed item's content or summary and an HTML page's main text as plain
// text extracted once, so a mention's start and end always index the stored body.
package ingest

import (
	"newsmap/pipeline/lang"

	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"
	"unicode/utf8"

	"newsmap/pipeline/article"
	"newsmap/pipeline/langid"
)

// Errors of a single line or item; they come wrapped in an *ItemError.
var (
	ErrSyntax    = errors.New("ingest: malformed input")
	ErrMissing   = errors.New("ingest: missing required field")
	ErrDate      = errors.New("ingest: invalid published date")
	ErrEmpty     = errors.New("ingest: empty text")
	ErrTooLarge  = errors.New("ingest: too large")
	ErrLanguage  = errors.New("ingest: language unknown")
	ErrDuplicate = errors.New("ingest: duplicate id")
	// ErrNotRegular is a file in an articles folder that is not a regular file (a FIFO,
	// a socket, a device).
	ErrNotRegular = errors.New("ingest: not a regular file")
)

// ItemError is one line or item that could not be read; the reader goes on after it.
type ItemError struct {
	File string // the file (or URL) it came from
	Line int    // 1-based line of a JSON Lines file, else 0
	Item int    // 1-based item of a feed, else 0
	Err  error
}

func (e *ItemError) Error() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	case e.Item > 0:
		return fmt.Sprintf("%s item %d: %v", e.File, e.Item, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *ItemError) Unwrap() error { return e.Err }

// Record is an article and where it was read: the file (or URL), and the line of a
// JSON Lines file or the item of a feed.
type Record struct {
	Article *article.Article // nil when the record could not be read
	File    string
	Line    int // 1-based, JSON Lines only
	Item    int // 1-based, feeds only
}

// Where names the record's place for messages: "file", "file:12" or "file item 3".
func (r Record) Where() string {
	switch {
	case r.Line > 0:
		return fmt.Sprintf("%s:%d", r.File, r.Line)
	case r.Item > 0:
		return fmt.Sprintf("%s item %d", r.File, r.Item)
	}
	return r.File
}

// articles drops the records' positions.
func articles(recs iter.Seq2[Record, error]) iter.Seq2[*article.Article, error] {
	return func(yield func(*article.Article, error) bool) {
		for r, err := range recs {
			if !yield(r.Article, err) {
				return
			}
		}
	}
}

// IsItemError reports whether err concerns one line or item only, so that reading can
// go on; any other error from a reader ends it.
func IsItemError(err error) bool {
	var ie *ItemError
	return errors.As(err, &ie)
}

// MaxTextBytes is the default limit on one article's text (and on one JSON line).
const MaxTextBytes = 16 << 20

// finish checks and completes an article read from a structured input: it derives an id
// from the URL when there is none, detects the language when none is given, and
// rejects what the pipeline cannot use.
func finish(a *article.Article, published string) error {
	a.ID = strings.TrimSpace(a.ID)
	if a.ID == "" && a.URL != "" {
		a.ID = URLID(a.URL)
	}
	if a.ID == "" {
		return fmt.Errorf("%w: id (or url)", ErrMissing)
	}
	if a.Published.IsZero() {
		published = strings.TrimSpace(published)
		if published == "" {
			return fmt.Errorf("%w: published", ErrMissing)
		}
		t, err := ParseTime(published)
		if err != nil {
			return err
		}
		a.Published = t
	}
	if err := article.CheckID(a.ID); err != nil {
		return err
	}
	if err := article.CheckPublished(a.Published, time.Now()); err != nil {
		return fmt.Errorf("%w: %w", ErrDate, err)
	}
	if !utf8.ValidString(a.Body) {
		a.Body = strings.ToValidUTF8(a.Body, "\uFFFD")
	}
	if strings.TrimSpace(a.Body) == "" {
		return ErrEmpty
	}
	if len(a.Body) > MaxTextBytes {
		return fmt.Errorf("%w: text of %d bytes (limit %d)", ErrTooLarge, len(a.Body), MaxTextBytes)
	}
	a.Language = normLanguage(a.Language)
	detected := ""
	if a.Language == "" {
		g := langid.Detect(a.Body)
		if !g.Reliable() {
			return fmt.Errorf("%w: not given and not detected with confidence (best guess %q at %.2f); set \"language\"", ErrLanguage, g.Code, g.Confidence)
		}
		a.Language, detected = g.Code, g.Name
	}
	if _, err := lang.Lookup(a.Language); err != nil {
		if detected != "" {
			return fmt.Errorf("detected %s: %w", detected, err)
		}
		return err // only a registered language can be read
	}
	return nil
}

// normLanguage lower-cases a language tag and keeps its primary subtag: "de-AT" → "de".
func normLanguage(l string) string {
	l = strings.ToLower(strings.TrimSpace(l))
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	return l
}

// URLID is the id given to an article that has a URL but no id: "url-" and the first 16
// hex digits of the URL's SHA-256, stable across runs and inputs.
func URLID(url string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(url)))
	return "url-" + hex.EncodeToString(sum[:8])
}

// ParseTime reads a publication time in the forms exports and feeds use (YYYY-MM-DD,
// RFC 3339 with or without zone, RFC 1123 as in RSS) and returns its date as UTC
// midnight, the day the article is dated by. A time with a zone is taken on the
// publisher's calendar day.
func ParseTime(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	for _, layout := range []string{"2006-01-02", time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05",
		"2006-01-02T15:04", "2006-01-02 15:04", time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700",
		"Mon, 2 Jan 2006 15:04:05 MST", "2 Jan 2006 15:04:05 -0700"} {
		if t, err := time.Parse(layout, v); err == nil {
			return dayOf(t), nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: %q (want YYYY-MM-DD or RFC 3339)", ErrDate, v)
}

func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
