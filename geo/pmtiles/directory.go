package pmtiles

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// Entry is one directory entry. In a tile directory it covers RunLength tiles with ids
// TileID, TileID+1, ... that share the Length bytes at Offset of the tile data section.
// An entry with RunLength 0 points at a leaf directory (Offset into the leaf section).
type Entry struct {
	TileID    uint64
	Offset    uint64
	Length    uint32
	RunLength uint32
}

// encodeHeader writes h in the format's little-endian layout.
func encodeHeader(h Header) []byte {
	b := make([]byte, HeaderLen)
	copy(b, magic)
	le := binary.LittleEndian
	for i, v := range []uint64{
		h.RootOffset, h.RootLength, h.MetadataOffset, h.MetadataLength,
		h.LeafOffset, h.LeafLength, h.DataOffset, h.DataLength,
		h.AddressedTiles, h.TileEntries, h.TileContents,
	} {
		le.PutUint64(b[8+8*i:], v)
	}
	if h.Clustered {
		b[96] = 1
	}
	b[97] = byte(h.InternalCompression)
	b[98] = byte(h.TileCompression)
	b[99] = byte(h.TileType)
	b[100] = h.MinZoom
	b[101] = h.MaxZoom
	le.PutUint32(b[102:], uint32(e7(h.MinLon)))
	le.PutUint32(b[106:], uint32(e7(h.MinLat)))
	le.PutUint32(b[110:], uint32(e7(h.MaxLon)))
	le.PutUint32(b[114:], uint32(e7(h.MaxLat)))
	b[118] = h.CenterZoom
	le.PutUint32(b[119:], uint32(e7(h.CenterLon)))
	le.PutUint32(b[123:], uint32(e7(h.CenterLat)))
	return b
}

// e7 stores a degree value as the format's int32 of 1e-7 degrees.
func e7(deg float64) int32 { return int32(math.Round(deg * 1e7)) }

// DecodeHeader parses the first HeaderLen bytes of an archive.
func DecodeHeader(b []byte) (Header, error) {
	if len(b) < HeaderLen || string(b[:8]) != magic {
		return Header{}, ErrFormat
	}
	le := binary.LittleEndian
	var v [11]uint64
	for i := range v {
		v[i] = le.Uint64(b[8+8*i:])
	}
	deg := func(o int) float64 { return float64(int32(le.Uint32(b[o:]))) / 1e7 }
	return Header{
		RootOffset: v[0], RootLength: v[1], MetadataOffset: v[2], MetadataLength: v[3],
		LeafOffset: v[4], LeafLength: v[5], DataOffset: v[6], DataLength: v[7],
		AddressedTiles: v[8], TileEntries: v[9], TileContents: v[10],
		Clustered:           b[96] == 1,
		InternalCompression: Compression(b[97]),
		TileCompression:     Compression(b[98]),
		TileType:            TileType(b[99]),
		MinZoom:             b[100],
		MaxZoom:             b[101],
		MinLon:              deg(102), MinLat: deg(106), MaxLon: deg(110), MaxLat: deg(114),
		CenterZoom: b[118],
		CenterLon:  deg(119), CenterLat: deg(123),
	}, nil
}

// encodeDirectory serializes entries (sorted by TileID) as the format's columns of
// varints: count, tile id deltas, run lengths, lengths, offsets (0 for "right after the
// previous entry's bytes", else offset+1), gzipped.
func encodeDirectory(entries []Entry) []byte {
	var raw []byte
	raw = binary.AppendUvarint(raw, uint64(len(entries)))
	var last uint64
	for _, e := range entries {
		raw = binary.AppendUvarint(raw, e.TileID-last)
		last = e.TileID
	}
	for _, e := range entries {
		raw = binary.AppendUvarint(raw, uint64(e.RunLength))
	}
	for _, e := range entries {
		raw = binary.AppendUvarint(raw, uint64(e.Length))
	}
	for i, e := range entries {
		if i > 0 && e.Offset == entries[i-1].Offset+uint64(entries[i-1].Length) {
			raw = binary.AppendUvarint(raw, 0)
		} else {
			raw = binary.AppendUvarint(raw, e.Offset+1)
		}
	}
	return gzipBytes(raw)
}

// DecodeDirectory parses a gzipped directory written by encodeDirectory (or any
// PMTiles v3 writer using gzip internal compression).
func DecodeDirectory(b []byte) ([]Entry, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%w: directory: %v", ErrFormat, err)
	}
	raw, err := io.ReadAll(io.LimitReader(zr, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("%w: directory: %v", ErrFormat, err)
	}
	r := bytes.NewReader(raw)
	next := func() (uint64, error) {
		v, err := binary.ReadUvarint(r)
		if err != nil {
			return 0, fmt.Errorf("%w: directory: %v", ErrFormat, err)
		}
		return v, nil
	}
	n, err := next()
	if err != nil {
		return nil, err
	}
	if n > uint64(len(raw)) { // every entry takes at least one byte per column
		return nil, fmt.Errorf("%w: directory claims %d entries in %d bytes", ErrFormat, n, len(raw))
	}
	entries := make([]Entry, n)
	var last uint64
	for i := range entries {
		d, err := next()
		if err != nil {
			return nil, err
		}
		last += d
		entries[i].TileID = last
	}
	for i := range entries {
		v, err := next()
		if err != nil {
			return nil, err
		}
		entries[i].RunLength = uint32(v)
	}
	for i := range entries {
		v, err := next()
		if err != nil {
			return nil, err
		}
		entries[i].Length = uint32(v)
	}
	for i := range entries {
		v, err := next()
		if err != nil {
			return nil, err
		}
		if v == 0 && i > 0 {
			entries[i].Offset = entries[i-1].Offset + uint64(entries[i-1].Length)
		} else {
			entries[i].Offset = v - 1
		}
	}
	return entries, nil
}

func gzipBytes(raw []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(raw) // writes to a bytes.Buffer do not fail
	_ = zw.Close()
	return buf.Bytes()
}

// rootLimit is how many bytes header and root directory may take together: a client's
// first range request reads exactly that much.
const rootLimit = 16384

// buildDirectories returns the root directory and the leaf directories for entries. The
// entries go into the root when it fits rootLimit; otherwise into leaves of leafSize
// entries (doubled until the root that points at them fits).
func buildDirectories(entries []Entry) (root, leaves []byte) {
	if root = encodeDirectory(entries); len(root) <= rootLimit-HeaderLen {
		return root, nil
	}
	for leafSize := 4096; ; leafSize *= 2 {
		var rootEntries []Entry
		var leafBuf bytes.Buffer
		for i := 0; i < len(entries); i += leafSize {
			chunk := entries[i:min(i+leafSize, len(entries))]
			enc := encodeDirectory(chunk)
			rootEntries = append(rootEntries, Entry{
				TileID: chunk[0].TileID, Offset: uint64(leafBuf.Len()), Length: uint32(len(enc)),
			})
			leafBuf.Write(enc)
		}
		if root = encodeDirectory(rootEntries); len(root) <= rootLimit-HeaderLen {
			return root, leafBuf.Bytes()
		}
	}
}
