package web

import (
	"compress/gzip"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one line per request. It shares its statusWriter with recoverPanics,
// and builds the line only when the logger takes Info records.
func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if !s.log.Enabled(ctx, slog.LevelInfo) {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.log.LogAttrs(ctx, slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("query", r.URL.RawQuery),
			slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes), slog.Duration("duration", time.Since(start)),
			slog.String("remote", r.RemoteAddr))
	})
}

// recoverPanics turns a panic into a logged 500 (when nothing was written yet).
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw, ok := w.(*statusWriter) // from logRequests: one wrapper for both
		if !ok {
			sw = &statusWriter{ResponseWriter: w}
		}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
			if sw.status == 0 {
				WriteError(sw, http.StatusInternalServerError, "internal server error")
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// Header values that every response or many share, set without allocating. Handlers
// replace these slices (Header.Set) or append to them (Header.Add, which copies a full
// slice), never write into them.
var (
	hdrAny           = []string{"*"}
	hdrExpose        = []string{"ETag, Content-Length, Content-Encoding"}
	hdrMethods       = []string{"GET, HEAD, OPTIONS"}
	hdrVaryEncoding  = []string{"Accept-Encoding"}
	hdrGzip          = []string{"gzip"}
	hdrRetryAfter    = []string{"1"}
	hdrCacheTiles    = []string{cacheTiles}
	hdrCacheAPI      = []string{cacheAPI}
	hdrTypeMVT       = []string{typeMVT}
	hdrMaxAge86400   = []string{"86400"}
	hdrVaryPreflight = "Access-Control-Request-Method, Access-Control-Request-Headers"
)

// cors allows any origin to read the API (it is public and read-only) and answers
// preflight requests itself.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Access-Control-Allow-Origin"] = hdrAny
		h["Access-Control-Expose-Headers"] = hdrExpose
		if r.Method == http.MethodOptions {
			h["Allow"] = hdrMethods
			if r.Header.Get("Access-Control-Request-Method") != "" {
				h["Access-Control-Allow-Methods"] = hdrMethods
				if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
					h.Set("Access-Control-Allow-Headers", sanitizeHeaderList(req))
				}
				h["Access-Control-Max-Age"] = hdrMaxAge86400
				h.Add("Vary", hdrVaryPreflight)
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// sanitizeHeaderList keeps the header names of a comma-separated list that are tokens.
func sanitizeHeaderList(s string) string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		ok := f != "" && len(f) <= 64
		for _, c := range f {
			if !(c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				ok = false
			}
		}
		if ok {
			out = append(out, f)
		}
	}
	return strings.Join(out, ", ")
}

// heavy reports whether a request's work grows with the layer or the query rather than
// being served from bytes prepared once: OGC items pages, filtered GeoJSON queries and
// exports. The limiter gives these a lower bound of their own.
func heavy(r *http.Request) bool {
	p := r.URL.Path
	if rest, ok := strings.CutPrefix(p, "/ogc/collections/"); ok {
		return strings.HasSuffix(rest, "/items")
	}
	if rest, ok := strings.CutPrefix(p, "/api/layers/"); ok {
		dot := strings.LastIndexByte(rest, '.')
		if dot < 0 || strings.IndexByte(rest, '/') >= 0 {
			return false
		}
		if rest[dot:] == ".geojson" {
			return r.URL.RawQuery != "" // the whole layer is sent as loaded
		}
		return true // exports
	}
	return false
}

// limit bounds the requests in flight: at most MaxInFlight in all, and at most
// MaxHeavyInFlight of the heavy ones (see heavy), so that requests that each cost
// milliseconds of CPU cannot queue seconds of work inside the bound. A request waits at
// most QueueWait for its slots and is otherwise answered 503 with Retry-After, so overload
// sheds load instead of queueing without bound. /healthz bypasses the limit so probes see
// a busy server as alive.
func (s *server) limit(next http.Handler) http.Handler {
	all := make(chan struct{}, s.opts.MaxInFlight)
	heavySem := make(chan struct{}, s.opts.MaxHeavyInFlight)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		var t *time.Timer
		defer func() {
			if t != nil {
				t.Stop()
			}
		}()
		if heavy(r) {
			if !s.acquire(w, r, heavySem, &t) {
				return
			}
			defer func() { <-heavySem }()
		}
		if !s.acquire(w, r, all, &t) {
			return
		}
		defer func() { <-all }()
		next.ServeHTTP(w, r)
	})
}

