// Package ogc serves the layers of a newsmap server's store (store.Store) as OGC API - Features - Part 1:
// Core (OGC 17-069r4) under /ogc, with the conformance classes Core, GeoJSON, HTML and
// OpenAPI 3.0:
//
//	/ogc                                   landing page
//	/ogc/conformance                       conformance declaration
//	/ogc/api                               OpenAPI 3.0 definition (JSON; HTML with f=html)
//	/ogc/collections                       one collection per layer
//	/ogc/collections/{collectionId}        collection metadata with its extent
//	/ogc/collections/{collectionId}/items  features: bbox, datetime, limit, offset and
//	                                       equality filters on the declared properties
//	/ogc/collections/{collectionId}/items/{featureId}
//	/ogc/collections/{collectionId}/queryables  the filterable properties (JSON Schema)
//
// Every resource answers JSON and HTML, chosen by the f parameter (f=json, f=html) or
// else by the Accept header (JSON by default). Errors are JSON {"code": N, "error": "..."}:
// 400 for an invalid or unknown parameter, 404 for an unknown collection or feature.
//
// Decisions the standard leaves to the server: limit defaults to 10 and larger values
// than 10000 are clamped to 10000 (the standard's example: asking for 50000 may give
// 10000 and a next link); limit below 1 or not an integer is a 400. A bbox whose first
// longitude exceeds the second crosses the antimeridian. A datetime may also be a date or
// a coarser ISO 8601 value (2023-09-25, 2023-W38, 2023-09, 2023), which stands for its
// whole period. Features without a date never match a datetime filter.
package ogc

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"newsmap/geo/layerstore"
	"newsmap/geo/store"
	"newsmap/web"
)

// Media types.
const (
	typeJSON    = "application/json"
	typeGeoJSON = "application/geo+json"
	typeHTML    = "text/html"
	typeOpenAPI = "application/vnd.oai.openapi+json;version=3.0"
	typeSchema  = "application/schema+json"
)

// URIs of the standard.
const (
	crs84       = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
	gregorian   = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
	relConf     = "http://www.opengis.net/def/rel/ogc/1.0/conformance"
	relData     = "http://www.opengis.net/def/rel/ogc/1.0/data"
	relQueryabl = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
)

// Conformance lists the conformance classes this package implements.
var conformance = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
}

// Conformance returns the URIs of the conformance classes the API declares.
func Conformance() []string { return append([]string(nil), conformance...) }

// Paging limits of the items resource.
const (
	DefaultLimit = 10
	MaxLimit     = 10000
)

// Options configure the API. The zero value is usable.
type Options struct {
	// Title and Description of the landing page; defaults describe newsmap.
	Title, Description string
	// BaseURL, such as "https://maps.example.org", starts every absolute link; empty
	// derives it from each request's Host.
	BaseURL string
	// Now returns the time for timeStamp members; nil uses time.Now.
	Now func() time.Time
	// Logger receives the request lines and the causes of 500 responses (with the
	// request id) when the API is served alone (Handler); mounted in a newsmap server
	// with Register, the server's logger (web.Options.Logger) does. Nil discards.
	Logger *slog.Logger
}

// api holds what the handlers share.
type api struct {
	store store.Store
	opts  Options
	pages *web.PageCache // items pages as GeoJSON
}

// Register mounts the API under /ogc on r, each route in the middleware of its kind
// from m: the items resource, whose work grows with the layer and the query, in
// m.Heavy; the others in m.Data. It serves the server's store (m.Store). Call it from
// web.Options.Extra.
func Register(r *mux.Router, m web.Middleware, opts Options) {
	if opts.Title == "" {
		opts.Title = "newsmap"
	}
	if opts.Description == "" {
		opts.Description = "Places and dates mentioned in news articles, as OGC API - Features."
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	for len(opts.BaseURL) > 0 && opts.BaseURL[len(opts.BaseURL)-1] == '/' {
		opts.BaseURL = opts.BaseURL[:len(opts.BaseURL)-1]
	}
	a := &api{store: m.Store(), opts: opts, pages: web.NewPageCache(64, 64<<20)}
	get := []string{http.MethodGet, http.MethodHead, http.MethodOptions}
	data := func(h handlerFunc) http.Handler { return m.Data(m.Handle(h)) }
	r.Handle("/ogc", data(a.landing)).Methods(get...)
	r.Handle("/ogc/", data(a.landing)).Methods(get...)
	r.Handle("/ogc/conformance", data(a.conformance)).Methods(get...)
	r.Handle("/ogc/api", data(a.openAPI)).Methods(get...)
	r.Handle("/ogc/collections", data(a.collections)).Methods(get...)
	r.Handle("/ogc/collections/{collectionId}", data(a.collection)).Methods(get...)
	r.Handle("/ogc/collections/{collectionId}/items", m.Heavy(m.Handle(a.items))).Methods(get...)
	r.Handle("/ogc/collections/{collectionId}/items/{featureId}", data(a.item)).Methods(get...)
	r.Handle("/ogc/collections/{collectionId}/queryables", data(a.queryables)).Methods(get...)
	r.PathPrefix("/ogc/").Handler(data(func(http.ResponseWriter, *http.Request) error {
		return ErrNotFound
	})).Methods(get...)
}

// Handler returns the API within a newsmap server that has no map page, for tests and
// for serving it without the map; opts.Logger gets its request lines and the causes of
// its 500s.
func Handler(st *layerstore.Store, opts Options) http.Handler {
	return web.NewServer(st, web.Options{Logger: opts.Logger,
		Extra: func(r *mux.Router, m web.Middleware) { Register(r, m, opts) }})
}

// Link is a web link of the API's JSON documents.
type Link = web.Link
