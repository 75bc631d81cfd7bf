// Package tileset renders the whole vector tile pyramid of a set of layers, for static
// publishing: every tile that holds a feature, from zoom 0 to the deepest zoom, each tile
// one gzipped Mapbox Vector Tile with one MVT layer per newsmap layer.
//
// Point layers are thinned below their deepest zoom: the points of one tile that fall in
// the same grid cell and have the same dates become one feature (the one with the most
// mentions, else the most confident), which carries the group's size in point_count.
// Keeping the dates apart keeps the time slider exact at every zoom. When a tile is still
// larger than the budget the cells grow until it fits (at the deepest zoom too, where a
// city mentioned a hundred thousand times stacks that many points on one spot). Areas
// stop at a shallower zoom (AreaMaxZoom) where their source precision ends; clients
// overzoom them.
package tileset

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/maptile/tilecover"

	"newsmap/geo/layerstore"
	"newsmap/geo/tiles"
)

// ErrTooBig is returned when a tile cannot be brought under the size budget.
var ErrTooBig = errors.New("tileset: tile exceeds the size budget")

// Options configure Build. Zero values pick the defaults.
type Options struct {
	// MaxZoom is the deepest zoom (default 14).
	MaxZoom int
	// AreaMaxZoom is the deepest zoom of layers with polygons (default 8, at most MaxZoom).
	AreaMaxZoom int
	// MaxTileBytes bounds each tile's uncompressed MVT (default 500 000).
	MaxTileBytes int
	// Cell is the thinning grid's cell size in tile units (of 4096) below a point
	// layer's deepest zoom (default 64: 8 pixels of a 512-pixel tile).
	Cell float64
	// Progress, when set, is called after each zoom level with the tiles written so far.
	Progress func(z, tiles int)
}

func (o Options) withDefaults() Options {
	if o.MaxZoom <= 0 {
		o.MaxZoom = 14
	}
	if o.AreaMaxZoom <= 0 {
		o.AreaMaxZoom = 8
	}
	o.AreaMaxZoom = min(o.AreaMaxZoom, o.MaxZoom)
	if o.MaxTileBytes <= 0 {
		o.MaxTileBytes = 500_000
	}
	if o.Cell <= 0 {
		o.Cell = 64
	}
	return o
}

// LayerInfo describes one layer of the pyramid, as TileJSON's vector_layers do.
type LayerInfo struct {
	ID          string            `json:"id"`
	Description string            `json:"description,omitempty"`
	MinZoom     int               `json:"minzoom"`
	MaxZoom     int               `json:"maxzoom"`
	Fields      map[string]string `json:"fields"`
}

// Stats describe a built pyramid.
type Stats struct {
	Tiles        int // tiles emitted
	Thinned      int // tiles in which points were grouped
	MaxTileBytes int // largest uncompressed tile
}

// extent and buffer of the tiles, in tile units.
const (
	extent = 4096
	buffer = 64
)

// Emit receives each tile (gzipped MVT), zoom by zoom and in increasing PMTiles tile id
// within a zoom (the order the pmtiles Writer wants).
type Emit func(z uint8, x, y uint32, data []byte) error

// order returns the sort key of a tile within its zoom; the caller passes the archive's
// tile id function so that tiles come out in its order.
type order func(z uint8, x, y uint32) (uint64, error)

// chunk is how many tiles are rendered in parallel before they are emitted in order;
// it bounds the memory held by rendered tiles.
const chunk = 256

type rendered struct {
	data    []byte
	rawLen  int
	thinned bool
	err     error
}

// layerPlan is one layer's zoom range.
type layerPlan struct {
	l       *layerstore.Layer
	maxZoom int
	points  bool // every geometry is a Point: thinned below maxZoom
}

// Layers returns the vector_layers description of the pyramid Build makes of layers.
func Layers(layers []*layerstore.Layer, opts Options) []LayerInfo {
	opts = opts.withDefaults()
	out := make([]LayerInfo, 0, len(layers))
	for _, p := range plan(layers, opts) {
		fields := map[string]string{}
		for _, f := range p.l.Fields() {
			switch f.Type {
			case "integer", "number":
				fields[f.Name] = "Number"
			case "boolean":
				fields[f.Name] = "Boolean"
			default: // strings, and arrays and objects as JSON text
				fields[f.Name] = "String"
			}
		}
		if p.points {
			fields["point_count"] = "Number"
		}
		out = append(out, LayerInfo{ID: p.l.Name(), Description: p.l.Title(), MaxZoom: p.maxZoom, Fields: fields})
	}
	return out
}

func plan(layers []*layerstore.Layer, opts Options) []layerPlan {
	out := make([]layerPlan, 0, len(layers))
	for _, l := range layers {
		p := layerPlan{l: l, maxZoom: opts.MaxZoom, points: true}
		for _, f := range l.Features() {
			switch f.Geometry.(type) {
			case nil, orb.Point:
			case orb.Polygon, orb.MultiPolygon, orb.Collection:
				p.maxZoom = opts.AreaMaxZoom
				p.points = false
			default:
				p.points = false
			}
		}
		out = append(out, p)
	}
	return out
}

