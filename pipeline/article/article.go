// Package article reads news articles: a Markdown or text file with a YAML-style front
// matter block (id, title, source, url, published, language) and a body whose offsets are
// counted in Unicode code points.
package article

import (
	"newsmap/pipeline/lang"

	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Errors returned by Parse; they are wrapped in a *ParseError that names the line.
var (
	ErrFrontMatter = errors.New("article: malformed front matter")
	ErrMissing     = errors.New("article: missing required field")
	ErrDate        = errors.New("article: invalid published date")
	ErrEncoding    = errors.New("article: body is not valid UTF-8")
	ErrEmpty       = errors.New("article: empty body")
	ErrTooLong     = errors.New("article: body longer than 2 GiB")
	ErrID          = errors.New("article: invalid id")
)

// MaxIDLen is the longest article id.
const MaxIDLen = 128

// CheckID reports whether id can name an article: 1 to MaxIDLen letters, digits, '.',
// '_', '~' or '-' (the characters that need no escaping in a URL path), starting with a
// letter or digit. The id ends up in feature ids ("ID:offset"), file names and URLs, so a
// "/", a ":", a NUL or a space would make features unreachable or ambiguous.
func CheckID(id string) error {
	if id == "" || len(id) > MaxIDLen {
		return fmt.Errorf("%w %q: want 1 to %d characters", ErrID, id, MaxIDLen)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || i > 0 && (c == '.' || c == '_' || c == '~' || c == '-')
		if !ok {
			return fmt.Errorf("%w %q: use letters, digits, '.', '_', '~' and '-' (starting with a letter or digit), as it names the article in URLs; character %d is %q", ErrID, id, i+1, rune(c))
		}
	}
	return nil
}

// Plausible publication dates: not before EarliestPublished, not after tomorrow (UTC),
// which leaves room for time zones.
var EarliestPublished = time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)

// CheckPublished reports whether t, a publication date, is plausible given now.
func CheckPublished(t, now time.Time) error {
	if t.Before(EarliestPublished) {
		return fmt.Errorf("%w: %s is before %s", ErrDate, t.Format("2006-01-02"), EarliestPublished.Format("2006-01-02"))
	}
	if t.After(now.UTC().AddDate(0, 0, 1)) {
		return fmt.Errorf("%w: %s is in the future", ErrDate, t.Format("2006-01-02"))
	}
	return nil
}

// Article is one news article.
type Article struct {
	ID        string
	Title     string
	Source    string
	URL       string
	Published time.Time // the publication date, UTC midnight
	Language  string    // ISO 639-1 code of a registered language (pipeline/lang): "de", "en"
	Body      string    // the text that offsets refer to
}

// PublishedDate returns the publication date as YYYY-MM-DD.
func (a *Article) PublishedDate() string { return a.Published.Format("2006-01-02") }

// ParseError tells where in a file an article could not be read.
type ParseError struct {
	Line int
	Err  error
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return e.Err.Error()
}

func (e *ParseError) Unwrap() error { return e.Err }

