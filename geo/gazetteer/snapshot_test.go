package gazetteer

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb/geojson"

	"newsmap/data"
)

// loadBoth returns the embedded gazetteer loaded from its files (shared with the other
// tests) and read back from a snapshot of it.
func loadBoth(t testing.TB) (fromFiles, fromSnapshot *Gazetteer) {
	t.Helper()
	fromFiles = loadEmbedded(t)
	fromFiles.fuzzyOnce.Do(func() { fromFiles.fuzzy = fromFiles.buildFuzzy() })
	sub, err := fs.Sub(data.Gazetteer, "gazetteer")
	if err != nil {
		t.Fatal(err)
	}
	digest, err := sourceDigest(sub, "test")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), SnapshotFile)
	if err := fromFiles.writeSnapshot(path, digest); err != nil {
		t.Fatal(err)
	}
	if fromSnapshot, err = readSnapshot(path, digest); err != nil {
		t.Fatal(err)
	}
	return fromFiles, fromSnapshot
}

func lookupIDs(g *Gazetteer, key string) []string {
	var ids []string
	for _, e := range g.Lookup(key) {
		ids = append(ids, e.ID)
	}
	return ids
}

func fuzzyIDs(g *Gazetteer, key string) []string {
	var out []string
	for _, m := range g.Fuzzy(key) {
		out = append(out, m.Name+"="+m.Entry.ID)
	}
	return out
}

// TestSnapshotSameAnswers: the gazetteer read from a snapshot answers every question as
// the one loaded from the files: every indexed key, entry, generated name, word table,
// demonym, country and shape, and fuzzy matching on a sample of keys and of slips.
func TestSnapshotSameAnswers(t *testing.T) {
	a, b := loadBoth(t)
	if a.Entries() != b.Entries() || a.MaxNameWords() != b.MaxNameWords() || a.Variants() != b.Variants() || a.Variants() == 0 {
		t.Fatalf("entries %d/%d, max words %d/%d, variants %d/%d", a.Entries(), b.Entries(), a.MaxNameWords(), b.MaxNameWords(), a.Variants(), b.Variants())
	}
	for i := range a.entries {
		ea, eb := &a.entries[i], &b.entries[i]
		if !reflect.DeepEqual(*ea, *eb) {
			t.Fatalf("entry %d: %+v from the files, %+v from the snapshot", i, *ea, *eb)
		}
		if b.ByID(ea.ID) != eb || a.ByID(ea.ID) != ea {
			t.Fatalf("ByID(%s)", ea.ID)
		}
	}
	keys := 0
	for k, v := range a.index.all() {
		keys++
		if ia, ib := lookupIDs(a, k), lookupIDs(b, k); !slices.Equal(ia, ib) {
			t.Fatalf("Lookup(%q) = %v from the files, %v from the snapshot", k, ia, ib)
		}
		ids := []int32{v}
		if v < 0 {
			ids = a.postings[-v-1]
		}
		for _, i := range ids {
			na, oka := a.Variant(k, &a.entries[i])
			nb, okb := b.Variant(k, &b.entries[i])
			if na != nb || oka != okb {
				t.Fatalf("Variant(%q, %s) = %v %v / %v %v", k, a.entries[i].ID, na, oka, nb, okb)
			}
		}
		if a.NameWordsFrom(k) != b.NameWordsFrom(k) || a.EndsName(k) != b.EndsName(k) || a.EnglishWord(k) != b.EnglishWord(k) ||
			a.CommonWord("de", k) != b.CommonWord("de", k) || a.CommonWord("fr", k) != b.CommonWord("fr", k) {
			t.Fatalf("word facts of %q differ", k)
		}
		if keys%211 == 0 && utf8.RuneCountInString(k) >= minFuzzyLen {
			rs := []rune(k)
			for _, q := range []string{k, string(rs[1:]), string(rs[:len(rs)-1]) + "x", k + "e", string(rs[:1]) + string(rs[2:3]) + string(rs[1:2]) + string(rs[3:])} {
				if fa, fb := fuzzyIDs(a, q), fuzzyIDs(b, q); !slices.Equal(fa, fb) {
					t.Fatalf("Fuzzy(%q) = %v from the files, %v from the snapshot", q, fa, fb)
				}
			}
		}
	}
	if keys != b.index.len() || keys < 400000 {
		t.Fatalf("%d keys from the files, %d from the snapshot", keys, b.index.len())
	}
	for code, ta := range a.commonWords {
		tb := b.commonWords[code]
		if ta.len() != tb.len() {
			t.Fatalf("%s words: %d / %d", code, ta.len(), tb.len())
		}
		for w := range ta.all() {
			if !tb.has(w) || !b.CommonWord(code, w) {
				t.Fatalf("%s word %q missing from the snapshot", code, w)
			}
		}
	}
	for w, v := range a.nameWords.all() {
		if got, ok := b.nameWords.get(w); !ok || got != v {
			t.Fatalf("name word %q: %d / %d", w, v, got)
		}
	}
	if !reflect.DeepEqual(a.demonyms, b.demonyms) || !reflect.DeepEqual(a.country, b.country) || len(a.demonyms) == 0 {
		t.Fatal("demonyms or countries differ")
	}
	if !reflect.DeepEqual(a.shapes, b.shapes) || len(a.shapes) < 200 {
		t.Fatal("country shapes differ")
	}
	for iso := range a.country {
		if a.Country(iso).ID != b.Country(iso).ID || !reflect.DeepEqual(a.CountryShape(iso), b.CountryShape(iso)) {
			t.Fatalf("country %s differs", iso)
		}
	}
	if ra, rb := a.Routes(), b.Routes(); len(ra) != len(rb) || len(ra) == 0 {
		t.Fatalf("%d routes / %d", len(ra), len(rb))
	}
}

