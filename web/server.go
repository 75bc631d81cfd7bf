// Package web is newsmap's HTTP adapter: it serves the layers of a store.Store (the
// in-memory layerstore, or PostGIS) as a
// catalogue and GeoJSON downloads (/api/layers), Mapbox Vector Tiles and TileJSON
// (/tiles) and a health check (/healthz), using gorilla/mux. Handlers return errors; one
// wrapper maps them to statuses and JSON bodies (see errors.go). Other route families (the
// map page, OGC API - Features, exports) are mounted through Options without editing this
// package.
package web

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"newsmap/geo/cache"
	"newsmap/geo/layerstore"
	"newsmap/geo/store"
	"newsmap/geo/tiles"
)

// Options configure the server. The zero value is usable.
type Options struct {
	// Logger receives one line per request and the causes of 500 responses; nil discards.
	Logger *slog.Logger
	// Static, if non-nil, is mounted at "/" and gets every path no other route claims. It
	// is served as HTML pages are: with the map's Content-Security-Policy (CSPMap), no
	// CORS, gzip and the shared concurrency bound.
	Static http.Handler
	// Extra, if non-nil, is called with the router after newsmap's own routes are
	// registered and before the JSON 404 catch-alls for /api/ and /tiles/ and before
	// Static, so it can add route families such as /ogc. Each route it adds wraps its
	// handler in the middleware of its kind from m (see Middleware).
	Extra func(r *mux.Router, m Middleware)
	// Tiles renders the vector tiles of NewServer's in-memory store; nil uses
	// tiles.New(tiles.Options{}). A store given to New renders its own (Layer.Tile).
	Tiles *tiles.Renderer
	// BaseURL, such as "https://maps.example.org", is used for absolute links; empty
	// derives it from each request's Host (forwarding headers are not trusted).
	BaseURL string
	// MaxInFlight bounds the requests computing a response at once (default 64). A
	// request that cannot start within QueueWait (default 100ms) gets 503 with
	// Retry-After. A slot covers computing a response, not the client's reading of it.
	MaxInFlight int
	QueueWait   time.Duration
	// MaxHeavyInFlight bounds, within MaxInFlight, the requests whose work grows with the
	// layer or the query (OGC items pages, filtered GeoJSON); default 4 × GOMAXPROCS, so
	// that admitted requests do not queue seconds of CPU.
	MaxHeavyInFlight int
	// MaxExports bounds the filtered exports being written at once (default 2 ×
	// GOMAXPROCS); each streams its features and keeps its slot until done.
	MaxExports int
	// StallTimeout closes a streamed response whose client has not taken a write for
	// that long (default 10s), so that a client that stops reading frees its slot.
	StallTimeout time.Duration
	// SpoolDir, if set, is a folder (see NewSpoolDir) where what is made once per layer
	// version and sent many times (the whole layer's gzip, whole-layer exports) is kept
	// instead of the heap, and sent from with sendfile(2). Empty keeps it in memory.
	SpoolDir string
	// Ready, if non-nil, reports whether the layers have been loaded; until it does,
	// every route but /healthz answers 503 with Retry-After.
	Ready func() bool
}

// Cache lifetimes.
const (
	cacheAPI   = "public, max-age=60"
	cacheTiles = "public, max-age=3600"
)

// maxVersionBytes bounds the memory of what is made once per layer version (the gzip of
// whole layers, exports): room for a few versions of large layers in every format.
const maxVersionBytes = 1 << 30

// Content types.
const (
	typeJSON    = "application/json"
	typeGeoJSON = "application/geo+json"
	typeMVT     = "application/vnd.mapbox-vector-tile"
)

type server struct {
	store store.Store
	opts  Options
	log   *slog.Logger
	// versions holds what is made once per layer version: the whole layer's gzip
	// (layers.go), exports (exports.go).
	versions *cache.Cache[versionKey, *versionBody]
	spool    *spool     // nil: versions stay in memory
	pages    *PageCache // filtered GeoJSON pages

	all, heavy, exports *limiter
}

// Middleware is what a route family wraps its handlers in, as each route chooses: the
// families differ in their CORS, compression and concurrency bounds, and the server's
// outer middleware (request log, panic recovery, security headers) knows no route.
type Middleware struct{ s *server }

// Data wraps the handler of a read-only data API whose responses are cheap or prepared
// once: CORS for any origin, gzip, and the shared concurrency bound.
func (m Middleware) Data(h http.Handler) http.Handler {
	return cors(gzipResponses(wrap(h, m.s.all)))
}

// Heavy wraps the handler of a data API whose work grows with the layer or the query
// (filtered features, items pages): as Data, and within the heavy bound too.
func (m Middleware) Heavy(h http.Handler) http.Handler {
	return cors(gzipResponses(wrap(h, m.s.heavy, m.s.all)))
}

// Store returns the store the server serves, for route families that serve it too.
func (m Middleware) Store() store.Store { return m.s.store }

// Handle adapts a handler that returns an error, answering the error as JSON with the
// server's mapping of errors to statuses (and logging 500s).
func (m Middleware) Handle(h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return m.s.handle(h)
}

// NewServer returns the handler for all routes. The tile path has its own fast handler
// (see tilePaths); every other request goes to the router, whose route families wrap
// their handlers in their own middleware (see Middleware). Outside both: the request
// id (X-Request-Id), the request log, panic recovery and security headers.
//
// NewServer serves the layers of st from memory (store.NewMemory with opts.Tiles); New
// serves any store.
func NewServer(st *layerstore.Store, opts Options) http.Handler {
	return New(store.NewMemory(st, opts.Tiles), opts)
}

