// Package tiles renders newsmap layers as Mapbox Vector Tiles (one MVT layer per newsmap
// layer) and describes them with TileJSON 3.0.
//
// Once per layer version the renderer prepares what every tile needs (prepare.go): point
// coordinates projected to Web Mercator world units, and the layer's property keys and
// values interned and encoded as MVT messages. A tile is then the features from the
// layer's spatial index, their points scaled to the tile by a multiplication, lines and
// polygons projected, clipped to the tile plus a buffer and simplified (in tile units, so
// the ground tolerance shrinks as the zoom grows), written straight to the MVT wire format
// (encode.go). Each rendered tile is kept in both encodings, identity and gzip, in a
// bounded LRU keyed by the layer's content hash (a reloaded layer never serves stale
// tiles), and concurrent requests for a tile being rendered wait for that one rendering.
package tiles

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/gzip"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"newsmap/geo/cache"
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

// GzipLevel is the compression level of the tiles' gzip encoding
// (github.com/klauspost/compress/gzip): level 1 compresses an MVT of points about as well
// as the standard library's level 1 in a fraction of the time (docs/BENCHMARKS.md).
const GzipLevel = 2

// Options configure a Renderer. Zero values pick the defaults.
type Options struct {
	// Extent is the tile's coordinate extent (default 4096).
	Extent uint32
	// Buffer is how far beyond the tile edge, in tile units, features are kept so that
	// symbols and lines do not break at tile edges (default 64).
	Buffer float64
	// CacheEntries and CacheBytes bound the tile cache (defaults 4096 tiles, 64 MiB; a
	// tile costs its identity and its gzip bytes); a negative CacheEntries turns the
	// cache off (every request renders).
	CacheEntries int
	CacheBytes   int64
	// PreparedBytes bounds the memory of the per-layer-version tables (default 256 MiB;
	// about 150 bytes per point feature).
	PreparedBytes int64
	// MaxPoints bounds the point features of a tile (default DefaultMaxPoints; negative:
	// no bound). A tile with more draws one point a cell of the finest grid that keeps
	// it within the bound, its most prominent (schema.Prominence), with PointCount set
	// to how many it stands for when more than one: a low-zoom tile of a large layer
	// stays small and quick, and its density shows.
	MaxPoints int
}

// Encoded is a rendered tile in both encodings. The slices are shared and must not be
// modified.
type Encoded struct {
	MVT  []byte // the Mapbox Vector Tile
	Gzip []byte // its gzip encoding
}

// Stats counts the renderer's work, for tests and metrics.
type Stats struct {
	Renders  int64       // tiles encoded (cache misses, or every request without a cache)
	Prepares int64       // layer versions prepared
	Cache    cache.Stats // the tile cache (zero without one)
}

// Renderer encodes tiles. It is safe for concurrent use.
type Renderer struct {
	extent    uint32
	buffer    float64
	maxPoints int
	cache     *cache.Cache[tileKey, Encoded]
	// maxTileBytes is the largest tile (both encodings) the cache keeps.
	maxTileBytes int64
	prepared     *cache.Cache[layerKey, *prepared]
	renders      atomic.Int64
	prepares     atomic.Int64
}

type layerKey struct{ name, hash string }

type tileKey struct {
	layer layerKey
	tile  maptile.Tile
}

// New returns a Renderer.
func New(opts Options) *Renderer {
	r := &Renderer{extent: opts.Extent, buffer: opts.Buffer, maxPoints: opts.MaxPoints}
	if r.maxPoints == 0 {
		r.maxPoints = DefaultMaxPoints
	}
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
		r.maxTileBytes = size / 8
		r.cache = cache.New[tileKey](cache.Options{MaxEntries: entries, MaxBytes: size, MaxEntryBytes: r.maxTileBytes},
			func(e Encoded) int64 { return int64(len(e.MVT) + len(e.Gzip) + 128) })
	}
	prep := opts.PreparedBytes
	if prep <= 0 {
		prep = 256 << 20
	}
	r.prepared = cache.New[layerKey](cache.Options{MaxBytes: prep}, func(p *prepared) int64 { return p.bytes })
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
	e, err := r.Render(context.Background(), l, t)
	return e.Gzip, err
}

// Render returns the MVT of layer l at tile t in both encodings, from the cache or
// rendered once however many callers ask for it at the same time (a caller whose ctx
// ends stops waiting; the rendering goes on for the others and the cache).
func (r *Renderer) Render(ctx context.Context, l *layerstore.Layer, t maptile.Tile) (Encoded, error) {
	if !t.Valid() || t.Z > MaxZoom {
		return Encoded{}, fmt.Errorf("%w: %d/%d/%d", ErrBadTile, t.Z, t.X, t.Y)
	}
	lk := layerKey{l.Name(), l.Hash()}
	if r.cache == nil {
		return r.render(ctx, lk, l, t)
	}
	return r.cache.Do(ctx, tileKey{lk, t}, func() (Encoded, error) { return r.render(ctx, lk, l, t) })
}

func (r *Renderer) render(ctx context.Context, lk layerKey, l *layerstore.Layer, t maptile.Tile) (Encoded, error) {
	p, err := r.prepare(ctx, lk, l)
	if err != nil {
		return Encoded{}, err
	}
	raw := r.encode(p, l, t)
	r.renders.Add(1)
	gz, err := gzipBytes(raw)
	if err != nil {
		return Encoded{}, err
	}
	return Encoded{MVT: raw, Gzip: gz}, nil
}

// prepare returns the tables of the layer version, made once. Making a new version's
// drops the older versions' tables and tiles.
func (r *Renderer) prepare(ctx context.Context, lk layerKey, l *layerstore.Layer) (*prepared, error) {
	return r.prepared.Do(ctx, lk, func() (*prepared, error) {
		p, err := prepare(l)
		if err != nil {
			return nil, err
		}
		r.prepares.Add(1)
		stale := func(k layerKey) bool { return k.name == lk.name && k.hash != lk.hash }
		r.prepared.RemoveFunc(func(k layerKey, _ *prepared) bool { return stale(k) })
		if r.cache != nil {
			r.cache.RemoveFunc(func(k tileKey, _ Encoded) bool { return stale(k.layer) })
		}
		return p, nil
	})
}

// Stats returns the renderer's counters.
func (r *Renderer) Stats() Stats {
	s := Stats{Renders: r.renders.Load(), Prepares: r.prepares.Load()}
	if r.cache != nil {
		s.Cache = r.cache.Stats()
	}
	return s
}

// gzipWriters holds reusable gzip writers at GzipLevel (a writer's state is hundreds of
// kilobytes; allocating one per tile would cost more than compressing a small tile).
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, GzipLevel) // a valid constant level: no error
	return zw
}}

func gzipBytes(raw []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(raw)/3 + 64)
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&buf)
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
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
