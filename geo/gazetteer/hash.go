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
	h := uint64(len(s)) ^ hashMul3
	for len(s) >= 8 {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		h = hashMix(h^w, hashMul1)
		s = s[8:]
	}
	if len(s) > 0 {
		var w uint64
		for i := 0; i < len(s); i++ {
			w |= uint64(s[i]) << (8 * i)
		}
		h = hashMix(h^w, hashMul2)
	}
	return hashMix(h, hashMul1)
}
