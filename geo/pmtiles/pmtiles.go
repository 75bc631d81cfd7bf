// Package pmtiles writes PMTiles version 3 archives: one file holding a whole tile
// pyramid, read by clients with HTTP range requests from any static host
// (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md).
//
// A Writer takes tiles in increasing tile id order (zoom by zoom, each zoom along the
// Hilbert curve: see TileID), stores each distinct tile content once, and on Close
// writes the header, the root and leaf directories, the metadata and the tile data.
//
// The archive is written here rather than with github.com/protomaps/go-pmtiles because
// that module's only package also holds its S3, GCS and Azure readers: importing it for
// the 127-byte header and the directory varints would have grown the newsmap binary from
// 32 MB to over 80 MB. The archives are checked against the reference JavaScript reader
// (npm pmtiles) in this package's tests.
package pmtiles

import (
	"errors"
	"fmt"
)

// Sentinel errors.
var (
	// ErrOrder is returned by Writer.Add for a tile whose id is not above the last one.
	ErrOrder = errors.New("pmtiles: tiles must be added in increasing tile id order")
	// ErrTile is returned for tile coordinates outside the pyramid.
	ErrTile = errors.New("pmtiles: bad tile coordinates")
	// ErrClosed is returned when a closed Writer is used.
	ErrClosed = errors.New("pmtiles: writer is closed")
	// ErrFormat is returned when bytes are not a PMTiles v3 archive.
	ErrFormat = errors.New("pmtiles: not a PMTiles v3 archive")
)

// MaxZoom is the deepest zoom level whose tile ids fit the format's 64-bit ids with room
// to spare; web maps stop well before it.
const MaxZoom = 26

// Compression values of the header.
type Compression uint8

// The compressions the format defines.
const (
	CompressionUnknown Compression = 0
	CompressionNone    Compression = 1
	CompressionGzip    Compression = 2
	CompressionBrotli  Compression = 3
	CompressionZstd    Compression = 4
)

// TileType values of the header.
type TileType uint8

// The tile types the format defines.
const (
	TileTypeUnknown TileType = 0
	TileTypeMVT     TileType = 1
	TileTypePNG     TileType = 2
	TileTypeJPEG    TileType = 3
	TileTypeWebP    TileType = 4
	TileTypeAVIF    TileType = 5
)

// TileID returns the PMTiles tile id of z/x/y: the number of tiles on all zoom levels
// above z plus the position of x/y along the Hilbert curve that fills level z. Ids grow
// with zoom, and tiles near each other on the map get ids near each other, so that a
// client's range requests for one view touch few places of the file.
func TileID(z uint8, x, y uint32) (uint64, error) {
	if z > MaxZoom {
		return 0, fmt.Errorf("%w: zoom %d above %d", ErrTile, z, MaxZoom)
	}
	n := uint64(1) << z
	if uint64(x) >= n || uint64(y) >= n {
		return 0, fmt.Errorf("%w: %d/%d/%d", ErrTile, z, x, y)
	}
	// Tiles on levels 0..z-1: (4^z - 1) / 3.
	base := ((uint64(1) << (2 * uint64(z))) - 1) / 3
	px, py := uint64(x), uint64(y)
	var d uint64
	for s := n / 2; s > 0; s /= 2 {
		var rx, ry uint64
		if px&s != 0 {
			rx = 1
		}
		if py&s != 0 {
			ry = 1
		}
		d += s * s * ((3 * rx) ^ ry)
		// Rotate the quadrant so that the curve inside it starts where it enters.
		if ry == 0 {
			if rx == 1 {
				px = n - 1 - px
				py = n - 1 - py
			}
			px, py = py, px
		}
	}
	return base + d, nil
}

// Header is the fixed-size part of an archive that a reader needs besides the tiles.
type Header struct {
	RootOffset, RootLength         uint64
	MetadataOffset, MetadataLength uint64
	LeafOffset, LeafLength         uint64
	DataOffset, DataLength         uint64
	AddressedTiles                 uint64 // tiles a client can request
	TileEntries                    uint64 // directory entries (runs of equal tiles count once)
	TileContents                   uint64 // distinct tile contents stored
	Clustered                      bool
	InternalCompression            Compression
	TileCompression                Compression
	TileType                       TileType
	MinZoom, MaxZoom               uint8
	MinLon, MinLat, MaxLon, MaxLat float64
	CenterZoom                     uint8
	CenterLon, CenterLat           float64
}

// HeaderLen is the size of an encoded Header.
const HeaderLen = 127

// magic opens every version 3 archive.
const magic = "PMTiles\x03"
