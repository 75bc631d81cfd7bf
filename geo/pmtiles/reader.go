package pmtiles

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"sort"
)

// Reader reads tiles from an archive. It reads directories on demand and keeps none;
// it is meant for checks and tools, not for serving.
type Reader struct {
	r      io.ReaderAt
	Header Header
}

// NewReader reads the header of the archive in r.
func NewReader(r io.ReaderAt) (*Reader, error) {
	b := make([]byte, HeaderLen)
	if _, err := r.ReadAt(b, 0); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	h, err := DecodeHeader(b)
	if err != nil {
		return nil, err
	}
	return &Reader{r: r, Header: h}, nil
}

func (rd *Reader) directory(off, n uint64) ([]Entry, error) {
	if n > 64<<20 {
		return nil, fmt.Errorf("%w: directory of %d bytes", ErrFormat, n)
	}
	b := make([]byte, n)
	if _, err := rd.r.ReadAt(b, int64(off)); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	return DecodeDirectory(b)
}

// Metadata decodes the archive's JSON metadata into v.
func (rd *Reader) Metadata(v any) error {
	var src io.Reader = io.NewSectionReader(rd.r, int64(rd.Header.MetadataOffset), int64(rd.Header.MetadataLength))
	if rd.Header.InternalCompression == CompressionGzip {
		zr, err := gzip.NewReader(src)
		if err != nil {
			return fmt.Errorf("%w: metadata: %v", ErrFormat, err)
		}
		src = zr
	}
	return json.NewDecoder(src).Decode(v)
}

// Tile returns the stored bytes of z/x/y, or fs.ErrNotExist.
func (rd *Reader) Tile(z uint8, x, y uint32) ([]byte, error) {
	id, err := TileID(z, x, y)
	if err != nil {
		return nil, err
	}
	off, n := rd.Header.RootOffset, rd.Header.RootLength
	for depth := 0; depth < 4; depth++ {
		entries, err := rd.directory(off, n)
		if err != nil {
			return nil, err
		}
		// The last entry whose id is <= id.
		i := sort.Search(len(entries), func(i int) bool { return entries[i].TileID > id }) - 1
		if i < 0 {
			return nil, fs.ErrNotExist
		}
		e := entries[i]
		if e.RunLength == 0 { // a leaf directory
			off, n = rd.Header.LeafOffset+e.Offset, uint64(e.Length)
			continue
		}
		if id >= e.TileID+uint64(e.RunLength) {
			return nil, fs.ErrNotExist
		}
		b := make([]byte, e.Length)
		if _, err := rd.r.ReadAt(b, int64(rd.Header.DataOffset+e.Offset)); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrFormat, err)
		}
		return b, nil
	}
	return nil, fmt.Errorf("%w: directories nested too deep", ErrFormat)
}
