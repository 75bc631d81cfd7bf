package web

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"newsmap/geo/cache"
	"newsmap/geo/layerstore"
	"newsmap/geo/store"
)

// maxLimit caps the limit parameter of GeoJSON requests; larger values are clamped.
const maxLimit = 100000

// routeLayers adds the catalogue and the GeoJSON downloads. A whole layer is sent as
// loaded (Data); a query's work grows with the layer (Heavy).
func (s *server) routeLayers(r *mux.Router, m Middleware) {
	get := []string{http.MethodGet, http.MethodHead, http.MethodOptions}
	r.Handle("/api/layers", m.Data(s.handle(s.catalogue))).Methods(get...)
	r.Handle("/api/layers/{name}.geojson", m.Data(s.handle(s.layerGeoJSON))).Methods(get...).MatcherFunc(noQuery)
	r.Handle("/api/layers/{name}.geojson", m.Heavy(s.handle(s.layerGeoJSON))).Methods(get...)
}

// noQuery matches requests without a query string.
func noQuery(r *http.Request, _ *mux.RouteMatch) bool { return r.URL.RawQuery == "" }

// catalogueEntry describes one layer in /api/layers.
type catalogueEntry struct {
	Name     string    `json:"name"`
	Title    string    `json:"title"`
	Count    int       `json:"count"`
	BBox     []float64 `json:"bbox,omitempty"`
	Time     *timeSpan `json:"time,omitempty"`
	Hash     string    `json:"hash"`
	Modified time.Time `json:"modified"`
	Links    []Link    `json:"links"`
}

// timeSpan is a layer's time extent as RFC 3339 instants, the end exclusive.
type timeSpan struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Link is a web link of the JSON documents newsmap serves (the catalogue, OGC API).
type Link struct {
	Href      string `json:"href"`
	Rel       string `json:"rel"`
	Type      string `json:"type,omitempty"`
	Title     string `json:"title,omitempty"`
	Templated bool   `json:"templated,omitempty"`
}

// catalogue answers GET /api/layers: {"layers": [...], "links": [...]}.
func (s *server) catalogue(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r, "/api/layers"); err != nil {
		return err
	}
	cat, err := s.store.Catalog(r.Context())
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	if notModified(w, r, etag("catalogue", cat.Hash, base), hdrCacheAPI) {
		return nil
	}
	entries := []catalogueEntry{}
	for _, l := range cat.Layers {
		name := url.PathEscape(l.Name())
		e := catalogueEntry{
			Name: l.Name(), Title: l.Title(), Count: l.Count(), Hash: l.Hash(),
			Modified: l.ModTime().UTC(),
			Links: []Link{
				{Href: base + "/api/layers/" + name + ".geojson", Rel: "enclosure", Type: typeGeoJSON, Title: "GeoJSON"},
				{Href: base + "/tiles/" + name + "/{z}/{x}/{y}.mvt", Rel: "item", Type: typeMVT, Title: "Vector tiles"},
				{Href: base + "/tiles/" + name + ".json", Rel: "describedby", Type: typeJSON, Title: "TileJSON"},
			},
		}
		if b, ok := l.Bound(); ok {
			e.BBox = []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
		}
		if iv, ok := l.TimeExtent(); ok {
			e.Time = &timeSpan{iv.Start, iv.End}
		}
		entries = append(entries, e)
	}
	return WriteJSON(w, r, typeJSON, map[string]any{
		"layers": entries,
		"links":  []Link{{Href: base + "/api/layers", Rel: "self", Type: typeJSON, Title: "Layers"}},
	})
}

// WriteJSON answers r with status 200 and v encoded as JSON (without HTML escaping, so
// that links keep their "&") and a newline, with the given Content-Type and its length.
func WriteJSON(w http.ResponseWriter, r *http.Request, contentType string, v any) error {
	b, err := MarshalJSON(v)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(b)
	}
	return nil
}

// MarshalJSON encodes v as WriteJSON does: no HTML escaping, a trailing newline.
func MarshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// queryParams are the parameters of /api/layers/{name}.geojson besides property filters.
var queryParams = []string{"bbox", "datetime", "article", "q", "limit", "offset"}

