package gazetteer

import "math/bits"

// Multipliers of strHash: odd 64-bit constants with their bits well spread.
const (
	hashMul1 = 0xa0761d6478bd642f
	hashMul2 = 0xe7037ed1a0b428db
	hashMul3 = 0x8ebc6af09c88c6e3
)

// hashMix folds the 128-bit product of a and b: every bit of the result depends on
// every bit of a (b is odd).
func hashMix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// strHash is a 64-bit hash of s that is the same in every process and on every
// machine, unlike hash/maphash (whose seed is per process): the tables built with it
// (wordTable, the fuzzy index) are written to the snapshot as they are. The keys are
// the gazetteer's own names, so no seed is needed against chosen collisions; a query
// only probes the table, whose clusters the data fixes.
func strHash[T string | []byte](s T) uint64 {
	n := len(s)
	h := uint64(n) ^ hashMul3
	switch {
	case n > 8:
		for i := 0; i+8 < n; i += 8 {
			h = hashMix(h^load64(s[i:]), hashMul1)
		}
		// the last 8 bytes, overlapping the chunk before: no loop over a tail
		h = hashMix(h^load64(s[n-8:]), hashMul2)
	case n == 8:
		h = hashMix(h^load64(s), hashMul2)
	case n >= 4:
		h = hashMix(h^(load32(s)|load32(s[n-4:])<<32), hashMul2)
	case n > 0:
		h = hashMix(h^(uint64(s[0])|uint64(s[n/2])<<8|uint64(s[n-1])<<16), hashMul2)
	}
	return hashMix(h, hashMul1)
}

// load64 reads the first 8 bytes of s, little-endian.
func load64[T string | []byte](s T) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// load32 reads the first 4 bytes of s, little-endian.
func load32[T string | []byte](s T) uint64 {
	_ = s[3]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24
}
