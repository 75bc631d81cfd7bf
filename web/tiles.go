package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"newsmap/geo/tiles"
)

func (s *server) routeTiles(r *mux.Router) {
	r.Handle("/tiles/{layer}/{z}/{x}/{y}.mvt", s.handle(s.tile)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/tiles/{layer}.json", s.handle(s.tileJSON)).Methods(http.MethodGet, http.MethodHead)
}

// tile answers GET /tiles/{layer}/{z}/{x}/{y}.mvt with a gzip-encoded vector tile (or the
// decoded tile for the rare client that does not accept gzip).
func (s *server) tile(w http.ResponseWriter, r *http.Request) error {
	v := mux.Vars(r)
	l, err := s.store.Layer(v["layer"])
	if err != nil {
		return err
	}
	t, err := tiles.ParseTile(v["z"], v["x"], v["y"])
	if err != nil {
		return err
	}
	if len(r.URL.Query()) > 0 {
		return badRequest("tiles take no parameters")
	}
	gz := acceptsGzip(r)
	tag := etag("tile", l.Name(), l.Hash(), v["z"], v["x"], v["y"])
	if gz {
		tag = gzipETag(tag)
	}
	if notModified(w, r, tag, cacheTiles) {
		return nil
	}
	data, err := s.tiles.Tile(l, t)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", typeMVT)
	h.Add("Vary", "Accept-Encoding")
	if gz {
		h.Set("Content-Encoding", "gzip")
	} else {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return err
		}
		if data, err = io.ReadAll(zr); err != nil {
			return err
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
	return nil
}

// tileJSON answers GET /tiles/{layer}.json with a TileJSON 3.0.0 document.
func (s *server) tileJSON(w http.ResponseWriter, r *http.Request) error {
	l, err := s.store.Layer(mux.Vars(r)["layer"])
	if err != nil {
		return err
	}
	if len(r.URL.Query()) > 0 {
		return badRequest("TileJSON takes no parameters")
	}
	base := s.baseURL(r)
	if notModified(w, r, etag("tilejson", l.Hash(), base), cacheAPI) {
		return nil
	}
	return writeJSON(w, r, http.StatusOK, typeJSON, tiles.NewTileJSON(l, base))
}
