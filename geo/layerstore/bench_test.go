package layerstore

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// synthetic writes a layer of n points spread over Europe and the Middle East and opens it.
func synthetic(b testing.TB, n int) *Layer {
	b.Helper()
	dir := b.TempDir()
	r := rand.New(rand.NewPCG(1, 2))
	var sb strings.Builder
	sb.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		lon, lat := -10+r.Float64()*70, 25+r.Float64()*40
		fmt.Fprintf(&sb, `{"type":"Feature","id":"s%06d","geometry":{"type":"Point","coordinates":[%.5f,%.5f]},"properties":{"id":"s%06d","name":"Place %d","article_id":"a%d","kind":"city","date":"2023-09-%02d"}}`,
			i, lon, lat, i, i, i%500, 1+i%28)
	}
	sb.WriteString(`]}`)
	if err := os.WriteFile(filepath.Join(dir, "big.geojson"), []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	s, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	l, err := s.Layer("big")
	if err != nil {
		b.Fatal(err)
	}
	return l
}

func BenchmarkQueryBBox50k(b *testing.B) {
	l := synthetic(b, 50000)
	q := Query{BBox: bbox("40,38,50,43")} // ~2% of the points
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Query(q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkQueryBBoxTimeLimit50k(b *testing.B) {
	l := synthetic(b, 50000)
	q := Query{BBox: bbox("0,35,30,55"), Time: when("2023-09-10"), Limit: 100}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Query(q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkQueryText50k(b *testing.B) {
	l := synthetic(b, 50000)
	q := Query{Q: "place 4999", Limit: 10}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Query(q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad50k(b *testing.B) {
	l := synthetic(b, 50000)
	raw, err := l.GeoJSON()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseLayer("big", raw); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(keptPerFeature(b, raw), "kept-B/feature")
}

// keptPerFeature is the heap a loaded layer keeps per feature, besides the file's bytes
// (which the caller owns): the live heap after a collection, with and without it.
func keptPerFeature(b *testing.B, data []byte) float64 {
	before := liveHeap()
	kept, err := parseLayer("kept", data)
	if err != nil {
		b.Fatal(err)
	}
	after := liveHeap()
	runtime.KeepAlive(kept)
	return float64(int64(after)-int64(before)) / float64(kept.Count())
}

// BenchmarkOpenIndexed50k: a start with the index in place (header, checksum, mapping),
// and the heap the open store keeps per feature.
func BenchmarkOpenIndexed50k(b *testing.B) {
	dir := filepath.Dir(synthetic(b, 50000).path)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Open(dir); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	before := liveHeap()
	s, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	after := liveHeap()
	b.ReportMetric(float64(int64(after)-int64(before))/50000, "kept-B/feature")
	runtime.KeepAlive(s)
}

// BenchmarkIndexBuild50k: the index of a 50k-point file written to disk, as a start
// without one does (the file is read from the page cache).
func BenchmarkIndexBuild50k(b *testing.B) {
	l := synthetic(b, 50000)
	info, err := os.Stat(l.path)
	if err != nil {
		b.Fatal(err)
	}
	st := stamp{mod: info.ModTime(), size: info.Size()}
	idx := filepath.Join(b.TempDir(), "big.idx")
	b.SetBytes(info.Size())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := buildIndexFile("big", l.path, idx, st); err != nil {
			b.Fatal(err)
		}
	}
}

// liveHeap is the heap in use after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
