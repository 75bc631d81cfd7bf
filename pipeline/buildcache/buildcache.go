// Package buildcache keeps what the pipeline made of each article between builds, so a
// build after adding one article to 10,000 parses one article. An entry's key is the
// hash of the article's content together with the versions of the gazetteer and of the
// code that made it: editing an article, changing the gazetteer or the code gives new
// keys, and the old entries are pruned after the next successful build.
package buildcache

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"newsmap/pipeline/article"
	"newsmap/pipeline/layers"
)

// ErrCorrupt is an entry that cannot be decoded; the build treats it as a miss.
var ErrCorrupt = errors.New("buildcache: corrupt entry")

// Versions names what, besides the article, an entry depends on.
type Versions struct {
	Gazetteer string // e.g. HashFS of the gazetteer files
	Code      string // e.g. Executable: the binary that parses
}

// Key returns the cache key of an article: the SHA-256 of the versions and of every
// field of the article that the layers show.
func Key(a *article.Article, v Versions) string {
	h := sha256.New()
	// each field as its length, a colon and its bytes, copied through one buffer (the
	// hash has no WriteString: io.WriteString would copy each body whole)
	buf := make([]byte, 0, 4096)
	for _, s := range [...]string{"newsmap-layers-v2", v.Gazetteer, v.Code, a.ID, a.Title, a.Source, a.URL, a.PublishedDate(), a.Language, a.Body} {
		buf = append(strconv.AppendInt(buf, int64(len(s)), 10), ':')
		for len(s) > 0 {
			n := copy(buf[len(buf):cap(buf)], s)
			buf, s = buf[:len(buf)+n], s[n:]
			if len(buf) == cap(buf) {
				h.Write(buf)
				buf = buf[:0]
			}
		}
	}
	h.Write(buf)
	return hex.EncodeToString(h.Sum(nil))
}

// Cache is a folder of pack files, each holding the entries one build wrote: a record
// per entry (its key and length, then the entry), an index of the records and a
// trailer that locates the index. A build appends its new entries to one pack file and
// commits it by renaming it into place (Close, Prune, or when it reaches
// MaxPackBytes), so readers see whole packs only; a pack that cannot be read is left
// out and removed by Prune. One file per build instead of one per article: writing an
// entry costs no file creation, rename or directory entry, and reading 10,000
// entries opens a few files, not 10,000. It is safe for concurrent use.
type Cache struct {
	dir string

	mu      sync.Mutex
	closed  bool
	entries map[string]location // key → where its entry is
	packs   []*pack             // packs read at Open and committed since, then the one being written
	used    map[string]struct{} // keys read or written by this build
	cur     *writing            // the pack being written, nil until the first Put
	maxPack int64               // MaxPackBytes; smaller in tests

	scratch sync.Pool // of *scratch: the memory Put encodes an entry in, and Get reads one in
}

// MaxPackBytes is the size at which a pack being written is committed and a new one
// started, so that rewriting a pack when Prune drops some of its entries copies at
// most this much.
const MaxPackBytes = 64 << 20

const (
	// v2: entries compressed with S2; v3: an entry's head written field by field
	// (entry.go) instead of as JSON. A pack of another version reads as unreadable: its
	// entries are misses, parsed again, and Prune removes it.
	packMagic = "newsmap-buildcache-pack-v3\n"

	packSuffix = ".pack"
	// trailerLen is the trailer: the index's offset and length as 16 hex digits each,
	// then packMagic.
	trailerLen = 32 + len(packMagic)
)

type pack struct {
	path string
	f    *os.File
	keys int // entries indexed in this pack
	used int // of which read or written by this build
}

type location struct {
	p      *pack
	off, n int64
}

// writing is the pack being written: a temporary file, buffered.
type writing struct {
	p    *pack
	w    *bufio.Writer
	size int64
	recs []record
}

type record struct {
	key    string
	off, n int64
}

