package gazetteer

import (
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"
)

// minFuzzyLen is the shortest key (in letters) that takes part in fuzzy matching.
const minFuzzyLen = 4

// fuzzyIndex is a SymSpell-style deletion index for edit distance 1: every notable key
// is stored under its own hash and the hashes of its one-letter deletions. The hashes
// are bucketed by their top bits (a counting sort, linear in the keys, instead of a
// comparison sort of every hash), so a lookup reads one bucket of a few items rather
// than binary-searching millions. Hash collisions only add candidates, which are
// verified. The hash is strHash, the same in every process: the index is written to
// the snapshot as it is.
type fuzzyIndex struct {
	keys   []string
	shift  uint        // 64 - log2(number of buckets)
	starts []uint32    // bucket b holds items[starts[b]:starts[b+1]]
	items  []fuzzyItem // grouped by bucket
}

// fuzzyItem is one hash of the index: its low 32 bits (the bucket gives the top ones)
// and the key it was made from.
type fuzzyItem struct {
	lo  uint32
	key int32
}

func (g *Gazetteer) buildFuzzy() *fuzzyIndex {
	fx := &fuzzyIndex{}
	for k, v := range g.index.all() {
		if utf8.RuneCountInString(k) < minFuzzyLen || !g.anyNotable(v) || g.onlyVariants(k, v) {
			continue
		}
		fx.keys = append(fx.keys, k)
	}
	// The hashes of every key and its deletions, in key order; then a counting sort of
	// them into buckets of about four.
	hashes := make([]uint64, 0, len(fx.keys)*11)
	ends := make([]uint32, len(fx.keys)) // key i's hashes end at ends[i]
	var buf []byte
	for ki, k := range fx.keys {
		hashes = append(hashes, strHash(k))
		prev := rune(-1)
		for i, r := range k {
			if r == prev { // "ll": deleting either l gives the same string
				continue
			}
			prev = r
			buf = append(append(buf[:0], k[:i]...), k[i+utf8.RuneLen(r):]...)
			hashes = append(hashes, strHash(buf))
		}
		ends[ki] = uint32(len(hashes))
	}
	nb := bits.Len(uint(len(hashes)/4)) + 1 // log2 of the buckets: 2–4 items each
	fx.shift = uint(64 - nb)
	fx.starts = make([]uint32, 1<<nb+1)
	for _, h := range hashes {
		fx.starts[h>>fx.shift+1]++
	}
	for b := 1; b < len(fx.starts); b++ {
		fx.starts[b] += fx.starts[b-1]
	}
	fill := slices.Clone(fx.starts[:len(fx.starts)-1])
	fx.items = make([]fuzzyItem, len(hashes))
	ki := 0
	for i, h := range hashes {
		for uint32(i) >= ends[ki] {
			ki++
		}
		b := h >> fx.shift
		fx.items[fill[b]] = fuzzyItem{uint32(h), int32(ki)}
		fill[b]++
	}
	return fx
}

func (g *Gazetteer) anyNotable(v int32) bool {
	if v >= 0 {
		return g.entries[v].Notable()
	}
	for _, i := range g.postings[-v-1] {
		if g.entries[i].Notable() {
			return true
		}
	}
	return false
}

// maxFuzzyProbes is the number of hashes fuzzyFind keeps on the stack: a key of up to
// 47 letters and its deletions (longer keys spill to the heap).
const maxFuzzyProbes = 48

// maxFuzzyMemo bounds the keys whose Fuzzy answer is kept: a build asks about the
// same capitalised words in article after article.
const maxFuzzyMemo = 1 << 16

// Fuzzy returns the notable entries (countries, admin1, curated, places with
// population ≥ 10000 or PPLA/PPLC) having a name at Damerau-Levenshtein
// distance 1 from key (a normalized key of at least 4 letters), in the order of
// their names, then of Lookup. Exact matches are excluded. The index is built on
// the first call. The answers to the first maxFuzzyMemo keys asked are kept and
// shared: callers must not modify the slice.
func (g *Gazetteer) Fuzzy(key string) []FuzzyMatch {
	if utf8.RuneCountInString(key) < minFuzzyLen {
		return nil
	}
	if v, ok := g.fuzzyMemo.Load(key); ok {
		return v.([]FuzzyMatch)
	}
	out := g.fuzzyFind(key)
	if g.fuzzyMemoLen.Load() < maxFuzzyMemo && g.fuzzyMemoLen.Add(1) <= maxFuzzyMemo {
		g.fuzzyMemo.Store(strings.Clone(key), out)
	}
	return out
}

// fuzzyFind answers Fuzzy from the index.
func (g *Gazetteer) fuzzyFind(key string) []FuzzyMatch {
	g.fuzzyOnce.Do(func() { g.fuzzy = g.buildFuzzy() })
	fx := g.fuzzy
	// The key's hash and those of its one-letter deletions, then the buckets of all of
	// them, then their items: each step's reads do not wait for one another, so the
	// processor overlaps their cache misses instead of taking them one by one.
	var hashArr [maxFuzzyProbes]uint64
	hashes := append(hashArr[:0], strHash(key))
	var buf [64]byte
	for i, r := range key {
		del := append(append(buf[:0], key[:i]...), key[i+utf8.RuneLen(r):]...)
		hashes = append(hashes, strHash(del))
	}
	var fromArr, toArr [maxFuzzyProbes]uint32
	from, to := fromArr[:0], toArr[:0]
	for _, h := range hashes {
		b := h >> fx.shift
		from, to = append(from, fx.starts[b]), append(to, fx.starts[b+1])
	}
	var arr [32]int32
	cands := arr[:0]
	for j, h := range hashes {
		for _, it := range fx.items[from[j]:to[j]] {
			if it.lo == uint32(h) && !slices.Contains(cands, it.key) {
				cands = append(cands, it.key)
			}
		}
	}
	n := 0
	for _, k := range cands {
		if name := fx.keys[k]; name != key && oneEdit(key, name) {
			cands[n] = k
			n++
		}
	}
	cands = cands[:n]
	slices.SortFunc(cands, func(a, b int32) int { return strings.Compare(fx.keys[a], fx.keys[b]) })
	var out []FuzzyMatch
	for _, k := range cands {
		name := fx.keys[k]
		for _, e := range g.Lookup(name) {
			if e.Notable() {
				out = append(out, FuzzyMatch{Entry: e, Name: name, Distance: 1})
			}
		}
	}
	return out
}

// oneEdit reports whether the optimal string alignment (restricted Damerau-Levenshtein)
// distance between a and b, over runes, is at most 1: equal, or one rune substituted,
// inserted or deleted, or two adjacent runes swapped.
func oneEdit(a, b string) bool {
	// strip the common prefix and suffix (bytewise, then back to a rune boundary)
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	for p > 0 && (p < len(a) && !utf8.RuneStart(a[p]) || p < len(b) && !utf8.RuneStart(b[p])) {
		p--
	}
	a, b = a[p:], b[p:]
	s := 0
	for s < len(a) && s < len(b) && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	for s > 0 && (!utf8.RuneStart(a[len(a)-s]) || !utf8.RuneStart(b[len(b)-s])) {
		s--
	}
	a, b = a[:len(a)-s], b[:len(b)-s]
	na, nb := utf8.RuneCountInString(a), utf8.RuneCountInString(b)
	switch {
	case na == 0 && nb == 0:
		return true
	case na+nb == 1, na == 1 && nb == 1:
		return true // one insertion, deletion or substitution
	case na == 2 && nb == 2:
		ra, rb := []rune(a), []rune(b) // at most 8 bytes each
		return ra[0] == rb[1] && ra[1] == rb[0]
	}
	return false
}
