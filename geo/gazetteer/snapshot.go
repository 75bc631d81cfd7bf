package gazetteer

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"math/bits"
	"os"
	"path/filepath"
	"time"
	"unsafe"

	"github.com/paulmach/orb"
)

// A snapshot is the loaded gazetteer written to one file: the entries' fields as flat
// arrays, every string in one blob, and the tables (name index, IDs, word tables,
// fuzzy index, posting lists, generated names) as the arrays they are in memory, since
// they hold no pointers and their hash (strHash) is the same in every process. Reading
// it is one read of the file, a checksum, checks of every offset and index in it, and
// views into the file's bytes: the strings of the entries are unsafe.String views into
// the blob and the tables unsafe.Slice views of their sections, so the file's buffer
// lives as long as any of them and is never written to. It is tens of milliseconds
// instead of parsing 200,000 lines.
//
// Where the system allows (mapFile), the buffer is the file mapped into memory, private
// and copy-on-write, rather than a copy on the heap: reading the file into 90 MB of
// fresh heap cost 50–90 ms of page faults and copying, the mapping a few, its pages
// are the page cache's (shared by the processes that load it, and not scanned or
// counted by the garbage collector), and it stays mapped for the life of the process,
// since the entries' strings point into it. So the file must never be changed in place
// while a process may have it mapped: a snapshot is replaced by renaming a new file
// over it, and it is written read-only (0444) so that it is removed rather than
// overwritten.
//
// Layout (little-endian): a header of snapshotHeaderLen bytes, then the body, a
// sequence of sections, each its length as a uint64 then its bytes padded with zeros
// to a multiple of 8 (so every section starts 8-aligned in the buffer):
//
//	header: snapshotMagic (16 bytes), version uint32, CRC-32 (IEEE) of the body uint32,
//	        body length uint64, digest of the source files (32 bytes)
//	body:   the sections in the order writeSnapshot writes them
//
// A snapshot is valid only for the source files it was made from, the code that made
// it (SnapshotOptions.Code) and this snapshotVersion: the digest covers them all, and
// the sizes of the types stored and values of strHash, so that a change to those
// cannot meet an old snapshot even where snapshotVersion was not raised.

// SnapshotFile is the name of the snapshot file in the folder given to LoadCached.
const SnapshotFile = "gazetteer.snapshot"

// snapshotVersion changes whenever the layout or what Load makes of the files changes.
const snapshotVersion = 1

const (
	snapshotMagic     = "newsmap-gazsnap\n"
	snapshotHeaderLen = 64
)

// MaxSnapshotBytes bounds the size of a snapshot file that is read (the embedded
// gazetteer's is about 90 MB).
const MaxSnapshotBytes = 1 << 30

// Errors of snapshots. A snapshot with one of them is not used: LoadCached loads the
// source files and writes a new one.
var (
	ErrSnapshotStale       = errors.New("gazetteer: snapshot made from other source files or by another version")
	ErrSnapshotCorrupt     = errors.New("gazetteer: corrupt snapshot")
	ErrSnapshotUnsupported = errors.New("gazetteer: snapshot not supported")
)

// SnapshotStatus tells what LoadCached did with the snapshot.
type SnapshotStatus struct {
	Path    string // the snapshot file; "" when no folder was given
	Read    bool   // the gazetteer was read from it
	Written bool   // it was written, from the source files
	// ReadErr is why it was not read (fs.ErrNotExist before the first load,
	// ErrSnapshotStale after the data changed, ErrSnapshotCorrupt); WriteErr why it
	// could not be written. Neither fails the load.
	ReadErr, WriteErr error
}

// SnapshotOptions say where LoadCached keeps the snapshot and what it depends on
// besides the source files.
type SnapshotOptions struct {
	// Dir is the snapshot's folder, created if needed; "" means no snapshot.
	Dir string
	// Code names the code that loads, e.g. a hash of the executable
	// (buildcache.Executable): a snapshot made by other code is stale, so a change to
	// how the files are read (Normalize, say) never meets a snapshot made before it.
	// With "" only the snapshot format's version tells code apart.
	Code string
}

