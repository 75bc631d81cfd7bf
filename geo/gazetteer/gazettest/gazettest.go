// Package gazettest gives tests the embedded gazetteer, loaded once per test binary.
package gazettest

import (
	"sync"
	"testing"

	"newsmap/geo/gazetteer"
)

var (
	once sync.Once
	g    *gazetteer.Gazetteer
	err  error
)

// Load returns the embedded gazetteer, loading it on first use; it fails the test when
// the data cannot be read.
func Load(tb testing.TB) *gazetteer.Gazetteer {
	tb.Helper()
	once.Do(func() { g, err = gazetteer.LoadEmbedded() })
	if err != nil {
		tb.Fatal(err)
	}
	return g
}
