package buildcache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"os"
	"path/filepath"
)

// Digest sums the cache keys of a build's results in input order: two builds with the
// same digest (and the same options) make the same layers.
type Digest struct{ h hash.Hash }

// NewDigest returns an empty digest.
func NewDigest() *Digest {
	d := &Digest{sha256.New()}
	d.h.Write([]byte("newsmap-build-v1\n"))
	return d
}

// Add adds the next key.
func (d *Digest) Add(key string) {
	d.h.Write([]byte(key))
	d.h.Write([]byte{'\n'})
}

// Sum returns the digest of the keys added so far, in hex.
func (d *Digest) Sum() string { return hex.EncodeToString(d.h.Sum(nil)) }

// Stamp records what a build wrote into an output folder and from what, so that the
// next build can tell that nothing changed without loading the gazetteer: Inputs (the
// Digest of its results and its options), the size and modification time of each file
// it wrote, and its summary line.
type Stamp struct {
	Inputs  string               `json:"inputs"`
	Files   map[string]FileStamp `json:"files"`
	Summary string               `json:"summary"`
}

// FileStamp is a file's size and modification time, as a build left it.
type FileStamp struct {
	Size    int64 `json:"size"`
	ModTime int64 `json:"mtime_ns"`
}

// StampFiles returns the stamps of the named files in dir.
func StampFiles(dir string, names []string) (map[string]FileStamp, error) {
	out := make(map[string]FileStamp, len(names))
	for _, n := range names {
		st, err := os.Stat(filepath.Join(dir, n))
		if err != nil {
			return nil, fmt.Errorf("buildcache: %w", err)
		}
		out[n] = FileStamp{st.Size(), st.ModTime().UnixNano()}
	}
	return out, nil
}

// Current reports whether the files of dir are still as s records them.
func (s Stamp) Current(dir string) bool {
	if len(s.Files) == 0 {
		return false
	}
	names := make([]string, 0, len(s.Files))
	for n := range s.Files {
		names = append(names, n)
	}
	now, err := StampFiles(dir, names)
	if err != nil {
		return false
	}
	for n, f := range s.Files {
		if now[n] != f {
			return false
		}
	}
	return true
}

// stampsFile holds the stamps of the output folders built with the cache, by absolute
// path.
const stampsFile = "stamps.json"

// maxStamps bounds the output folders remembered; the oldest entries are not kept
// apart, the file is simply started afresh.
const maxStamps = 64

func (c *Cache) readStamps() map[string]Stamp {
	b, err := os.ReadFile(filepath.Join(c.dir, stampsFile))
	m := map[string]Stamp{}
	if err != nil || json.Unmarshal(b, &m) != nil {
		return map[string]Stamp{} // none, or damaged: no build is taken as unchanged
	}
	return m
}

// Stamp returns the stamp of the last build into the folder out, if there is one.
func (c *Cache) Stamp(out string) (Stamp, bool) {
	abs, err := filepath.Abs(out)
	if err != nil {
		return Stamp{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.readStamps()[abs]
	return s, ok
}

// SetStamp records the stamp of a build into out, atomically.
func (c *Cache) SetStamp(out string, s Stamp) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return fmt.Errorf("buildcache: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.readStamps()
	if _, ok := m[abs]; !ok && len(m) >= maxStamps {
		m = map[string]Stamp{}
	}
	m[abs] = s
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("buildcache: %w", err)
	}
	tmp, err := os.CreateTemp(c.dir, ".stamps-*.tmp")
	if err != nil {
		return fmt.Errorf("buildcache: %w", err)
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(c.dir, stampsFile))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("buildcache: %w", err)
	}
	return nil
}

// Has reports whether the cache holds an entry for key, without reading it.
func (c *Cache) Has(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.entries[key]
	return ok
}