// LoadCached is Load with a snapshot (see SnapshotOptions): when the folder holds a
// snapshot of the same source files made by the same code, it is read instead of the
// files; otherwise the files are loaded, the fuzzy index built, and the snapshot
// written for the next time (atomically: a temporary file renamed into place). A
// snapshot that cannot be read or written never fails the load: SnapshotStatus says
// what happened.
func LoadCached(fsys fs.FS, opts SnapshotOptions) (*Gazetteer, SnapshotStatus, error) {
	var st SnapshotStatus
	if opts.Dir == "" {
		g, err := Load(fsys)
		return g, st, err
	}
	dir := opts.Dir
	st.Path = filepath.Join(dir, SnapshotFile)
	digest, digestErr := sourceDigest(fsys, opts.Code)
	if digestErr == nil {
		g, err := readSnapshot(st.Path, digest)
		if err == nil {
			st.Read = true
			return g, st, nil
		}
		st.ReadErr = err
	} else {
		st.ReadErr = digestErr
	}
	g, err := Load(fsys)
	if err != nil {
		return nil, st, err
	}
	if digestErr != nil {
		st.WriteErr = digestErr
		return g, st, nil
	}
	g.fuzzyOnce.Do(func() { g.fuzzy = g.buildFuzzy() })
	if err := os.MkdirAll(dir, 0o755); err != nil {
		st.WriteErr = fmt.Errorf("gazetteer: snapshot: %w", err)
	} else if err := g.writeSnapshot(st.Path, digest); err != nil {
		st.WriteErr = err
	} else {
		st.Written = true
	}
	return g, st, nil
}

// sourceFiles are the files a snapshot depends on: every file Load reads.
func sourceFiles() []string {
	names := []string{FileCountries, FileAdmin1, FileAdmin2, FileCurated, FilePlaces, FileShapes, FileDemonyms, FileEnWords, FileVariants}
	for _, code := range commonWordCodes {
		names = append(names, WordsFile(code))
	}
	return names
}

// sourceDigest is the SHA-256 of the snapshot version, of what the layout depends on,
// of code, and of the names, sizes and contents of the source files in fsys.
func sourceDigest(fsys fs.FS, code string) ([32]byte, error) {
	if !littleEndian() {
		return [32]byte{}, fmt.Errorf("%w on a big-endian machine", ErrSnapshotUnsupported)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s%d\ncode %q\n", snapshotMagic, snapshotVersion, code)
	fmt.Fprintf(h, "layout %d %d %d %d %d %d %d %d %d %d %#x\n", unsafe.Sizeof(Entry{}), unsafe.Sizeof(snapEntry{}), unsafe.Sizeof(wordSlot{}),
		unsafe.Sizeof(idSlot{}), unsafe.Sizeof(fuzzyItem{}), unsafe.Sizeof(variantRec{}), MaxIndexWords, minFuzzyLen, filterBits, maxFuzzyMemo,
		strHash("newsmap gazetteer snapshot"))
	for _, name := range sourceFiles() {
		if err := digestFile(h, fsys, name); err != nil {
			return [32]byte{}, err
		}
	}
	var d [32]byte
	h.Sum(d[:0])
	return d, nil
}

func digestFile(h hash.Hash, fsys fs.FS, name string) error {
	f, err := fsys.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(h, "%s absent\n", name)
		return nil
	}
	if err != nil {
		return fmt.Errorf("gazetteer: %w", err)
	}
	defer f.Close()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("gazetteer: %s: %w", name, err)
	}
	fmt.Fprintf(h, "\n%s %d\n", name, n)
	return nil
}

// littleEndian reports whether the machine stores integers little-endian, as the
// snapshot does: its sections are used in place.
func littleEndian() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}

// snapEntry is an Entry in the snapshot: its strings as references into the string
// table.
type snapEntry struct {
	id, name, kind, featureCode, countryCode, admin1, source uint32
	nameHash                                                 uint32
	names                                                    uint32 // first (code, name) pair in the names section; noNames: nil map
	nNames                                                   uint32
	geometry                                                 uint32 // index into the geometries, plus one; 0: none
	_                                                        uint32
	geonamesID, population                                   int64
	lat, lon                                                 float64
}

const noNames = math.MaxUint32

// Geometry kinds in the snapshot.
const (
	geomPoint uint32 = iota + 1
	geomMultiPoint
	geomLineString
	geomRing
	geomPolygon
	geomMultiLineString
	geomMultiPolygon
)

// strTable collects the strings of a snapshot being written.
type strTable struct {
	blob     []byte
	offs     []uint32 // string i is blob[offs[i]:offs[i+1]]
	interned map[string]uint32
	err      error
}

// add stores s and returns its reference.
func (t *strTable) add(s string) uint32 {
	if len(t.blob)+len(s) > math.MaxUint32 || len(t.offs) >= math.MaxUint32-1 {
		t.err = fmt.Errorf("%w: strings too long", ErrSnapshotUnsupported)
		return 0
	}
	t.blob = append(t.blob, s...)
	t.offs = append(t.offs, uint32(len(t.blob)))
	return uint32(len(t.offs) - 2)
}

// intern is add for the strings many entries share (codes, kinds).
func (t *strTable) intern(s string) uint32 {
	if r, ok := t.interned[s]; ok {
		return r
	}
	r := t.add(s)
	t.interned[s] = r
	return r
}

