// Package layerstore loads the GeoJSON layers that newsmap builds (data/layers/NAME.geojson)
// into immutable, indexed snapshots and answers spatial, temporal and attribute queries
// over them.
//
// A Store holds the current snapshot behind an atomic pointer: readers never block and
// never see a half-built layer. Reload re-reads only the files whose modification time or
// size changed and swaps in a new snapshot; a file that fails to parse keeps the previous
// good version of its layer. Watch polls Reload at an interval.
//
// Everything reachable from a snapshot (layers, features, raw bytes) is shared and must be
// treated as read-only by callers.
package layerstore
