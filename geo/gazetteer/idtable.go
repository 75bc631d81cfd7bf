package gazetteer

import "math/bits"

// idTable maps GeoNames IDs to entry positions: open addressing, linear probing, at
// most half full, 8 bytes a slot and no pointers (a Go map of 200,000 ints costs
// more memory, a pointer-heavy heap for the collector, and cannot be written to the
// snapshot as it is).
type idTable struct {
	shift uint // 64 - log2(len(slots))
	slots []idSlot
	n     int
}

type idSlot struct {
	id  uint32 // 0 marks an empty slot
	val int32
}

// newIDTable returns a table for up to n IDs.
func newIDTable(n int) idTable {
	size := 1 << max(bits.Len(uint(2*n-1)), 4) // at most half full
	return idTable{shift: uint(64 - bits.Len(uint(size-1))), slots: make([]idSlot, size)}
}

// find returns the slot of id: its own, or the empty one where it belongs.
func (t *idTable) find(id uint32) *idSlot {
	mask := uint64(len(t.slots) - 1)
	for i := (uint64(id) * hashMul1) >> t.shift; ; i = (i + 1) & mask {
		if s := &t.slots[i]; s.id == 0 || s.id == id {
			return s
		}
	}
}

// add adds id with val; it reports false, changing nothing, when id is there already.
// id must not be 0.
func (t *idTable) add(id uint32, val int32) bool {
	s := t.find(id)
	if s.id != 0 {
		return false
	}
	if 2*(t.n+1) > len(t.slots) {
		old := t.slots
		t.slots, t.shift = make([]idSlot, 2*len(old)), t.shift-1
		for _, o := range old {
			if o.id != 0 {
				*t.find(o.id) = o
			}
		}
		s = t.find(id)
	}
	*s = idSlot{id, val}
	t.n++
	return true
}

// shrink makes the table as small as its IDs allow (at most half full).
func (t *idTable) shrink() {
	small := newIDTable(t.n)
	if len(small.slots) >= len(t.slots) {
		return
	}
	for _, o := range t.slots {
		if o.id != 0 {
			*small.find(o.id) = o
		}
	}
	small.n = t.n
	*t = small
}

// get returns the value of id.
func (t *idTable) get(id uint32) (int32, bool) {
	if id == 0 || len(t.slots) == 0 {
		return 0, false
	}
	s := t.find(id)
	return s.val, s.id != 0
}