// geomWriter flattens geometries: their structure into ints, their points into one
// array.
type geomWriter struct {
	ints   []uint32
	points []orb.Point
	starts []uint32 // geometry i starts at ints[starts[i]]
}

func (w *geomWriter) add(g orb.Geometry) (uint32, error) {
	w.starts = append(w.starts, uint32(len(w.ints)))
	if err := w.encode(g); err != nil {
		return 0, err
	}
	if len(w.ints) > math.MaxUint32 || len(w.points) > math.MaxUint32 {
		return 0, fmt.Errorf("%w: geometries too large", ErrSnapshotUnsupported)
	}
	return uint32(len(w.starts) - 1), nil
}

func (w *geomWriter) line(ps []orb.Point) {
	w.ints = append(w.ints, uint32(len(w.points)), uint32(len(ps)))
	w.points = append(w.points, ps...)
}

func (w *geomWriter) encode(g orb.Geometry) error {
	switch v := g.(type) {
	case orb.Point:
		w.ints = append(w.ints, geomPoint, uint32(len(w.points)))
		w.points = append(w.points, v)
	case orb.MultiPoint:
		w.ints = append(w.ints, geomMultiPoint)
		w.line(v)
	case orb.LineString:
		w.ints = append(w.ints, geomLineString)
		w.line(v)
	case orb.Ring:
		w.ints = append(w.ints, geomRing)
		w.line(v)
	case orb.Polygon:
		w.ints = append(w.ints, geomPolygon, uint32(len(v)))
		for _, r := range v {
			w.line(r)
		}
	case orb.MultiLineString:
		w.ints = append(w.ints, geomMultiLineString, uint32(len(v)))
		for _, l := range v {
			w.line(l)
		}
	case orb.MultiPolygon:
		w.ints = append(w.ints, geomMultiPolygon, uint32(len(v)))
		for _, p := range v {
			w.ints = append(w.ints, uint32(len(p)))
			for _, r := range p {
				w.line(r)
			}
		}
	default:
		return fmt.Errorf("%w: geometry %T", ErrSnapshotUnsupported, g)
	}
	return nil
}

// bytesOf views a slice of a pointer-free type as its bytes.
func bytesOf[T any](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	var z T
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(unsafe.Sizeof(z)))
}

// snapWriter writes sections, summing the body's CRC.
type snapWriter struct {
	w   *bufio.Writer
	crc hash.Hash32
	n   int64
	err error
}

func (sw *snapWriter) raw(b []byte) {
	if sw.err != nil {
		return
	}
	sw.crc.Write(b)
	_, sw.err = sw.w.Write(b)
	sw.n += int64(len(b))
}

func (sw *snapWriter) section(b []byte) {
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
	sw.raw(n[:])
	sw.raw(b)
	var pad [8]byte
	sw.raw(pad[:(8-len(b)%8)%8])
}

func writeSlice[T any](sw *snapWriter, s []T) { sw.section(bytesOf(s)) }

func (sw *snapWriter) table(t *wordTable) {
	writeSlice(sw, []uint64{uint64(t.shift), uint64(t.n)})
	writeSlice(sw, t.slots)
	sw.section(t.arena)
	writeSlice(sw, t.filter)
}

// writeSnapshot writes g to path: a temporary file in its folder, renamed into place.
// The fuzzy index must be built.
func (g *Gazetteer) writeSnapshot(path string, digest [32]byte) (err error) {
	if g.fuzzy == nil {
		return fmt.Errorf("%w: no fuzzy index", ErrSnapshotUnsupported)
	}
	removeStaleTemps(filepath.Dir(path))
	f, err := os.CreateTemp(filepath.Dir(path), "."+SnapshotFile+"-*.tmp")
	if err != nil {
		return fmt.Errorf("gazetteer: snapshot: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("gazetteer: snapshot %s: %w", path, err)
		}
	}()
	var header [snapshotHeaderLen]byte
	if _, err := f.Write(header[:]); err != nil {
		return err
	}
	sw := &snapWriter{w: bufio.NewWriterSize(f, 1<<20), crc: crc32.NewIEEE()}
	if err := g.encodeSnapshot(sw); err != nil {
		return err
	}
	if sw.err != nil {
		return sw.err
	}
	if err := sw.w.Flush(); err != nil {
		return err
	}
	copy(header[:], snapshotMagic)
	binary.LittleEndian.PutUint32(header[16:], snapshotVersion)
	binary.LittleEndian.PutUint32(header[20:], sw.crc.Sum32())
	binary.LittleEndian.PutUint64(header[24:], uint64(sw.n))
	copy(header[32:], digest[:])
	if _, err := f.WriteAt(header[:], 0); err != nil {
		return err
	}
	// read-only where the file is mapped by the processes that read it (mapFile): it
	// must be replaced (as here, by a rename) or removed, never rewritten in place
	if err := f.Chmod(snapshotPerm); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// removeStaleTemps removes the temporary files of snapshots that were never renamed
// into place (the writer crashed) and are older than a day: not one being written.
func removeStaleTemps(dir string) {
	names, _ := filepath.Glob(filepath.Join(dir, "."+SnapshotFile+"-*.tmp"))
	for _, name := range names {
		if fi, err := os.Stat(name); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
			os.Remove(name)
		}
	}
}

