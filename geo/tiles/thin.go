package tiles

import "math"

// DefaultMaxPoints is the most point features a tile holds before its points are
// thinned (Options.MaxPoints).
const DefaultMaxPoints = 16384

// PointCount is the property of a point that stands for others in a thinned tile: how
// many points of the layer it stands for, itself included.
const PointCount = "point_count"

// minCell is the finest grid a tile's points are thinned on, in tile units.
const minCell = 4

// thinGrid decides which of a tile's points are drawn when there are more than max: the
// points (tile coordinates, in id order) are grouped on the finest grid of square cells,
// from minCell tile units doubling, that leaves at most max groups, and each group is
// drawn as its most prominent point (weights, schema.Prominence: the most mentioned
// place, the surest mention), the first in id order among equals. It returns, for each
// point, how many points it stands for (0: not drawn), or nil when all are drawn. Both
// renderers (encode, RenderFeatures) thin with it, so that they draw the same tiles.
func thinGrid(xs, ys, weights []float64, max int) []int32 {
	if max <= 0 || len(xs) <= max {
		return nil
	}
	cells := make(map[uint64]int32, max)
	for cell := float64(minCell); ; cell *= 2 {
		clear(cells)
		for k := range xs {
			key := cellKey(xs[k], ys[k], cell)
			if _, ok := cells[key]; !ok {
				cells[key] = int32(k)
				if len(cells) > max {
					break
				}
			}
		}
		if len(cells) > max {
			continue
		}
		// cells holds each cell's first point; move it to the cell's most prominent.
		for k := range xs {
			key := cellKey(xs[k], ys[k], cell)
			if best := cells[key]; weights[k] > weights[best] {
				cells[key] = int32(k)
			}
		}
		counts := make([]int32, len(xs))
		for k := range xs {
			counts[cells[cellKey(xs[k], ys[k], cell)]]++
		}
		return counts
	}
}

// cellKey packs the cell of (x, y) on a grid of the given size (tile coordinates may be
// negative within the buffer).
func cellKey(x, y, cell float64) uint64 {
	cx, cy := int32(math.Floor(x/cell)), int32(math.Floor(y/cell))
	return uint64(uint32(cx))<<32 | uint64(uint32(cy))
}

// countValue is the MVT Value message of a point count (uint_value, field 5).
func countValue(n int32) []byte {
	b := []byte{5 << 3 /* varint */}
	for v := uint64(n); ; v >>= 7 {
		if v < 0x80 {
			return append(b, byte(v))
		}
		b = append(b, byte(v)|0x80)
	}
}
