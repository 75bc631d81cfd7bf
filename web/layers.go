package web

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"

	"newsmap/geo/layerstore"
)

// maxLimit caps the limit parameter of GeoJSON requests; larger values are clamped.
const maxLimit = 100000

func (s *server) routeLayers(r *mux.Router) {
	r.Handle("/api/layers", s.handle(s.catalogue)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/api/layers/{name}.geojson", s.handle(s.layerGeoJSON)).Methods(http.MethodGet, http.MethodHead)
}

// catalogueEntry describes one layer in /api/layers.
type catalogueEntry struct {
	Name     string    `json:"name"`
	Title    string    `json:"title"`
	Count    int       `json:"count"`
	BBox     []float64 `json:"bbox,omitempty"`
	Time     *timeSpan `json:"time,omitempty"`
	Hash     string    `json:"hash"`
	Modified time.Time `json:"modified"`
	Links    []link    `json:"links"`
}

// timeSpan is a layer's time extent as RFC 3339 instants, the end exclusive.
type timeSpan struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

type link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type"`
	Title string `json:"title,omitempty"`
}

// catalogue answers GET /api/layers: {"layers": [...], "links": [...]}.
func (s *server) catalogue(w http.ResponseWriter, r *http.Request) error {
	if len(r.URL.Query()) > 0 {
		return badRequest("/api/layers takes no parameters")
	}
	snap := s.store.Snapshot()
	base := s.baseURL(r)
	if notModified(w, r, etag("catalogue", snap.Hash(), base), cacheAPI) {
		return nil
	}
	entries := []catalogueEntry{}
	for _, l := range snap.Layers() {
		name := url.PathEscape(l.Name())
		e := catalogueEntry{
			Name: l.Name(), Title: l.Title(), Count: l.Count(), Hash: l.Hash(),
			Modified: l.ModTime().UTC(),
			Links: []link{
				{base + "/api/layers/" + name + ".geojson", "enclosure", typeGeoJSON, "GeoJSON"},
				{base + "/tiles/" + name + "/{z}/{x}/{y}.mvt", "item", typeMVT, "Vector tiles"},
				{base + "/tiles/" + name + ".json", "describedby", typeJSON, "TileJSON"},
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
	return writeJSON(w, r, http.StatusOK, typeJSON, map[string]any{
		"layers": entries,
		"links":  []link{{base + "/api/layers", "self", typeJSON, "Layers"}},
	})
}

// writeJSON encodes v as the response body.
func writeJSON(w http.ResponseWriter, r *http.Request, code int, contentType string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write(append(b, '\n'))
	}
	return nil
}

// queryParams are the parameters of /api/layers/{name}.geojson besides property filters.
var queryParams = []string{"bbox", "datetime", "article", "q", "limit", "offset"}

// parseQuery turns URL parameters into a layerstore.Query. Parameters named after a
// property of the layer filter on it exactly; any other parameter is an error.
func parseQuery(l *layerstore.Layer, v url.Values) (layerstore.Query, error) {
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
	l, err := s.store.Layer(mux.Vars(r)["name"])
	if err != nil {
		return err
	}
	params := r.URL.Query()
	if len(params) == 0 {
		return s.fullLayer(w, r, l)
	}
	q, err := parseQuery(l, params)
	if err != nil {
		return err
	}
	res, err := l.Query(q)
	if err != nil {
		return err
	}
	if notModified(w, r, etag("geojson", l.Hash(), params.Encode()), cacheAPI) {
		return nil
	}
	w.Header().Set("Content-Type", typeGeoJSON)
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	fmt.Fprintf(bw, `{"type":"FeatureCollection","numberMatched":%d,"numberReturned":%d,"features":[`, res.NumberMatched, len(res.Features))
	for i, f := range res.Features {
		b, err := json.Marshal(f)
		if err != nil {
			// Headers are gone; end the body and log. Loaded features always encode.
			s.log.Error("encoding feature", "layer", l.Name(), "err", err)
			break
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.Write(b)
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

func (s *server) fullLayer(w http.ResponseWriter, r *http.Request, l *layerstore.Layer) error {
	tag := `"` + l.Hash() + `"`
	if notModified(w, r, tag, cacheAPI) {
		return nil
	}
	h := w.Header()
	h.Set("Content-Type", typeGeoJSON)
	h.Set("Last-Modified", l.ModTime().UTC().Format(http.TimeFormat))
	h.Add("Vary", "Accept-Encoding")
	body := l.Raw()
	if acceptsGzip(r) {
		gz, err := s.gzfull.get(l)
		if err != nil {
			return err
		}
		body = gz
		h.Set("Content-Encoding", "gzip")
		h.Set("ETag", gzipETag(tag))
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
	return nil
}

// gzCache keeps the gzip encoding of each layer's current version.
type gzCache struct {
	mu sync.Mutex
	m  map[string]*gzEntry // by layer name
}

type gzEntry struct {
	hash string
	once sync.Once
	data []byte
	err  error
}

func newGzCache() *gzCache { return &gzCache{m: map[string]*gzEntry{}} }

// get returns the gzip of l.Raw(), compressing once per layer version; concurrent
// requests for a version being compressed wait for it instead of compressing again.
func (c *gzCache) get(l *layerstore.Layer) ([]byte, error) {
	c.mu.Lock()
	e := c.m[l.Name()]
	if e == nil || e.hash != l.Hash() {
		e = &gzEntry{hash: l.Hash()}
		c.m[l.Name()] = e
	}
	c.mu.Unlock()
	e.once.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if _, e.err = zw.Write(l.Raw()); e.err == nil {
			e.err = zw.Close()
		}
		e.data = buf.Bytes()
	})
	return e.data, e.err
}