// encodeSnapshot writes the body's sections.
func (g *Gazetteer) encodeSnapshot(sw *snapWriter) error {
	st := &strTable{offs: []uint32{0}, interned: map[string]uint32{}}
	var geoms geomWriter
	var pairs []uint32 // (code, name) of the entries' Names, by code
	ents := make([]snapEntry, len(g.entries))
	for i := range g.entries {
		e := &g.entries[i]
		se := snapEntry{id: st.add(e.ID), name: st.add(e.Name), kind: st.intern(string(e.Kind)), featureCode: st.intern(e.FeatureCode),
			countryCode: st.intern(e.CountryCode), admin1: st.intern(e.Admin1), source: st.intern(e.Source),
			nameHash: e.nameHash, names: noNames, geonamesID: int64(e.GeonamesID), population: int64(e.Population), lat: e.Lat, lon: e.Lon}
		if e.Names != nil {
			se.names, se.nNames = uint32(len(pairs)/2), uint32(len(e.Names))
			for _, code := range sortedKeys(e.Names) {
				pairs = append(pairs, st.intern(code), st.add(e.Names[code]))
			}
		}
		if e.Geometry != nil {
			n, err := geoms.add(e.Geometry)
			if err != nil {
				return fmt.Errorf("%s: %w", e.ID, err)
			}
			se.geometry = n + 1
		}
		ents[i] = se
	}
	var shapes []uint32 // (iso, geometry)
	for _, iso := range sortedKeys(g.shapes) {
		n, err := geoms.add(g.shapes[iso])
		if err != nil {
			return fmt.Errorf("shape of %s: %w", iso, err)
		}
		shapes = append(shapes, st.intern(iso), n)
	}
	var country, demonyms, kinds, codes, fuzzyKeys []uint32
	for _, iso := range sortedKeys(g.country) {
		country = append(country, st.intern(iso), uint32(g.country[iso]))
	}
	for _, k := range sortedKeys(g.demonyms) {
		demonyms = append(demonyms, st.add(k), st.intern(g.demonyms[k]))
	}
	for _, nv := range g.variantKinds {
		kinds = append(kinds, st.intern(nv.Kind), st.intern(nv.Lang), st.intern(nv.Rule))
	}
	wordCodes := sortedKeys(g.commonWords)
	for _, code := range wordCodes {
		codes = append(codes, st.intern(code))
	}
	fx := g.fuzzy
	for _, k := range fx.keys {
		fuzzyKeys = append(fuzzyKeys, st.add(k))
	}
	if st.err != nil {
		return st.err
	}
	writeSlice(sw, []uint64{uint64(len(g.entries)), uint64(g.maxWords), uint64(fx.shift)})
	sw.section(st.blob)
	writeSlice(sw, st.offs)
	writeSlice(sw, ents)
	writeSlice(sw, pairs)
	writeSlice(sw, geoms.starts)
	writeSlice(sw, geoms.ints)
	writeSlice(sw, geoms.points)
	writeSlice(sw, shapes)
	writeSlice(sw, country)
	writeSlice(sw, demonyms)
	writeSlice(sw, g.post)
	postOff := make([]uint32, 0, len(g.postings)+1)
	postOff = append(postOff, 0)
	for _, p := range g.postings {
		postOff = append(postOff, postOff[len(postOff)-1]+uint32(len(p)))
	}
	writeSlice(sw, postOff)
	sw.table(g.index)
	sw.table(g.byID)
	writeSlice(sw, []uint64{uint64(g.byGeonamesID.shift), uint64(g.byGeonamesID.n)})
	writeSlice(sw, g.byGeonamesID.slots)
	sw.table(g.nameWords)
	writeSlice(sw, codes)
	for _, code := range wordCodes {
		sw.table(g.commonWords[code])
	}
	writeSlice(sw, kinds)
	writeSlice(sw, g.variants)
	sw.section(g.variantArena)
	writeSlice(sw, fuzzyKeys)
	writeSlice(sw, fx.starts)
	writeSlice(sw, fx.items)
	return nil
}

