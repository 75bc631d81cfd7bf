// Package layerstore loads the GeoJSON layers that newsmap builds (data/layers/NAME.geojson)
// into immutable, indexed snapshots and answers spatial, temporal and attribute queries
// over them.
//
// A Store holds the current snapshot behind an atomic pointer: readers never block and
// never see a half-built layer. Reload re-reads only the files whose modification time or
// size changed and swaps in a new snapshot; a file that fails to parse keeps the previous
// good version of its layer. Watch polls Reload at an interval.
//
// A layer's features are served from an index made from its file and kept beside it
// (DIR/.index, see IndexDirName), memory-mapped read-only: the heap holds per layer its
// metadata only, whatever the number of features. An index that is missing, stale or
// fails its checks is rebuilt from the file, never trusted; a mapping is released once
// no snapshot, layer or slice returned by Layer.FeaturesJSON refers to it, so a reader
// never blocks a reload and never reads an unmapped page.
//
// Everything reachable from a snapshot (layers, features, raw bytes) is shared and must be
// treated as read-only by callers.
package layerstore