// acquire takes a slot of sem. When none is free it waits until *t fires (starting the
// timer of QueueWait if it is nil), answering 503, or until the client goes away.
func (s *server) acquire(w http.ResponseWriter, r *http.Request, sem chan struct{}, t **time.Timer) bool {
	select {
	case sem <- struct{}{}:
		return true
	default:
	}
	if *t == nil {
		*t = time.NewTimer(s.opts.QueueWait)
	}
	select {
	case sem <- struct{}{}:
		return true
	case <-(*t).C:
		w.Header()["Retry-After"] = hdrRetryAfter
		WriteError(w, http.StatusServiceUnavailable, "server busy, retry later")
		return false
	case <-r.Context().Done():
		return false
	}
}

// AcceptsGzip reports whether the request's Accept-Encoding allows gzip.
func AcceptsGzip(r *http.Request) bool {
	ae := r.Header["Accept-Encoding"]
	if len(ae) == 0 {
		return false
	}
	s := ae[0]
	for len(s) > 0 {
		part := s
		if i := strings.IndexByte(s, ','); i >= 0 {
			part, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.TrimSpace(coding)
		if !strings.EqualFold(coding, "gzip") && !strings.EqualFold(coding, "x-gzip") && coding != "*" {
			continue
		}
		if _, qv, ok := strings.Cut(params, "q="); ok {
			if q, err := strconv.ParseFloat(strings.TrimSpace(qv), 64); err == nil && q == 0 {
				continue
			}
		}
		return true
	}
	return false
}

// compressible reports whether a content type is worth gzipping.
func compressible(ct string) bool {
	ct, _, _ = strings.Cut(ct, ";")
	ct = strings.TrimSpace(strings.ToLower(ct))
	switch {
	case strings.HasPrefix(ct, "text/"),
		strings.HasSuffix(ct, "json"), strings.HasSuffix(ct, "+json"),
		strings.HasSuffix(ct, "xml"), strings.HasSuffix(ct, "javascript"):
		return true
	}
	return false
}

// minGzipSize is the smallest known body worth compressing.
const minGzipSize = 1024

var gzipPool = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return zw
}}

// gzipResponses compresses compressible responses for clients that accept gzip, unless
// the handler already encoded the body (precompressed layers, cached pages) or answered a
// Range. Tiles are not even wrapped: they are stored gzip-encoded.
func gzipResponses(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !AcceptsGzip(r) || r.Header.Get("Range") != "" || isTilePath(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w, head: r.Method == http.MethodHead}
		defer gw.close()
		next.ServeHTTP(gw, r)
	})
}

type gzipWriter struct {
	http.ResponseWriter
	head        bool
	wroteHeader bool
	zw          *gzip.Writer
}

func (g *gzipWriter) WriteHeader(code int) {
	if g.wroteHeader {
		return
	}
	g.wroteHeader = true
	h := g.Header()
	if code == http.StatusOK && h.Get("Content-Encoding") == "" && compressible(h.Get("Content-Type")) {
		size := -1
		if cl := h.Get("Content-Length"); cl != "" {
			size, _ = strconv.Atoi(cl)
		}
		if size < 0 || size >= minGzipSize {
			h.Del("Content-Length")
			h.Set("Content-Encoding", "gzip")
			h.Add("Vary", "Accept-Encoding")
			if tag := h.Get("ETag"); tag != "" {
				h.Set("ETag", gzipETag(tag))
			}
			if !g.head {
				g.zw = gzipPool.Get().(*gzip.Writer)
				g.zw.Reset(g.ResponseWriter)
			}
		}
	}
	g.ResponseWriter.WriteHeader(code)
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	if !g.wroteHeader {
		g.WriteHeader(http.StatusOK)
	}
	if g.zw != nil {
		return g.zw.Write(b)
	}
	return g.ResponseWriter.Write(b)
}

func (g *gzipWriter) close() {
	if g.zw != nil {
		g.zw.Close()
		gzipPool.Put(g.zw)
		g.zw = nil
	}
}

func (g *gzipWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }
