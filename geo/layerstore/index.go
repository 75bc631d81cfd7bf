package layerstore

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/paulmach/orb"

	"newsmap/geo/schema"
)

// The index of a layer holds everything queries need of its features in flat columns,
// so that a served layer costs the Go heap O(1) whatever its size: the file is mapped
// read-only and the kernel keeps in memory the pages that are read (page cache it can
// drop), not the process.
//
// Layout (little-endian; every section starts on an 8-byte boundary):
//
//	header    headerSize bytes: magic, version, the source file's size and modification
//	          time, the feature count, the offset and length of each section, a CRC-32C
//	          of the body and one of the header itself
//	blob      per feature, in file order: id, articles (each a uvarint length and its
//	          bytes), search text, the feature's encoding (FeatureJSON), its geometry
//	          (geomcodec.go; absent for a feature without geometry)
//	records   per feature, in id order, recSize bytes: bound, time interval, granularity,
//	          flags, the blob offset of its block and the length of each part
//	order     per feature of the file, in file order: its position in id order (int32)
//	items     the packed R-tree's items (int32 positions in id order), leaf order
//	bounds    the bound of each item (4 float64)
//	nodes     the tree's nodes, level by level from the leaves (4 float64, first and
//	          count as uint32)
//	meta      JSON: the layer's hash, title, fields, bound, time extent, tree levels
//
// Every offset read from the file is checked against the bounds of its section before
// use; a file whose header, size or checksum does not match is rebuilt, never read.
const (
	indexMagic   = "NMLIDX\x00\x01"
	indexVersion = 2
	headerSize   = 256
	recSize      = 88
	nodeSize     = 40
)

// Record layout.
const (
	recMinX      = 0
	recStartSec  = 32
	recEndSec    = 40
	recStartNsec = 48
	recEndNsec   = 52
	recBlock     = 56
	recIDLen     = 64
	recArtLen    = 68
	recSearchLen = 72
	recEncLen    = 76
	recGeomLen   = 80
	recGran      = 84
	recFlags     = 85
)

// Record flags.
const (
	flagHasGeom  = 1 << iota // a geometry that is not empty: the feature is in the R-tree
	flagHasTime              // a date: the interval is set
	flagGeometry             // a geometry, empty or not (absent for "geometry": null)
	flagPoint                // the geometry is a point: the bound's minimum (Layer.Point)
)

// ErrBadIndex is the error of an index file that cannot be used (truncated, damaged, of
// another version or of another version of the layer file): the layer's file is read
// again and the index rebuilt.
var ErrBadIndex = errors.New("layerstore: bad layer index")

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// header is the fixed part of an index file.
type header struct {
	srcSize, srcMod int64 // the layer file's size and modification time (Unix ns)
	n               uint64
	blobOff         uint64
	blobLen         uint64
	recOff          uint64
	orderOff        uint64
	itemsOff        uint64
	items           uint64
	boundsOff       uint64
	nodesOff        uint64
	nodes           uint64
	metaOff         uint64
	metaLen         uint64
	end             uint64 // the file's size
	bodyCRC         uint32
}

func (h *header) marshal() []byte {
	b := make([]byte, headerSize)
	copy(b, indexMagic)
	binary.LittleEndian.PutUint32(b[8:], indexVersion)
	vals := []uint64{uint64(h.srcSize), uint64(h.srcMod), h.n, h.blobOff, h.blobLen, h.recOff, h.orderOff,
		h.itemsOff, h.items, h.boundsOff, h.nodesOff, h.nodes, h.metaOff, h.metaLen, h.end}
	for i, v := range vals {
		binary.LittleEndian.PutUint64(b[16+8*i:], v)
	}
	at := 16 + 8*len(vals)
	binary.LittleEndian.PutUint32(b[at:], h.bodyCRC)
	binary.LittleEndian.PutUint32(b[at+4:], crc32.Checksum(b[:at+4], castagnoli))
	return b
}

// unmarshalHeader checks the header's magic, version and checksum and that each
// section lies within the file (of size end) where the header says.
func unmarshalHeader(b []byte) (header, error) {
	var h header
	if len(b) < headerSize || string(b[:8]) != indexMagic {
		return h, fmt.Errorf("%w: not an index file", ErrBadIndex)
	}
	if v := binary.LittleEndian.Uint32(b[8:]); v != indexVersion {
		return h, fmt.Errorf("%w: version %d, want %d", ErrBadIndex, v, indexVersion)
	}
	const nvals = 15
	at := 16 + 8*nvals
	if crc32.Checksum(b[:at+4], castagnoli) != binary.LittleEndian.Uint32(b[at+4:]) {
		return h, fmt.Errorf("%w: header checksum", ErrBadIndex)
	}
	v := func(i int) uint64 { return binary.LittleEndian.Uint64(b[16+8*i:]) }
	h = header{srcSize: int64(v(0)), srcMod: int64(v(1)), n: v(2), blobOff: v(3), blobLen: v(4), recOff: v(5),
		orderOff: v(6), itemsOff: v(7), items: v(8), boundsOff: v(9), nodesOff: v(10), nodes: v(11),
		metaOff: v(12), metaLen: v(13), end: v(14), bodyCRC: binary.LittleEndian.Uint32(b[at:])}
	const maxCount = 1 << 31
	if h.n >= maxCount || h.items > h.n || h.nodes > h.n+1 || h.end > math.MaxInt64/2 {
		return h, fmt.Errorf("%w: counts out of range", ErrBadIndex)
	}
	for _, s := range [][2]uint64{{h.blobOff, h.blobLen}, {h.recOff, h.n * recSize}, {h.orderOff, h.n * 4},
		{h.itemsOff, h.items * 4}, {h.boundsOff, h.items * 32}, {h.nodesOff, h.nodes * nodeSize}, {h.metaOff, h.metaLen}} {
		if s[0] < headerSize || s[0] > h.end || s[1] > h.end-s[0] {
			return h, fmt.Errorf("%w: section outside the file", ErrBadIndex)
		}
	}
	return h, nil
}

// indexMeta is the layer-level part of an index, kept in the heap.
type indexMeta struct {
	Hash        string
	Title       string
	TitleMember json.RawMessage `json:",omitempty"`
	Fields      []Field
	Bound       orb.Bound
	HasBound    bool
	Extent      schema.Interval
	HasExtent   bool
	Levels      []int                // nodes per tree level, from the leaves
	Grans       []schema.Granularity // the granularities a record's gran byte indexes
}

// index is an open index: views into its bytes (a mapping, or a heap slice for a layer
// parsed from bytes) and its metadata.
type index struct {
	data                                    []byte
	n                                       int
	blob, recs, order, items, bounds, nodes []byte
	levelStart                              []int // the first node of each level
	meta                                    indexMeta
	titleMember                             any
	// anchor is the heap object whose cleanup releases the mapping (mapOpenIndex): the
	// index and every slice of shared encodings (Layer.FeaturesJSON) refer to it. It
	// is not a tiny allocation (a cleanup on one may never run).
	anchor []byte
}

// openIndex checks an index's header and sections (not the body's checksum: see
// verifyBody) and decodes its metadata.
func openIndex(data []byte) (*index, error) {
	h, err := unmarshalHeader(data)
	if err != nil {
		return nil, err
	}
	if h.end != uint64(len(data)) {
		return nil, fmt.Errorf("%w: %d bytes, the header says %d", ErrBadIndex, len(data), h.end)
	}
	x := &index{data: data, n: int(h.n), anchor: make([]byte, 32)}
	x.blob = data[h.blobOff : h.blobOff+h.blobLen]
	x.recs = data[h.recOff : h.recOff+h.n*recSize]
	x.order = data[h.orderOff : h.orderOff+h.n*4]
	x.items = data[h.itemsOff : h.itemsOff+h.items*4]
	x.bounds = data[h.boundsOff : h.boundsOff+h.items*32]
	x.nodes = data[h.nodesOff : h.nodesOff+h.nodes*nodeSize]
	if err := json.Unmarshal(data[h.metaOff:h.metaOff+h.metaLen], &x.meta); err != nil {
		return nil, fmt.Errorf("%w: metadata: %v", ErrBadIndex, err)
	}
	total := 0
	for _, c := range x.meta.Levels {
		if c <= 0 || c > x.n {
			return nil, fmt.Errorf("%w: tree levels", ErrBadIndex)
		}
		x.levelStart = append(x.levelStart, total)
		total += c
	}
	if uint64(total) != h.nodes || (len(x.meta.Levels) > 0 && x.meta.Levels[len(x.meta.Levels)-1] != 1) || len(x.meta.Grans) > 256 {
		return nil, fmt.Errorf("%w: tree levels", ErrBadIndex)
	}
	if err := x.checkTree(); err != nil {
		return nil, err
	}
	if len(x.meta.TitleMember) > 0 {
		if err := json.Unmarshal(x.meta.TitleMember, &x.titleMember); err != nil {
			return nil, fmt.Errorf("%w: metadata: %v", ErrBadIndex, err)
		}
	}
	return x, nil
}

// checkTree checks that the R-tree is one: each level's nodes cover the level below
// (the items, for the leaves) in order, each child once, so that a search visits a node
// at most once whatever the bytes (a damaged tree would otherwise make it revisit
// children exponentially often). It reads the nodes, a sixteenth of the features.
func (x *index) checkTree() error {
	items := len(x.items) / 4
	if items > 0 && len(x.meta.Levels) == 0 {
		return fmt.Errorf("%w: tree levels", ErrBadIndex)
	}
	for lv, c := range x.meta.Levels {
		below := items
		if lv > 0 {
			below = x.meta.Levels[lv-1]
		}
		next := 0
		for k := range c {
			nd := x.nodes[(x.levelStart[lv]+k)*nodeSize:]
			first := int(binary.LittleEndian.Uint32(nd[32:]))
			count := int(binary.LittleEndian.Uint32(nd[36:]))
			if first != next || count == 0 || count > below-first {
				return fmt.Errorf("%w: tree node %d of level %d", ErrBadIndex, k, lv)
			}
			next = first + count
		}
		if next != below {
			return fmt.Errorf("%w: tree level %d", ErrBadIndex, lv)
		}
	}
	return nil
}

// verifyBody checks the checksum of everything after the header, reading r (the index
// file) rather than a mapping of it, so that the check leaves nothing resident.
func verifyBody(r io.ReaderAt, h header) error {
	crc := uint32(0)
	buf := make([]byte, 1<<20)
	for off := int64(headerSize); off < int64(h.end); {
		n, err := r.ReadAt(buf[:min(int64(len(buf)), int64(h.end)-off)], off)
		crc = crc32.Update(crc, castagnoli, buf[:n])
		off += int64(n)
		if err != nil && (!errors.Is(err, io.EOF) || off < int64(h.end)) {
			return fmt.Errorf("%w: %v", ErrBadIndex, err)
		}
	}
	if crc != h.bodyCRC {
		return fmt.Errorf("%w: checksum", ErrBadIndex)
	}
	return nil
}

func (x *index) rec(i int) []byte { return x.recs[i*recSize : (i+1)*recSize : (i+1)*recSize] }

func f64(b []byte) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b)) }

func readBound(b []byte) orb.Bound {
	return orb.Bound{Min: orb.Point{f64(b), f64(b[8:])}, Max: orb.Point{f64(b[16:]), f64(b[24:])}}
}

// point returns feature i's geometry when it is a point, read from its record.
func (x *index) point(i int) (orb.Point, bool) {
	r := x.rec(i)
	if r[recFlags]&(flagPoint|flagHasGeom) != flagPoint|flagHasGeom {
		return orb.Point{}, false
	}
	return orb.Point{f64(r), f64(r[8:])}, true
}

// span returns feature i's interval; ok is false without a date.
func (x *index) span(i int) (iv schema.Interval, ok bool) {
	r := x.rec(i)
	if r[recFlags]&flagHasTime == 0 {
		return iv, false
	}
	iv.Start = unixTime(int64(binary.LittleEndian.Uint64(r[recStartSec:])), binary.LittleEndian.Uint32(r[recStartNsec:]))
	iv.End = unixTime(int64(binary.LittleEndian.Uint64(r[recEndSec:])), binary.LittleEndian.Uint32(r[recEndNsec:]))
	if g := int(r[recGran]); g < len(x.meta.Grans) {
		iv.Granularity = x.meta.Grans[g]
	}
	return iv, true
}

// parts are the pieces of a feature's block.
type parts struct {
	id, articles, search, enc, geom []byte
	hasGeometry                     bool
}

// parts returns feature i's block, cut into its pieces; an offset outside the blob is
// errIndexRange.
func (x *index) parts(i int) (parts, error) {
	r := x.rec(i)
	off := binary.LittleEndian.Uint64(r[recBlock:])
	var p parts
	lens := [5]uint64{}
	total := uint64(0)
	for k := range lens {
		lens[k] = uint64(binary.LittleEndian.Uint32(r[recIDLen+4*k:]))
		total += lens[k]
	}
	if off > uint64(len(x.blob)) || total > uint64(len(x.blob))-off {
		return p, fmt.Errorf("%w: feature %d: block outside the blob", ErrBadIndex, i)
	}
	b := x.blob[off : off+total : off+total]
	cut := func(k int) []byte {
		s := b[:lens[k]:lens[k]]
		b = b[lens[k]:]
		return s
	}
	p.id, p.articles, p.search, p.enc, p.geom = cut(0), cut(1), cut(2), cut(3), cut(4)
	p.hasGeometry = r[recFlags]&flagGeometry != 0
	return p, nil
}

// id returns feature i's id ("" when its block is damaged).
func (x *index) id(i int) []byte {
	p, err := x.parts(i)
	if err != nil {
		return nil
	}
	return p.id
}

// hasArticle reports whether the encoded article list holds a.
func hasArticle(list []byte, a string) bool {
	for len(list) > 0 {
		n, k := binary.Uvarint(list)
		if k <= 0 || n > uint64(len(list)-k) {
			return false
		}
		if string(list[k:k+int(n)]) == a {
			return true
		}
		list = list[k+int(n):]
	}
	return false
}

// fileOrder returns the position in id order of the file's k-th feature.
func (x *index) fileOrder(k int) int {
	v := int(int32(binary.LittleEndian.Uint32(x.order[4*k:])))
	if v < 0 || v >= x.n {
		return 0 // a damaged entry (the checksum makes this unreachable)
	}
	return v
}

// search appends to dst the items whose bounds intersect q, in no particular order.
// A node that points outside its level is skipped.
func (x *index) search(q orb.Bound, dst []int32) []int32 {
	top := len(x.meta.Levels) - 1
	if top < 0 {
		return dst
	}
	return x.searchNode(top, 0, q, dst)
}

func (x *index) searchNode(level, idx int, q orb.Bound, dst []int32) []int32 {
	at := (x.levelStart[level] + idx) * nodeSize
	nd := x.nodes[at : at+nodeSize]
	if !intersects(readBound(nd), q) {
		return dst
	}
	first := int(binary.LittleEndian.Uint32(nd[32:]))
	count := int(binary.LittleEndian.Uint32(nd[36:]))
	if level == 0 {
		m := len(x.items) / 4
		if first > m || count > m-first {
			return dst
		}
		for i := first; i < first+count; i++ {
			if intersects(readBound(x.bounds[32*i:]), q) {
				it := int32(binary.LittleEndian.Uint32(x.items[4*i:]))
				if it >= 0 && int(it) < x.n {
					dst = append(dst, it)
				}
			}
		}
		return dst
	}
	below := x.meta.Levels[level-1]
	if first > below || count > below-first {
		return dst
	}
	for i := first; i < first+count; i++ {
		dst = x.searchNode(level-1, i, q, dst)
	}
	return dst
}

