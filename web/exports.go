package web

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb/geojson"

	"newsmap/geo/export"
)

// exportFormats are the download formats of /api/layers/{name}.{format} besides GeoJSON
// (which layers.go serves); "geojsons" is the usual extension of GeoJSON text sequences.
const exportFormats = "gpkg|kml|csv|geojsonseq|geojsons"

// routeExports adds GET /api/layers/{name}.{gpkg,kml,csv,geojsonseq}: the layer written
// by geo/export, as an attachment named after the layer. The same parameters as the
// GeoJSON download (bbox, datetime, article, q, properties) export only the matching
// features. A whole layer is rendered once per version and then served from memory
// (Data); a filtered export is streamed as it is produced, within the exports bound.
func (s *server) routeExports(r *mux.Router) {
	path := "/api/layers/{name}.{format:" + exportFormats + "}"
	get := []string{http.MethodGet, http.MethodHead, http.MethodOptions}
	h := s.handle(s.layerExport)
	r.Handle(path, cors(gzipResponses(wrap(h, s.all)))).Methods(get...).MatcherFunc(noQuery)
	r.Handle(path, cors(gzipResponses(wrap(h, s.exports, s.all)))).Methods(get...)
}

// layerExport answers GET /api/layers/{name}.{format}.
func (s *server) layerExport(w http.ResponseWriter, r *http.Request) error {
	v := mux.Vars(r)
	l, err := s.store.Layer(v["name"])
	if err != nil {
		return err
	}
	name := v["format"]
	if name == "geojsons" {
		name = export.GeoJSONSeq
	}
	f, err := export.LookupFormat(name)
	if err != nil {
		return err
	}
	params, err := Params(r)
	if err != nil {
		return err
	}
	var body []byte
	var tag string
	if len(params) == 0 {
		tag = `"` + l.Hash() + "-" + f.Name + `"`
		if notModified(w, r, tag, hdrCacheAPI) {
			return nil
		}
		body, err = onceForVersion(r.Context(), s.versions, l, f.Name, func() ([]byte, error) { return render(l.Name(), f.Name, l.Features()) })
		if err != nil {
			return err
		}
	} else {
		q, err := parseQuery(l, params)
		if err != nil {
			return err
		}
		q.Limit = 0 // an export holds every match
		res, err := l.Query(q)
		if err != nil {
			return err
		}
		tag = etag("export", l.Hash(), f.Name, params.Encode())
		if notModified(w, r, tag, hdrCacheAPI) {
			return nil
		}
		if body, err = render(l.Name(), f.Name, res.Features); err != nil {
			return err
		}
	}
	h := w.Header()
	h.Set("Content-Type", f.MediaType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": l.Name() + f.Extension}))
	h.Set("Last-Modified", l.ModTime().UTC().Format(http.TimeFormat))
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
	return nil
}

// render writes features in a format into memory, so that a failure is still a clean
// error response.
func render(layer, format string, feats []*geojson.Feature) ([]byte, error) {
	var buf bytes.Buffer
	fc := &geojson.FeatureCollection{Type: "FeatureCollection", Features: feats}
	if err := export.Write(format, &buf, layer, fc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
