package cluster

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

func TestGrid(t *testing.T) {
	// three points in Yerevan, one in Moscow, one in Washington
	pts := []orb.Point{{44.51, 40.18}, {44.52, 40.19}, {44.50, 40.17}, {37.62, 55.75}, {-77.04, 38.90}}
	ids := []string{"y1", "y2", "y3", "moscow", "dc"}
	tests := []struct {
		zoom     int
		max      int
		want     []int // counts, largest first
		wantLeft int
		single   string // id of the first single cluster
	}{
		{zoom: 4, want: []int{3, 1, 1}, single: "dc"},
		{zoom: 4, max: 2, want: []int{3, 1}, wantLeft: 1, single: "dc"},
		{zoom: 0, want: []int{4, 1}, single: "dc"}, // at zoom 0 Moscow and Yerevan share a cell
		{zoom: 18, want: []int{1, 1, 1, 1, 1}, single: "dc"},
	}
	for _, tt := range tests {
		got, left, err := Grid(pts, tt.zoom, 60, tt.max)
		if err != nil {
			t.Fatal(err)
		}
		var counts []int
		for _, c := range got {
			counts = append(counts, c.Count)
		}
		if len(counts) != len(tt.want) || left != tt.wantLeft {
			t.Fatalf("zoom %d max %d: counts %v left %d, want %v left %d", tt.zoom, tt.max, counts, left, tt.want, tt.wantLeft)
		}
		for i := range counts {
			if counts[i] != tt.want[i] {
				t.Errorf("zoom %d: counts %v, want %v", tt.zoom, counts, tt.want)
			}
		}
		for _, c := range got {
			if c.Count == 1 {
				if ids[c.First] != tt.single {
					t.Errorf("zoom %d: first single cluster %q, want %q (west first)", tt.zoom, ids[c.First], tt.single)
				}
				break
			}
		}
	}
	got, _, _ := Grid(pts, 4, 60, 0)
	y := got[0]
	if y.Count != 3 || y.Point[0] < 44.50 || y.Point[0] > 44.52 || y.Bound.Min != (orb.Point{44.50, 40.17}) || y.Bound.Max != (orb.Point{44.52, 40.19}) {
		t.Errorf("Yerevan cluster %+v: want the mean position and the members' bound", y)
	}
}

func TestGridEdges(t *testing.T) {
	if _, _, err := Grid(nil, -1, 60, 0); !errors.Is(err, ErrZoom) {
		t.Errorf("zoom -1: %v", err)
	}
	got, left, err := Grid(nil, 3, 60, 10)
	if err != nil || len(got) != 0 || left != 0 {
		t.Errorf("no points: %v %d %v", got, left, err)
	}
	// the poles and the antimeridian do not panic or leave the grid
	pts := []orb.Point{{180, 90}, {-180, -90}, {179.999, 0}, {-180, 0}}
	got, _, err = Grid(pts, 2, 60, 0)
	total := 0
	for _, c := range got {
		total += c.Count
	}
	if err != nil || total != len(pts) {
		t.Errorf("edges: %v %v", got, err)
	}
}

func BenchmarkGrid100k(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	pts := make([]orb.Point, 100000)
	for i := range pts {
		pts[i] = orb.Point{r.Float64()*100 - 10, r.Float64()*50 + 20}
	}
	b.ReportAllocs()
	for b.Loop() {
		Grid(pts, 5, 60, 2000)
	}
}