// sink is where an index is written: a file, or memory for a layer parsed from bytes.
type sink interface {
	io.Writer
	io.WriterAt
}

// memSink is a sink in memory.
type memSink struct{ b []byte }

func (m *memSink) Write(p []byte) (int, error) { m.b = append(m.b, p...); return len(p), nil }

func (m *memSink) WriteAt(p []byte, off int64) (int, error) {
	if off < 0 || off+int64(len(p)) > int64(len(m.b)) {
		return 0, errors.New("layerstore: write outside the index")
	}
	return copy(m.b[off:], p), nil
}

// bodyWriter writes the body of an index in order, keeping its length and checksum.
type bodyWriter struct {
	w   *bufio.Writer
	pos uint64 // the file offset of the next byte
	crc uint32
}

func (b *bodyWriter) write(p []byte) error {
	b.crc = crc32.Update(b.crc, castagnoli, p)
	b.pos += uint64(len(p))
	_, err := b.w.Write(p)
	return err
}

func (b *bodyWriter) align() error {
	if pad := (8 - b.pos%8) % 8; pad > 0 {
		return b.write(make([]byte, pad))
	}
	return nil
}

// countReader counts and hashes the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
	h interface{ Write([]byte) (int, error) }
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.h.Write(p[:n])
	return n, err
}

// builtIndex is what writeIndex reports besides the file.
type builtIndex struct {
	size int64 // bytes read from the layer file
}

// writeIndex reads a layer file from r, one feature at a time (in parallel batches),
// and writes its index to out. The heap holds, besides one batch, ~100 bytes per feature
// (its record and id, to sort them) until the index is written.
func writeIndex(name string, r io.Reader, out sink, srcSize, srcMod int64) (builtIndex, error) {
	hasher := sha256.New()
	cr := &countReader{r: r, h: hasher}
	bw := &bodyWriter{w: bufio.NewWriterSize(writerOnly{out}, 1<<20), pos: headerSize}
	if _, err := bw.w.Write(make([]byte, headerSize)); err != nil {
		return builtIndex{}, err
	}
	b := &builder{bw: bw, granIdx: map[schema.Granularity]byte{}, srcSize: srcSize}
	b.workers = make([]*worker, max(1, runtime.GOMAXPROCS(0)))
	for i := range b.workers {
		b.workers[i] = &worker{types: map[string]string{}, nonScalar: map[string]bool{}}
	}
	extra, err := scanCollection(cr, b.add)
	if err == nil {
		err = b.flush()
	}
	if err != nil {
		return builtIndex{}, err
	}
	sum := hasher.Sum(nil)
	meta := indexMeta{Hash: hex.EncodeToString(sum[:16]), Title: titleOf(name, extra)}
	if tm, ok := extra["title"]; ok {
		if meta.TitleMember, err = json.Marshal(tm); err != nil {
			return builtIndex{}, err
		}
	}
	if err := b.finish(&meta, out, srcSize, srcMod); err != nil {
		return builtIndex{}, err
	}
	return builtIndex{size: cr.n}, nil
}

// writerOnly hides a sink's other methods from bufio (which would use ReadFrom).
type writerOnly struct{ w io.Writer }

func (w writerOnly) Write(p []byte) (int, error) { return w.w.Write(p) }

// batch limits: the features decoded in parallel at a time.
const (
	batchFeatures = 2048
	batchBytes    = 16 << 20
)

type builder struct {
	bw      *bodyWriter
	workers []*worker
	srcSize int64 // the layer file's size, to size the per-feature arrays

	// the batch being filled: the features' bytes and where each starts
	raw   []byte
	spans [][2]int
	ats   []int64
	first int // the file index of the batch's first feature

	recs    []byte   // per feature in file order
	ids     []string // per feature in file order
	granIdx map[schema.Granularity]byte
	grans   []schema.Granularity
	bound   orb.Bound
	hasB    bool
	extent  schema.Interval
	hasExt  bool
}

