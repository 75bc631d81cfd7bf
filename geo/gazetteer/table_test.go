package gazetteer

import (
	"fmt"
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