// readSnapshot reads the snapshot at path, made from source files with the given
// digest. Every error names the file.
func readSnapshot(path string, digest [32]byte) (g *Gazetteer, err error) {
	b, release, err := readBounded(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		// The checks below are meant to leave nothing that can panic; this is the
		// guard should one be missing: a bad snapshot is a load from the files.
		if r := recover(); r != nil {
			g, err = nil, fmt.Errorf("%w %s: %v", ErrSnapshotCorrupt, path, r)
		}
		if err != nil {
			release() // nothing refers to b
		}
	}()
	if err := checkHeader(b, digest); err != nil {
		return nil, fmt.Errorf("%w: %s", err, path)
	}
	g, err = decodeSnapshot(b[snapshotHeaderLen:])
	if err != nil {
		return nil, fmt.Errorf("%w %s: %v", ErrSnapshotCorrupt, path, err)
	}
	return g, nil
}

// readBounded returns the bytes of the file at path, refusing one larger than
// MaxSnapshotBytes: mapped into memory where the system can (mapFile), else read in one
// allocation. release gives the bytes back; it may be called only while nothing
// refers to them (a mapping of a snapshot in use is never released).
func readBounded(path string) (b []byte, release func(), err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("gazetteer: snapshot: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("gazetteer: snapshot: %w", err)
	}
	if fi.Size() > MaxSnapshotBytes || fi.Size() < snapshotHeaderLen {
		return nil, nil, fmt.Errorf("%w %s: %d bytes", ErrSnapshotCorrupt, path, fi.Size())
	}
	if b, release, ok := mapFile(f, int(fi.Size())); ok {
		return b, release, nil
	}
	b = make([]byte, fi.Size())
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, nil, fmt.Errorf("%w %s: %v", ErrSnapshotCorrupt, path, err)
	}
	return b, func() {}, nil
}

// checkHeader checks the header of the snapshot b, its body's length and checksum.
func checkHeader(b []byte, digest [32]byte) error {
	if string(b[:16]) != snapshotMagic {
		return fmt.Errorf("%w: not a snapshot", ErrSnapshotCorrupt)
	}
	if v := binary.LittleEndian.Uint32(b[16:]); v != snapshotVersion || [32]byte(b[32:64]) != digest {
		return ErrSnapshotStale
	}
	body := b[snapshotHeaderLen:]
	if n := binary.LittleEndian.Uint64(b[24:]); n != uint64(len(body)) {
		return fmt.Errorf("%w: body of %d bytes, header says %d", ErrSnapshotCorrupt, len(body), n)
	}
	if crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(b[20:]) {
		return fmt.Errorf("%w: checksum", ErrSnapshotCorrupt)
	}
	return nil
}

// snapReader reads the sections of a snapshot's body, in place.
type snapReader struct {
	b   []byte
	off int
	err error
}

func (r *snapReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf(format, args...)
	}
}

func (r *snapReader) section() []byte {
	if r.err != nil {
		return nil
	}
	if len(r.b)-r.off < 8 {
		r.fail("section at %d: cut short", r.off)
		return nil
	}
	n := binary.LittleEndian.Uint64(r.b[r.off:])
	r.off += 8
	padded := n + (8-n%8)%8
	if n > uint64(len(r.b)-r.off) || padded > uint64(len(r.b)-r.off) {
		r.fail("section at %d: %d bytes, %d left", r.off-8, n, len(r.b)-r.off)
		return nil
	}
	s := r.b[r.off : r.off+int(n) : r.off+int(n)]
	r.off += int(padded)
	return s
}

// readSlice views the next section as a []T.
func readSlice[T any](r *snapReader) []T {
	b := r.section()
	var z T
	size := int(unsafe.Sizeof(z))
	if r.err != nil || len(b) == 0 {
		return nil
	}
	if len(b)%size != 0 || uintptr(unsafe.Pointer(unsafe.SliceData(b)))%unsafe.Alignof(z) != 0 {
		r.fail("section of %d bytes is not an aligned array of %d-byte items", len(b), size)
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/size)
}

// scalars reads a section of n uint64s.
func (r *snapReader) scalars(n int) []uint64 {
	s := readSlice[uint64](r)
	if r.err == nil && len(s) != n {
		r.fail("%d numbers, want %d", len(s), n)
	}
	if r.err != nil {
		return make([]uint64, n)
	}
	return s
}

// strs are the strings of a snapshot being read.
type strs struct {
	blob []byte
	offs []uint32
}

func (s *strs) ok(ref uint32) bool { return int(ref) < len(s.offs)-1 }

// get returns string ref, a view into the blob; ref must be ok.
func (s *strs) get(ref uint32) string {
	a, b := s.offs[ref], s.offs[ref+1]
	if a == b {
		return ""
	}
	return unsafe.String(&s.blob[a], b-a)
}

