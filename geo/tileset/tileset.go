// Package tileset renders the whole vector tile pyramid of a set of layers, for static
// publishing: every tile that holds a feature, from zoom 0 to the deepest zoom, each tile
// one gzipped Mapbox Vector Tile with one MVT layer per newsmap layer.
//
// Point layers are thinned below their deepest zoom: the points of one tile that fall in
// the same grid cell and have the same dates become one feature (the one with the most
// mentions, else the most confident), which carries the group's size in point_count.
// Keeping the dates apart keeps the time slider exact at every zoom. When a layer still
// has more than MaxPoints features in the tile, or the tile is larger than the byte
// budget, the cells grow until it fits (at the deepest zoom too, where a city mentioned a
// hundred thousand times stacks that many points on one spot); as a last step the
// points of a cell are grouped across dates, and the group's feature lists all their
// dates in "dates", at day precision at the finest (see groupDate). Areas stop at a shallower zoom (AreaMaxZoom) where their source
// precision ends; clients overzoom them.
//
// The layers stay encoded (geo/layerstore): a tile decodes only the features it draws,
// so that memory follows the largest tile, not the layers. What thinning reads of every
// point (its prominence and its dates) is taken from each feature once, before the first
// zoom, and kept in two small arrays.
package tileset

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/maptile/tilecover"

	"newsmap/geo/layerstore"
	"newsmap/geo/schema"
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
	// MaxPoints bounds the features of one point layer in one tile (default 1000): the
	// grid coarsens until it holds.
	MaxPoints int
	// Progress, when set, is called as the tiles of a zoom level are rendered (after
	// every few hundred) and once when the level is done (Done == Total).
	Progress func(Progress)
}

