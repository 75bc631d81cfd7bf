package tiles

import (
	"encoding/binary"
	"math"
	"math/bits"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/project"
	"github.com/paulmach/orb/simplify"

	"newsmap/geo/layerstore"
)

// MVT geometry types and commands (Mapbox Vector Tile specification 2.1, 4.3).
const (
	geomPoint      = 1
	geomLineString = 2
	geomPolygon    = 3

	cmdMoveTo    = 1
	cmdLineTo    = 2
	cmdClosePath = 7
)

// projector maps world coordinates (prepare's worldXY) to the pixels of one tile exactly
// as orb's mvt projection does: floor of the coordinate at the tile's level minus the
// tile's origin.
type projector struct {
	pow2       bool
	scale      float64 // 2^(z + log2 extent), or 2^z for other extents
	minx, miny float64
	extent     float64
	southY     float64 // the y of orb's south clamp
	lo, hi     float64 // the clip box, the tile plus the buffer
	tolerance  float64
}

func newProjector(t maptile.Tile, extent uint32, buffer float64) projector {
	p := projector{extent: float64(extent), lo: -buffer, hi: float64(extent) + buffer, tolerance: tolerance(t.Z)}
	if extent&(extent-1) == 0 {
		n := uint32(bits.TrailingZeros32(extent))
		p.pow2 = true
		p.scale = float64(uint64(1) << (uint32(t.Z) + n))
		p.minx, p.miny = float64(uint64(t.X)<<n), float64(uint64(t.Y)<<n)
		p.southY = p.scale - 1 - p.miny
	} else {
		p.scale = float64(uint64(1) << uint32(t.Z))
		p.minx, p.miny = float64(t.X), float64(t.Y)
		p.southY = math.Floor((p.scale - 1 - p.miny) * p.extent)
	}
	return p
}

func (p *projector) xy(wx, wy float64) (x, y float64) {
	if p.pow2 {
		x = math.Floor(wx*p.scale - p.minx)
		if wy < 0 {
			return x, p.southY
		}
		return x, math.Floor(wy*p.scale - p.miny)
	}
	x = math.Floor((wx*p.scale - p.minx) * p.extent)
	if wy < 0 {
		return x, p.southY
	}
	return x, math.Floor((wy*p.scale - p.miny) * p.extent)
}

func (p *projector) inside(x, y float64) bool {
	return x >= p.lo && x <= p.hi && y >= p.lo && y <= p.hi
}

// lonLat is the orb.Projection of a geometry's lon/lat points into the tile.
func (p *projector) lonLat(pt orb.Point) orb.Point {
	x, y := p.xy(worldXY(pt))
	return orb.Point{x, y}
}

// shape projects, clips, simplifies and orients a line or polygon geometry for the tile
// as orb's Layer.ProjectToTile, Clip, Simplify and RemoveEmpty(1, 1) do; nil when nothing
// of it is drawn. It works on a copy.
func (p *projector) shape(g orb.Geometry) orb.Geometry {
	g = project.Geometry(orb.Clone(g), p.lonLat)
	g = clip.Geometry(orb.Bound{Min: orb.Point{p.lo, p.lo}, Max: orb.Point{p.hi, p.hi}}, g)
	if g == nil {
		return nil
	}
	if g = simplify.DouglasPeucker(p.tolerance).Simplify(g); g == nil {
		return nil
	}
	switch g.Dimensions() {
	case 1:
		if planar.Length(g) < 1 {
			return nil
		}
	case 2:
		if planar.Area(g) < 1 {
			return nil
		}
	}
	return orient(g)
}

