package export

import (
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/twpayne/go-geom"
)

// toGeom converts an orb geometry to the go-geom geometry with the same coordinates.
func toGeom(g orb.Geometry) (geom.T, error) {
	switch g := g.(type) {
	case orb.Point:
		return geom.NewPointFlat(geom.XY, []float64{g[0], g[1]}), nil
	case orb.MultiPoint:
		return geom.NewMultiPointFlat(geom.XY, flatPoints(nil, g)), nil
	case orb.LineString:
		return geom.NewLineStringFlat(geom.XY, flatPoints(nil, g)), nil
	case orb.MultiLineString:
		var flat []float64
		ends := make([]int, 0, len(g))
		for _, ls := range g {
			flat = flatPoints(flat, ls)
			ends = append(ends, len(flat))
		}
		return geom.NewMultiLineStringFlat(geom.XY, flat, ends), nil
	case orb.Ring:
		return toGeom(orb.Polygon{g})
	case orb.Bound:
		return toGeom(g.ToPolygon())
	case orb.Polygon:
		flat, ends := flatPolygon(nil, g)
		return geom.NewPolygonFlat(geom.XY, flat, ends), nil
	case orb.MultiPolygon:
		var flat []float64
		endss := make([][]int, 0, len(g))
		for _, p := range g {
			var ends []int
			flat, ends = flatPolygon(flat, p)
			endss = append(endss, ends)
		}
		return geom.NewMultiPolygonFlat(geom.XY, flat, endss), nil
	case orb.Collection:
		gc := geom.NewGeometryCollection()
		for _, m := range g {
			t, err := toGeom(m)
			if err != nil {
				return nil, err
			}
			if err := gc.Push(t); err != nil {
				return nil, fmt.Errorf("%w: %v", ErrGeometry, err)
			}
		}
		return gc, nil
	}
	return nil, fmt.Errorf("%w: %T", ErrGeometry, g)
}

func flatPoints(dst []float64, ps []orb.Point) []float64 {
	for _, p := range ps {
		dst = append(dst, p[0], p[1])
	}
	return dst
}

func flatPolygon(dst []float64, p orb.Polygon) ([]float64, []int) {
	ends := make([]int, 0, len(p))
	for _, r := range p {
		dst = flatPoints(dst, r)
		ends = append(ends, len(dst))
	}
	return dst, ends
}

// isEmpty reports whether g has no coordinates.
func isEmpty(g orb.Geometry) bool {
	switch g := g.(type) {
	case nil:
		return true
	case orb.Point, orb.Bound:
		return false
	case orb.MultiPoint:
		return len(g) == 0
	case orb.LineString:
		return len(g) == 0
	case orb.Ring:
		return len(g) == 0
	case orb.MultiLineString:
		for _, ls := range g {
			if len(ls) > 0 {
				return false
			}
		}
		return true
	case orb.Polygon:
		return len(g) == 0 || len(g[0]) == 0
	case orb.MultiPolygon:
		for _, p := range g {
			if !isEmpty(p) {
				return false
			}
		}
		return true
	case orb.Collection:
		for _, m := range g {
			if !isEmpty(m) {
				return false
			}
		}
		return true
	}
	return true
}

// promote turns a single geometry into its multi type when the layer's declared type
// is that multi type (a regions layer mixing Polygon and MultiPolygon).
func promote(g orb.Geometry, layerType string) orb.Geometry {
	switch x := g.(type) {
	case orb.Point:
		if layerType == "MULTIPOINT" {
			return orb.MultiPoint{x}
		}
	case orb.LineString:
		if layerType == "MULTILINESTRING" {
			return orb.MultiLineString{x}
		}
	case orb.Polygon:
		if layerType == "MULTIPOLYGON" {
			return orb.MultiPolygon{x}
		}
	}
	return g
}