// Open opens (and creates) the cache folder and reads the index of every pack in it.
func Open(dir string) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("buildcache: %w", err)
	}
	c := &Cache{dir: dir, entries: map[string]location{}, used: map[string]struct{}{}, maxPack: MaxPackBytes}
	names, err := filepath.Glob(filepath.Join(dir, "*"+packSuffix))
	if err != nil {
		return nil, fmt.Errorf("buildcache: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		p, recs, err := openPack(name)
		if err != nil {
			// unreadable (cut short by a crash, or not a pack): its entries are misses,
			// and Prune removes it
			c.packs = append(c.packs, &pack{path: name})
			continue
		}
		c.packs = append(c.packs, p)
		for _, r := range recs {
			c.entries[r.key] = location{p, r.off, r.n}
		}
	}
	return c, nil
}

// openPack opens a committed pack and reads its index.
func openPack(name string) (*pack, []record, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	recs, err := readIndex(f)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return &pack{path: name, f: f, keys: len(recs)}, recs, nil
}

func readIndex(f *os.File) ([]record, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	if size < int64(len(packMagic)+trailerLen) {
		return nil, ErrCorrupt
	}
	tr := make([]byte, trailerLen)
	if _, err := f.ReadAt(tr, size-int64(trailerLen)); err != nil {
		return nil, err
	}
	if string(tr[32:]) != packMagic {
		return nil, ErrCorrupt
	}
	off, err1 := strconv.ParseInt(string(tr[:16]), 16, 64)
	n, err2 := strconv.ParseInt(string(tr[16:32]), 16, 64)
	if err1 != nil || err2 != nil || off < int64(len(packMagic)) || n < 0 || off+n != size-int64(trailerLen) {
		return nil, ErrCorrupt
	}
	idx := make([]byte, n)
	if _, err := f.ReadAt(idx, off); err != nil {
		return nil, err
	}
	recs := make([]record, 0, bytes.Count(idx, []byte{'\n'}))
	for line := range bytes.Lines(idx) {
		// key offset length, the numbers in hex
		f := bytes.Fields(line)
		if len(f) != 3 {
			return nil, ErrCorrupt
		}
		ro, err1 := strconv.ParseInt(string(f[1]), 16, 64)
		rn, err2 := strconv.ParseInt(string(f[2]), 16, 64)
		if err1 != nil || err2 != nil || ro < int64(len(packMagic)) || rn < 0 || ro+rn > off {
			return nil, ErrCorrupt
		}
		recs = append(recs, record{string(f[0]), ro, rn})
	}
	return recs, nil
}

// ErrClosed is a Get or Put after Close.
var ErrClosed = errors.New("buildcache: closed")

// Get returns the entry for key. A missing entry is (nil, nil); an unreadable one is an
// error wrapping ErrCorrupt.
func (c *Cache) Get(key string) (*layers.Result, error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, ErrClosed
	}
	loc, ok := c.entries[key]
	if ok && c.cur != nil && loc.p == c.cur.p {
		// written by this build and not committed yet: make it readable
		if err := c.cur.w.Flush(); err != nil {
			c.mu.Unlock()
			return nil, fmt.Errorf("buildcache: %w", err)
		}
	}
	var f *os.File
	if ok {
		f = loc.p.f
	}
	c.mu.Unlock()
	if !ok {
		return nil, nil
	}
	s := c.getScratch()
	defer c.scratch.Put(s)
	if int64(cap(s.z)) < loc.n {
		s.z = make([]byte, loc.n)
	}
	b := s.z[:loc.n]
	if _, err := f.ReadAt(b, loc.off); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, key, err)
	}
	r, err := decode(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, key, err)
	}
	c.use(key, loc.p)
	return r, nil
}

func (c *Cache) use(key string, p *pack) {
	c.mu.Lock()
	if _, ok := c.used[key]; !ok {
		c.used[key] = struct{}{}
		p.used++
	}
	c.mu.Unlock()
}

// getScratch returns memory to encode or read an entry in; give it back with
// c.scratch.Put.
func (c *Cache) getScratch() *scratch {
	if s, ok := c.scratch.Get().(*scratch); ok {
		return s
	}
	return new(scratch)
}

