package pmtiles

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestTileID(t *testing.T) {
	for _, c := range []struct {
		z    uint8
		x, y uint32
		want uint64
	}{
		{0, 0, 0, 0},
		{1, 0, 0, 1},
		{1, 0, 1, 2},
		{1, 1, 1, 3},
		{1, 1, 0, 4},
		{2, 0, 0, 5},
		{12, 3423, 1763, 19078479}, // the specification's example
	} {
		got, err := TileID(c.z, c.x, c.y)
		if err != nil || got != c.want {
			t.Errorf("TileID(%d, %d, %d) = %d, %v; want %d", c.z, c.x, c.y, got, err, c.want)
		}
	}
	for _, c := range []struct {
		z    uint8
		x, y uint32
	}{{1, 2, 0}, {0, 0, 1}, {MaxZoom + 1, 0, 0}} {
		if _, err := TileID(c.z, c.x, c.y); !errors.Is(err, ErrTile) {
			t.Errorf("TileID(%d, %d, %d): err = %v, want ErrTile", c.z, c.x, c.y, err)
		}
	}
}

// TestTileIDBijective: on each level the ids are exactly base..base+4^z-1.
func TestTileIDBijective(t *testing.T) {
	for z := uint8(0); z <= 6; z++ {
		n := uint32(1) << z
		base := (uint64(1)<<(2*uint64(z)) - 1) / 3
		seen := map[uint64]bool{}
		for x := range n {
			for y := range n {
				id, err := TileID(z, x, y)
				if err != nil {
					t.Fatal(err)
				}
				if id < base || id >= base+uint64(n)*uint64(n) || seen[id] {
					t.Fatalf("z%d: id %d of %d/%d out of range or repeated", z, id, x, y)
				}
				seen[id] = true
			}
		}
	}
}

func TestHeaderRoundTrip(t *testing.T) {
	h := Header{
		RootOffset: 127, RootLength: 300, MetadataOffset: 427, MetadataLength: 50,
		LeafOffset: 477, LeafLength: 0, DataOffset: 477, DataLength: 9999,
		AddressedTiles: 40, TileEntries: 30, TileContents: 20, Clustered: true,
		InternalCompression: CompressionGzip, TileCompression: CompressionGzip, TileType: TileTypeMVT,
		MinZoom: 0, MaxZoom: 14, MinLon: -179.5, MinLat: -85.05, MaxLon: 46.7519, MaxLat: 39.8156,
		CenterZoom: 6, CenterLon: 46.75, CenterLat: 39.81,
	}
	b := encodeHeader(h)
	if len(b) != HeaderLen || !bytes.HasPrefix(b, []byte("PMTiles\x03")) {
		t.Fatalf("header %d bytes, starts %q", len(b), b[:8])
	}
	got, err := DecodeHeader(b)
	if err != nil || got != h {
		t.Fatalf("round trip:\n got %+v, %v\nwant %+v", got, err, h)
	}
	if _, err := DecodeHeader([]byte("PMTiles\x02" + string(make([]byte, 119)))); !errors.Is(err, ErrFormat) {
		t.Errorf("version 2 header: err = %v, want ErrFormat", err)
	}
}

func TestDirectoryRoundTrip(t *testing.T) {
	in := []Entry{
		{TileID: 0, Offset: 0, Length: 10, RunLength: 1},
		{TileID: 1, Offset: 10, Length: 5, RunLength: 3},
		{TileID: 9, Offset: 0, Length: 10, RunLength: 1}, // a duplicate pointing back
		{TileID: 1000, Offset: 15, Length: 7, RunLength: 1},
	}
	got, err := DecodeDirectory(encodeDirectory(in))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(in) {
		t.Fatalf("got %v, want %v", got, in)
	}
	if _, err := DecodeDirectory([]byte("not gzip")); !errors.Is(err, ErrFormat) {
		t.Errorf("garbage: err = %v, want ErrFormat", err)
	}
}

