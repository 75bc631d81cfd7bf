package tiles

import (
	"encoding/json"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/simplify"

	"newsmap/geo/schema"
)

// BuildLayer makes the MVT layer name of tile t from any features in lon/lat (not only a
// layerstore layer's, as Render does), for tile sets that put several layers or grouped
// points into one tile (geo/tileset): projected to tile coordinates, clipped to the tile
// plus the buffer, simplified as Render simplifies, emptied features removed and polygon
// rings wound as MVT demands. It modifies the features' geometries in place: pass copies
// (orb.Clone) and MVT-ready properties (Flatten).
func (r *Renderer) BuildLayer(name string, t maptile.Tile, feats []*geojson.Feature) *mvt.Layer {
	layer := &mvt.Layer{Name: name, Version: 2, Extent: r.extent, Features: feats}
	layer.ProjectToTile(t)
	e := float64(r.extent)
	layer.Clip(orb.Bound{Min: orb.Point{-r.buffer, -r.buffer}, Max: orb.Point{e + r.buffer, e + r.buffer}})
	layer.Simplify(simplify.DouglasPeucker(tolerance(t.Z)))
	layer.RemoveEmpty(1, 1)
	for _, f := range layer.Features {
		f.Geometry = orient(f.Geometry)
	}
	return layer
}

// Flatten returns MVT-ready properties: scalars as they are, arrays and objects as JSON
// strings (as Render writes them), nulls left out (MVT has no null).
func Flatten(p geojson.Properties) geojson.Properties {
	out := make(geojson.Properties, len(p))
	for k, v := range p {
		switch x := v.(type) {
		case nil:
		case string, bool, float64, int:
			out[k] = x
		default:
			b, err := json.Marshal(x)
			if err != nil {
				out[k] = fmt.Sprint(x)
				continue
			}
			out[k] = string(b)
		}
	}
	return out
}

// TileBound is the box, in lon/lat, of tile t plus the renderer's buffer: the features
// whose bounding box meets it are those Render draws into the tile.
func (r *Renderer) TileBound(t maptile.Tile) orb.Bound {
	return t.Bound(r.buffer / float64(r.extent))
}

// RenderFeatures renders tile t of the layer name from the layer's features whose
// bounding box meets TileBound(t), in id order, each with its position in the layer
// plus one as ID and MVT-ready properties (Flatten): the same tile Render makes of the
// whole layer (TestRenderFeaturesMatchesRender), for a store that finds the features
// itself (geo/postgis). It modifies the features' geometries and properties in place.
// Nothing is cached.
func (r *Renderer) RenderFeatures(name string, t maptile.Tile, feats []*geojson.Feature) (Encoded, error) {
	layer := r.BuildLayer(name, t, feats)
	r.thin(layer)
	raw, err := mvt.Marshal(mvt.Layers{layer})
	if err != nil {
		return Encoded{}, err
	}
	gz, err := gzipBytes(raw)
	if err != nil {
		return Encoded{}, err
	}
	return Encoded{MVT: raw, Gzip: gz}, nil
}

// thin thins the points of a projected layer as Render does (thinGrid).
func (r *Renderer) thin(layer *mvt.Layer) {
	var xs, ys, ws []float64
	for _, f := range layer.Features {
		if p, ok := f.Geometry.(orb.Point); ok {
			xs, ys, ws = append(xs, p[0]), append(ys, p[1]), append(ws, schema.Prominence(f.Properties))
		}
	}
	counts := thinGrid(xs, ys, ws, r.maxPoints)
	if counts == nil {
		return
	}
	kept := layer.Features[:0]
	k := 0
	for _, f := range layer.Features {
		if _, ok := f.Geometry.(orb.Point); ok {
			n := counts[k]
			k++
			if n == 0 {
				continue
			}
			if n > 1 {
				f.Properties[PointCount] = uint64(n)
			}
		}
		kept = append(kept, f)
	}
	layer.Features = kept
}