// Put stores the entry for key in the pack being written. Other processes see it once
// the pack is committed; this Cache at once.
func (c *Cache) Put(key string, r *layers.Result) error {
	if strings.ContainsAny(key, " \n") || key == "" {
		return fmt.Errorf("buildcache: bad key %q", key)
	}
	s := c.getScratch()
	defer c.scratch.Put(s)
	b, err := encode(s, r)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	if c.cur != nil && c.cur.size+int64(len(b)) > c.maxPack && len(c.cur.recs) > 0 {
		if err := c.commit(); err != nil {
			return err
		}
	}
	if c.cur == nil {
		if err := c.start(); err != nil {
			return err
		}
	}
	w := c.cur
	if _, err := w.w.Write(b); err != nil {
		return fmt.Errorf("buildcache: %w", err)
	}
	rec := record{key, w.size, int64(len(b))}
	w.recs = append(w.recs, rec)
	w.size += int64(len(b))
	w.p.keys++
	c.entries[key] = location{w.p, rec.off, rec.n}
	if _, ok := c.used[key]; !ok {
		c.used[key] = struct{}{}
		w.p.used++
	}
	return nil
}

// start begins a new pack in a temporary file (c.mu held).
func (c *Cache) start() error {
	f, err := os.CreateTemp(c.dir, ".pack-*.tmp")
	if err != nil {
		return fmt.Errorf("buildcache: %w", err)
	}
	w := &writing{p: &pack{path: f.Name(), f: f}, w: bufio.NewWriterSize(f, 1<<20)}
	if _, err := w.w.WriteString(packMagic); err != nil {
		f.Close()
		os.Remove(f.Name())
		return fmt.Errorf("buildcache: %w", err)
	}
	w.size = int64(len(packMagic))
	c.cur = w
	c.packs = append(c.packs, w.p)
	return nil
}

// commit writes the index and trailer of the pack being written and renames it into
// place (c.mu held). The pack's file stays open for reading.
func (c *Cache) commit() error {
	w := c.cur
	if w == nil {
		return nil
	}
	c.cur = nil
	fail := func(err error) error {
		w.p.f.Close()
		os.Remove(w.p.path)
		for _, r := range w.recs {
			if loc, ok := c.entries[r.key]; ok && loc.p == w.p {
				delete(c.entries, r.key)
			}
		}
		w.p.f, w.p.keys, w.p.used = nil, 0, 0
		return fmt.Errorf("buildcache: %w", err)
	}
	idxOff := w.size
	var idx []byte
	for _, r := range w.recs {
		idx = append(idx, r.key...)
		idx = append(idx, ' ')
		idx = strconv.AppendInt(idx, r.off, 16)
		idx = append(idx, ' ')
		idx = strconv.AppendInt(idx, r.n, 16)
		idx = append(idx, '\n')
	}
	idx = fmt.Appendf(idx, "%016x%016x%s", idxOff, len(idx), packMagic)
	if _, err := w.w.Write(idx); err != nil {
		return fail(err)
	}
	if err := w.w.Flush(); err != nil {
		return fail(err)
	}
	name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(w.p.path), "."), ".tmp") + packSuffix
	final := filepath.Join(c.dir, name)
	if err := os.Rename(w.p.path, final); err != nil {
		return fail(err)
	}
	w.p.path = final
	return nil
}

// Close commits the pack being written and closes the cache's files. The cache cannot
// be used after.
func (c *Cache) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	err := c.commit()
	c.closed = true
	for _, p := range c.packs {
		if p.f != nil {
			p.f.Close()
		}
	}
	return err
}