// pow2Shift checks a table of n slots: a power of two, with shift 64 - log2(n).
func pow2Shift(n int, shift uint64) bool {
	return n >= 2 && n&(n-1) == 0 && shift == uint64(64-bits.Len(uint(n-1)))
}

// table reads a wordTable whose values are in [lo, hi).
func (r *snapReader) table(lo, hi int64) *wordTable {
	sc := r.scalars(2)
	t := &wordTable{shift: uint(sc[0]), n: int(sc[1])}
	t.slots = readSlice[wordSlot](r)
	t.arena = r.section()
	t.filter = readSlice[uint64](r)
	if r.err != nil {
		return nil
	}
	if !pow2Shift(len(t.slots), sc[0]) || len(t.filter) == 0 || len(t.filter)&(len(t.filter)-1) != 0 {
		r.fail("word table of %d slots, shift %d, filter %d", len(t.slots), sc[0], len(t.filter))
		return nil
	}
	n := 0
	for _, s := range t.slots {
		if s.off == 0 {
			continue
		}
		n++
		if uint64(s.off)-1+uint64(s.n) > uint64(len(t.arena)) || int64(s.val) < lo || int64(s.val) >= hi {
			r.fail("word table slot %+v out of range", s)
			return nil
		}
	}
	if n != t.n || n >= len(t.slots) {
		r.fail("word table of %d slots holds %d keys, says %d", len(t.slots), n, t.n)
		return nil
	}
	return t
}

