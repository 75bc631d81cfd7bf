package resolve

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDistanceCos: distanceCos gives Distance to the bit, so that resolution's scores
// do not move.
func TestDistanceCos(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pts := [][2]float64{{0, 0}, {90, 180}, {-90, -180}, {39.8177, 46.7528}, {39.8177, 46.7528}, {52.52, 13.405}, {-33.87, 151.21}}
	for range 20000 {
		pts = append(pts, [2]float64{rng.Float64()*180 - 90, rng.Float64()*360 - 180})
	}
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		want := Distance(a[0], a[1], b[0], b[1])
		got := distanceCos(a[0], a[1], cosLat(a[0]), b[0], b[1], cosLat(b[0]))
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("distanceCos(%v, %v) = %v, Distance %v", a, b, got, want)
		}
	}
}