// Prune removes every entry that this build neither read nor wrote: results of removed
// or edited articles and of older gazetteer or code versions. A pack whose entries are
// all unused is deleted; one with some unused entries is rewritten with the used ones
// into the pack being written. It commits that pack; the cache stays open. Call it
// after a build that saw every article, not after one that stopped early.
func (c *Cache) Prune() (removed int, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, ErrClosed
	}
	var drop []*pack
	for _, p := range c.packs {
		if c.cur != nil && p == c.cur.p {
			continue
		}
		switch {
		case p.f == nil: // unreadable
			drop = append(drop, p)
		case p.used == p.keys:
		case p.used == 0:
			removed += p.keys
			drop = append(drop, p)
		default:
			n, err := c.rewrite(p)
			removed += n
			if err != nil {
				return removed, err
			}
			drop = append(drop, p)
		}
	}
	// the copies are committed before their old packs go
	if err := c.commit(); err != nil {
		return removed, err
	}
	for _, p := range drop {
		if p.f != nil {
			p.f.Close()
		}
		if err := os.Remove(p.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, fmt.Errorf("buildcache: %w", err)
		}
		c.packs = slices.DeleteFunc(c.packs, func(q *pack) bool { return q == p })
	}
	n, err := c.removeLegacy()
	return removed + n, err
}

// rewrite copies the used entries of p into the pack being written (c.mu held) and
// returns how many unused ones it leaves behind.
func (c *Cache) rewrite(p *pack) (int, error) {
	left := 0
	keys := make([]string, 0, p.keys)
	for k, loc := range c.entries {
		if loc.p == p {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return c.entries[keys[i]].off < c.entries[keys[j]].off })
	for _, k := range keys {
		if _, used := c.used[k]; !used {
			delete(c.entries, k)
			left++
			continue
		}
		loc := c.entries[k]
		b := make([]byte, loc.n)
		if _, err := p.f.ReadAt(b, loc.off); err != nil {
			return left, fmt.Errorf("buildcache: %w", err)
		}
		if c.cur == nil || c.cur.size+loc.n > c.maxPack && len(c.cur.recs) > 0 {
			if err := c.commit(); err != nil {
				return left, err
			}
			if err := c.start(); err != nil {
				return left, err
			}
		}
		w := c.cur
		if _, err := w.w.Write(b); err != nil {
			return left, fmt.Errorf("buildcache: %w", err)
		}
		w.recs = append(w.recs, record{k, w.size, loc.n})
		c.entries[k] = location{w.p, w.size, loc.n}
		w.size += loc.n
		w.p.keys++
		w.p.used++
	}
	return left, nil
}

// removeLegacy removes the entries of the cache's first layout (one file per entry in
// two-letter folders) and temporary packs older than a day, left by a build that
// crashed (c.mu held).
func (c *Cache) removeLegacy() (int, error) {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return 0, fmt.Errorf("buildcache: %w", err)
	}
	removed := 0
	for _, e := range entries {
		name := filepath.Join(c.dir, e.Name())
		switch {
		case e.IsDir() && len(e.Name()) == 2:
			files, err := os.ReadDir(name)
			if err != nil {
				return removed, fmt.Errorf("buildcache: %w", err)
			}
			for _, f := range files {
				if strings.HasSuffix(f.Name(), ".json") {
					removed++
				}
			}
			if err := os.RemoveAll(name); err != nil {
				return removed, fmt.Errorf("buildcache: %w", err)
			}
		case !e.IsDir() && strings.HasPrefix(e.Name(), ".pack-") && strings.HasSuffix(e.Name(), ".tmp") &&
			(c.cur == nil || name != c.cur.p.path):
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > 24*time.Hour {
				os.Remove(name)
			}
		}
	}
	return removed, nil
}

// HashFS returns a version for the files of fsys: the SHA-256 of their names and
// contents, in name order.
func HashFS(fsys fs.FS) (string, error) {
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("buildcache: %w", err)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		f, err := fsys.Open(n)
		if err != nil {
			return "", fmt.Errorf("buildcache: %w", err)
		}
		fmt.Fprintf(h, "%s\x00", n)
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", fmt.Errorf("buildcache: %w", err)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// Executable returns a version for the running program: the SHA-256 of its binary. Any
// change to the code (or to what is compiled into it) changes it.
func Executable() (string, error) {
	p, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("buildcache: %w", err)
	}
	f, err := os.Open(p)
	if err != nil {
		return "", fmt.Errorf("buildcache: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("buildcache: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// Dir returns the cache's folder.
func (c *Cache) Dir() string { return c.dir }