// encode builds the uncompressed MVT of layer l (prepared as p) at tile t: one MVT layer
// named after l, the features whose bounding box meets the tile plus the buffer, in id
// order, each with its position in the layer plus one as id.
func (r *Renderer) encode(p *prepared, l *layerstore.Layer, t maptile.Tile) []byte {
	idx := l.Intersecting(t.Bound(r.buffer / float64(r.extent)))
	s := p.getScratch()
	defer p.putScratch(s)
	pr := newProjector(t, r.extent, r.buffer)
	// A tile of more than maxPoints points draws one point a grid cell (thinGrid).
	// Fewer candidates than the bound (most tiles) need no look at their points.
	var counts []int32
	if r.maxPoints > 0 && len(idx) > r.maxPoints {
		s.xs, s.ys, s.ws = s.xs[:0], s.ys[:0], s.ws[:0]
		for _, i := range idx {
			if pf := &p.feats[i]; pf.kind == kindPoint {
				if x, y := pr.xy(pf.x, pf.y); pr.inside(x, y) {
					s.xs, s.ys, s.ws = append(s.xs, x), append(s.ys, y), append(s.ws, pf.weight)
				}
			}
		}
		counts = thinGrid(s.xs, s.ys, s.ws, r.maxPoints)
	}
	point := 0 // the index in s.xs of the next point
	for _, i := range idx {
		pf := &p.feats[i]
		s.geom = s.geom[:0]
		switch pf.kind {
		case kindPoint:
			x, y := pr.xy(pf.x, pf.y)
			if !pr.inside(x, y) {
				continue
			}
			tags := pf.tags
			if counts != nil {
				n := counts[point]
				point++
				if n == 0 {
					continue
				}
				if n > 1 {
					tags = s.withCount(p, tags, n)
				}
			}
			var c cursor
			s.geom = append(s.geom, 1<<3|cmdMoveTo)
			s.geom = c.appendXY(s.geom, x, y)
			s.appendFeature(uint64(i+1), tags, geomPoint)
		case kindMultiPoint:
			var c cursor
			s.geom = append(s.geom, 0) // the MoveTo command, counted below
			n := 0
			for _, wp := range pf.pts {
				if x, y := pr.xy(wp[0], wp[1]); pr.inside(x, y) {
					s.geom = c.appendXY(s.geom, x, y)
					n++
				}
			}
			if n == 0 {
				continue
			}
			s.geom[0] = uint32(n)<<3 | cmdMoveTo
			s.appendFeature(uint64(i+1), pf.tags, geomPoint)
		case kindOther:
			g := pr.shape(l.Geometry(i))
			if g == nil {
				continue
			}
			// A collection becomes one MVT feature per member, all with the feature's id
			// and properties (MVT features hold one geometry type).
			members := orb.Collection{g}
			if c, ok := g.(orb.Collection); ok {
				members = c
			}
			for _, m := range members {
				s.geom = s.geom[:0]
				typ := 0
				s.geom, typ = appendGeometry(s.geom, m)
				if typ != 0 {
					s.appendFeature(uint64(i+1), pf.tags, typ)
				}
			}
		}
	}
	return s.layer(p, l.Name(), r.extent)
}

// withCount returns tags with PointCount n added: a value of the tile's own (counts),
// numbered after the layer's values.
func (s *scratch) withCount(p *prepared, tags []uint32, n int32) []uint32 {
	if s.countLocal == nil {
		s.countLocal = map[int32]uint32{}
	}
	v, ok := s.countLocal[n]
	if !ok {
		v = uint32(len(p.values) + len(s.counts))
		s.counts = append(s.counts, countValue(n))
		s.countLocal[n] = v
	}
	out := make([]uint32, 0, len(tags)+2)
	for j := 0; j+1 < len(tags); j += 2 {
		if tags[j] != p.pcKey { // a layer's own point_count gives way
			out = append(out, tags[j], tags[j+1])
		}
	}
	return append(out, p.pcKey, v)
}

// appendFeature appends a Layer.features message (field 2) to s.feats: id (1), the tags
// (2) renumbered to the tile's key and value tables, type (3), geometry (4).
func (s *scratch) appendFeature(id uint64, tags []uint32, typ int) {
	s.tags = s.tags[:0]
	for j := 0; j+1 < len(tags); j += 2 {
		k, v := tags[j], tags[j+1]
		lk := s.keyLocal[k]
		if lk == 0 {
			s.usedKeys = append(s.usedKeys, k)
			lk = uint32(len(s.usedKeys))
			s.keyLocal[k] = lk
		}
		var lv uint32
		if int(v) >= len(s.valLocal) { // a point count: used once per distinct count
			s.usedVals = append(s.usedVals, v)
			lv = uint32(len(s.usedVals))
		} else if lv = s.valLocal[v]; lv == 0 {
			s.usedVals = append(s.usedVals, v)
			lv = uint32(len(s.usedVals))
			s.valLocal[v] = lv
		}
		s.tags = append(s.tags, lk-1, lv-1)
	}
	tagBytes, geomBytes := packedLen(s.tags), packedLen(s.geom)
	size := 1 + uvarintLen(id) + 2 + 1 + uvarintLen(uint64(geomBytes)) + geomBytes
	if len(s.tags) > 0 {
		size += 1 + uvarintLen(uint64(tagBytes)) + tagBytes
	}
	b := s.feats
	b = append(b, 2<<3|2)
	b = binary.AppendUvarint(b, uint64(size))
	b = append(b, 1<<3 /* varint */)
	b = binary.AppendUvarint(b, id)
	if len(s.tags) > 0 {
		b = append(b, 2<<3|2)
		b = binary.AppendUvarint(b, uint64(tagBytes))
		for _, v := range s.tags {
			b = binary.AppendUvarint(b, uint64(v))
		}
	}
	b = append(b, 3<<3 /* varint */, byte(typ))
	b = append(b, 4<<3|2)
	b = binary.AppendUvarint(b, uint64(geomBytes))
	for _, v := range s.geom {
		b = binary.AppendUvarint(b, uint64(v))
	}
	s.feats = b
}

