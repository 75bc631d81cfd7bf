package main

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestSplitAntimeridian(t *testing.T) {
	// a square from 170°E to 170°W written with the jump Natural Earth has
	crossing := orb.Polygon{{{170, 60}, {-170, 60}, {-170, 70}, {170, 70}, {170, 60}}}
	parts := splitAntimeridian(crossing)
	if len(parts) != 2 {
		t.Fatalf("got %d parts, want 2", len(parts))
	}
	for _, p := range parts {
		b := p.Bound()
		if b.Max[0]-b.Min[0] > 10.0001 || b.Min[0] < -180 || b.Max[0] > 180 {
			t.Errorf("part %v spans %v", p, b)
		}
		for i := 1; i < len(p[0]); i++ {
			if math.Abs(p[0][i][0]-p[0][i-1][0]) > 180 {
				t.Errorf("part still jumps: %v", p[0])
			}
		}
	}
	plain := orb.Polygon{{{10, 10}, {20, 10}, {20, 20}, {10, 10}}}
	if got := splitAntimeridian(plain); len(got) != 1 || !got[0].Equal(plain) {
		t.Errorf("a polygon that does not cross changed: %v", got)
	}
}