// writeArchive writes the tiles of every level 0..maxZ in id order; tile content is
// its zoom and x, so neighbouring tiles with equal x are duplicates.
func writeArchive(t testing.TB, path string, maxZ uint8, content func(z uint8, x, y uint32) []byte) Stats {
	t.Helper()
	w, err := Create(path, Options{TileType: TileTypeMVT, TileCompression: CompressionGzip, MaxZoom: maxZ,
		MinLon: -180, MinLat: -85, MaxLon: 180, MaxLat: 85})
	if err != nil {
		t.Fatal(err)
	}
	for z := uint8(0); z <= maxZ; z++ {
		type tile struct {
			id   uint64
			x, y uint32
		}
		var ts []tile
		n := uint32(1) << z
		for x := range n {
			for y := range n {
				id, _ := TileID(z, x, y)
				ts = append(ts, tile{id, x, y})
			}
		}
		slices.SortFunc(ts, func(a, b tile) int { return cmp.Compare(a.id, b.id) })
		for _, tl := range ts {
			if b := content(z, tl.x, tl.y); b != nil {
				if err := w.Add(z, tl.x, tl.y, b); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	st, err := w.Close(map[string]any{"name": "test"})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestWriterReadBack(t *testing.T) {
	for _, c := range []struct {
		name   string
		maxZ   uint8
		leaves bool
	}{{"root only", 4, false}, {"with leaf directories", 8, true}} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.pmtiles")
			content := func(z uint8, x, y uint32) []byte {
				if z > 2 && x%3 == 0 {
					return nil // missing tiles
				}
				if z > 2 && y%2 == 0 {
					return []byte("same everywhere") // deduplicated
				}
				return fmt.Appendf(nil, "%d/%d/%d", z, x, y)
			}
			st := writeArchive(t, path, c.maxZ, content)
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rd, err := NewReader(f)
			if err != nil {
				t.Fatal(err)
			}
			if got := rd.Header.LeafLength > 0; got != c.leaves {
				t.Errorf("leaf directories: %v, want %v", got, c.leaves)
			}
			if rd.Header.AddressedTiles != st.AddressedTiles || st.TileContents >= st.AddressedTiles {
				t.Errorf("stats %+v, header %+v: duplicates not shared", st, rd.Header)
			}
			if rd.Header.RootOffset+rd.Header.RootLength > rootLimit {
				t.Errorf("root directory ends at %d, beyond the first %d bytes", rd.Header.RootOffset+rd.Header.RootLength, rootLimit)
			}
			checked := 0
			for z := uint8(0); z <= c.maxZ; z++ {
				n := uint32(1) << z
				for x := range n {
					for y := range n {
						// Every tile of the first levels, a sample of the deep ones (each
						// lookup decodes its leaf directory).
						if checked++; z > 5 && checked%991 != 0 {
							continue
						}
						want := content(z, x, y)
						got, err := rd.Tile(z, x, y)
						if want == nil {
							if !errors.Is(err, fs.ErrNotExist) {
								t.Fatalf("%d/%d/%d: got %q, %v; want not found", z, x, y, got, err)
							}
							continue
						}
						if err != nil || !bytes.Equal(got, want) {
							t.Fatalf("%d/%d/%d: got %q, %v; want %q", z, x, y, got, err, want)
						}
					}
				}
			}
			var meta map[string]any
			if err := rd.Metadata(&meta); err != nil || meta["name"] != "test" {
				t.Errorf("metadata %v, %v", meta, err)
			}
		})
	}
}

// TestWriterDedupHashes: tiles are shared by content whatever the hash table sees; with a
// hash under which many different tiles collide, each still comes back as written.
func TestWriterDedupHashes(t *testing.T) {
	for _, c := range []struct {
		name string
		hash func([]byte) uint64 // nil: the writer's own
	}{
		{"maphash", nil},
		{"every tile of a length collides", func(b []byte) uint64 { return uint64(len(b)) }},
		{"every tile collides", func([]byte) uint64 { return 7 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.pmtiles")
			w, err := Create(path, Options{MaxZoom: 6})
			if err != nil {
				t.Fatal(err)
			}
			if c.hash != nil {
				w.hash = c.hash
			}
			content := func(z uint8, x, y uint32) []byte {
				// 4 distinct contents of one length (x%4), and a few of other lengths.
				if y%5 == 0 {
					return fmt.Appendf(nil, "long %d", x%3)
				}
				return fmt.Appendf(nil, "t%d", x%4)
			}
			type zxy struct {
				z    uint8
				x, y uint32
			}
			var all []zxy
			for z := uint8(0); z <= 6; z++ {
				var ts []zxy
				for x := range uint32(1) << z {
					for y := range uint32(1) << z {
						ts = append(ts, zxy{z, x, y})
					}
				}
				slices.SortFunc(ts, func(a, b zxy) int {
					ia, _ := TileID(a.z, a.x, a.y)
					ib, _ := TileID(b.z, b.x, b.y)
					return cmp.Compare(ia, ib)
				})
				for i, tl := range ts {
					if i%512 == 0 { // a flush between stored and compared bytes sometimes
						w.buf.Flush()
					}
					if err := w.Add(tl.z, tl.x, tl.y, content(tl.z, tl.x, tl.y)); err != nil {
						t.Fatal(err)
					}
				}
				all = append(all, ts...)
			}
			st, err := w.Close(nil)
			if err != nil {
				t.Fatal(err)
			}
			// A content whose hash collides with another's is stored again (only the
			// first content of a hash is shared): exactly 7 with a real hash.
			if st.AddressedTiles != uint64(len(all)) || st.TileContents < 7 || (c.hash == nil && st.TileContents != 7) {
				t.Errorf("stats %+v, want 7 distinct contents of %d tiles", st, len(all))
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rd, err := NewReader(f)
			if err != nil {
				t.Fatal(err)
			}
			for i, tl := range all {
				if i%7 != 0 && tl.z > 3 {
					continue // a sample of the deep levels
				}
				got, err := rd.Tile(tl.z, tl.x, tl.y)
				if want := content(tl.z, tl.x, tl.y); err != nil || !bytes.Equal(got, want) {
					t.Fatalf("%d/%d/%d: got %q, %v; want %q", tl.z, tl.x, tl.y, got, err, want)
				}
			}
		})
	}
}

func TestWriterErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.pmtiles")
	w, err := Create(path, Options{MaxZoom: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(1, 0, 0, []byte("a")); err != nil {
		t.Fatal(err)
	}
	if err := w.Add(0, 0, 0, []byte("b")); !errors.Is(err, ErrOrder) {
		t.Errorf("out of order: %v", err)
	}
	if err := w.Add(4, 0, 0, []byte("b")); !errors.Is(err, ErrTile) {
		t.Errorf("zoom beyond MaxZoom: %v", err)
	}
	if err := w.Add(2, 0, 0, nil); !errors.Is(err, ErrTile) {
		t.Errorf("empty tile: %v", err)
	}
	w.Abort()
	if err := w.Add(2, 0, 0, []byte("c")); !errors.Is(err, ErrClosed) {
		t.Errorf("after Abort: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("Abort left files: %v", ents)
	}
}
