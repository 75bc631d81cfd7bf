package main

import (
	"container/heap"
	"math"

	"github.com/paulmach/orb"
)

// labelPoint returns a representative point of an area that lies inside it: the pole of
// inaccessibility of its largest part (the point farthest from the boundary, found by
// the quadtree search of Mapbox's polylabel), to within precision degrees. Unlike the
// centroid it never falls outside a crescent or into a bay (Michigan, Florida), and it
// sits where map makers put labels (Natural Earth's label points are placed the same way).
func labelPoint(g orb.Geometry, precision float64) orb.Point {
	var poly orb.Polygon
	switch t := g.(type) {
	case orb.Polygon:
		poly = t
	case orb.MultiPolygon:
		best := -1.0
		for _, p := range t {
			if a := ringArea(p); a > best {
				best, poly = a, p
			}
		}
	}
	if len(poly) == 0 || len(poly[0]) < 4 {
		return orb.Point{}
	}
	b := poly.Bound()
	// work in a local equirectangular projection so that distances are comparable
	kx := math.Cos(b.Center()[1] * math.Pi / 180)
	proj := make(orb.Polygon, len(poly))
	for i, r := range poly {
		pr := make(orb.Ring, len(r))
		for j, p := range r {
			pr[j] = orb.Point{p[0] * kx, p[1]}
		}
		proj[i] = pr
	}
	pb := proj.Bound()
	w, h := pb.Max[0]-pb.Min[0], pb.Max[1]-pb.Min[1]
	size := math.Min(w, h)
	if size == 0 {
		return orb.Point{b.Min[0], b.Min[1]}
	}
	var q cellQueue
	for x := pb.Min[0]; x < pb.Max[0]; x += size {
		for y := pb.Min[1]; y < pb.Max[1]; y += size {
			heap.Push(&q, newCell(orb.Point{x + size/2, y + size/2}, size/2, proj))
		}
	}
	best := newCell(centroidOf(proj[0]), 0, proj)
	if c := newCell(pb.Center(), 0, proj); c.d > best.d {
		best = c
	}
	for q.Len() > 0 {
		c := heap.Pop(&q).(cell)
		if c.d > best.d {
			best = c
		}
		if c.max-best.d <= precision {
			continue
		}
		hs := c.h / 2
		for _, o := range [4][2]float64{{-1, -1}, {1, -1}, {-1, 1}, {1, 1}} {
			heap.Push(&q, newCell(orb.Point{c.p[0] + o[0]*hs, c.p[1] + o[1]*hs}, hs, proj))
		}
	}
	return orb.Point{round5(best.p[0] / kx), round5(best.p[1])}
}

// cell is a square of the polylabel search: centre, half size, signed distance of the
// centre to the boundary (negative outside) and the most any point of the cell can have.
type cell struct {
	p    orb.Point
	h, d float64
	max  float64
}

func newCell(p orb.Point, h float64, poly orb.Polygon) cell {
	d := signedDistance(p, poly)
	return cell{p: p, h: h, d: d, max: d + h*math.Sqrt2}
}

type cellQueue []cell

func (q cellQueue) Len() int           { return len(q) }
func (q cellQueue) Less(i, j int) bool { return q[i].max > q[j].max }
func (q cellQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *cellQueue) Push(x any)        { *q = append(*q, x.(cell)) }
func (q *cellQueue) Pop() any          { old := *q; c := old[len(old)-1]; *q = old[:len(old)-1]; return c }

// signedDistance is the distance from p to the polygon's boundary, negative outside.
func signedDistance(p orb.Point, poly orb.Polygon) float64 {
	in := false
	best := math.Inf(1)
	for _, r := range poly {
		if ringContains(r, p) {
			in = !in
		}
		for i := 1; i < len(r); i++ {
			d := segDist(r[i-1][0]-p[0], r[i-1][1]-p[1], r[i][0]-p[0], r[i][1]-p[1])
			best = math.Min(best, d)
		}
	}
	if !in {
		return -best
	}
	return best
}

// ringArea is the planar area of a polygon's outer ring (degrees², unsigned).
func ringArea(p orb.Polygon) float64 {
	if len(p) == 0 {
		return 0
	}
	r := p[0]
	a := 0.0
	for i := 1; i < len(r); i++ {
		a += r[i-1][0]*r[i][1] - r[i][0]*r[i-1][1]
	}
	return math.Abs(a / 2)
}

func centroidOf(r orb.Ring) orb.Point {
	var a, x, y float64
	for i := 1; i < len(r); i++ {
		f := r[i-1][0]*r[i][1] - r[i][0]*r[i-1][1]
		x += (r[i-1][0] + r[i][0]) * f
		y += (r[i-1][1] + r[i][1]) * f
		a += f * 3
	}
	if a == 0 {
		return r[0]
	}
	return orb.Point{x / a, y / a}
}