// Progress tells how far Build is.
type Progress struct {
	Zoom  int // the zoom level being rendered
	Done  int // tiles of the level rendered so far (empty ones included)
	Total int // tiles of the level to render
	Tiles int // tiles emitted so far, all levels
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
	if o.MaxPoints <= 0 {
		o.MaxPoints = 1000
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

// layerPlan is one layer's zoom range and, for a point layer, what thinning reads of
// each feature.
type layerPlan struct {
	l       *layerstore.Layer
	maxZoom int
	points  bool // every geometry is a Point: thinned below maxZoom
	// Point layers, filled by (*layerPlan).attrs: weight[i] is schema.Prominence of
	// feature i; feature i's date, date_end and dates are dateKeys[dkey[i]], and
	// dates[dkey[i]] is its dates list, else its date (for grouping across dates).
	weight []float64
	dkey   []uint32
	dates  [][]string
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

// plan returns each layer's zoom range from the kinds of its geometries (nothing is
// decoded).
func plan(layers []*layerstore.Layer, opts Options) []layerPlan {
	out := make([]layerPlan, 0, len(layers))
	for _, l := range layers {
		p := layerPlan{l: l, maxZoom: opts.MaxZoom, points: true}
		for i := range l.Count() {
			if _, ok := l.Point(i); ok {
				continue
			}
			switch l.Geometry(i).(type) {
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

// attrChunk is how many features one worker of attrs decodes at a time.
const attrChunk = 4096

// attrs fills the thinning attributes of a point layer, decoding its features one at a
// time on every core.
func (p *layerPlan) attrs(ctx context.Context, workers int) error {
	n := p.l.Count()
	p.weight = make([]float64, n)
	p.dkey = make([]uint32, n)
	keys := map[string]uint32{}
	var mu sync.Mutex // guards keys and p.dates
	intern := func(key string, props geojson.Properties) uint32 {
		mu.Lock()
		defer mu.Unlock()
		k, ok := keys[key]
		if !ok {
			k = uint32(len(p.dates))
			keys[key] = k
			set := map[string]bool{}
			addDates(set, props)
			days := map[string]bool{}
			for d := range set {
				days[groupDate(d)] = true
			}
			p.dates = append(p.dates, slices.Sorted(maps.Keys(days)))
		}
		return k
	}
	var next atomic.Int64
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			local := map[string]uint32{} // this worker's keys seen, to lock once per key
			for {
				lo := int(next.Add(attrChunk)) - attrChunk
				if lo >= n {
					return
				}
				if err := ctx.Err(); err != nil {
					errs[w] = err
					return
				}
				for i := lo; i < min(lo+attrChunk, n); i++ {
					if p.l.Geometry(i) == nil {
						continue // never drawn
					}
					f, err := p.l.FeatureAt(i)
					if err != nil {
						errs[w] = err
						return
					}
					p.weight[i] = schema.Prominence(f.Properties)
					key := datesKey(f.Properties)
					k, ok := local[key]
					if !ok {
						k = intern(key, f.Properties)
						local[key] = k
					}
					p.dkey[i] = k
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Build renders every non-empty tile of layers from zoom 0 to opts.MaxZoom and passes it
// to emit in the order given by id (pmtiles.TileID). It stops when ctx is done.
func Build(ctx context.Context, layers []*layerstore.Layer, opts Options, id order, emit Emit) (Stats, error) {
	opts = opts.withDefaults()
	plans := plan(layers, opts)
	r := tiles.New(tiles.Options{Extent: extent, Buffer: buffer, CacheEntries: -1})
	workers := runtime.GOMAXPROCS(0) // tiles rendered at once
	for i := range plans {
		if plans[i].points {
			if err := plans[i].attrs(ctx, workers); err != nil {
				return Stats{}, err
			}
		}
	}
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
			if opts.Progress != nil && lo+len(part) < len(ts) {
				opts.Progress(Progress{Zoom: z, Done: lo + len(part), Total: len(ts), Tiles: st.Tiles})
			}
		}
		if opts.Progress != nil {
			opts.Progress(Progress{Zoom: z, Done: len(ts), Total: len(ts), Tiles: st.Tiles})
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
		for i := range p.l.Count() {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			if pt, ok := p.l.Point(i); ok {
				// The tile of the point and the neighbours whose buffer reaches it.
				x, y := worldXY(pt, n)
				for tx := math.Floor(x - frac); tx <= math.Floor(x+frac); tx++ {
					for ty := math.Floor(y - frac); ty <= math.Floor(y+frac); ty++ {
						if tx >= 0 && ty >= 0 && tx < n && ty < n {
							set[maptile.New(uint32(tx), uint32(ty), zoom)] = true
						}
					}
				}
				continue
			}
			g := p.l.Geometry(i)
			if g == nil {
				continue
			}
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

// thinning is how a point layer is grouped in one tile: into grid cells of cell tile
// units (0: not at all), and within a cell by dates or not.
type thinning struct {
	cell   float64
	byDate bool
}

// coarser returns the next, coarser thinning; ok is false when there is none.
func (th thinning) coarser() (next thinning, ok bool) {
	switch {
	case th.cell == 0:
		return thinning{cell: 1, byDate: th.byDate}, true // points on the same spot first
	case th.cell < 2*extent:
		return thinning{cell: th.cell * 4, byDate: th.byDate}, true
	case th.byDate:
		return thinning{cell: 1}, true // one point per cell whatever its dates
	}
	return th, false
}

// renderTile encodes tile t, thinning its points until each point layer has at most
// opts.MaxPoints features and the tile fits opts.MaxTileBytes; it returns nil for a tile
// that ends up empty. thinned reports whether points were grouped.
func renderTile(r *tiles.Renderer, plans []layerPlan, t maptile.Tile, opts Options) (raw []byte, thinned bool, err error) {
	b := t.Bound(float64(buffer) / extent)
	// The properties of the features drawn, read from their encoding each time they are
	// drawn (again only for a tile over the byte budget, which is rare).
	properties := func(li, i int) (geojson.Properties, error) { return flatProperties(plans[li].l, i) }
	hits := make([][]int, len(plans))
	ths := make([]thinning, len(plans))
	for i, p := range plans {
		if int(t.Z) > p.maxZoom {
			continue
		}
		hits[i] = p.l.Intersecting(b)
		ths[i] = thinning{byDate: true}
		if p.points && int(t.Z) < p.maxZoom {
			ths[i].cell = opts.Cell
		}
	}
	for {
		var layers mvt.Layers
		thinned = false
		for i, p := range plans {
			if len(hits[i]) == 0 {
				continue
			}
			var feats []*geojson.Feature
			var err error
			if p.points {
				gs := group(&p, hits[i], t, ths[i])
				for len(gs) > opts.MaxPoints {
					next, ok := ths[i].coarser()
					if !ok {
						break
					}
					ths[i] = next
					gs = group(&p, hits[i], t, ths[i])
				}
				feats, err = pointFeatures(&p, gs, !ths[i].byDate, func(j int) (geojson.Properties, error) { return properties(i, j) })
				thinned = thinned || len(gs) < len(hits[i])
			} else {
				feats, err = shapeFeatures(p.l, hits[i], b, func(j int) (geojson.Properties, error) { return properties(i, j) })
			}
			if err != nil {
				return nil, false, err
			}
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
		// Coarsen every point layer one step; fail when none can be.
		coarsened := false
		for i, p := range plans {
			if p.points && len(hits[i]) > 0 {
				if next, ok := ths[i].coarser(); ok {
					ths[i], coarsened = next, true
				}
			}
		}
		if !coarsened {
			return nil, false, fmt.Errorf("%w: %d/%d/%d is %d bytes after thinning, budget %d",
				ErrTooBig, t.Z, t.X, t.Y, len(raw), opts.MaxTileBytes)
		}
	}
}

// pointGroup is the points of one cell: the representative feature, their number and,
// when grouped across dates, the date keys (layerPlan.dkey) of the group.
type pointGroup struct {
	best, count int
	dkeys       map[uint32]bool
}

// group returns the groups of p's point features idx (positions in the layer) under th,
// in first-seen order.
func group(p *layerPlan, idx []int, t maptile.Tile, th thinning) []*pointGroup {
	if th.cell <= 0 {
		out := make([]*pointGroup, 0, len(idx))
		for _, i := range idx {
			if _, ok := p.l.Point(i); ok {
				out = append(out, &pointGroup{best: i, count: 1})
			}
		}
		return out
	}
	type key struct {
		cx, cy int
		dates  uint32
	}
	n := float64(uint32(1) << t.Z)
	groups := map[key]*pointGroup{}
	var out []*pointGroup
	for _, i := range idx {
		pt, ok := p.l.Point(i)
		if !ok {
			continue
		}
		x, y := worldXY(pt, n)
		k := key{
			cx: int(math.Floor((x - float64(t.X)) * extent / th.cell)),
			cy: int(math.Floor((y - float64(t.Y)) * extent / th.cell)),
		}
		if th.byDate {
			k.dates = p.dkey[i]
		}
		g := groups[k]
		if g == nil {
			g = &pointGroup{best: i}
			if !th.byDate {
				g.dkeys = map[uint32]bool{}
			}
			groups[k] = g
			out = append(out, g)
		}
		g.count++
		if g.dkeys != nil {
			g.dkeys[p.dkey[i]] = true
		}
		if p.weight[i] > p.weight[g.best] {
			g.best = i
		}
	}
	return out
}

// addDates adds a feature's dates (its dates list, else its date) to set.
func addDates(set map[string]bool, p geojson.Properties) {
	if ds, ok := p["dates"].([]any); ok && len(ds) > 0 {
		for _, d := range ds {
			if s, ok := d.(string); ok {
				set[s] = true
			}
		}
		return
	}
	if s, ok := p["date"].(string); ok {
		set[s] = true
	}
}

// groupDate is how a date is listed in the dates of a group across dates: an hour as
// its day, anything else as it is. The time slider steps by whole days (or weeks) from
// midnight UTC, so an hour and its day show a point on the same steps; listed by the
// hour, the group of a large layer's low-zoom tile would carry one date per hour of the
// corpus (tens of thousands: a million synthetic mentions over three years overflowed
// the tile budget with that one feature).
func groupDate(d string) string {
	if iv, err := schema.ParseValue(d); err == nil && iv.Granularity == schema.Hour {
		return iv.Start.Format(time.DateOnly)
	}
	return d
}

// pointFeatures returns MVT-ready copies of the groups' representatives, with
// point_count and, for groups across dates, the group's dates as the dates list (so
// that the time slider shows the group on each day one of its points has).
// propsFunc returns the MVT-ready properties of the feature at a position of the layer,
// a map the caller may modify.
type propsFunc func(i int) (geojson.Properties, error)

func pointFeatures(p *layerPlan, gs []*pointGroup, withDates bool, properties propsFunc) ([]*geojson.Feature, error) {
	out := make([]*geojson.Feature, 0, len(gs))
	for _, g := range gs {
		props, err := properties(g.best)
		if err != nil {
			return nil, err
		}
		if g.count > 1 {
			props["point_count"] = g.count
			if withDates {
				set := map[string]bool{}
				for k := range g.dkeys {
					for _, d := range p.dates[k] {
						set[d] = true
					}
				}
				if len(set) > 0 {
					props["dates"] = tiles.Flatten(geojson.Properties{"d": slices.Sorted(maps.Keys(set))})["d"]
				}
			}
		}
		out = append(out, &geojson.Feature{ID: uint64(g.best + 1), Type: "Feature", Geometry: orb.Clone(p.l.Geometry(g.best)), Properties: props})
	}
	return out, nil
}

// shapeFeatures returns MVT-ready copies of the lines and areas idx, cut to bound in
// lon/lat first so that a country's thousands of vertices are projected only where the
// tile needs them.
func shapeFeatures(l *layerstore.Layer, idx []int, bound orb.Bound, properties propsFunc) ([]*geojson.Feature, error) {
	out := make([]*geojson.Feature, 0, len(idx))
	for _, i := range idx {
		g := l.Geometry(i)
		if g == nil {
			continue
		}
		g = orb.Clone(g)
		if _, ok := g.(orb.Point); !ok {
			if g = clip.Geometry(bound, g); g == nil {
				continue
			}
		}
		props, err := properties(i)
		if err != nil {
			return nil, err
		}
		out = append(out, &geojson.Feature{ID: uint64(i + 1), Type: "Feature", Geometry: g, Properties: props})
	}
	return out, nil
}

// datesKey is what a feature's time filter reads: date, date_end and dates.
func datesKey(p geojson.Properties) string {
	return fmt.Sprint(p["date"], "\x00", p["date_end"], "\x00", p["dates"])
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
