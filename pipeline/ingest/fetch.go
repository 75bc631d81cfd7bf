package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"time"
)

// ErrFetch is a feed or page that could not be fetched.
var ErrFetch = errors.New("ingest: fetch failed")

// Fetcher gets feeds and pages over HTTP(S). Fetching is opt-in: nothing in newsmap
// fetches unless a user names a URL. Every request has a time limit and every response
// a size limit.
type Fetcher struct {
	Client    *http.Client  // nil: a client with no cookies and at most 5 redirects
	Timeout   time.Duration // per request, including reading the body; 0: 30 s
	MaxBytes  int64         // largest response body; 0: MaxFeedBytes
	UserAgent string        // "" : "newsmap (+https://github.com/)"
}

// IsURL reports whether ref is an http or https URL (and not a file path).
func IsURL(ref string) bool {
	u, err := url.Parse(ref)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Get fetches url and returns its body and Content-Type. A status other than 200, a
// body larger than MaxBytes or a request slower than Timeout is an error wrapping
// ErrFetch; ctx cancels it.
func (f *Fetcher) Get(ctx context.Context, rawURL string) ([]byte, string, error) {
	if !IsURL(rawURL) {
		return nil, "", fmt.Errorf("%w: %q is not an http(s) URL", ErrFetch, rawURL)
	}
	timeout, limit := f.Timeout, f.MaxBytes
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	if limit <= 0 {
		limit = MaxFeedBytes
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrFetch, err)
	}
	ua := f.UserAgent
	if ua == "" {
		ua = "newsmap/1 (feed and article reader)"
	}
	req.Header.Set("User-Agent", ua)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/html;q=0.8, */*;q=0.5")
	client := f.Client
	if client == nil {
		client = &http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("more than 5 redirects")
			}
			return nil
		}}
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrFetch, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("%w: %s: %s", ErrFetch, rawURL, resp.Status)
	}
	if resp.ContentLength > limit {
		return nil, "", fmt.Errorf("%w: %s: %d bytes (limit %d)", ErrFetch, rawURL, resp.ContentLength, limit)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, "", fmt.Errorf("%w: %s: %v", ErrFetch, rawURL, err)
	}
	if int64(len(body)) > limit {
		return nil, "", fmt.Errorf("%w: %s: larger than %d bytes", ErrFetch, rawURL, limit)
	}
	return body, resp.Header.Get("Content-Type"), nil
}

// URL fetches a feed or a page and reads its articles; the format comes from the
// Content-Type and the document's first bytes. A page's URL is its address (and id,
// unless it names a canonical one). A failed fetch is an *ItemError for the URL.
func (f *Fetcher) URL(ctx context.Context, rawURL string) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		body, ctype, err := f.Get(ctx, rawURL)
		if err != nil {
			yield(Record{File: rawURL}, &ItemError{File: rawURL, Err: err})
			return
		}
		format := Sniff(ctype, body[:min(len(body), 512)])
		if format == Page {
			a, err := HTML(bytes.NewReader(body), rawURL, rawURL)
			yield(Record{Article: a, File: rawURL}, err)
			return
		}
		for rec, err := range Read(format, bytes.NewReader(body), rawURL) {
			if !yield(rec, err) {
				return
			}
		}
	}
}