// parseQuery turns URL parameters into a layerstore.Query. Parameters named after a
// property of the layer filter on it exactly; any other parameter is an error.
func parseQuery(l store.Layer, v url.Values) (layerstore.Query, error) {
	var q layerstore.Query
	for k, vals := range v {
		if len(vals) != 1 {
			return q, badRequest("parameter %q given %d times", k, len(vals))
		}
		val := vals[0]
		var err error
		switch k {
		case "bbox":
			b, e := layerstore.ParseBBox(val)
			q.BBox, err = &b, e
		case "datetime":
			iv, e := layerstore.ParseDatetime(val)
			q.Time, err = &iv, e
		case "article":
			q.Article = val
		case "q":
			q.Q = val
		case "limit", "offset":
			n, e := strconv.Atoi(val)
			switch {
			case e != nil:
				err = badRequest("%s %q is not an integer", k, val)
			case k == "limit" && n < 1:
				err = badRequest("limit must be at least 1")
			case k == "limit":
				q.Limit = min(n, maxLimit)
			case n < 0:
				err = badRequest("offset must not be negative")
			default:
				q.Offset = n
			}
		default:
			if !slices.ContainsFunc(l.Fields(), func(f layerstore.Field) bool { return f.Name == k }) {
				return q, badRequest("unknown parameter %q; use %s or a property of layer %s", k, strings.Join(queryParams, ", "), l.Name())
			}
			if q.Props == nil {
				q.Props = map[string]string{}
			}
			q.Props[k] = val
		}
		if err != nil {
			return q, err
		}
	}
	return q, nil
}

// layerGeoJSON answers GET /api/layers/{name}.geojson. Without parameters it sends the
// layer file as loaded (gzip-compressed once per layer version when the client accepts
// it); with parameters, a FeatureCollection of the matches in id order, with
// numberMatched and numberReturned.
func (s *server) layerGeoJSON(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l, err := s.store.Layer(ctx, mux.Vars(r)["name"])
	if err != nil {
		return err
	}
	params, err := Params(r)
	if err != nil {
		return err
	}
	if len(params) == 0 {
		return s.fullLayer(w, r, l)
	}
	q, err := parseQuery(l, params)
	if err != nil {
		return err
	}
	canon := params.Encode()
	if notModified(w, r, etag("geojson", l.Hash(), canon), hdrCacheAPI) {
		return nil
	}
	key := "geojson\x00" + l.Name() + "\x00" + l.Hash() + "\x00" + canon
	// Requests for the same page at the same time query and encode it once.
	var res store.Result
	queried := false
	p, err := s.pages.Do(ctx, key, func() (*Page, error) {
		var err error
		if res, err = l.Query(ctx, q); err != nil {
			return nil, err
		}
		queried = true
		return s.geojsonPage(res)
	})
	switch {
	case err == nil:
		p.Serve(w, r, typeGeoJSON)
		return nil
	case !errors.Is(err, errLargePage):
		return err
	}
	if !queried { // another request found the page too large to keep
		if res, err = l.Query(ctx, q); err != nil {
			return err
		}
	}
	// Too large to keep: stream the encoded features (the gzip middleware compresses).
	w.Header().Set("Content-Type", typeGeoJSON)
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(geojsonHead(res))
	for k, f := range res.JSON {
		if k > 0 {
			bw.WriteByte(',')
		}
		bw.Write(f)
	}
	bw.WriteString(geojsonTail)
	return bw.Flush()
}

// errLargePage is what geojsonPage returns for a page too large for the page cache.
var errLargePage = errors.New("web: page too large to keep")

const geojsonTail = "]}\n"

func geojsonHead(res store.Result) []byte {
	return fmt.Appendf(nil, `{"type":"FeatureCollection","numberMatched":%d,"numberReturned":%d,"features":[`, res.NumberMatched, len(res.JSON))
}

