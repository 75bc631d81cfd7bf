package layerstore

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// intersectsBound reports whether geometry g and the box b share a point (edges
// included), as the bbox parameter of the standard requires: a line or polygon whose
// bounding box meets b but that itself passes beside it does not match.
func intersectsBound(g orb.Geometry, b orb.Bound) bool {
	if !g.Bound().Intersects(b) {
		return false
	}
	switch v := g.(type) {
	case orb.Point:
		return b.Contains(v)
	case orb.MultiPoint:
		for _, p := range v {
			if b.Contains(p) {
				return true
			}
		}
	case orb.LineString:
		return lineIntersects([]orb.Point(v), b)
	case orb.MultiLineString:
		for _, ls := range v {
			if lineIntersects(ls, b) {
				return true
			}
		}
	case orb.Ring:
		return polygonIntersects(orb.Polygon{v}, b)
	case orb.Polygon:
		return polygonIntersects(v, b)
	case orb.MultiPolygon:
		for _, p := range v {
			if polygonIntersects(p, b) {
				return true
			}
		}
	case orb.Collection:
		for _, c := range v {
			if intersectsBound(c, b) {
				return true
			}
		}
	case orb.Bound:
		return v.Intersects(b)
	}
	return false
}

// lineIntersects reports whether any segment of the line meets b.
func lineIntersects(ls []orb.Point, b orb.Bound) bool {
	if len(ls) == 1 {
		return b.Contains(ls[0])
	}
	for i := 1; i < len(ls); i++ {
		if segmentIntersects(ls[i-1], ls[i], b) {
			return true
		}
	}
	return false
}

// polygonIntersects reports whether a polygon meets b: a ring crosses or lies in b, or b
// lies inside the polygon (and outside its holes).
func polygonIntersects(p orb.Polygon, b orb.Bound) bool {
	if len(p) == 0 {
		return false
	}
	for _, r := range p {
		if lineIntersects(r, b) {
			return true
		}
	}
	return planar.PolygonContains(p, b.Min)
}

// segmentIntersects clips the segment a-c to b (Liang-Barsky) and reports whether
// anything is left.
func segmentIntersects(a, c orb.Point, b orb.Bound) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := c[0]-a[0], c[1]-a[1]
	clip := func(p, q float64) bool {
		if p == 0 {
			return q >= 0
		}
		r := q / p
		if p < 0 {
			if r > t1 {
				return false
			}
			if r > t0 {
				t0 = r
			}
		} else {
			if r < t0 {
				return false
			}
			if r < t1 {
				t1 = r
			}
		}
		return true
	}
	return clip(-dx, a[0]-b.Min[0]) && clip(dx, b.Max[0]-a[0]) &&
		clip(-dy, a[1]-b.Min[1]) && clip(dy, b.Max[1]-a[1]) && t0 <= t1
}
