package tiles

import (
	"net/url"
	"strings"

	"github.com/paulmach/orb"

	"newsmap/geo/layerstore"
)

// Attribution names the sources of the gazetteer and the country shapes.
const Attribution = "GeoNames (CC BY 4.0), Natural Earth"

// TileJSON is a TileJSON 3.0.0 document (https://github.com/mapbox/tilejson-spec).
type TileJSON struct {
	TileJSON     string        `json:"tilejson"`
	Name         string        `json:"name"`
	Description  string        `json:"description,omitempty"`
	Version      string        `json:"version"`
	Attribution  string        `json:"attribution"`
	Scheme       string        `json:"scheme"`
	Tiles        []string      `json:"tiles"`
	MinZoom      int           `json:"minzoom"`
	MaxZoom      int           `json:"maxzoom"`
	Bounds       []float64     `json:"bounds,omitempty"`
	Center       []float64     `json:"center,omitempty"`
	VectorLayers []VectorLayer `json:"vector_layers"`
}

// VectorLayer describes one MVT layer; Fields maps property names to "String",
// "Number" or "Boolean" as the spec suggests (arrays and objects arrive as JSON strings).
type VectorLayer struct {
	ID          string            `json:"id"`
	Description string            `json:"description,omitempty"`
	MinZoom     int               `json:"minzoom"`
	MaxZoom     int               `json:"maxzoom"`
	Fields      map[string]string `json:"fields"`
}

// Described is what a TileJSON document says of a layer: *layerstore.Layer, or any
// store's layer.
type Described interface {
	Name() string
	Title() string
	Bound() (orb.Bound, bool)
	Fields() []layerstore.Field
}

// NewTileJSON describes layer l, whose tiles are served at
// base + "/tiles/NAME/{z}/{x}/{y}.mvt"; base is a URL such as "http://127.0.0.1:8080"
// (a trailing slash is ignored).
func NewTileJSON(l Described, base string) TileJSON {
	base = strings.TrimRight(base, "/")
	tj := TileJSON{
		TileJSON:    "3.0.0",
		Name:        l.Name(),
		Description: l.Title(),
		Version:     "1.0.0",
		Attribution: Attribution,
		Scheme:      "xyz",
		Tiles:       []string{base + "/tiles/" + url.PathEscape(l.Name()) + "/{z}/{x}/{y}.mvt"},
		MinZoom:     MinZoom,
		MaxZoom:     TileJSONMaxZoom,
	}
	if b, ok := l.Bound(); ok {
		clamp := func(v, lo, hi float64) float64 { return max(lo, min(hi, v)) }
		w, s := clamp(b.Min[0], -180, 180), clamp(b.Min[1], -85.051129, 85.051129)
		e, n := clamp(b.Max[0], -180, 180), clamp(b.Max[1], -85.051129, 85.051129)
		tj.Bounds = []float64{w, s, e, n}
		tj.Center = []float64{(w + e) / 2, (s + n) / 2, 4}
	}
	vl := VectorLayer{ID: l.Name(), Description: l.Title(), MinZoom: MinZoom, MaxZoom: TileJSONMaxZoom, Fields: map[string]string{}}
	for _, f := range l.Fields() {
		switch f.Type {
		case "integer", "number":
			vl.Fields[f.Name] = "Number"
		case "boolean":
			vl.Fields[f.Name] = "Boolean"
		default:
			vl.Fields[f.Name] = "String"
		}
	}
	tj.VectorLayers = []VectorLayer{vl}
	return tj
}
