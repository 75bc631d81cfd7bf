package layers_test

import (
	"testing"

	"newsmap/geo/gazetteer/gazettest"
	"newsmap/pipeline/layers"
)

// BenchmarkExtract: an article's contribution to the layers once it is geoparsed (the
// encoded mention features above all), for the test corpus, by one extractor as a
// build goroutine uses it. SetBytes is the size of the features made.
func BenchmarkExtract(b *testing.B) {
	docs := corpus(b)
	x := layers.NewExtractor(gazettest.Load(b))
	var size int64
	for _, d := range docs {
		r, err := x.Extract(d)
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range r.Mentions {
			size += int64(len(m))
		}
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			if _, err := x.Extract(d); err != nil {
				b.Fatal(err)
			}
		}
	}
}
