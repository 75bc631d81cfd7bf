// Package tiles renders newsmap layers as Mapbox Vector Tiles (gzipped, one MVT layer per
// newsmap layer) and describes them with TileJSON 3.0.
//
// Features come from the layer's spatial index, are projected to tile coordinates, clipped
// to the tile plus a buffer, simplified (in tile units, so the ground tolerance shrinks as
// the zoom grows) and encoded with orb/encoding/mvt. Encoded tiles are kept in a bounded
// LRU keyed by the layer's content hash, so a reloaded layer never serves stale tiles.
package tiles

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/simplify"

	"newsmap/geo/layerstore"
)

// ErrBadTile is returned for tile coordinates outside the tile pyramid.
var ErrBadTile = errors.New("tiles: bad tile coordinates")

// MaxZoom is the deepest zoom level served; MinZoom and TileJSONMaxZoom are what the
// TileJSON advertises (clients overzoom beyond it).
const (
	MaxZoom         = 22
	MinZoom         = 0
	TileJSONMaxZoom = 14
)

// Options configure a Renderer. Zero values pick the defaults.
type Options struct {
	// Extent is the tile's coordinate extent (default 4096).
	Extent uint32
	// Buffer is how far beyond the tile edge, in tile units, features are kept so that
	// symbols and lines do not break at tile edges (default 64).
	Buffer float64
	// CacheEntries and CacheBytes bound the tile cache (defaults 4096 tiles, 64 MiB);
	// a negative CacheEntries turns the cache off.
	CacheEntries int
	CacheBytes   int64
}

// Renderer encodes tiles. It is safe for concurrent use.
type Renderer struct {
	extent uint32
	buffer float64
	cache  *lru
}

// New returns a Renderer.
func New(opts Options) *Renderer {
	r := &Renderer{extent: opts.Extent, buffer: opts.Buffer}
	if r.extent == 0 {
		r.extent = mvt.DefaultExtent
	}
	if r.buffer <= 0 {
		r.buffer = 64
	}
	entries, size := opts.CacheEntries, opts.CacheBytes
	if entries == 0 {
		entries = 4096
	}
	if size <= 0 {
		size = 64 << 20
	}
	if entries > 0 {
		r.cache = newLRU(entries, size)
	}
	return r
}

// ParseTile parses decimal z, x and y and checks 0 <= z <= MaxZoom and
// 0 <= x, y < 2^z. Errors wrap ErrBadTile.
func ParseTile(z, x, y string) (maptile.Tile, error) {
	zi, err1 := strconv.ParseUint(z, 10, 8)
	xi, err2 := strconv.ParseUint(x, 10, 32)
	yi, err3 := strconv.ParseUint(y, 10, 32)
	if err1 != nil || err2 != nil || err3 != nil {
		return maptile.Tile{}, fmt.Errorf("%w: %s/%s/%s is not three non-negative integers z/x/y", ErrBadTile, z, x, y)
	}
	return NewTile(int(zi), int(xi), int(yi))
}

// NewTile checks the coordinates and returns the tile. Errors wrap ErrBadTile.
func NewTile(z, x, y int) (maptile.Tile, error) {
	if z < 0 || z > MaxZoom {
		return maptile.Tile{}, fmt.Errorf("%w: zoom %d outside 0..%d", ErrBadTile, z, MaxZoom)
	}
	n := 1 << z
	if x < 0 || x >= n || y < 0 || y >= n {
		return maptile.Tile{}, fmt.Errorf("%w: x and y must lie in 0..%d at zoom %d, got %d/%d", ErrBadTile, n-1, z, x, y)
	}
	return maptile.New(uint32(x), uint32(y), maptile.Zoom(z)), nil
}

// Tile returns the gzipped MVT of layer l at tile t. The MVT layer is named after l.
// The returned slice is shared with the cache and must not be modified.
func (r *Renderer) Tile(l *layerstore.Layer, t maptile.Tile) ([]byte, error) {
	if !t.Valid() || t.Z > MaxZoom {
		return nil, fmt.Errorf("%w: %d/%d/%d", ErrBadTile, t.Z, t.X, t.Y)
	}
	key := cacheKey{layer: l.Name(), hash: l.Hash(), tile: t}
	if r.cache != nil {
		if b, ok := r.cache.get(key); ok {
			return b, nil
		}
	}
	raw, err := r.encode(l, t)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	if r.cache != nil {
		r.cache.add(key, b)
	}
	return b, nil
}

// encode builds the uncompressed MVT.
func (r *Renderer) encode(l *layerstore.Layer, t maptile.Tile) ([]byte, error) {
	// The buffer in tile fractions, for the index lookup in lon/lat.
	frac := r.buffer / float64(r.extent)
	all := l.Features()
	idx := l.Intersecting(t.Bound(frac))
	feats := make([]*geojson.Feature, 0, len(idx))
	for _, i := range idx {
		f := all[i]
		if f.Geometry == nil {
			continue
		}
		id := uint64(i + 1) // stable within a layer version; 0 means "no id" to some clients
		feats = append(feats, &geojson.Feature{
			ID:         id,
			Type:       "Feature",
			Geometry:   orb.Clone(f.Geometry), // ProjectToTile works in place
			Properties: flatten(f.Properties),
		})
	}
	layer := &mvt.Layer{Name: l.Name(), Version: 2, Extent: r.extent, Features: feats}
	layer.ProjectToTile(t)
	e := float64(r.extent)
	layer.Clip(orb.Bound{Min: orb.Point{-r.buffer, -r.buffer}, Max: orb.Point{e + r.buffer, e + r.buffer}})
	layer.Simplify(simplify.DouglasPeucker(tolerance(t.Z)))
	layer.RemoveEmpty(1, 1)
	for _, f := range layer.Features {
		f.Geometry = orient(f.Geometry)
	}
	return mvt.Marshal(mvt.Layers{layer})
}

// orient winds polygon rings as the MVT specification demands: in tile coordinates (y
// down) exterior rings have a positive surveyor's-formula area, holes a negative one.
// orb calls a positive area CCW. GeoJSON's counter-clockwise exteriors come out of the
// y-flip wound the wrong way, so most rings are reversed here.
func orient(g orb.Geometry) orb.Geometry {
	fix := func(p orb.Polygon) {
		for i, r := range p {
			want := orb.CW
			if i == 0 {
				want = orb.CCW
			}
			if o := r.Orientation(); o != 0 && o != want {
				r.Reverse()
			}
		}
	}
	switch v := g.(type) {
	case orb.Polygon:
		fix(v)
	case orb.MultiPolygon:
		for _, p := range v {
			fix(p)
		}
	}
	return g
}

// tolerance is the Douglas-Peucker threshold in tile units: coarser at low zoom, where
// regions and routes are drawn small and detail is wasted.
func tolerance(z maptile.Zoom) float64 {
	switch {
	case z <= 4:
		return 4
	case z <= 8:
		return 2
	case z < TileJSONMaxZoom:
		return 1
	}
	return 0.5
}

// flatten returns MVT-ready properties: scalars as they are, arrays and objects as JSON
// strings, nulls left out (MVT has no null).
func flatten(p geojson.Properties) geojson.Properties {
	out := make(geojson.Properties, len(p))
	for k, v := range p {
		switch x := v.(type) {
		case nil:
		case string, bool, float64:
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