type worker struct {
	types     map[string]string
	nonScalar map[string]bool
	enc       bytes.Buffer
	block     []byte
	out       []featOut
}

type featOut struct {
	m          featureMeta
	hasGeomVal bool
	isPoint    bool
	start, end int // of the block in the worker's buffer
	lens       [5]uint32
	err        error
}

func (b *builder) add(k int, raw []byte, at int64) error {
	if len(b.spans) == 0 {
		b.first = k
	}
	start := len(b.raw)
	b.raw = append(b.raw, raw...)
	b.spans = append(b.spans, [2]int{start, len(b.raw)})
	b.ats = append(b.ats, at)
	if len(b.spans) >= batchFeatures || len(b.raw) >= batchBytes {
		return b.flush()
	}
	return nil
}

// flush decodes the batch in parallel and writes its blocks in file order.
func (b *builder) flush() error {
	n := len(b.spans)
	if n == 0 {
		return nil
	}
	nw := min(len(b.workers), max(1, n/64))
	chunk := (n + nw - 1) / nw
	var wg sync.WaitGroup
	for w := range nw {
		lo, hi := w*chunk, min((w+1)*chunk, n)
		if lo >= hi {
			b.workers[w].out = b.workers[w].out[:0]
			continue
		}
		wk := b.workers[w]
		wg.Go(func() { wk.run(b, lo, hi) })
	}
	wg.Wait()
	if len(b.ids) == 0 && b.srcSize > 0 {
		// The first batch tells the size of a feature: the arrays kept until the end
		// are made about as long as the file needs, not grown by doubling. The guess
		// is capped at a feature per 512 bytes of the file, so that a first batch of
		// small features does not reserve much more than doubling would.
		per := max(1, (len(b.raw)+n-1)/n)
		est := min(int(b.srcSize/int64(per))+n+1024, int(b.srcSize/512)+n+1024, math.MaxInt32/2)
		b.recs = make([]byte, 0, est*recSize)
		b.ids = make([]string, 0, est)
	}
	for w := range nw {
		wk := b.workers[w]
		for _, o := range wk.out {
			if o.err != nil {
				return o.err
			}
			if err := b.append(o, wk.block[o.start:o.end]); err != nil {
				return err
			}
		}
	}
	b.raw, b.spans, b.ats = b.raw[:0], b.spans[:0], b.ats[:0]
	return nil
}

func (wk *worker) run(b *builder, lo, hi int) {
	wk.out = wk.out[:0]
	wk.block = wk.block[:0]
	for i := lo; i < hi; i++ {
		sp := b.spans[i]
		o := wk.feature(b.raw[sp[0]:sp[1]], b.ats[i], b.first+i)
		wk.out = append(wk.out, o)
		if o.err != nil {
			return
		}
	}
}

// feature decodes one feature and appends its block to the worker's buffer.
func (wk *worker) feature(raw []byte, at int64, k int) featOut {
	var o featOut
	if string(raw) == "null" {
		o.err = fmt.Errorf("feature %d is null", k)
		return o
	}
	f, err := decodeFeature(raw)
	if err != nil {
		o.err = describeJSONAt(err, at)
		return o
	}
	o.m = newMeta(f)
	wk.enc.Reset()
	if err := encodeFeature(&wk.enc, f, o.m.id); err != nil {
		o.err = err
		return o
	}
	o.start = len(wk.block)
	wk.block = append(wk.block, o.m.id...)
	mark := len(wk.block)
	for _, a := range o.m.articles {
		wk.block = binary.AppendUvarint(wk.block, uint64(len(a)))
		wk.block = append(wk.block, a...)
	}
	artLen := len(wk.block) - mark
	wk.block = append(wk.block, o.m.search...)
	wk.block = append(wk.block, wk.enc.Bytes()...)
	mark = len(wk.block)
	if f.Geometry != nil {
		o.hasGeomVal = true
		_, o.isPoint = f.Geometry.(orb.Point)
		if wk.block, err = appendGeom(wk.block, f.Geometry); err != nil {
			o.err = fmt.Errorf("feature %d: geometry of type %T", k, f.Geometry)
			return o
		}
	}
	o.end = len(wk.block)
	o.lens = [5]uint32{uint32(len(o.m.id)), uint32(artLen), uint32(len(o.m.search)), uint32(wk.enc.Len()), uint32(len(wk.block) - mark)}
	for _, l := range o.lens {
		if l > maxValueBytes*2 {
			o.err = fmt.Errorf("feature %d is too large", k)
			return o
		}
	}
	addTypes(wk.types, wk.nonScalar, f.Properties)
	return o
}

