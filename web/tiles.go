package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"newsmap/geo/tiles"
)

func (s *server) routeTiles(r *mux.Router) {
	// NewServer answers GET and HEAD of these paths before the router (see tileFastPath);
	// the route stays for the other methods (405) and for Options.Extra routers.
	r.Handle("/tiles/{layer}/{z}/{x}/{y}.mvt", s.handle(func(w http.ResponseWriter, r *http.Request) error {
		v := mux.Vars(r)
		return s.tile(w, r, v["layer"], v["z"], v["x"], v["y"])
	})).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/tiles/{layer}.json", s.handle(s.tileJSON)).Methods(http.MethodGet, http.MethodHead)
}

// splitTilePath splits "/tiles/{layer}/{z}/{x}/{y}.mvt" as the router's route matches it:
// four non-empty segments without "/" (and none that the router would clean away).
func splitTilePath(p string) (layer, z, x, y string, ok bool) {
	rest, ok := strings.CutPrefix(p, "/tiles/")
	if !ok {
		return
	}
	if rest, ok = strings.CutSuffix(rest, ".mvt"); !ok {
		return
	}
	var seg [4]string
	for i := range 3 {
		j := strings.IndexByte(rest, '/')
		if j < 0 {
			return "", "", "", "", false
		}
		seg[i], rest = rest[:j], rest[j+1:]
	}
	seg[3] = rest
	for _, v := range seg {
		if v == "" || v == "." || v == ".." || strings.IndexByte(v, '/') >= 0 {
			return "", "", "", "", false
		}
	}
	return seg[0], seg[1], seg[2], seg[3], true
}

// isTilePath reports whether p names a vector tile.
func isTilePath(p string) bool {
	_, _, _, _, ok := splitTilePath(p)
	return ok
}

// tileFastPath answers GET and HEAD of tile paths itself and passes everything else to
// next (the router): the tile is the most frequent request of the map, and a plain path
// split costs a fraction of the router's regular expressions.
func (s *server) tileFastPath(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			if layer, z, x, y, ok := splitTilePath(r.URL.Path); ok {
				if err := s.tile(w, r, layer, z, x, y); err != nil {
					s.writeError(w, r, err)
				}
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// tile answers GET /tiles/{layer}/{z}/{x}/{y}.mvt with the vector tile, gzip-encoded
// for a client that accepts gzip and as is for any other: both encodings come from one
// rendering kept in the renderer's cache, so neither costs more than a lookup and a write.
func (s *server) tile(w http.ResponseWriter, r *http.Request, layer, z, x, y string) error {
	l, err := s.store.Layer(layer)
	if err != nil {
		return err
	}
	t, err := tiles.ParseTile(z, x, y)
	if err != nil {
		return err
	}
	if r.URL.RawQuery != "" && len(r.URL.Query()) > 0 {
		return badRequest("tiles take no parameters")
	}
	// The tag names the layer version and the tile (the layer is in the URL); the gzip
	// variant's ends in -gz. A client holding either variant gets 304 (the tile is the
	// same), with the tag of the variant it holds.
	buf := make([]byte, 0, 96)
	buf = append(buf, `"t`...)
	buf = append(buf, l.Hash()...)
	for _, n := range [3]uint32{uint32(t.Z), t.X, t.Y} {
		buf = append(buf, '-')
		buf = strconv.AppendUint(buf, uint64(n), 10)
	}
	buf = append(buf, '"')
	tag := string(buf)
	if notModified(w, r, tag, hdrCacheTiles) {
		return nil
	}
	gz := AcceptsGzip(r)
	enc, err := s.tiles.Render(r.Context(), l, t)
	if err != nil {
		return err
	}
	h := w.Header()
	h["Content-Type"] = hdrTypeMVT
	if len(h["Vary"]) == 0 {
		h["Vary"] = hdrVaryEncoding
	} else {
		h.Add("Vary", "Accept-Encoding")
	}
	data := enc.MVT
	if gz {
		h["Content-Encoding"] = hdrGzip
		h["Etag"] = []string{tag[:len(tag)-1] + `-gz"`}
		data = enc.Gzip
	}
	h["Content-Length"] = []string{strconv.Itoa(len(data))}
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
	if notModified(w, r, etag("tilejson", l.Hash(), base), hdrCacheAPI) {
		return nil
	}
	return WriteJSON(w, r, typeJSON, tiles.NewTileJSON(l, base))
}