// decodeSnapshot makes a Gazetteer of a snapshot's body.
func decodeSnapshot(body []byte) (*Gazetteer, error) {
	r := &snapReader{b: body}
	sc := r.scalars(3)
	nEntries, maxWords, fuzzyShift := sc[0], sc[1], sc[2]
	if r.err == nil && (nEntries > math.MaxInt32 || maxWords > MaxIndexWords) {
		r.fail("%d entries, %d words", nEntries, maxWords)
	}
	s := &strs{blob: r.section(), offs: readSlice[uint32](r)}
	if r.err == nil {
		if len(s.offs) == 0 || s.offs[0] != 0 {
			r.fail("string table")
		}
		for i := 1; i < len(s.offs) && r.err == nil; i++ {
			if s.offs[i] < s.offs[i-1] || int(s.offs[i]) > len(s.blob) {
				r.fail("string %d out of range", i-1)
			}
		}
	}
	ents := readSlice[snapEntry](r)
	pairs := readSlice[uint32](r)
	geoStarts := readSlice[uint32](r)
	geoInts := readSlice[uint32](r)
	points := readSlice[orb.Point](r)
	shapePairs := readSlice[uint32](r)
	countryPairs := readSlice[uint32](r)
	demonymPairs := readSlice[uint32](r)
	if r.err != nil {
		return nil, r.err
	}
	n := int(nEntries)
	if len(ents) != n || len(pairs)%2 != 0 || len(shapePairs)%2 != 0 || len(countryPairs)%2 != 0 || len(demonymPairs)%2 != 0 {
		return nil, fmt.Errorf("%d entries, want %d; or an odd list of pairs", len(ents), n)
	}
	gd := &geomDecoder{ints: geoInts, points: points}
	geometry := func(i uint32) (orb.Geometry, error) {
		if int(i) >= len(geoStarts) {
			return nil, fmt.Errorf("geometry %d out of range", i)
		}
		gd.at = int(geoStarts[i])
		return gd.decode()
	}
	g := &Gazetteer{entries: make([]Entry, n), maxWords: int(maxWords), country: make(map[string]int32, len(countryPairs)/2),
		demonyms: make(map[string]string, len(demonymPairs)/2), shapes: make(map[string]orb.Geometry, len(shapePairs)/2)}
	for i := range ents {
		se := &ents[i]
		if !s.ok(se.id) || !s.ok(se.name) || !s.ok(se.kind) || !s.ok(se.featureCode) || !s.ok(se.countryCode) || !s.ok(se.admin1) || !s.ok(se.source) ||
			se.geonamesID < 0 || se.population < math.MinInt || se.population > math.MaxInt {
			return nil, fmt.Errorf("entry %d out of range", i)
		}
		e := Entry{ID: s.get(se.id), GeonamesID: int(se.geonamesID), Name: s.get(se.name), Kind: Kind(s.get(se.kind)),
			FeatureCode: s.get(se.featureCode), CountryCode: s.get(se.countryCode), Admin1: s.get(se.admin1),
			Lat: se.lat, Lon: se.lon, Population: int(se.population), Source: s.get(se.source), index: int32(i), nameHash: se.nameHash}
		if se.names != noNames {
			if uint64(se.names)+uint64(se.nNames) > uint64(len(pairs)/2) {
				return nil, fmt.Errorf("entry %d: names out of range", i)
			}
			e.Names = make(map[string]string, se.nNames)
			for j := 2 * se.names; j < 2*(se.names+se.nNames); j += 2 {
				if !s.ok(pairs[j]) || !s.ok(pairs[j+1]) {
					return nil, fmt.Errorf("entry %d: names out of range", i)
				}
				e.Names[s.get(pairs[j])] = s.get(pairs[j+1])
			}
		}
		if se.geometry != 0 {
			geom, err := geometry(se.geometry - 1)
			if err != nil {
				return nil, fmt.Errorf("entry %d: %w", i, err)
			}
			e.Geometry = geom
		}
		g.entries[i] = e
	}
	for i := 0; i < len(shapePairs); i += 2 {
		if !s.ok(shapePairs[i]) {
			return nil, errors.New("shape out of range")
		}
		geom, err := geometry(shapePairs[i+1])
		if err != nil {
			return nil, fmt.Errorf("shape: %w", err)
		}
		g.shapes[s.get(shapePairs[i])] = geom
	}
	for i := 0; i < len(countryPairs); i += 2 {
		if !s.ok(countryPairs[i]) || int(countryPairs[i+1]) >= n {
			return nil, errors.New("country out of range")
		}
		g.country[s.get(countryPairs[i])] = int32(countryPairs[i+1])
	}
	for i := 0; i < len(demonymPairs); i += 2 {
		if !s.ok(demonymPairs[i]) || !s.ok(demonymPairs[i+1]) {
			return nil, errors.New("demonym out of range")
		}
		g.demonyms[s.get(demonymPairs[i])] = s.get(demonymPairs[i+1])
	}

	isEntry := func(v int32) bool { return v >= 0 && int(v) < n }
	g.post = readSlice[int32](r)
	postOff := readSlice[uint32](r)
	if r.err != nil {
		return nil, r.err
	}
	if len(postOff) == 0 || postOff[0] != 0 || int(postOff[len(postOff)-1]) != len(g.post) {
		return nil, errors.New("posting lists out of range")
	}
	nPostings := len(postOff) - 1
	g.postings = make([][]int32, nPostings)
	for j := range g.postings {
		a, b := postOff[j], postOff[j+1]
		if a > b || int(b) > len(g.post) {
			return nil, errors.New("posting lists out of range")
		}
		g.postings[j] = g.post[a:b:b]
	}
	for _, i := range g.post {
		if !isEntry(i) {
			return nil, errors.New("posting list entry out of range")
		}
	}
	g.index = r.table(-int64(nPostings), int64(n)) // an entry, or -(posting list)-1
	g.byID = r.table(0, int64(n))
	ids := r.scalars(2)
	g.byGeonamesID = idTable{shift: uint(ids[0]), n: int(ids[1]), slots: readSlice[idSlot](r)}
	if r.err == nil {
		used := 0
		for _, sl := range g.byGeonamesID.slots {
			if sl.id != 0 {
				used++
				if !isEntry(sl.val) {
					r.fail("geonames id %d out of range", sl.id)
				}
			}
		}
		if !pow2Shift(len(g.byGeonamesID.slots), ids[0]) || used != g.byGeonamesID.n || used >= len(g.byGeonamesID.slots) {
			r.fail("geonames id table")
		}
	}
	g.nameWords = r.table(math.MinInt32, math.MaxInt32+1)
	codes := readSlice[uint32](r)
	g.commonWords = make(map[string]*wordTable, len(codes))
	for _, c := range codes {
		t := r.table(math.MinInt32, math.MaxInt32+1)
		if r.err != nil || !s.ok(c) {
			return nil, errors.Join(r.err, errors.New("word list out of range"))
		}
		g.commonWords[s.get(c)] = t
	}
	g.enWords = g.commonWords["en"]
	kinds := readSlice[uint32](r)
	g.variants = readSlice[variantRec](r)
	g.variantArena = r.section()
	fuzzyKeys := readSlice[uint32](r)
	fx := &fuzzyIndex{shift: uint(fuzzyShift), starts: readSlice[uint32](r), items: readSlice[fuzzyItem](r)}
	if r.err != nil {
		return nil, r.err
	}
	if r.off != len(r.b) {
		return nil, fmt.Errorf("%d bytes after the last section", len(r.b)-r.off)
	}
	if g.enWords == nil || len(kinds)%3 != 0 {
		return nil, errors.New("no English words, or bad variant kinds")
	}
	for i := 0; i < len(kinds); i += 3 {
		if !s.ok(kinds[i]) || !s.ok(kinds[i+1]) || !s.ok(kinds[i+2]) {
			return nil, errors.New("variant kind out of range")
		}
		g.variantKinds = append(g.variantKinds, NameVariant{Kind: s.get(kinds[i]), Lang: s.get(kinds[i+1]), Rule: s.get(kinds[i+2])})
	}
	if len(g.variants) > 0 {
		g.hasVariant = make([]uint64, (n+63)/64)
	}
	for j, v := range g.variants {
		if !isEntry(v.entry) || int(v.kind) >= len(g.variantKinds) || uint64(v.off)+uint64(v.n) > uint64(len(g.variantArena)) ||
			j > 0 && g.variants[j-1].entry > v.entry {
			return nil, errors.New("generated name out of range")
		}
		g.hasVariant[v.entry/64] |= 1 << (v.entry % 64)
	}
	fx.keys = make([]string, len(fuzzyKeys))
	for j, k := range fuzzyKeys {
		if !s.ok(k) {
			return nil, errors.New("fuzzy key out of range")
		}
		fx.keys[j] = s.get(k)
	}
	if fuzzyShift == 0 || fuzzyShift > 63 || 64-fuzzyShift > 40 || len(fx.starts) != 1<<(64-fuzzyShift)+1 || fx.starts[0] != 0 || int(fx.starts[len(fx.starts)-1]) != len(fx.items) {
		return nil, errors.New("fuzzy index buckets")
	}
	for b := 1; b < len(fx.starts); b++ {
		if fx.starts[b] < fx.starts[b-1] {
			return nil, errors.New("fuzzy index buckets")
		}
	}
	for _, it := range fx.items {
		if it.key < 0 || int(it.key) >= len(fx.keys) {
			return nil, errors.New("fuzzy index key out of range")
		}
	}
	g.fuzzyOnce.Do(func() { g.fuzzy = fx })
	g.link()
	return g, nil
}

