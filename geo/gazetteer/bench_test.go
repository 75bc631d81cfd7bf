package gazetteer_test

import (
	"testing"

	"newsmap/geo/gazetteer"
)

func BenchmarkLoad(b *testing.B) {
	fsys := gazFS(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := gazetteer.Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

var benchKeys = []string{"eriwan", "moskau", "bergkarabach", "kaspisches meer", "berlin", "no such place", "stepanakert", "paris"}

func BenchmarkLookup(b *testing.B) {
	g := load(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		g.Lookup(benchKeys[i%len(benchKeys)])
		i++
	}
}

// BenchmarkFuzzy asks five keys in turn: after the first round Fuzzy answers from its
// memo (BenchmarkFuzzyFind measures the index).
func BenchmarkFuzzy(b *testing.B) {
	g := load(b)
	g.Fuzzy("warmup") // builds the index
	keys := []string{"stepansakert", "aserbaidschn", "bergkarabah", "moskua", "eriwna"}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		g.Fuzzy(keys[i%len(keys)])
		i++
	}
}
