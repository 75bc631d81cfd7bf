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

// BenchmarkLoadSnapshot reads the gazetteer from a snapshot (written before the timer
// starts), the load of every run after the first.
func BenchmarkLoadSnapshot(b *testing.B) {
	fsys, dir := gazFS(b), b.TempDir()
	if _, st, err := gazetteer.LoadCached(fsys, gazetteer.SnapshotOptions{Dir: dir}); err != nil || !st.Written {
		b.Fatalf("writing the snapshot: %+v, %v", st, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_, st, err := gazetteer.LoadCached(fsys, gazetteer.SnapshotOptions{Dir: dir})
		if err != nil || !st.Read {
			b.Fatalf("%+v, %v", st, err)
		}
	}
}
