package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"newsmap/geo/tiles"
)

// routeTileJSON adds the TileJSON documents; the tiles themselves have their own
// handler before the router (see tilePaths).
func (s *server) routeTileJSON(r *mux.Router, m Middleware) {
	r.Handle("/tiles/{layer}.json", m.Data(s.handle(s.tileJSON))).Methods(http.MethodGet, http.MethodHead, http.MethodOptions)
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

// tilePaths is the one handler of the tile path /tiles/{layer}/{z}/{x}/{y}.mvt, answered
// before the router on purpose: the tile is the most frequent request of the map, and a
// plain path split costs a fraction of the router's regular expressions. Its middleware
// is its own, inline: CORS, the shared concurrency bound around computing the tile (not
// around sending it), and no gzip wrapper (each tile is cached in both encodings). Every other
// path goes to next.
func (s *server) tilePaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		layer, z, x, y, ok := splitTilePath(r.URL.Path)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if corsPreflight(w, r) {
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			s.writeError(w, r, ErrMethod)
			return
		}
		if err := s.tile(w, r, layer, z, x, y); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// tile answers GET /tiles/{layer}/{z}/{x}/{y}.mvt with the vector tile, gzip-encoded
// for a client that accepts gzip and as is for any other: both encodings come from one
// rendering kept in the renderer's cache, so neither costs more than a lookup and a write.
func (s *server) tile(w http.ResponseWriter, r *http.Request, layer, z, x, y string) error {
	l, err := s.store.Layer(r.Context(), layer)
	if err != nil {
		return err
	}
	t, err := tiles.ParseTile(z, x, y)
	if err != nil {
		return err
	}
	if r.URL.RawQuery != "" {
		if err := noParams(r, "tiles"); err != nil {
			return err
		}
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
	if !s.all.acquire(w, r) {
		return nil // answered 503, or the client left
	}
	gz := AcceptsGzip(r)
	enc, err := l.Tile(r.Context(), t)
	s.all.release()
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
	l, err := s.store.Layer(r.Context(), mux.Vars(r)["layer"])
	if err != nil {
		return err
	}
	if err := noParams(r, "TileJSON"); err != nil {
		return err
	}
	base := s.baseURL(r)
	if notModified(w, r, etag("tilejson", l.Hash(), base), hdrCacheAPI) {
		return nil
	}
	return WriteJSON(w, r, typeJSON, tiles.NewTileJSON(l, base))
}
