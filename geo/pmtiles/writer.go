package pmtiles

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
)

// Options describe the archive's tiles and area.
type Options struct {
	TileType        TileType
	TileCompression Compression
	// MinZoom, MaxZoom: the zoom levels the archive covers (tiles may be missing inside).
	MinZoom, MaxZoom uint8
	// Bounds in degrees (min lon, min lat, max lon, max lat) and the suggested centre.
	MinLon, MinLat, MaxLon, MaxLat float64
	CenterZoom                     uint8
	CenterLon, CenterLat           float64
}

// Stats describes a written archive.
type Stats struct {
	Size           int64  // bytes of the file
	AddressedTiles uint64 // tiles a client can fetch
	TileContents   uint64 // distinct tiles stored (the others are duplicates)
	TileEntries    uint64 // directory entries
	MaxTileBytes   int    // largest tile as stored
}

// Writer writes one archive. Tiles go to a temporary file next to the destination as
// they are added; Close assembles the archive and renames it into place, so a failed or
// abandoned write leaves no partial archive behind. A Writer is not safe for concurrent use.
type Writer struct {
	path    string
	opts    Options
	data    *os.File
	buf     *bufio.Writer
	size    uint64 // bytes of tile data written
	flushed uint64 // bytes of tile data in the file (the rest is in buf)
	// seen maps a 64-bit hash of each distinct tile content to the entry that stored it
	// first (an index into entries): 12 bytes a tile, not a 32-byte digest and an Entry,
	// for the millions of tiles of a large pyramid. Equal hashes are confirmed by
	// comparing the bytes, read back from the file.
	seen    map[uint64]uint32
	hash    func([]byte) uint64
	entries []Entry // sorted by TileID
	stats   Stats
	closed  bool
}