// New returns the handler for all routes, serving the layers of st (see NewServer).
func New(st store.Store, opts Options) http.Handler {
	s := &server{store: st, opts: opts, log: opts.Logger, versions: newVersionCache(maxVersionBytes), pages: NewPageCache(256, 64<<20)}
	if opts.SpoolDir != "" {
		s.spool = &spool{dir: opts.SpoolDir}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.opts.MaxInFlight <= 0 {
		s.opts.MaxInFlight = 64
	}
	if s.opts.MaxHeavyInFlight <= 0 {
		s.opts.MaxHeavyInFlight = 4 * runtime.GOMAXPROCS(0)
	}
	s.opts.MaxHeavyInFlight = min(s.opts.MaxHeavyInFlight, s.opts.MaxInFlight)
	if s.opts.MaxExports <= 0 {
		s.opts.MaxExports = 2 * runtime.GOMAXPROCS(0)
	}
	if s.opts.QueueWait <= 0 {
		s.opts.QueueWait = 100 * time.Millisecond
	}
	if s.opts.StallTimeout <= 0 {
		s.opts.StallTimeout = 10 * time.Second
	}
	s.opts.BaseURL = strings.TrimRight(s.opts.BaseURL, "/")
	s.all = newLimiter(s.opts.MaxInFlight, s.opts.QueueWait, s.opts.StallTimeout)
	s.heavy = newLimiter(s.opts.MaxHeavyInFlight, s.opts.QueueWait, s.opts.StallTimeout)
	s.exports = newLimiter(s.opts.MaxExports, s.opts.QueueWait, s.opts.StallTimeout)
	m := Middleware{s}

	r := mux.NewRouter()
	r.NotFoundHandler = cors(s.handle(func(http.ResponseWriter, *http.Request) error { return ErrNotFound }))
	r.MethodNotAllowedHandler = cors(s.handle(func(http.ResponseWriter, *http.Request) error { return ErrMethod }))
	s.routeLayers(r, m)
	s.routeClusters(r, m)
	s.routeExports(r)
	s.routeTileJSON(r, m)
	s.routeHealth(r)
	if opts.Extra != nil {
		opts.Extra(r, m)
	}
	// Unknown API paths answer JSON even when Static would take everything else; a known
	// path with the wrong method answers 405.
	catchAll := map[*mux.Route]bool{}
	for _, p := range []string{"/api/", "/tiles/"} {
		route := r.PathPrefix(p)
		catchAll[route] = true
		route.Handler(cors(s.handle(func(w http.ResponseWriter, req *http.Request) error {
			if req.Method != http.MethodGet && req.Method != http.MethodHead {
				var m mux.RouteMatch
				get := req.Clone(req.Context())
				get.Method = http.MethodGet
				if r.Match(get, &m) && !catchAll[m.Route] {
					return ErrMethod
				}
			}
			return ErrNotFound
		})))
	}
	if opts.Static != nil {
		r.PathPrefix("/").Handler(htmlPages(CSPMap, gzipResponses(wrap(strictQuery(s, opts.Static), s.all))))
	}

	var h http.Handler = s.tilePaths(r)
	h = s.untilReady(h)
	h = securityHeaders(h)
	h = s.recoverPanics(h)
	h = s.logRequests(h)
	h = newRequestIDs().wrap(h)
	return h
}

// strictQuery answers 400 to a request whose query string does not parse, as every
// other route does, and passes the rest to next.
func strictQuery(s *server, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "" {
			if _, err := Params(r); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// untilReady answers 503 with Retry-After to every request but /healthz until
// Options.Ready reports the layers loaded.
func (s *server) untilReady(next http.Handler) http.Handler {
	if s.opts.Ready == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" && !s.opts.Ready() {
			w.Header()["Retry-After"] = hdrRetryAfter
			WriteError(w, http.StatusServiceUnavailable, "loading the layers, retry shortly")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// baseURL is the scheme and host that absolute links start with.
func (s *server) baseURL(r *http.Request) string { return BaseURL(r, s.opts.BaseURL) }

// BaseURL is the scheme and host that absolute links start with: configured (such as
// "https://maps.example.org", without a trailing slash) when set, else derived from the
// request's Host and TLS state (forwarding headers are not trusted).
func BaseURL(r *http.Request, configured string) string {
	if configured != "" {
		return configured
	}
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// etag builds a strong entity tag from parts (snapshot hashes, the canonical query).
func etag(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return `"` + hex.EncodeToString(h.Sum(nil)[:16]) + `"`
}

// notModified sets the ETag and Cache-Control headers and reports whether the request's
// If-None-Match matches tag (weakly, and for either the plain or the gzip variant), in
// which case it has answered 304.
func notModified(w http.ResponseWriter, r *http.Request, tag string, cacheControl []string) bool {
	h := w.Header()
	h["Etag"] = []string{tag}
	h["Cache-Control"] = cacheControl
	inm := r.Header.Get("If-None-Match")
	if inm == "" {
		return false
	}
	for _, t := range strings.Split(inm, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == tag || t == gzipETag(tag) {
			h.Set("ETag", t) // the variant the client holds
		}
		if t == "*" || t == tag || t == gzipETag(tag) {
			w.WriteHeader(http.StatusNotModified)
			return true
		}
	}
	return false
}

// gzipETag is the entity tag of the gzip-encoded variant of the representation tagged tag.
func gzipETag(tag string) string {
	if strings.HasSuffix(tag, `-gz"`) || !strings.HasSuffix(tag, `"`) {
		return tag
	}
	return strings.TrimSuffix(tag, `"`) + `-gz"`
}