// Parse reads an article. With front matter, the body is everything after the closing
// "---" line, byte for byte. Without front matter the whole input is the body and the
// metadata comes from defaults (which may be nil); a missing id, published date or
// language is an error.
func Parse(src []byte, defaults *Article) (*Article, error) {
	if !utf8.Valid(src) {
		return nil, &ParseError{Line: invalidLine(src), Err: ErrEncoding}
	}
	text := strings.TrimPrefix(string(src), "\ufeff")
	a := &Article{}
	if defaults != nil {
		*a = *defaults
	}
	body := text
	bodyLine, idLine, pubLine := 1, 1, 1
	if strings.HasPrefix(text, "---\n") || strings.HasPrefix(text, "---\r\n") {
		var err error
		var fm frontMatter
		body, fm, err = parseFrontMatter(text, a)
		if err != nil {
			return nil, err
		}
		bodyLine, idLine, pubLine = fm.bodyLine, fm.idLine, fm.pubLine
	}
	a.Body = body
	switch {
	case a.ID == "":
		return nil, &ParseError{Line: 1, Err: fmt.Errorf("%w: id", ErrMissing)}
	case a.Published.IsZero():
		return nil, &ParseError{Line: 1, Err: fmt.Errorf("%w: published", ErrMissing)}
	case a.Language == "":
		return nil, &ParseError{Line: 1, Err: fmt.Errorf("%w: language", ErrMissing)}
	case strings.TrimSpace(a.Body) == "":
		return nil, &ParseError{Line: bodyLine, Err: fmt.Errorf("%w: nothing after line %d", ErrEmpty, bodyLine-1)}
	case len(a.Body) > MaxLen:
		return nil, &ParseError{Err: ErrTooLong}
	}
	if err := CheckID(a.ID); err != nil {
		return nil, &ParseError{Line: idLine, Err: err}
	}
	if err := CheckPublished(a.Published, time.Now()); err != nil {
		return nil, &ParseError{Line: pubLine, Err: err}
	}
	l, err := lang.Lookup(a.Language) // ingest selects the language: "de-AT" reads as "de"
	if err != nil {
		return nil, &ParseError{Line: 1, Err: err}
	}
	a.Language = l.Code
	return a, nil
}

// frontMatter is where the front matter put things: the first line of the body, and
// the lines of the id and published keys.
type frontMatter struct{ bodyLine, idLine, pubLine int }

// parseFrontMatter fills a from the "key: value" lines between the two "---" lines and
// returns the body after them.
func parseFrontMatter(text string, a *Article) (string, frontMatter, error) {
	rest := text[strings.IndexByte(text, '\n')+1:]
	line := 1
	fm := frontMatter{idLine: 1, pubLine: 1}
	for {
		line++
		nl := strings.IndexByte(rest, '\n')
		if nl < 0 {
			if strings.TrimSpace(rest) == "---" {
				return "", fm, &ParseError{Line: line + 1, Err: fmt.Errorf("%w: nothing after the front matter (line %d)", ErrEmpty, line)}
			}
			return "", fm, &ParseError{Line: line, Err: fmt.Errorf("%w: no closing --- (the front matter opened on line 1 runs to the end of the file)", ErrFrontMatter)}
		}
		raw := strings.TrimRight(rest[:nl], "\r")
		rest = rest[nl+1:]
		if raw == "---" {
			fm.bodyLine = line + 1
			return rest, fm, nil
		}
		if strings.TrimSpace(raw) == "" || strings.HasPrefix(strings.TrimSpace(raw), "#") {
			continue
		}
		key, val, ok := strings.Cut(raw, ":")
		if !ok {
			return "", fm, &ParseError{Line: line, Err: fmt.Errorf("%w: want key: value, got %q", ErrFrontMatter, raw)}
		}
		key = strings.ToLower(strings.TrimSpace(key))
		val = unquote(strings.TrimSpace(val))
		switch key {
		case "id":
			a.ID, fm.idLine = val, line
		case "title":
			a.Title = val
		case "source":
			a.Source = val
		case "url":
			a.URL = val
		case "language", "lang":
			a.Language = strings.ToLower(val)
		case "published", "date":
			t, err := parseDate(val)
			if err != nil {
				return "", fm, &ParseError{Line: line, Err: err}
			}
			a.Published, fm.pubLine = t, line
		default:
			// Unknown keys are allowed: front matter is shared with other tools.
		}
	}
}

// invalidLine returns the 1-based line of the first byte of src that is not UTF-8.
func invalidLine(src []byte) int {
	line := 1
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		i += n
	}
	return line
}

func parseDate(v string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, v); err == nil {
			y, m, d := t.Date()
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: %q (want YYYY-MM-DD)", ErrDate, v)
}

// ParseDate parses a publication date given as YYYY-MM-DD or RFC 3339.
func ParseDate(v string) (time.Time, error) { return parseDate(v) }

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
		return v[1 : len(v)-1]
	}
	return v
}
