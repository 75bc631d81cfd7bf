package layerstore

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// TestRTreeMatchesScan compares the packed R-tree, as the index holds it, with a linear
// scan on random boxes.
func TestRTreeMatchesScan(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	box := func(size float64) orb.Bound {
		x, y := -170+r.Float64()*340, -80+r.Float64()*160
		return orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + r.Float64()*size, y + r.Float64()*size}}
	}
	for _, n := range []int{0, 1, 15, 16, 17, 257, 5000} {
		bounds := make([]orb.Bound, n)
		ok := make([]bool, n)
		var fs []string
		for i := range bounds {
			size := 0.0 // points
			if i%3 == 0 {
				size = 5 // lines and polygons
			}
			bounds[i], ok[i] = box(size), i%11 != 0
			geom := "null"
			if ok[i] {
				b := bounds[i]
				geom = fmt.Sprintf(`{"type":"LineString","coordinates":[[%g,%g],[%g,%g]]}`, b.Min[0], b.Min[1], b.Max[0], b.Max[1])
			}
			fs = append(fs, fmt.Sprintf(`{"type":"Feature","id":"f%05d","geometry":%s,"properties":{}}`, i, geom))
		}
		l, err := parseLayer("t", []byte(`{"type":"FeatureCollection","features":[`+strings.Join(fs, ",")+`]}`))
		if err != nil {
			t.Fatal(err)
		}
		for range 200 {
			q := box(40)
			got := l.Intersecting(q)
			var want []int
			for i, b := range bounds {
				if ok[i] && intersects(b, q) {
					want = append(want, i) // ids f00000… keep the file's order
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d q=%v: got %v, want %v", n, q, got, want)
			}
		}
	}
}
