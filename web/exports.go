package web

import (
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb/geojson"

	"newsmap/geo/export"
	"newsmap/geo/layerstore"
	"newsmap/geo/store"
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
	ctx := r.Context()
	l, err := s.store.Layer(ctx, v["name"])
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
	h := w.Header()
	setHeaders := func() {
		h.Set("Content-Type", f.MediaType)
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": l.Name() + f.Extension}))
		h.Set("Last-Modified", l.ModTime().UTC().Format(http.TimeFormat))
	}
	if len(params) == 0 {
		// The whole layer: rendered once per version, then served from memory.
		if notModified(w, r, `"`+l.Hash()+"-"+f.Name+`"`, hdrCacheAPI) {
			return nil
		}
		if r.Method == http.MethodHead {
			// A probe (the map asks which formats are served): the headers without
			// rendering the layer, which for a large layer takes seconds.
			setHeaders()
			w.WriteHeader(http.StatusOK)
			return nil
		}
		body, err := s.openForVersion(ctx, l, f.Name, func(w io.Writer) error {
			all, err := l.Query(ctx, layerstore.Query{Encoded: true})
			if err != nil {
				return err
			}
			return export.WriteFeatures(ctx, f.Name, w, l.Name(), resultFeatures(all))
		})
		if err != nil {
			return err
		}
		defer body.close()
		setHeaders()
		h.Set("Content-Length", strconv.FormatInt(body.Len(), 10))
		w.WriteHeader(http.StatusOK)
		body.send(w)
		return nil
	}
	q, err := parseQuery(l, params)
	if err != nil {
		return err
	}
	q.Limit = 0      // an export holds every match
	q.Encoded = true // decoded one at a time as they are written
	res, err := l.Query(ctx, q)
	if err != nil {
		return err
	}
	if notModified(w, r, etag("export", l.Hash(), f.Name, params.Encode()), hdrCacheAPI) {
		return nil
	}
	src := resultFeatures(res)
	if f.Name == export.GeoPackage {
		// SQLite needs a file: built in a temporary one (stopping if the client leaves),
		// then sent with its length.
		file, done, err := export.TempGeoPackage(ctx, l.Name(), src)
		if err != nil {
			return err
		}
		defer done()
		st, err := file.Stat()
		if err != nil {
			return err
		}
		setHeaders()
		h.Set("Content-Length", strconv.FormatInt(st.Size(), 10))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			io.Copy(w, file)
		}
		return nil
	}
	// The text formats are written as they are produced: memory stays bounded whatever
	// the number of matches, and the work stops when the client goes away.
	setHeaders()
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	if err := export.WriteFeatures(ctx, f.Name, w, l.Name(), src); err != nil {
		if ctx.Err() == nil {
			s.log.Error("export failed", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		// The status is sent: cut the connection so that the client sees a truncated
		// download, not a complete-looking one.
		panic(http.ErrAbortHandler)
	}
	return nil
}

// resultFeatures are the matches of a query as export.Features: each decoded from its
// encoding when an export asks for it, unless the store returned them decoded.
type resultFeatures store.Result

func (r resultFeatures) Len() int { return len(r.JSON) }

func (r resultFeatures) At(i int) (*geojson.Feature, error) {
	if r.Features != nil {
		return r.Features[i], nil
	}
	return geojson.UnmarshalFeature(r.JSON[i])
}