// geometryTypeName returns the GeoPackage geometry type name for a layer holding the
// given geometries: the common type, the multi type when single and multi types of one
// family mix, GEOMETRY otherwise.
func geometryTypeName(gs []orb.Geometry) string {
	names := map[string]bool{}
	for _, g := range gs {
		if g == nil {
			continue
		}
		names[wkbName(g)] = true
	}
	switch len(names) {
	case 0:
		return "GEOMETRY"
	case 1:
		for n := range names {
			return n
		}
	case 2:
		for _, fam := range [][2]string{{"POINT", "MULTIPOINT"}, {"LINESTRING", "MULTILINESTRING"}, {"POLYGON", "MULTIPOLYGON"}} {
			if names[fam[0]] && names[fam[1]] {
				return fam[1]
			}
		}
	}
	return "GEOMETRY"
}

func wkbName(g orb.Geometry) string {
	switch g.(type) {
	case orb.Point:
		return "POINT"
	case orb.MultiPoint:
		return "MULTIPOINT"
	case orb.LineString:
		return "LINESTRING"
	case orb.MultiLineString:
		return "MULTILINESTRING"
	case orb.Polygon, orb.Ring, orb.Bound:
		return "POLYGON"
	case orb.MultiPolygon:
		return "MULTIPOLYGON"
	case orb.Collection:
		return "GEOMETRYCOLLECTION"
	}
	return "GEOMETRY"
}

// representativePoint returns a point on g: the point itself, the middle (by length) of
// a line, a point inside a polygon (on the horizontal line through the middle of its
// bounding box, in the widest stretch inside it), or of the largest part of a multi
// geometry. ok is false for an empty geometry.
func representativePoint(g orb.Geometry) (orb.Point, bool) {
	if g == nil || isEmpty(g) {
		return orb.Point{}, false
	}
	switch x := g.(type) {
	case orb.Point:
		return x, true
	case orb.MultiPoint:
		return x[0], true
	case orb.LineString:
		return midpoint(x), true
	case orb.MultiLineString:
		best, bestLen := orb.LineString(nil), -1.0
		for _, ls := range x {
			if l := planar.Length(ls); len(ls) > 0 && l > bestLen {
				best, bestLen = ls, l
			}
		}
		return midpoint(best), true
	case orb.Ring:
		return pointInPolygon(orb.Polygon{x}), true
	case orb.Bound:
		return x.Center(), true
	case orb.Polygon:
		return pointInPolygon(x), true
	case orb.MultiPolygon:
		best, bestArea := orb.Polygon(nil), -1.0
		for _, p := range x {
			if a := math.Abs(planar.Area(p)); !isEmpty(p) && a > bestArea {
				best, bestArea = p, a
			}
		}
		return pointInPolygon(best), true
	case orb.Collection:
		for _, m := range x {
			if p, ok := representativePoint(m); ok {
				return p, true
			}
		}
	}
	return orb.Point{}, false
}

func midpoint(ls orb.LineString) orb.Point {
	if len(ls) == 1 {
		return ls[0]
	}
	half := planar.Length(ls) / 2
	for i := 1; i < len(ls); i++ {
		d := planar.Distance(ls[i-1], ls[i])
		if d >= half && d > 0 {
			t := half / d
			return orb.Point{ls[i-1][0] + t*(ls[i][0]-ls[i-1][0]), ls[i-1][1] + t*(ls[i][1]-ls[i-1][1])}
		}
		half -= d
	}
	return ls[len(ls)-1]
}

// pointInPolygon intersects the horizontal line through the middle of the bounding box
// with the polygon's edges and returns the middle of the widest stretch inside it.
func pointInPolygon(p orb.Polygon) orb.Point {
	b := p.Bound()
	y := (b.Min[1] + b.Max[1]) / 2
	var xs []float64
	for _, r := range p {
		for i := 0; i+1 < len(r); i++ {
			a, c := r[i], r[i+1]
			if (a[1] > y) != (c[1] > y) {
				xs = append(xs, a[0]+(y-a[1])*(c[0]-a[0])/(c[1]-a[1]))
			}
		}
	}
	sort.Float64s(xs)
	best, width := b.Center(), -1.0
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > width {
			best, width = orb.Point{(xs[i] + xs[i+1]) / 2, y}, w
		}
	}
	return best
}