// append writes a feature's block and keeps its record.
func (b *builder) append(o featOut, block []byte) error {
	if len(b.ids) >= math.MaxInt32-1 {
		return errors.New("too many features")
	}
	var r [recSize]byte
	m := o.m
	if m.hasGeom {
		r[recFlags] |= flagHasGeom
		binary.LittleEndian.PutUint64(r[0:], math.Float64bits(m.bound.Min[0]))
		binary.LittleEndian.PutUint64(r[8:], math.Float64bits(m.bound.Min[1]))
		binary.LittleEndian.PutUint64(r[16:], math.Float64bits(m.bound.Max[0]))
		binary.LittleEndian.PutUint64(r[24:], math.Float64bits(m.bound.Max[1]))
		if b.hasB {
			b.bound = b.bound.Union(m.bound)
		} else {
			b.bound, b.hasB = m.bound, true
		}
	}
	if o.hasGeomVal {
		r[recFlags] |= flagGeometry
	}
	if o.isPoint {
		r[recFlags] |= flagPoint
	}
	if m.hasTime {
		r[recFlags] |= flagHasTime
		binary.LittleEndian.PutUint64(r[recStartSec:], uint64(m.span.Start.Unix()))
		binary.LittleEndian.PutUint32(r[recStartNsec:], uint32(m.span.Start.Nanosecond()))
		binary.LittleEndian.PutUint64(r[recEndSec:], uint64(m.span.End.Unix()))
		binary.LittleEndian.PutUint32(r[recEndNsec:], uint32(m.span.End.Nanosecond()))
		g, ok := b.granIdx[m.span.Granularity]
		if !ok {
			if len(b.grans) == 256 {
				return errors.New("more than 256 date granularities")
			}
			g = byte(len(b.grans))
			b.granIdx[m.span.Granularity] = g
			b.grans = append(b.grans, m.span.Granularity)
		}
		r[recGran] = g
		if !b.hasExt {
			b.extent, b.hasExt = m.span, true
		} else {
			if m.span.Start.Before(b.extent.Start) {
				b.extent.Start = m.span.Start
			}
			if m.span.End.After(b.extent.End) {
				b.extent.End = m.span.End
			}
			if m.span.Granularity != b.extent.Granularity {
				b.extent.Granularity = ""
			}
		}
	}
	binary.LittleEndian.PutUint64(r[recBlock:], b.bw.pos)
	for k, l := range o.lens {
		binary.LittleEndian.PutUint32(r[recIDLen+4*k:], l)
	}
	b.recs = append(b.recs, r[:]...)
	b.ids = append(b.ids, m.id)
	return b.bw.write(block)
}