// smallFS is a gazetteer of a few thousand places and words and two country shapes
// (Armenia, Azerbaijan: a Polygon and a MultiPolygon) made of the embedded files, for
// the tests that write and spoil many snapshots.
func smallFS(t testing.TB) fstest.MapFS {
	t.Helper()
	sub, err := fs.Sub(data.Gazetteer, "gazetteer")
	if err != nil {
		t.Fatal(err)
	}
	m := fstest.MapFS{}
	for _, name := range sourceFiles() {
		b, err := fs.ReadFile(sub, name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		m[name] = &fstest.MapFile{Data: b}
	}
	places, err := readFile(sub, FilePlaces)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfterN(string(places), "\n", 3001)
	kept := strings.Join(lines[:3000], "")
	ids := map[string]bool{}
	for _, l := range lines[:3000] {
		id, _, _ := strings.Cut(l, "\t")
		ids[id] = true
	}
	variants, err := readFile(sub, FileVariants)
	if err != nil {
		t.Fatal(err)
	}
	var vs strings.Builder
	for l := range strings.Lines(string(variants)) {
		if id, _, _ := strings.Cut(l, "\t"); ids[id] {
			vs.WriteString(l)
		}
	}
	for _, name := range []string{FileEnWords, WordsFile("de"), WordsFile("fr")} {
		words, err := readFile(sub, name)
		if err != nil {
			t.Fatal(err)
		}
		m[name] = &fstest.MapFile{Data: gz(t, strings.Join(strings.SplitAfterN(string(words), "\n", 5001)[:5000], ""))}
	}
	shapes, err := readFile(sub, FileShapes)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(shapes)
	if err != nil {
		t.Fatal(err)
	}
	fc.Features = slices.DeleteFunc(fc.Features, func(f *geojson.Feature) bool { return f.Properties["iso2"] != "AM" && f.Properties["iso2"] != "AZ" })
	if shapes, err = fc.MarshalJSON(); err != nil {
		t.Fatal(err)
	}
	m[FileShapes] = &fstest.MapFile{Data: gz(t, string(shapes))}
	m[FilePlaces] = &fstest.MapFile{Data: gz(t, kept)}
	m[FileVariants] = &fstest.MapFile{Data: gz(t, vs.String())}
	return m
}

var (
	smallOnce     sync.Once
	smallFiles    fstest.MapFS
	smallSnapshot []byte
	smallErr      error
)

// smallSnap returns smallFS and the bytes of its snapshot, made once for the tests
// that spoil them.
func smallSnap(t testing.TB) (fstest.MapFS, []byte) {
	t.Helper()
	smallOnce.Do(func() {
		smallFiles = smallFS(t)
		dir, err := os.MkdirTemp("", "gazetteer-snapshot-")
		if err != nil {
			smallErr = err
			return
		}
		defer os.RemoveAll(dir)
		var st SnapshotStatus
		if _, st, smallErr = LoadCached(smallFiles, SnapshotOptions{Dir: dir}); smallErr == nil && !st.Written {
			smallErr = fmt.Errorf("snapshot not written: %+v", st)
		}
		if smallErr == nil {
			smallSnapshot, smallErr = os.ReadFile(st.Path)
		}
	})
	if smallErr != nil {
		t.Fatal(smallErr)
	}
	return smallFiles, smallSnapshot
}

func gz(t testing.TB, s string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fixCRC sets the checksum of a snapshot to that of its body.
func fixCRC(b []byte) {
	binary.LittleEndian.PutUint32(b[20:], crc32.ChecksumIEEE(b[snapshotHeaderLen:]))
}

// TestSnapshotRejected: a snapshot that is stale, cut short, damaged or not a snapshot
// at all is not read, with an error that names the file.
func TestSnapshotRejected(t *testing.T) {
	fsys, good := smallSnap(t)
	other := fstest.MapFS{}
	for k, v := range fsys {
		other[k] = v
	}
	other[FileDemonyms] = &fstest.MapFile{Data: append(slices.Clone(fsys[FileDemonyms].Data), "zzzisch\tAM\n"...)}
	withoutVariants := fstest.MapFS{}
	for k, v := range fsys {
		if k != FileVariants {
			withoutVariants[k] = v
		}
	}
	tests := []struct {
		name  string
		fsys  fs.FS
		spoil func([]byte) []byte
		want  error
		code  string
	}{
		{"other source files", other, nil, ErrSnapshotStale, ""},
		{"other code", fsys, nil, ErrSnapshotStale, "newer"},
		{"a source file fewer", withoutVariants, nil, ErrSnapshotStale, ""},
		{"other version", fsys, func(b []byte) []byte { binary.LittleEndian.PutUint32(b[16:], snapshotVersion+1); return b }, ErrSnapshotStale, ""},
		{"empty file", fsys, func([]byte) []byte { return nil }, ErrSnapshotCorrupt, ""},
		{"header only", fsys, func(b []byte) []byte { return b[:snapshotHeaderLen] }, ErrSnapshotCorrupt, ""},
		{"cut short", fsys, func(b []byte) []byte { return b[:len(b)/2] }, ErrSnapshotCorrupt, ""},
		{"longer", fsys, func(b []byte) []byte { return append(b, 0) }, ErrSnapshotCorrupt, ""},
		{"a byte changed", fsys, func(b []byte) []byte { b[len(b)/3] ^= 0x40; return b }, ErrSnapshotCorrupt, ""},
		{"not a snapshot", fsys, func([]byte) []byte { return []byte(strings.Repeat("newsmap\n", 100)) }, ErrSnapshotCorrupt, ""},
		{"cut short, checksum fixed", fsys, func(b []byte) []byte {
			b = b[:len(b)-100]
			binary.LittleEndian.PutUint64(b[24:], uint64(len(b)-snapshotHeaderLen))
			fixCRC(b)
			return b
		}, ErrSnapshotCorrupt, ""},
		{"section length out of range, checksum fixed", fsys, func(b []byte) []byte {
			binary.LittleEndian.PutUint64(b[snapshotHeaderLen:], 1<<40)
			fixCRC(b)
			return b
		}, ErrSnapshotCorrupt, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := slices.Clone(good)
			if tt.spoil != nil {
				b = tt.spoil(b)
			}
			path := filepath.Join(t.TempDir(), SnapshotFile)
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			digest, err := sourceDigest(tt.fsys, tt.code)
			if err != nil {
				t.Fatal(err)
			}
			g, err := readSnapshot(path, digest)
			if g != nil || !errors.Is(err, tt.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("readSnapshot = %v, %v; want %v naming the file", g, err, tt.want)
			}
		})
	}
	if _, err := readSnapshot(filepath.Join(t.TempDir(), "absent"), [32]byte{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("absent file: %v", err)
	}
}

// TestSnapshotReplaced: a damaged snapshot is not used; the gazetteer is loaded from
// the files, gives the same answers, and a good snapshot replaces the bad one.
func TestSnapshotReplaced(t *testing.T) {
	fsys := smallFS(t)
	dir := t.TempDir()
	want, st, err := LoadCached(fsys, SnapshotOptions{Dir: dir})
	if err != nil || !st.Written {
		t.Fatalf("%+v, %v", st, err)
	}
	b, err := os.ReadFile(st.Path)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(st.Path); err != nil || fi.Mode().Perm() != snapshotPerm {
		t.Errorf("snapshot file: %v, %v; want mode %o", fi.Mode(), err, snapshotPerm)
	}
	// a snapshot is replaced, never rewritten in place (a process may have it mapped)
	if err := os.Remove(st.Path); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(st.Path, b[:len(b)-1], 0o644); err != nil {
		t.Fatal(err)
	}
	g, st, err := LoadCached(fsys, SnapshotOptions{Dir: dir})
	if err != nil || st.Read || !errors.Is(st.ReadErr, ErrSnapshotCorrupt) || !st.Written || st.WriteErr != nil {
		t.Fatalf("%+v, %v; want a load from the files and a new snapshot", st, err)
	}
	for _, k := range []string{"eriwan", "bergkarabach", "armenien", "berlin"} {
		if ids, wantIDs := lookupIDs(g, k), lookupIDs(want, k); !slices.Equal(ids, wantIDs) || len(ids) == 0 {
			t.Errorf("Lookup(%q) = %v, want %v", k, ids, wantIDs)
		}
	}
	if _, st, err := LoadCached(fsys, SnapshotOptions{Dir: dir}); err != nil || !st.Read {
		t.Errorf("after rewriting: %+v, %v", st, err)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "*")); len(names) != 1 {
		t.Errorf("files in the folder: %v, want the snapshot alone", names)
	}
}

// TestSnapshotSpoiledSections: a snapshot whose checksum is right but whose content
// is not (bytes changed in every section in turn, the checksum recomputed) is
// rejected or read, never a panic; what is read still looks names up.
func TestSnapshotSpoiledSections(t *testing.T) {
	fsys, good := smallSnap(t)
	dir := t.TempDir()
	digest, err := sourceDigest(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	// the offsets of the sections' lengths
	var sections []int
	for off := snapshotHeaderLen; off < len(good); {
		sections = append(sections, off)
		n := int(binary.LittleEndian.Uint64(good[off:]))
		off += 8 + n + (8-n%8)%8
	}
	if len(sections) < 40 {
		t.Fatalf("%d sections", len(sections))
	}
	rejected := 0
	for i, off := range sections {
		n := int(binary.LittleEndian.Uint64(good[off:]))
		for _, spoil := range []func(b []byte){
			func(b []byte) { binary.LittleEndian.PutUint64(b[off:], uint64(n+8)) }, // length
			func(b []byte) { // large values at the start, bits flipped further on
				for j := 0; j < n; j++ {
					switch {
					case j < 256:
						b[off+8+j] = 0xf0
					case j%997 == 0:
						b[off+8+j] = ^b[off+8+j]
					}
				}
			},
		} {
			b := slices.Clone(good)
			spoil(b)
			fixCRC(b)
			path := filepath.Join(dir, "spoiled")
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			g, err := readSnapshot(path, digest)
			if err != nil {
				if !errors.Is(err, ErrSnapshotCorrupt) {
					t.Errorf("section %d: %v, want ErrSnapshotCorrupt", i, err)
				}
				rejected++
				continue
			}
			// read: numbers were changed, not structure; it must still answer
			for _, k := range []string{"eriwan", "berlin", "bergkarabach", "no such place"} {
				g.Lookup(k)
				g.Fuzzy(k + "x")
				g.NameWordsFrom(k)
				g.CommonWord("de", k)
			}
			for i := range g.Entries() {
				g.Variant("x", &g.entries[i])
			}
		}
	}
	if rejected < len(sections) {
		t.Errorf("only %d of %d spoiled snapshots rejected", rejected, 2*len(sections))
	}
}

// TestSnapshotNotWritable: a folder that cannot hold the snapshot does not fail the
// load.
func TestSnapshotNotWritable(t *testing.T) {
	fsys := smallFS(t)
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	g, st, err := LoadCached(fsys, SnapshotOptions{Dir: filepath.Join(file, "sub")})
	if err != nil || g == nil || st.Read || st.Written || st.WriteErr == nil {
		t.Fatalf("%+v, %v; want a load and a write error", st, err)
	}
	g, st, err = LoadCached(fsys, SnapshotOptions{Dir: ""})
	if err != nil || g == nil || st != (SnapshotStatus{}) {
		t.Fatalf("no folder: %+v, %v", st, err)
	}
}

// TestSnapshotSourceError: a source file that cannot be read fails the load as
// without a snapshot.
func TestSnapshotSourceError(t *testing.T) {
	fsys := smallFS(t)
	delete(fsys, FileAdmin1)
	if g, _, err := LoadCached(fsys, SnapshotOptions{Dir: t.TempDir()}); err == nil || g != nil || !strings.Contains(err.Error(), FileAdmin1) {
		t.Fatalf("Load = %v, %v; want an error naming %s", g, err, FileAdmin1)
	}
}

// TestSnapshotStaleTemp: a temporary file left by a writer that crashed a day ago is
// removed by the next write; a recent one (a writer at work) is not.
func TestSnapshotStaleTemp(t *testing.T) {
	fsys := smallFS(t)
	dir := t.TempDir()
	old, recent := filepath.Join(dir, "."+SnapshotFile+"-1.tmp"), filepath.Join(dir, "."+SnapshotFile+"-2.tmp")
	for _, name := range []string{old, recent} {
		if err := os.WriteFile(name, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	day := time.Now().Add(-25 * time.Hour)
	if err := os.Chtimes(old, day, day); err != nil {
		t.Fatal(err)
	}
	if _, st, err := LoadCached(fsys, SnapshotOptions{Dir: dir}); err != nil || !st.Written {
		t.Fatalf("%+v, %v", st, err)
	}
	if _, err := os.Stat(old); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("old temporary file: %v", err)
	}
	if _, err := os.Stat(recent); err != nil {
		t.Errorf("recent temporary file: %v", err)
	}
}