// Create starts an archive that Close writes to path.
func Create(path string, opts Options) (*Writer, error) {
	if opts.MinZoom > opts.MaxZoom || opts.MaxZoom > MaxZoom {
		return nil, fmt.Errorf("%w: zoom range %d..%d", ErrTile, opts.MinZoom, opts.MaxZoom)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tiles")
	if err != nil {
		return nil, err
	}
	seed := maphash.MakeSeed()
	return &Writer{
		path: path, opts: opts, data: f, buf: bufio.NewWriterSize(f, 1<<20),
		seen: map[uint64]uint32{}, hash: func(b []byte) uint64 { return maphash.Bytes(seed, b) },
	}, nil
}

// Add stores the tile z/x/y. Tiles must come in increasing TileID order; a tile whose
// bytes equal an earlier one's is stored once (and consecutive equal tiles share one
// directory entry). data is copied.
func (w *Writer) Add(z uint8, x, y uint32, data []byte) error {
	if w.closed {
		return ErrClosed
	}
	if z < w.opts.MinZoom || z > w.opts.MaxZoom {
		return fmt.Errorf("%w: zoom %d outside the archive's %d..%d", ErrTile, z, w.opts.MinZoom, w.opts.MaxZoom)
	}
	id, err := TileID(z, x, y)
	if err != nil {
		return err
	}
	if len(data) == 0 {
		return fmt.Errorf("%w: tile %d/%d/%d is empty (leave empty tiles out)", ErrTile, z, x, y)
	}
	if n := len(w.entries); n > 0 {
		last := w.entries[n-1]
		if id < last.TileID+uint64(last.RunLength) {
			return fmt.Errorf("%w: %d/%d/%d", ErrOrder, z, x, y)
		}
	}
	sum := w.hash(data)
	k, dup := w.seen[sum]
	if dup {
		if dup, err = w.stored(w.entries[k], data); err != nil {
			return err
		}
	}
	w.stats.AddressedTiles++
	if dup {
		e := w.entries[k]
		if n := len(w.entries); n > 0 {
			last := &w.entries[n-1]
			if last.Offset == e.Offset && last.TileID+uint64(last.RunLength) == id {
				last.RunLength++
				return nil
			}
		}
		w.entries = append(w.entries, Entry{TileID: id, Offset: e.Offset, Length: e.Length, RunLength: 1})
		return nil
	}
	if _, err := w.buf.Write(data); err != nil {
		return err
	}
	e := Entry{TileID: id, Offset: w.size, Length: uint32(len(data)), RunLength: 1}
	w.size += uint64(len(data))
	if _, ok := w.seen[sum]; !ok { // else a different tile with the same hash: kept apart
		w.seen[sum] = uint32(len(w.entries))
	}
	w.entries = append(w.entries, e)
	w.stats.TileContents++
	w.stats.MaxTileBytes = max(w.stats.MaxTileBytes, len(data))
	return nil
}

// stored reports whether the tile data stored at e equals data.
func (w *Writer) stored(e Entry, data []byte) (bool, error) {
	if int(e.Length) != len(data) {
		return false, nil
	}
	if e.Offset+uint64(e.Length) > w.flushed {
		if err := w.buf.Flush(); err != nil {
			return false, err
		}
		w.flushed = w.size
	}
	got := make([]byte, e.Length)
	if _, err := w.data.ReadAt(got, int64(e.Offset)); err != nil {
		return false, fmt.Errorf("pmtiles: reading back tile data: %w", err)
	}
	return bytes.Equal(got, data), nil
}

// Abort discards the archive.
func (w *Writer) Abort() {
	if w.closed {
		return
	}
	w.closed = true
	w.data.Close()
	os.Remove(w.data.Name())
}

// Close writes the archive with metadata (the TileJSON-like JSON object clients read,
// such as {"vector_layers": [...]}) and renames it to its path.
func (w *Writer) Close(metadata any) (st Stats, err error) {
	if w.closed {
		return Stats{}, ErrClosed
	}
	defer w.Abort()
	meta, err := json.Marshal(metadata)
	if err != nil {
		return Stats{}, fmt.Errorf("pmtiles: metadata: %w", err)
	}
	if err := w.buf.Flush(); err != nil {
		return Stats{}, err
	}
	metaGz := gzipBytes(meta)
	root, leaves := buildDirectories(w.entries)

	h := Header{
		RootOffset: HeaderLen, RootLength: uint64(len(root)),
		MetadataLength: uint64(len(metaGz)), LeafLength: uint64(len(leaves)),
		DataLength:          w.size,
		AddressedTiles:      w.stats.AddressedTiles,
		TileEntries:         uint64(len(w.entries)),
		TileContents:        w.stats.TileContents,
		Clustered:           true, // tile contents are stored in tile id order
		InternalCompression: CompressionGzip,
		TileCompression:     w.opts.TileCompression,
		TileType:            w.opts.TileType,
		MinZoom:             w.opts.MinZoom, MaxZoom: w.opts.MaxZoom,
		MinLon: w.opts.MinLon, MinLat: w.opts.MinLat, MaxLon: w.opts.MaxLon, MaxLat: w.opts.MaxLat,
		CenterZoom: w.opts.CenterZoom, CenterLon: w.opts.CenterLon, CenterLat: w.opts.CenterLat,
	}
	h.MetadataOffset = h.RootOffset + h.RootLength
	h.LeafOffset = h.MetadataOffset + h.MetadataLength
	h.DataOffset = h.LeafOffset + h.LeafLength

	out, err := os.CreateTemp(filepath.Dir(w.path), "."+filepath.Base(w.path)+".*.tmp")
	if err != nil {
		return Stats{}, err
	}
	defer func() {
		if err != nil {
			out.Close()
			os.Remove(out.Name())
		}
	}()
	bw := bufio.NewWriterSize(out, 1<<20)
	for _, part := range [][]byte{encodeHeader(h), root, metaGz, leaves} {
		if _, err = bw.Write(part); err != nil {
			return Stats{}, err
		}
	}
	if _, err = w.data.Seek(0, io.SeekStart); err != nil {
		return Stats{}, err
	}
	if _, err = io.Copy(bw, w.data); err != nil {
		return Stats{}, err
	}
	if err = bw.Flush(); err != nil {
		return Stats{}, err
	}
	if err = out.Chmod(0o644); err != nil {
		return Stats{}, err
	}
	if err = out.Close(); err != nil {
		return Stats{}, err
	}
	if err = os.Rename(out.Name(), w.path); err != nil {
		return Stats{}, errors.Join(err, os.Remove(out.Name()))
	}
	st = w.stats
	st.TileEntries = h.TileEntries
	st.Size = int64(h.DataOffset + h.DataLength)
	return st, nil
}
