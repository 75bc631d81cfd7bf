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
	"sync/atomic"
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

// ReadFrom keeps net/http's ReadFrom (sendfile for files) reachable through the wrapper.
func (w *statusWriter) ReadFrom(src io.Reader) (int64, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := readFrom(w.ResponseWriter, src)
	w.bytes += n
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
			slog.String("remote", r.RemoteAddr), slog.String("request_id", sw.Header().Get(headerRequestID)))
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
			s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "request_id", sw.Header().Get(headerRequestID),
				"panic", fmt.Sprint(v))
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
	hdrNosniff       = []string{"nosniff"}
	hdrReferrer      = []string{"strict-origin-when-cross-origin"}
	hdrFrameDeny     = []string{"DENY"}
	hdrVaryPreflight = "Access-Control-Request-Method, Access-Control-Request-Headers"
)

// securityHeaders sets the header every response carries: nosniff (a body is only ever
// read as its declared type). The headers that matter only for documents a browser
// renders (Content-Security-Policy, Referrer-Policy, X-Frame-Options) are set by the HTML
// families (htmlPages, HTMLHeaders) and on errors, so that the data responses, tiles
// above all, stay small.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["X-Content-Type-Options"] = hdrNosniff
		next.ServeHTTP(w, r)
	})
}

// Content security policies of the HTML newsmap serves. The map loads its scripts,
// styles, data and tiles from its own origin; the only other origin is the opt-in
// OpenStreetMap background layer's images. The OGC pages load nothing but their inline
// style and submit their forms to themselves.
const (
	CSPMap = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
		"img-src 'self' data: https://tile.openstreetmap.org; connect-src 'self'; object-src 'none'; " +
		"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
	CSPPages = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; " +
		"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

// HTMLHeaders prepares h for an HTML page: its Content-Security-Policy, and no CORS
// headers (the data APIs are readable from any origin, HTML pages are not).
func HTMLHeaders(h http.Header, csp string) {
	h.Set("Content-Security-Policy", csp)
	h["Referrer-Policy"] = hdrReferrer
	h["X-Frame-Options"] = hdrFrameDeny
	h.Del("Access-Control-Allow-Origin")
	h.Del("Access-Control-Expose-Headers")
}

// htmlPages wraps the handler of an HTML family (the map page and its assets) with its
// Content-Security-Policy.
func htmlPages(csp string, next http.Handler) http.Handler {
	v := []string{csp}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Security-Policy"] = v
		h["Referrer-Policy"] = hdrReferrer
		h["X-Frame-Options"] = hdrFrameDeny
		next.ServeHTTP(w, r)
	})
}

