// Package cluster groups points into clusters on a screen grid, so that a map can draw a
// layer of any size as a few hundred circles: the server counts, the browser draws.
//
// The grid is square in Web Mercator pixels at the map's zoom (a 256-pixel tile at zoom
// 0 covers the world), so clusters look the same size everywhere on the map. A cluster's
// position is the mean of its points, and one point alone stays itself (its index tells
// which), so the map can show it as a marker and fetch its details on click.
package cluster

import (
	"errors"
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// ErrZoom is a zoom outside 0..MaxZoom.
var ErrZoom = errors.New("cluster: zoom out of range")

// MaxZoom is the deepest zoom clustered; deeper zooms cluster as MaxZoom.
const MaxZoom = 24

// Cluster is a group of nearby points.
type Cluster struct {
	Point orb.Point // the mean position of the members (lon, lat)
	Count int
	First int // the index (in the points given) of the first member: the only one when Count == 1
	// Bound is the bounding box of the members, so a click can zoom to it.
	Bound orb.Bound
}

// Grid groups points into cells of cellPx screen pixels at zoom z. Clusters come back
// largest first (then west to east), at most max of them (0: all); the count of points
// in the clusters left out is returned too.
func Grid(points []orb.Point, z int, cellPx float64, max int) ([]Cluster, int, error) {
	if z < 0 || z > 30 {
		return nil, 0, ErrZoom
	}
	z = min(z, MaxZoom)
	if cellPx <= 0 {
		cellPx = 60
	}
	// cells per world width at this zoom
	n := math.Exp2(float64(z)) * 256 / cellPx
	type acc struct {
		sumLon, sumLat float64
		count          int
		first          int
		bound          orb.Bound
	}
	cells := map[[2]int64]*acc{}
	for i, p := range points {
		x, y := mercator(p)
		key := [2]int64{int64(math.Floor(x * n)), int64(math.Floor(y * n))}
		a := cells[key]
		if a == nil {
			a = &acc{first: i, bound: orb.Bound{Min: p, Max: p}}
			cells[key] = a
		}
		a.sumLon += p[0]
		a.sumLat += p[1]
		a.count++
		a.bound = a.bound.Extend(p)
	}
	out := make([]Cluster, 0, len(cells))
	for _, a := range cells {
		c := Cluster{Point: orb.Point{a.sumLon / float64(a.count), a.sumLat / float64(a.count)}, Count: a.count, First: a.first, Bound: a.bound}
		if a.count == 1 {
			c.Point = points[a.first]
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		if out[i].Point[0] != out[j].Point[0] {
			return out[i].Point[0] < out[j].Point[0]
		}
		return out[i].Point[1] < out[j].Point[1]
	})
	left := 0
	if max > 0 && len(out) > max {
		for _, c := range out[max:] {
			left += c.Count
		}
		out = out[:max]
	}
	return out, left, nil
}

// mercator returns the point's Web Mercator position in [0, 1)² (x east, y south),
// latitudes clamped to the Mercator square.
func mercator(p orb.Point) (x, y float64) {
	lat := math.Max(-85.05112878, math.Min(85.05112878, p[1]))
	x = (p[0] + 180) / 360
	s := math.Sin(lat * math.Pi / 180)
	y = 0.5 - math.Log((1+s)/(1-s))/(4*math.Pi)
	return x - math.Floor(x), y
}
