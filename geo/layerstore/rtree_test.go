package layerstore

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// TestRTreeMatchesScan compares the packed R-tree with a linear scan on random boxes.
func TestRTreeMatchesScan(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	box := func(size float64) orb.Bound {
		x, y := -180+r.Float64()*360, -90+r.Float64()*180
		return orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + r.Float64()*size, y + r.Float64()*size}}
	}
	for _, n := range []int{0, 1, 15, 16, 17, 257, 5000} {
		bounds := make([]orb.Bound, n)
		ok := make([]bool, n)
		for i := range bounds {
			size := 0.0 // points
			if i%3 == 0 {
				size = 5 // lines and polygons
			}
			bounds[i], ok[i] = box(size), i%11 != 0
		}
		tr := newRTree(bounds, ok)
		for range 200 {
			q := box(40)
			got := tr.search(q, nil)
			slices.Sort(got)
			var want []int32
			for i, b := range bounds {
				if ok[i] && intersects(b, q) {
					want = append(want, int32(i))
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d q=%v: got %v, want %v", n, q, got, want)
			}
		}
	}
}