// cors allows any origin to read a data API (it is public and read-only) and answers
// preflight requests itself.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if corsPreflight(w, r) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// corsPreflight sets the CORS headers of a data API response and answers an OPTIONS
// request, reporting whether it did.
func corsPreflight(w http.ResponseWriter, r *http.Request) bool {
	h := w.Header()
	h["Access-Control-Allow-Origin"] = hdrAny
	h["Access-Control-Expose-Headers"] = hdrExpose
	if r.Method != http.MethodOptions {
		return false
	}
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
	return true
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

// limiter bounds the requests of the route families that share it that are computing a
// response. A request waits at most wait for a slot and is otherwise answered 503 with
// Retry-After, so overload sheds load instead of queueing without bound.
//
// A slot covers computing a response, not the client's reading of it: a response whose
// length is known when its header is written (a body made in memory or shared, such as
// a page, a tile, the layer file) gives its slot back at that moment, so that clients
// that read slowly or not at all hold a connection and a goroutine but no slot. A
// response streamed as it is produced (no Content-Length) keeps its slot while it is
// written, and then every write must make progress within stall, or the connection is
// closed.
type limiter struct {
	sem      chan struct{}
	wait     time.Duration
	stall    time.Duration
	rejected atomic.Int64 // 503s answered
	lastFull atomic.Int64 // unix nanoseconds of the last 503
}

func newLimiter(n int, wait, stall time.Duration) *limiter {
	return &limiter{sem: make(chan struct{}, n), wait: wait, stall: stall}
}

// inUse returns the slots taken and the bound.
func (l *limiter) inUse() (int, int) { return len(l.sem), cap(l.sem) }

// saturated reports whether every slot is taken or a request was turned away within
// the last d.
func (l *limiter) saturated(d time.Duration) bool {
	return len(l.sem) == cap(l.sem) || time.Now().UnixNano()-l.lastFull.Load() < int64(d)
}

// acquire takes a slot. When none is free it waits up to the limiter's wait, then
// answers 503 (or gives up when the client goes away) and reports false.
func (l *limiter) acquire(w http.ResponseWriter, r *http.Request) bool {
	select {
	case l.sem <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(l.wait)
	defer t.Stop()
	select {
	case l.sem <- struct{}{}:
		return true
	case <-t.C:
		l.rejected.Add(1)
		l.lastFull.Store(time.Now().UnixNano())
		w.Header()["Retry-After"] = hdrRetryAfter
		WriteError(w, http.StatusServiceUnavailable, "server busy, retry later")
		return false
	case <-r.Context().Done():
		return false
	}
}

func (l *limiter) release() { <-l.sem }

// wrap bounds next by the limiters ls (taken in order, given back in reverse).
func wrap(next http.Handler, ls ...*limiter) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := 0
		for _, l := range ls {
			if !l.acquire(w, r) {
				break
			}
			n++
		}
		sw := &slotWriter{ResponseWriter: w, held: ls[:n]}
		defer sw.releaseAll()
		if n < len(ls) {
			return
		}
		next.ServeHTTP(sw, r)
	})
}

// slotWriter gives the slots of its request back when the response's header is written
// with a Content-Length (see limiter), or when the handler returns.
type slotWriter struct {
	http.ResponseWriter
	held      []*limiter
	streaming bool
	rc        *http.ResponseController
}

func (w *slotWriter) releaseAll() {
	for i := len(w.held) - 1; i >= 0; i-- {
		w.held[i].release()
	}
	w.held = nil
}

func (w *slotWriter) WriteHeader(code int) {
	if len(w.held) > 0 && !w.streaming {
		if w.Header().Get("Content-Length") != "" || code != http.StatusOK {
			w.releaseAll()
		} else {
			w.streaming = true
			w.rc = http.NewResponseController(w.ResponseWriter)
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *slotWriter) Write(b []byte) (int, error) {
	if w.rc == nil && len(w.held) > 0 && !w.streaming {
		w.WriteHeader(http.StatusOK)
	}
	if w.streaming && len(w.held) > 0 {
		// A stream holds its slots: each write must make progress within stall.
		stall := w.held[0].stall
		for _, l := range w.held {
			stall = max(stall, l.stall)
		}
		w.rc.SetWriteDeadline(time.Now().Add(stall)) // not supported by recorders: no bound
	}
	return w.ResponseWriter.Write(b)
}

// ReadFrom keeps net/http's ReadFrom (sendfile for files) reachable for a response with
// a length; a stream is copied write by write, each under the stall deadline.
func (w *slotWriter) ReadFrom(src io.Reader) (int64, error) {
	if w.rc == nil && len(w.held) > 0 && !w.streaming {
		w.WriteHeader(http.StatusOK)
	}
	if w.streaming && len(w.held) > 0 {
		return io.Copy(writerOnly{w}, src)
	}
	return readFrom(w.ResponseWriter, src)
}

func (w *slotWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

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
// Range. Route families whose bodies are stored encoded (tiles) are not wrapped.
func gzipResponses(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !AcceptsGzip(r) || r.Header.Get("Range") != "" {
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

// ReadFrom compresses src when the response is compressed, and otherwise keeps
// net/http's ReadFrom (sendfile for files) reachable.
func (g *gzipWriter) ReadFrom(src io.Reader) (int64, error) {
	if !g.wroteHeader {
		g.WriteHeader(http.StatusOK)
	}
	if g.zw != nil {
		return io.Copy(writerOnly{g}, src)
	}
	return readFrom(g.ResponseWriter, src)
}

func (g *gzipWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }
