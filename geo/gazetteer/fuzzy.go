package gazetteer

import (
	"hash/maphash"
	"slices"
	"sort"
	"unicode/utf8"
)

// minFuzzyLen is the shortest key (in letters) that takes part in fuzzy matching.
const minFuzzyLen = 4

// fuzzyIndex is a SymSpell-style deletion index for edit distance 1: every
// notable key is stored under its own hash and the hashes of its one-letter
// deletions. Hash collisions only add candidates, which are verified.
type fuzzyIndex struct {
	seed  maphash.Seed
	keys  []string
	items []fuzzyItem // sorted by hash
}

type fuzzyItem struct {
	hash uint64
	key  int32
}

func (g *Gazetteer) buildFuzzy() *fuzzyIndex {
	fx := &fuzzyIndex{seed: maphash.MakeSeed()}
	for k, v := range g.index {
		if utf8.RuneCountInString(k) < minFuzzyLen || !g.anyNotable(v) || g.onlyVariants(k, v) {
			continue
		}
		fx.keys = append(fx.keys, k)
	}
	sort.Strings(fx.keys) // deterministic order of results
	fx.items = make([]fuzzyItem, 0, len(fx.keys)*11)
	var buf []byte
	for ki, k := range fx.keys {
		fx.items = append(fx.items, fuzzyItem{maphash.String(fx.seed, k), int32(ki)})
		prev := ""
		for i, r := range k {
			buf = append(append(buf[:0], k[:i]...), k[i+utf8.RuneLen(r):]...)
			if string(buf) == prev { // "ll" → same deletion twice
				continue
			}
			prev = string(buf)
			fx.items = append(fx.items, fuzzyItem{maphash.Bytes(fx.seed, buf), int32(ki)})
		}
	}
	slices.SortFunc(fx.items, func(a, b fuzzyItem) int {
		switch {
		case a.hash < b.hash:
			return -1
		case a.hash > b.hash:
			return 1
		}
		return int(a.key - b.key)
	})
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

func (fx *fuzzyIndex) find(h uint64, fn func(key int32)) {
	i := sort.Search(len(fx.items), func(i int) bool { return fx.items[i].hash >= h })
	for ; i < len(fx.items) && fx.items[i].hash == h; i++ {
		fn(fx.items[i].key)
	}
}

// Fuzzy returns the notable entries (countries, admin1, curated, places with
// population ≥ 10000 or PPLA/PPLC) having a name at Damerau-Levenshtein
// distance 1 from key (a normalized key of at least 4 letters). Exact matches
// are excluded. The index is built on the first call.
func (g *Gazetteer) Fuzzy(key string) []FuzzyMatch {
	if utf8.RuneCountInString(key) < minFuzzyLen {
		return nil
	}
	g.fuzzyOnce.Do(func() { g.fuzzy = g.buildFuzzy() })
	fx := g.fuzzy
	seen := map[int32]bool{}
	var cands []int32
	collect := func(k int32) {
		if !seen[k] {
			seen[k] = true
			cands = append(cands, k)
		}
	}
	fx.find(maphash.String(fx.seed, key), collect)
	var buf []byte
	for i, r := range key {
		buf = append(append(buf[:0], key[:i]...), key[i+utf8.RuneLen(r):]...)
		fx.find(maphash.Bytes(fx.seed, buf), collect)
	}
	slices.Sort(cands)
	var out []FuzzyMatch
	for _, k := range cands {
		name := fx.keys[k]
		if name == key || osaDistance(key, name, 1) != 1 {
			continue
		}
		for _, e := range g.Lookup(name) {
			if e.Notable() {
				out = append(out, FuzzyMatch{Entry: e, Name: name, Distance: 1})
			}
		}
	}
	return out
}

// osaDistance is the optimal string alignment (restricted Damerau-Levenshtein)
// distance between a and b over runes, or max+1 when it exceeds max.
func osaDistance(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > max || -d > max {
		return max + 1
	}
	n, m := len(ra), len(rb)
	prev2 := make([]int, m+1)
	prev := make([]int, m+1)
	cur := make([]int, m+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= n; i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= m; j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	if prev[m] > max {
		return max + 1
	}
	return prev[m]
}
