package layerstore

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// rtreeNodeSize is the fan-out of the packed R-tree.
const rtreeNodeSize = 16

// rtree is a static R-tree over item bounds, packed by Sort-Tile-Recursive at the leaf
// level. It is built once per layer version and written into the index, where queries
// read it (index.search).
type rtree struct {
	// items holds item indices in leaf order; itemBounds[i] is the bound of items[i].
	items      []int32
	itemBounds []orb.Bound
	// levels[0] groups items, levels[k] groups nodes of levels[k-1]; the last level has
	// exactly one node (the root) unless the tree is empty.
	levels [][]rnode
}

type rnode struct {
	b            orb.Bound
	first, count int32
}

// newRTree builds a tree over the given bounds; ok[i] false leaves item i out (a feature
// without geometry).
func newRTree(bounds []orb.Bound, ok []bool) *rtree {
	t := &rtree{}
	for i := range bounds {
		if ok[i] {
			t.items = append(t.items, int32(i))
		}
	}
	n := len(t.items)
	if n == 0 {
		return t
	}
	center := func(i int32) orb.Point { return bounds[i].Center() }
	// Sort-Tile-Recursive: slabs by x, then by y within each slab.
	slices.SortFunc(t.items, func(a, b int32) int { return cmpFloat(center(a)[0], center(b)[0]) })
	leaves := (n + rtreeNodeSize - 1) / rtreeNodeSize
	slabs := int(math.Ceil(math.Sqrt(float64(leaves))))
	slabSize := slabs * rtreeNodeSize
	for s := 0; s < n; s += slabSize {
		e := min(s+slabSize, n)
		slices.SortFunc(t.items[s:e], func(a, b int32) int { return cmpFloat(center(a)[1], center(b)[1]) })
	}
	t.itemBounds = make([]orb.Bound, n)
	for i, it := range t.items {
		t.itemBounds[i] = bounds[it]
	}
	// Leaf level over items.
	level := groupBounds(t.itemBounds)
	t.levels = append(t.levels, level)
	for len(level) > 1 {
		bs := make([]orb.Bound, len(level))
		for i, nd := range level {
			bs[i] = nd.b
		}
		level = groupBounds(bs)
		t.levels = append(t.levels, level)
	}
	return t
}

func groupBounds(bs []orb.Bound) []rnode {
	out := make([]rnode, 0, (len(bs)+rtreeNodeSize-1)/rtreeNodeSize)
	for s := 0; s < len(bs); s += rtreeNodeSize {
		e := min(s+rtreeNodeSize, len(bs))
		b := bs[s]
		for _, x := range bs[s+1 : e] {
			b = b.Union(x)
		}
		out = append(out, rnode{b: b, first: int32(s), count: int32(e - s)})
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// intersects reports whether two bounds share any point, edges included.
func intersects(a, b orb.Bound) bool {
	return a.Min[0] <= b.Max[0] && b.Min[0] <= a.Max[0] &&
		a.Min[1] <= b.Max[1] && b.Min[1] <= a.Max[1]
}