// finish writes the sections after the blob and the header.
func (b *builder) finish(meta *indexMeta, out sink, srcSize, srcMod int64) error {
	bw := b.bw
	h := header{srcSize: srcSize, srcMod: srcMod, n: uint64(len(b.ids)), blobOff: headerSize, blobLen: bw.pos - headerSize}
	n := len(b.ids)
	// Sort by id (stable, so equal ids keep file order).
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(x, y int32) int { return strings.Compare(b.ids[x], b.ids[y]) })
	b.ids = nil
	if err := bw.align(); err != nil {
		return err
	}
	h.recOff = bw.pos
	bounds := make([]orb.Bound, n)
	ok := make([]bool, n)
	for i, o := range order {
		r := b.recs[int(o)*recSize : (int(o)+1)*recSize]
		// The block offsets were written relative to the file: make them relative to
		// the blob.
		var rr [recSize]byte
		copy(rr[:], r)
		binary.LittleEndian.PutUint64(rr[recBlock:], binary.LittleEndian.Uint64(r[recBlock:])-headerSize)
		if err := bw.write(rr[:]); err != nil {
			return err
		}
		if r[recFlags]&flagHasGeom != 0 {
			bounds[i], ok[i] = readBound(r), true
		}
	}
	b.recs = nil
	h.orderOff = bw.pos
	fileOrder := make([]byte, 4*n)
	for i, o := range order {
		binary.LittleEndian.PutUint32(fileOrder[4*int(o):], uint32(i))
	}
	order = nil
	if err := bw.write(fileOrder); err != nil {
		return err
	}
	fileOrder = nil
	tree := newRTree(bounds, ok)
	bounds, ok = nil, nil
	if err := bw.align(); err != nil {
		return err
	}
	h.itemsOff, h.items = bw.pos, uint64(len(tree.items))
	buf := make([]byte, 0, 64<<10)
	flushBuf := func() error {
		err := bw.write(buf)
		buf = buf[:0]
		return err
	}
	for _, it := range tree.items {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(it))
		if len(buf) >= 60<<10 {
			if err := flushBuf(); err != nil {
				return err
			}
		}
	}
	if err := flushBuf(); err != nil {
		return err
	}
	if err := bw.align(); err != nil {
		return err
	}
	appendBound := func(buf []byte, bd orb.Bound) []byte {
		for _, v := range []float64{bd.Min[0], bd.Min[1], bd.Max[0], bd.Max[1]} {
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
		}
		return buf
	}
	h.boundsOff = bw.pos
	for _, bd := range tree.itemBounds {
		buf = appendBound(buf, bd)
		if len(buf) >= 60<<10 {
			if err := flushBuf(); err != nil {
				return err
			}
		}
	}
	if err := flushBuf(); err != nil {
		return err
	}
	h.nodesOff = bw.pos
	for _, level := range tree.levels {
		meta.Levels = append(meta.Levels, len(level))
		for _, nd := range level {
			buf = appendBound(buf, nd.b)
			buf = binary.LittleEndian.AppendUint32(buf, uint32(nd.first))
			buf = binary.LittleEndian.AppendUint32(buf, uint32(nd.count))
			h.nodes++
			if len(buf) >= 60<<10 {
				if err := flushBuf(); err != nil {
					return err
				}
			}
		}
	}
	if err := flushBuf(); err != nil {
		return err
	}
	meta.Bound, meta.HasBound = b.bound, b.hasB
	meta.Extent, meta.HasExtent = b.extent, b.hasExt
	meta.Grans = b.grans
	types, nonScalar := map[string]string{}, map[string]bool{}
	for _, wk := range b.workers {
		for k, t := range wk.types {
			if prev, seen := types[k]; seen {
				t = mergeType(prev, t)
			}
			types[k] = t
		}
		for k := range wk.nonScalar {
			nonScalar[k] = true
		}
	}
	for k, t := range types {
		if t == "" {
			t = "mixed" // only nulls seen
		}
		meta.Fields = append(meta.Fields, Field{Name: k, Type: t, ScalarItems: t == "array" && !nonScalar[k]})
	}
	slices.SortFunc(meta.Fields, func(a, b Field) int { return strings.Compare(a.Name, b.Name) })
	mj, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	h.metaOff, h.metaLen = bw.pos, uint64(len(mj))
	if err := bw.write(mj); err != nil {
		return err
	}
	if err := bw.w.Flush(); err != nil {
		return err
	}
	h.end, h.bodyCRC = bw.pos, bw.crc
	_, err = out.WriteAt(h.marshal(), 0)
	return err
}
