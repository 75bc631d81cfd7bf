package gazetteer

import (
	"fmt"
	"strings"
	"testing"
)

func TestWordTable(t *testing.T) {
	tab := newWordTable(2) // grows
	want := map[string]int32{}
	for i := range 5000 {
		k := fmt.Sprintf("w%d", i*7)
		if i%10 == 0 {
			k = string(rune('a'+i%26)) + "ü" + k
		}
		want[k] = int32(i)
		tab.set(k, func(int32, bool) int32 { return int32(i) })
	}
	tab.set("w7", func(old int32, found bool) int32 {
		if !found || old != 1 {
			t.Errorf("update of w7: %d %v", old, found)
		}
		return -5
	})
	want["w7"] = -5
	if tab.len() != len(want) {
		t.Errorf("len %d, want %d", tab.len(), len(want))
	}
	for k, v := range want {
		if got, ok := tab.get(k); !ok || got != v {
			t.Errorf("get(%q) = %d, %v; want %d", k, got, ok, v)
		}
	}
	for _, k := range []string{"", "w1", "w", "w00", "aüw0x", "zzz"} {
		if _, ok := want[k]; !ok && tab.has(k) {
			t.Errorf("has(%q) without adding it", k)
		}
	}
	var empty *wordTable
	if empty.has("x") || empty.len() != 0 {
		t.Error("nil table")
	}
}

// TestWordTableFilter: the filter lets few absent keys through to the slots.
func TestWordTableFilter(t *testing.T) {
	tab := newWordTable(50000)
	for i := range 50000 {
		tab.set(fmt.Sprintf("name%d", i), func(int32, bool) int32 { return 1 })
	}
	passed := 0
	for i := range 10000 {
		k := fmt.Sprintf("word%d", i)
		if w, m := tab.filterMask(strHash(k)); *w&m == m {
			passed++
		}
		if tab.has(k) {
			t.Fatalf("has(%q)", k)
		}
	}
	if passed > 300 {
		t.Errorf("%d of 10000 absent keys pass the filter", passed)
	}
	for i := range 50000 {
		if !tab.has(fmt.Sprintf("name%d", i)) {
			t.Fatalf("name%d missing", i)
		}
	}
}

// TestStrHash: the hash is the same for a string and its bytes, fixed across processes
// (the snapshot stores tables built with it), and spreads keys that differ in one byte
// at any position over the buckets.
func TestStrHash(t *testing.T) {
	// fixed values: the hash must not depend on the process or the machine, and a
	// change to it needs a new snapshotVersion (old snapshots' tables would be wrong)
	tests := []struct {
		in   string
		want uint64
	}{
		{"", 0xe28f2b2061a2b984},
		{"a", 0x6683cd2ccbcf5b91},
		{"abcd", 0xf36a38dedc841917},
		{"eriwan", 0x1921ef85dd2def92},
		{"stepanakert", 0xe761afe80b7fd7aa},
		{"kaspisches meer", 0x940a9a46377d1d5d},
	}
	for _, tt := range tests {
		if got, gotBytes := strHash(tt.in), strHash([]byte(tt.in)); got != tt.want || gotBytes != tt.want {
			t.Errorf("strHash(%q) = %#x (of the bytes %#x), want %#x", tt.in, got, gotBytes, tt.want)
		}
	}
	for n := range 40 {
		base := []byte(strings.Repeat("x", n+1))
		buckets := map[uint64]bool{}
		for pos := range base {
			for c := byte('a'); c <= 'z'; c++ {
				b := append([]byte(nil), base...)
				b[pos] = c
				buckets[strHash(b)>>54] = true // 1024 buckets by the top bits, as the tables use them
			}
		}
		if min(26*(n+1), 1024)/2 > len(buckets) {
			t.Errorf("length %d: %d keys fall in %d buckets", n+1, 26*(n+1), len(buckets))
		}
	}
}
