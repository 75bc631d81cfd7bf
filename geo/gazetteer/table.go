package gazetteer

import (
	"iter"
	"math/bits"
	"unsafe"
)

// wordTable is an immutable set of strings with an int32 each: open addressing,
// linear probing, at most half full, the keys packed into one arena. Its hash
// (strHash) is the same in every process, so a table is written to and read from the
// snapshot as its four arrays. Recognition asks
// several questions of every distinct word of every article (does a name start or end
// with it, is it a common word); a Go map of 50,000 words with its keys spread over a
// 300 MB heap costs a cache and TLB miss or two per question, while this table (16
// bytes a slot, the keys together) stays in the caches.
//
// Most words asked about are not in the table (a capitalised word rarely opens a
// multi-word name), so a blocked Bloom filter of a few bits a key, small enough to stay
// in the core's cache, answers most absent words without touching the slots.
type wordTable struct {
	shift  uint // 64 - log2(len(slots))
	slots  []wordSlot
	arena  []byte
	n      int
	filter []uint64 // len a power of two; a key sets filterBits bits of one word
}

// filterBits is the number of bits a key sets in its filter word; with about four keys
// a word, one absent key in a few hundred passes the filter.
const filterBits = 4

type wordSlot struct {
	off uint32 // offset of the key in arena, plus one; 0 marks an empty slot
	n   uint32 // length of the key
	tag uint32 // low bits of the key's hash
	val int32
}

// newWordTable returns a table for up to n keys.
func newWordTable(n int) *wordTable {
	size := 1 << max(bits.Len(uint(2*n-1)), 4) // at most half full
	return &wordTable{shift: uint(64 - bits.Len(uint(size-1))), slots: make([]wordSlot, size),
		filter: make([]uint64, 1<<max(bits.Len(uint(n/4)), 1))}
}

// filterMask returns the filter word of hash h and the bits the key sets in it.
func (t *wordTable) filterMask(h uint64) (*uint64, uint64) {
	var m uint64
	for i := range filterBits {
		m |= 1 << (h >> (6 * i) & 63)
	}
	return &t.filter[(h>>32)&uint64(len(t.filter)-1)], m
}

// find returns the slot of key: its own, or the empty one where it belongs.
func (t *wordTable) find(key string) *wordSlot { return t.findHash(key, strHash(key)) }

func (t *wordTable) findHash(key string, h uint64) *wordSlot {
	tag := uint32(h)
	mask := uint64(len(t.slots) - 1)
	for i := h >> t.shift; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.off == 0 || s.tag == tag && int(s.n) == len(key) && string(t.arena[s.off-1:s.off-1+s.n]) == key {
			return s
		}
	}
}

// set sets key's value, adding the key when it is new; update decides the value
// from the old one (found tells whether there was one).
func (t *wordTable) set(key string, update func(old int32, found bool) int32) {
	h := strHash(key)
	s := t.findHash(key, h)
	if s.off != 0 {
		s.val = update(s.val, true)
		return
	}
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
		s = t.findHash(key, h)
	}
	*s = wordSlot{off: uint32(len(t.arena)) + 1, n: uint32(len(key)), tag: uint32(h), val: update(0, false)}
	w, m := t.filterMask(h)
	*w |= m
	t.arena = append(t.arena, key...)
	t.n++
}

func (t *wordTable) grow() {
	old := t.slots
	bigger := &wordTable{shift: t.shift - 1, slots: make([]wordSlot, 2*len(old)), arena: t.arena, filter: t.filter}
	for _, s := range old {
		if s.off != 0 {
			*bigger.find(string(t.arena[s.off-1 : s.off-1+s.n])) = s
		}
	}
	t.shift, t.slots = bigger.shift, bigger.slots
}

// shrink makes the table as small as its keys allow (at most half full), for a table
// sized generously while it was filled.
func (t *wordTable) shrink() {
	small := newWordTable(t.n)
	if len(small.slots) >= len(t.slots) && len(small.filter) >= len(t.filter) {
		return
	}
	for _, s := range t.slots {
		if s.off != 0 {
			key := t.arena[s.off-1 : s.off-1+s.n]
			h := strHash(key)
			*small.findHash(unsafe.String(&key[0], len(key)), h) = s
			w, m := small.filterMask(h)
			*w |= m
		}
	}
	t.shift, t.slots, t.filter = small.shift, small.slots, small.filter
}

// get returns key's value.
func (t *wordTable) get(key string) (int32, bool) {
	if t == nil {
		return 0, false
	}
	h := strHash(key)
	if w, m := t.filterMask(h); *w&m != m {
		return 0, false
	}
	s := t.findHash(key, h)
	return s.val, s.off != 0
}

// has reports whether key is in the table.
func (t *wordTable) has(key string) bool {
	_, ok := t.get(key)
	return ok
}

// all yields the keys (views into the arena, which is not changed once the table is
// built) and their values, in slot order.
func (t *wordTable) all() iter.Seq2[string, int32] {
	return func(yield func(string, int32) bool) {
		for _, s := range t.slots {
			if s.off == 0 {
				continue
			}
			k := ""
			if s.n > 0 {
				k = unsafe.String(&t.arena[s.off-1], s.n)
			}
			if !yield(k, s.val) {
				return
			}
		}
	}
}

// len is the number of keys.
func (t *wordTable) len() int {
	if t == nil {
		return 0
	}
	return t.n
}
