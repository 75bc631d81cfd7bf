package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb"

	"newsmap/geo/cluster"
)

// Limits of GET /api/layers/{name}/clusters.
const (
	maxClusters     = 2000 // clusters returned; the smallest beyond are counted in left_out
	defaultCellPx   = 60   // grid cell, in screen pixels
	minCellPx       = 10
	maxCellPx       = 512
	clustersMaxZoom = cluster.MaxZoom
)

// routeClusters adds the server-side clusters that the map draws a large layer from.
// Its work grows with the matches (Heavy).
func (s *server) routeClusters(r *mux.Router, m Middleware) {
	r.Handle("/api/layers/{name}/clusters", m.Heavy(s.handle(s.clusters))).Methods(http.MethodGet, http.MethodHead, http.MethodOptions)
}

// clusters answers GET /api/layers/{name}/clusters?zoom=Z[&bbox=…][&datetime=…][&cell=PX]
// [&property=value…]: the layer's features that match (as /api/layers/{name}.geojson
// filters them) grouped on a grid of cell screen pixels at zoom Z, as a GeoJSON
// FeatureCollection of Points with count, bbox (of the members) and, for a feature
// alone, its id; largest first, at most maxClusters, with numberMatched and left_out.
func (s *server) clusters(w http.ResponseWriter, r *http.Request) error {
	l, err := s.store.Layer(r.Context(), mux.Vars(r)["name"])
	if err != nil {
		return err
	}
	params, err := Params(r)
	if err != nil {
		return err
	}
	canon := params.Encode()
	zoom, err := intParam(params, "zoom", -1, 0, clustersMaxZoom)
	if err != nil {
		return err
	}
	if zoom < 0 {
		return badRequest("zoom is required (0 to %d)", clustersMaxZoom)
	}
	cell, err := intParam(params, "cell", defaultCellPx, minCellPx, maxCellPx)
	if err != nil {
		return err
	}
	params.Del("zoom")
	params.Del("cell")
	q, err := parseQuery(l, params)
	if err != nil {
		return err
	}
	if q.Limit > 0 || q.Offset > 0 {
		return badRequest("clusters take no limit or offset")
	}
	if notModified(w, r, etag("clusters", l.Hash(), canon), hdrCacheAPI) {
		return nil
	}
	// The first view of the map is the same for every reader: keep the answer.
	key := "clusters\x00" + l.Name() + "\x00" + l.Hash() + "\x00" + canon
	if p, ok := s.pages.Get(key); ok {
		p.Serve(w, r, typeGeoJSON)
		return nil
	}
	q.GeometryOnly = true // where the matches are, not what they say
	res, err := l.Query(r.Context(), q)
	if err != nil {
		return err
	}
	matches, err := res.Decoded()
	if err != nil {
		return err
	}
	pts := make([]orb.Point, 0, len(matches))
	which := make([]int, 0, len(matches)) // pts[k] is matches[which[k]]
	for i, f := range matches {
		if f.Geometry == nil {
			continue
		}
		p, ok := f.Geometry.(orb.Point)
		if !ok {
			p = f.Geometry.Bound().Center()
		}
		pts = append(pts, p)
		which = append(which, i)
	}
	cs, left, err := cluster.Grid(pts, zoom, float64(cell), maxClusters)
	if err != nil {
		return badRequest("%v", err)
	}
	type props struct {
		Count int        `json:"count"`
		ID    string     `json:"id,omitempty"`
		BBox  [4]float64 `json:"bbox"`
	}
	type feature struct {
		Type     string `json:"type"`
		Geometry struct {
			Type        string    `json:"type"`
			Coordinates orb.Point `json:"coordinates"`
		} `json:"geometry"`
		Properties props `json:"properties"`
	}
	feats := make([]feature, len(cs))
	for i, c := range cs {
		f := &feats[i]
		f.Type = "Feature"
		f.Geometry.Type = "Point"
		f.Geometry.Coordinates = c.Point
		f.Properties = props{Count: c.Count, BBox: [4]float64{c.Bound.Min[0], c.Bound.Min[1], c.Bound.Max[0], c.Bound.Max[1]}}
		if c.Count == 1 {
			f.Properties.ID = fmt.Sprint(matches[which[c.First]].ID)
		}
	}
	body, err := MarshalJSON(map[string]any{
		"type": "FeatureCollection", "numberMatched": len(pts), "left_out": left, "zoom": zoom, "features": feats,
	})
	if err != nil {
		return err
	}
	p := NewPage(body)
	if s.pages.Cacheable(len(body)) {
		s.pages.Add(key, p)
	}
	p.Serve(w, r, typeGeoJSON)
	return nil
}

// intParam reads an integer parameter in [lo, hi]; def when it is absent.
func intParam(v map[string][]string, name string, def, lo, hi int) (int, error) {
	vals, ok := v[name]
	if !ok {
		return def, nil
	}
	if len(vals) != 1 {
		return 0, badRequest("parameter %q given %d times", name, len(vals))
	}
	n, err := strconv.Atoi(vals[0])
	if err != nil || n < lo || n > hi {
		return 0, badRequest("%s must be an integer from %d to %d", name, lo, hi)
	}
	return n, nil
}