// Build renders every non-empty tile of layers from zoom 0 to opts.MaxZoom and passes it
// to emit in the order given by id (pmtiles.TileID). It stops when ctx is done.
func Build(ctx context.Context, layers []*layerstore.Layer, opts Options, id order, emit Emit) (Stats, error) {
	opts = opts.withDefaults()
	plans := plan(layers, opts)
	r := tiles.New(tiles.Options{Extent: extent, Buffer: buffer, CacheEntries: -1})
	workers := runtime.GOMAXPROCS(0) // tiles rendered at once
	zips := &sync.Pool{New: func() any { zw, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression); return zw }}
	var st Stats
	for z := 0; z <= opts.MaxZoom; z++ {
		cover, err := coverAt(ctx, plans, z)
		if err != nil {
			return st, err
		}
		type keyed struct {
			id uint64
			t  maptile.Tile
		}
		ts := make([]keyed, 0, len(cover))
		for t := range cover {
			k, err := id(uint8(t.Z), t.X, t.Y)
			if err != nil {
				return st, err
			}
			ts = append(ts, keyed{k, t})
		}
		slices.SortFunc(ts, func(a, b keyed) int { return cmp.Compare(a.id, b.id) })
		// Render a chunk of tiles on every core, then emit it in order.
		for lo := 0; lo < len(ts); lo += chunk {
			if err := ctx.Err(); err != nil {
				return st, err
			}
			part := ts[lo:min(lo+chunk, len(ts))]
			out := make([]rendered, len(part))
			var wg sync.WaitGroup
			sem := make(chan struct{}, workers)
			for i, kt := range part {
				wg.Add(1)
				sem <- struct{}{}
				go func() {
					defer func() { <-sem; wg.Done() }()
					raw, thinned, err := renderTile(r, plans, kt.t, opts)
					if err == nil && raw != nil {
						out[i] = rendered{rawLen: len(raw), thinned: thinned}
						out[i].data, err = gzipTile(zips, raw)
					}
					out[i].err = err
				}()
			}
			wg.Wait()
			for _, o := range out {
				if o.err != nil {
					return st, o.err
				}
			}
			for i, o := range out {
				if o.data == nil {
					continue
				}
				st.MaxTileBytes = max(st.MaxTileBytes, o.rawLen)
				if o.thinned {
					st.Thinned++
				}
				if err := emit(uint8(part[i].t.Z), part[i].t.X, part[i].t.Y, o.data); err != nil {
					return st, err
				}
				st.Tiles++
			}
		}
		if opts.Progress != nil {
			opts.Progress(z, st.Tiles)
		}
	}
	return st, nil
}

// coverAt returns the tiles at zoom z that hold a feature of a layer shown at z.
func coverAt(ctx context.Context, plans []layerPlan, z int) (maptile.Set, error) {
	set := maptile.Set{}
	zoom := maptile.Zoom(z)
	n := float64(uint32(1) << z)
	frac := float64(buffer) / extent
	for _, p := range plans {
		if z > p.maxZoom {
			continue
		}
		for i, f := range p.l.Features() {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			switch g := f.Geometry.(type) {
			case nil:
			case orb.Point:
				// The tile of the point and the neighbours whose buffer reaches it.
				x, y := worldXY(g, n)
				for tx := math.Floor(x - frac); tx <= math.Floor(x+frac); tx++ {
					for ty := math.Floor(y - frac); ty <= math.Floor(y+frac); ty++ {
						if tx >= 0 && ty >= 0 && tx < n && ty < n {
							set[maptile.New(uint32(tx), uint32(ty), zoom)] = true
						}
					}
				}
			default:
				c, err := tilecover.Geometry(g, zoom)
				if err != nil { // an invalid ring: fall back to its bounding box
					c = tilecover.Bound(g.Bound(), zoom)
				}
				for t := range c {
					if t.Valid() { // covers of shapes touching 180° or the poles overshoot
						set[t] = true
					}
				}
			}
		}
	}
	return set, nil
}

// worldXY returns p's position in tile units of zoom level with n tiles a side (web
// mercator, latitudes clamped to the square world).
func worldXY(p orb.Point, n float64) (x, y float64) {
	lat := math.Max(-85.0511287798, math.Min(85.0511287798, p.Lat()))
	s := math.Sin(lat * math.Pi / 180)
	x = (p.Lon() + 180) / 360 * n
	y = (0.5 - math.Log((1+s)/(1-s))/(4*math.Pi)) * n
	return min(math.Max(x, 0), n-1e-9), min(math.Max(y, 0), n-1e-9)
}