// geomDecoder makes geometries of a snapshot, their points views into its points.
type geomDecoder struct {
	ints   []uint32
	points []orb.Point
	at     int
}

func (d *geomDecoder) next() (uint32, error) {
	if d.at >= len(d.ints) {
		return 0, errors.New("geometry cut short")
	}
	d.at++
	return d.ints[d.at-1], nil
}

// line reads a start and a length and returns those points.
func (d *geomDecoder) line() ([]orb.Point, error) {
	s, err := d.next()
	if err != nil {
		return nil, err
	}
	n, err := d.next()
	if err != nil {
		return nil, err
	}
	if uint64(s)+uint64(n) > uint64(len(d.points)) {
		return nil, errors.New("geometry points out of range")
	}
	return d.points[s : s+n : s+n], nil
}

// count reads a number of parts, at most what the ints left can describe.
func (d *geomDecoder) count() (int, error) {
	n, err := d.next()
	if err != nil {
		return 0, err
	}
	if int(n) > len(d.ints)-d.at {
		return 0, errors.New("geometry parts out of range")
	}
	return int(n), nil
}

func (d *geomDecoder) decode() (orb.Geometry, error) {
	kind, err := d.next()
	if err != nil {
		return nil, err
	}
	switch kind {
	case geomPoint:
		i, err := d.next()
		if err != nil || int(i) >= len(d.points) {
			return nil, errors.Join(err, errors.New("geometry point out of range"))
		}
		return d.points[i], nil
	case geomMultiPoint, geomLineString, geomRing:
		ps, err := d.line()
		if err != nil {
			return nil, err
		}
		switch kind {
		case geomMultiPoint:
			return orb.MultiPoint(ps), nil
		case geomLineString:
			return orb.LineString(ps), nil
		}
		return orb.Ring(ps), nil
	case geomPolygon:
		return d.polygon()
	case geomMultiLineString:
		n, err := d.count()
		if err != nil {
			return nil, err
		}
		ml := make(orb.MultiLineString, n)
		for i := range ml {
			if ml[i], err = d.line(); err != nil {
				return nil, err
			}
		}
		return ml, nil
	case geomMultiPolygon:
		n, err := d.count()
		if err != nil {
			return nil, err
		}
		mp := make(orb.MultiPolygon, n)
		for i := range mp {
			if mp[i], err = d.polygon(); err != nil {
				return nil, err
			}
		}
		return mp, nil
	}
	return nil, fmt.Errorf("geometry kind %d", kind)
}

func (d *geomDecoder) polygon() (orb.Polygon, error) {
	n, err := d.count()
	if err != nil {
		return nil, err
	}
	p := make(orb.Polygon, n)
	for i := range p {
		if p[i], err = d.line(); err != nil {
			return nil, err
		}
	}
	return p, nil
}
