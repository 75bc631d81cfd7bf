// Package layertest writes synthetic point layers for the tests and benchmarks of the
// packages that serve layers (tiles, web, web/ogc).
package layertest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsmap/geo/layerstore"
)

// Spec describes a synthetic layer.
type Spec struct {
	// Name of the layer; "big" when empty.
	Name string
	// N is the number of Point features; their ids are s000000, s000001, ...
	N int
	// Seed of the random points and properties.
	Seed [2]uint64
	// MinLon, MinLat, DLon, DLat: the points fall uniformly in
	// [MinLon, MinLon+DLon] × [MinLat, MinLat+DLat].
	MinLon, MinLat, DLon, DLat float64
	// Props returns the members of feature i's properties after "id", such as
	// `"name":"Place 1"`; it may draw from r (after the point's coordinates).
	Props func(i int, r *rand.Rand) string
}

// Open writes the layer into a new temporary folder and opens that folder as a store.
func Open(tb testing.TB, s Spec) *layerstore.Store {
	tb.Helper()
	if s.Name == "" {
		s.Name = "big"
	}
	dir := tb.TempDir()
	r := rand.New(rand.NewPCG(s.Seed[0], s.Seed[1]))
	var sb strings.Builder
	sb.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := range s.N {
		if i > 0 {
			sb.WriteByte(',')
		}
		lon, lat := s.MinLon+r.Float64()*s.DLon, s.MinLat+r.Float64()*s.DLat
		fmt.Fprintf(&sb, `{"type":"Feature","id":"s%06d","geometry":{"type":"Point","coordinates":[%.5f,%.5f]},"properties":{"id":"s%06d"`, i, lon, lat, i)
		if s.Props != nil {
			sb.WriteByte(',')
			sb.WriteString(s.Props(i, r))
		}
		sb.WriteString(`}}`)
	}
	sb.WriteString(`]}`)
	if err := os.WriteFile(filepath.Join(dir, s.Name+".geojson"), []byte(sb.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	st, err := layerstore.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// Layer is Open followed by the layer.
func Layer(tb testing.TB, s Spec) *layerstore.Layer {
	tb.Helper()
	return Open(tb, s).Snapshot().Layers()[0]
}