// renderTile encodes tile t, thinning its points until the tile fits the budget; it
// returns nil for a tile that ends up empty. thinned reports whether points were grouped.
func renderTile(r *tiles.Renderer, plans []layerPlan, t maptile.Tile, opts Options) (raw []byte, thinned bool, err error) {
	b := t.Bound(float64(buffer) / extent)
	hits := make([][]int, len(plans))
	for i, p := range plans {
		if int(t.Z) <= p.maxZoom {
			hits[i] = p.l.Intersecting(b)
		}
	}
	cell := 0.0 // no grouping
	byDate := true
	for {
		var layers mvt.Layers
		thinned = false
		for i, p := range plans {
			if len(hits[i]) == 0 {
				continue
			}
			c := 0.0
			if p.points {
				c = cell
				if int(t.Z) < p.maxZoom {
					c = max(c, opts.Cell)
				}
			}
			feats, grouped := features(p.l, hits[i], t, c, byDate)
			thinned = thinned || grouped
			if l := r.BuildLayer(p.l.Name(), t, feats); len(l.Features) > 0 {
				layers = append(layers, l)
			}
		}
		if len(layers) == 0 {
			return nil, false, nil
		}
		raw, err = mvt.Marshal(layers)
		if err != nil {
			return nil, false, fmt.Errorf("tileset: tile %d/%d/%d: %w", t.Z, t.X, t.Y, err)
		}
		if len(raw) <= opts.MaxTileBytes {
			return raw, thinned, nil
		}
		switch {
		case cell == 0:
			cell = 1 // points on the same spot first
		case cell < 2*extent:
			cell *= 4
		case byDate:
			byDate = false // one point per cell whatever its dates
			cell = 1
		default:
			return nil, false, fmt.Errorf("%w: %d/%d/%d is %d bytes after thinning, budget %d",
				ErrTooBig, t.Z, t.X, t.Y, len(raw), opts.MaxTileBytes)
		}
	}
}

// features returns MVT-ready copies of the layer's features idx. With cell > 0 the
// points of one cell (and, with byDate, the same dates) become one feature.
func features(l *layerstore.Layer, idx []int, t maptile.Tile, cell float64, byDate bool) ([]*geojson.Feature, bool) {
	all := l.Features()
	bound := t.Bound(float64(buffer) / extent)
	prepare := func(i int, count int) *geojson.Feature {
		f := all[i]
		g := orb.Clone(f.Geometry)
		if _, ok := g.(orb.Point); !ok {
			// Cut lines and areas to the tile in lon/lat first, so that a country's
			// thousands of vertices are projected only where the tile needs them.
			if g = clip.Geometry(bound, g); g == nil {
				return nil
			}
		}
		props := tiles.Flatten(f.Properties)
		if count > 1 {
			props["point_count"] = count
		}
		return &geojson.Feature{ID: uint64(i + 1), Type: "Feature", Geometry: g, Properties: props}
	}
	if cell <= 0 {
		out := make([]*geojson.Feature, 0, len(idx))
		for _, i := range idx {
			if all[i].Geometry != nil {
				if f := prepare(i, 1); f != nil {
					out = append(out, f)
				}
			}
		}
		return out, false
	}
	type key struct {
		cx, cy int
		dates  string
	}
	type group struct {
		best, count int
	}
	n := float64(uint32(1) << t.Z)
	groups := map[key]*group{}
	var order []key
	for _, i := range idx {
		p, ok := all[i].Geometry.(orb.Point)
		if !ok {
			continue
		}
		x, y := worldXY(p, n)
		k := key{
			cx: int(math.Floor((x - float64(t.X)) * extent / cell)),
			cy: int(math.Floor((y - float64(t.Y)) * extent / cell)),
		}
		if byDate {
			k.dates = datesKey(all[i].Properties)
		}
		g := groups[k]
		if g == nil {
			groups[k] = &group{best: i, count: 1}
			order = append(order, k)
			continue
		}
		g.count++
		if weight(all[i].Properties) > weight(all[g.best].Properties) {
			g.best = i
		}
	}
	out := make([]*geojson.Feature, 0, len(order))
	grouped := false
	for _, k := range order {
		g := groups[k]
		grouped = grouped || g.count > 1
		out = append(out, prepare(g.best, g.count))
	}
	return out, grouped
}

// datesKey is what a feature's time filter reads: date, date_end and dates.
func datesKey(p geojson.Properties) string {
	return fmt.Sprint(p["date"], "\x00", p["date_end"], "\x00", p["dates"])
}

// weight ranks the points of a group: mentions of places, then confidence.
func weight(p geojson.Properties) float64 {
	if v, ok := p["mention_count"].(float64); ok {
		return 1 + v
	}
	if v, ok := p["confidence"].(float64); ok {
		return v
	}
	return 0
}

func gzipTile(zips *sync.Pool, raw []byte) ([]byte, error) {
	zw := zips.Get().(*gzip.Writer)
	defer zips.Put(zw)
	var buf bytes.Buffer
	zw.Reset(&buf)
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