// geojsonPage joins the encoded features of res into a FeatureCollection page, or returns
// errLargePage when the page would be too large to keep.
func (s *server) geojsonPage(res store.Result) (*Page, error) {
	head := geojsonHead(res)
	size := len(head) + len(geojsonTail)
	for _, f := range res.JSON {
		size += len(f) + 1
	}
	if !s.pages.Cacheable(size) {
		return nil, errLargePage
	}
	body := make([]byte, 0, size)
	body = append(body, head...)
	for k, f := range res.JSON {
		if k > 0 {
			body = append(body, ',')
		}
		body = append(body, f...)
	}
	return NewPage(append(body, geojsonTail...)), nil
}

func (s *server) fullLayer(w http.ResponseWriter, r *http.Request, l store.Layer) error {
	tag := `"` + l.Hash() + `"`
	if notModified(w, r, tag, hdrCacheAPI) {
		return nil
	}
	h := w.Header()
	h.Set("Content-Type", typeGeoJSON)
	h.Set("Last-Modified", l.ModTime().UTC().Format(http.TimeFormat))
	h.Add("Vary", "Accept-Encoding")
	// Both encodings are made once per version (kept in the spool folder when the server
	// has one, and sent from there with sendfile).
	variant := "identity"
	if AcceptsGzip(r) {
		variant = "gzip"
		h.Set("Content-Encoding", "gzip")
		h.Set("ETag", gzipETag(tag))
	}
	ctx := r.Context()
	body, err := s.openForVersion(ctx, l, variant, func(w io.Writer) error {
		raw, err := l.GeoJSON(ctx)
		if err != nil {
			return err
		}
		if variant == "identity" {
			_, err = w.Write(raw)
			return err
		}
		return gzipLayer(w, raw)
	})
	if err != nil {
		return err
	}
	defer body.close()
	h.Set("Content-Length", strconv.FormatInt(body.Len(), 10))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		body.send(w)
	}
	return nil
}

// versioned is a layer version: any store's layer (and *layerstore.Layer).
type versioned interface {
	Name() string
	Hash() string
}

// versionKey names one version of a layer in the caches of things made once per version.
type versionKey struct{ name, hash, variant string }

// newVersionCache returns a cache of things made once per layer version (the whole
// layer's gzip, exports): bounded in bytes only, each kept until a newer version of its
// layer is made (see onceForVersion) or the bound evicts it.
func newVersionCache(maxBytes int64) *cache.Cache[versionKey, *versionBody] {
	return cache.New[versionKey](cache.Options{MaxBytes: maxBytes}, (*versionBody).Len)
}

// onceForVersion returns what make makes of layer l (variant names what, such as an
// export format), made once per layer version however many requests ask for it at the
// same time; making it for a new version drops the older versions' variant.
func (s *server) onceForVersion(ctx context.Context, l versioned, variant string, write func(io.Writer) error) (*versionBody, error) {
	k := versionKey{l.Name(), l.Hash(), variant}
	c := s.versions
	return c.Do(ctx, k, func() (*versionBody, error) {
		c.RemoveFunc(func(o versionKey, _ *versionBody) bool {
			return o.name == k.name && o.variant == k.variant && o.hash != k.hash
		})
		return s.spool.newBody(write)
	})
}

// openForVersion is onceForVersion with the body opened for one response. A spooled
// body whose file went (a cleaner of the temporary folder removes old files) is made
// again, once.
func (s *server) openForVersion(ctx context.Context, l versioned, variant string, write func(io.Writer) error) (openBody, error) {
	for attempt := 0; ; attempt++ {
		b, err := s.onceForVersion(ctx, l, variant, write)
		if err != nil {
			return openBody{}, err
		}
		o, err := b.open()
		if err == nil || attempt > 0 {
			return o, err
		}
		k := versionKey{l.Name(), l.Hash(), variant}
		s.versions.RemoveFunc(func(o versionKey, v *versionBody) bool { return o == k && v == b })
	}
}

// gzipLayer compresses a whole layer file at the best level (once per version: the
// bytes are served many times).
func gzipLayer(w io.Writer, raw []byte) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(raw); err != nil {
		return err
	}
	return zw.Close()
}