// layer returns the Tile message holding one layer: name (1), the features (2), the keys
// (3) and values (4) the features use, extent (5) and version 2 (15).
func (s *scratch) layer(p *prepared, name string, extent uint32) []byte {
	size := 1 + uvarintLen(uint64(len(name))) + len(name) + len(s.feats)
	for _, k := range s.usedKeys {
		n := len(p.keys[k])
		size += 1 + uvarintLen(uint64(n)) + n
	}
	for _, v := range s.usedVals {
		n := len(s.value(p, v))
		size += 1 + uvarintLen(uint64(n)) + n
	}
	size += 1 + uvarintLen(uint64(extent)) + 2
	out := make([]byte, 0, 1+uvarintLen(uint64(size))+size)
	out = append(out, 3<<3|2)
	out = binary.AppendUvarint(out, uint64(size))
	out = append(out, 1<<3|2)
	out = binary.AppendUvarint(out, uint64(len(name)))
	out = append(out, name...)
	out = append(out, s.feats...)
	for _, k := range s.usedKeys {
		out = append(out, 3<<3|2)
		out = binary.AppendUvarint(out, uint64(len(p.keys[k])))
		out = append(out, p.keys[k]...)
	}
	for _, v := range s.usedVals {
		val := s.value(p, v)
		out = append(out, 4<<3|2)
		out = binary.AppendUvarint(out, uint64(len(val)))
		out = append(out, val...)
	}
	out = append(out, 5<<3 /* varint */)
	out = binary.AppendUvarint(out, uint64(extent))
	out = append(out, 15<<3 /* varint */, 2)
	return out
}

// value is the Value message of value index v: the layer's, or a point count's.
func (s *scratch) value(p *prepared, v uint32) []byte {
	if int(v) < len(p.values) {
		return p.values[v]
	}
	return s.counts[int(v)-len(p.values)]
}

// cursor is the position the next geometry command's deltas start from.
type cursor struct{ x, y int32 }

func (c *cursor) appendXY(dst []uint32, x, y float64) []uint32 {
	ix, iy := int32(x), int32(y)
	dx, dy := ix-c.x, iy-c.y
	c.x, c.y = ix, iy
	return append(dst, uint32((dx<<1)^(dx>>31)), uint32((dy<<1)^(dy>>31)))
}

func (c *cursor) appendPoints(dst []uint32, cmd uint32, pts []orb.Point) []uint32 {
	dst = append(dst, uint32(len(pts))<<3|cmd)
	for _, pt := range pts {
		dst = c.appendXY(dst, pt[0], pt[1])
	}
	return dst
}

func (c *cursor) appendRing(dst []uint32, r orb.Ring) []uint32 {
	if len(r) == 0 {
		return dst
	}
	dst = c.appendPoints(dst, cmdMoveTo, r[:1])
	rest := r[1:]
	if r.Closed() {
		rest = r[1 : len(r)-1]
	}
	dst = c.appendPoints(dst, cmdLineTo, rest)
	return append(dst, 1<<3|cmdClosePath)
}

// appendGeometry appends the commands of a projected geometry in tile pixels and returns
// its MVT type (0 for a geometry MVT cannot hold).
func appendGeometry(dst []uint32, g orb.Geometry) ([]uint32, int) {
	var c cursor
	switch g := g.(type) {
	case orb.Point:
		return c.appendPoints(dst, cmdMoveTo, []orb.Point{g}), geomPoint
	case orb.MultiPoint:
		return c.appendPoints(dst, cmdMoveTo, g), geomPoint
	case orb.LineString:
		if len(g) < 2 {
			return dst, 0
		}
		dst = c.appendPoints(dst, cmdMoveTo, g[:1])
		return c.appendPoints(dst, cmdLineTo, g[1:]), geomLineString
	case orb.MultiLineString:
		n := len(dst)
		for _, ls := range g {
			if len(ls) >= 2 {
				dst = c.appendPoints(dst, cmdMoveTo, ls[:1])
				dst = c.appendPoints(dst, cmdLineTo, ls[1:])
			}
		}
		if len(dst) == n {
			return dst, 0
		}
		return dst, geomLineString
	case orb.Ring:
		return c.appendRing(dst, g), geomPolygon
	case orb.Polygon:
		for _, r := range g {
			dst = c.appendRing(dst, r)
		}
		return dst, geomPolygon
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				dst = c.appendRing(dst, r)
			}
		}
		return dst, geomPolygon
	case orb.Bound:
		return appendGeometry(dst, g.ToPolygon())
	}
	return dst, 0
}

func uvarintLen(v uint64) int { return (bits.Len64(v|1) + 6) / 7 }

func packedLen(vs []uint32) int {
	n := 0
	for _, v := range vs {
		n += uvarintLen(uint64(v))
	}
	return n
}
