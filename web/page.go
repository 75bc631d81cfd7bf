package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"strconv"
	"sync"

	"newsmap/geo/cache"
)

// Page is a response body encoded once, with its gzip encoding made on first demand and
// kept, so that a page served again costs one write. It is safe for concurrent use.
type Page struct {
	body []byte
	once sync.Once
	gz   []byte
}

// NewPage wraps an encoded body; the page owns it from then on.
func NewPage(body []byte) *Page { return &Page{body: body} }

// Bytes returns the body. The slice is shared and must not be modified.
func (p *Page) Bytes() []byte { return p.body }

// Gzip returns the body's gzip encoding, compressing it at the first call only.
func (p *Page) Gzip() []byte {
	p.once.Do(func() {
		var buf bytes.Buffer
		buf.Grow(len(p.body) / 4)
		zw := gzipPool.Get().(*gzip.Writer)
		zw.Reset(&buf)
		zw.Write(p.body) // writes to a bytes.Buffer do not fail
		zw.Close()
		gzipPool.Put(zw)
		p.gz = buf.Bytes()
	})
	return p.gz
}

// Serve answers r with the page: status 200, the given Content-Type, Content-Length, and
// the gzip encoding for a client that accepts it (the body is then marked Content-Encoding:
// gzip, so the gzip middleware leaves it alone, and an ETag already set names the gzip
// variant). The handler sets any other headers (ETag, Cache-Control, Vary) before.
func (p *Page) Serve(w http.ResponseWriter, r *http.Request, contentType string) {
	h := w.Header()
	h["Content-Type"] = []string{contentType}
	h.Add("Vary", "Accept-Encoding")
	body := p.body
	if len(body) >= minGzipSize && r.Header.Get("Range") == "" && AcceptsGzip(r) {
		body = p.Gzip()
		h["Content-Encoding"] = []string{"gzip"}
		if tag := h.Get("ETag"); tag != "" {
			h.Set("ETag", gzipETag(tag))
		}
	}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		writeBody(w, body)
	}
}

// PageCache keeps recently served pages by key, bounded in number and in bytes (least
// recently used go first). Keys must name everything the page depends on: the layer's
// hash, the canonical query, the base URL of its links. It is safe for concurrent use.
type PageCache struct {
	c        *cache.Cache[string, *Page]
	maxEntry int64
}

// pageCost is what a page is counted for: its body and, when made, its gzip encoding
// (rarely more than a quarter of the body for JSON).
func pageCost(p *Page) int64 { n := int64(len(p.body)); return n + n/4 }

// NewPageCache returns a cache of at most maxEntries pages and about maxBytes of bodies
// (gzip encodings included). A page larger than an eighth of maxBytes is not kept.
func NewPageCache(maxEntries int, maxBytes int64) *PageCache {
	return &PageCache{
		c:        cache.New[string](cache.Options{MaxEntries: maxEntries, MaxBytes: maxBytes, MaxEntryBytes: maxBytes / 8}, pageCost),
		maxEntry: maxBytes / 8,
	}
}

// Cacheable reports whether a body of n bytes would be kept by Add.
func (c *PageCache) Cacheable(n int) bool { return int64(n)+int64(n)/4 <= c.maxEntry }

// Get returns the page stored under key.
func (c *PageCache) Get(key string) (*Page, bool) { return c.c.Get(key) }

// Do returns the page under key, building it with build on a miss and keeping it
// unless it is too large; requests for a key being built wait for that build (or until
// their ctx ends). Errors are returned and not kept.
func (c *PageCache) Do(ctx context.Context, key string, build func() (*Page, error)) (*Page, error) {
	return c.c.Do(ctx, key, build)
}

// Add stores p under key unless it is too large, evicting the least recently used pages
// to stay within the bounds.
func (c *PageCache) Add(key string, p *Page) { c.c.Add(key, p) }
