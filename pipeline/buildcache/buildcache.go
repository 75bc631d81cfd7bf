// Package buildcache keeps what the pipeline made of each article between builds, so a
// build after adding one article to 10,000 parses one article. An entry's key is the
// hash of the article's content together with the versions of the gazetteer and of the
// code that made it: editing an article, changing the gazetteer or the code gives new
// keys, and the old entries are pruned after the next successful build.
package buildcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

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
	for _, s := range []string{"newsmap-layers-v2", v.Gazetteer, v.Code, a.ID, a.Title, a.Source, a.URL, a.PublishedDate(), a.Language, a.Body} {
		fmt.Fprintf(h, "%d:", len(s))
		io.WriteString(h, s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Cache is a folder of entries, one file per article result (dir/ab/abcdef….json). It is
// safe for concurrent use.
type Cache struct {
	dir    string
	mu     sync.Mutex
	used   map[string]struct{} // keys read or written by this build
	shards map[string]struct{} // shard folders known to exist
}

// Open opens (and creates) the cache folder.
func Open(dir string) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("buildcache: %w", err)
	}
	return &Cache{dir: dir, used: map[string]struct{}{}, shards: map[string]struct{}{}}, nil
}

func (c *Cache) path(key string) string { return filepath.Join(c.dir, key[:2], key+".json") }

func (c *Cache) use(key string) {
	c.mu.Lock()
	c.used[key] = struct{}{}
	c.mu.Unlock()
}

// An entry file holds the result without its mentions as one JSON line, then each
// mention feature on a line of its own, as encoded: reading it back parses the small
// first line and slices the rest, without decoding or re-validating the features.

// Get returns the entry for key. A missing entry is (nil, nil); an unreadable one is an
// error wrapping ErrCorrupt.
func (c *Cache) Get(key string) (*layers.Result, error) {
	b, err := os.ReadFile(c.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("buildcache: %w", err)
	}
	head, rest, _ := bytes.Cut(b, []byte("\n"))
	var r layers.Result
	if err := json.Unmarshal(head, &r); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, key, err)
	}
	r.Mentions = make([]json.RawMessage, 0, bytes.Count(rest, []byte("\n")))
	for len(rest) > 0 {
		line, tail, ok := bytes.Cut(rest, []byte("\n"))
		if !ok || len(line) == 0 || line[0] != '{' || line[len(line)-1] != '}' {
			return nil, fmt.Errorf("%w: %s: truncated mention", ErrCorrupt, key)
		}
		r.Mentions = append(r.Mentions, line)
		rest = tail
	}
	c.use(key)
	return &r, nil
}

// Put stores the entry for key, atomically (a reader sees the old entry, none, or the
// whole new one).
func (c *Cache) Put(key string, r *layers.Result) error {
	head := *r
	head.Mentions = nil
	b, err := json.Marshal(&head)
	if err != nil {
		return fmt.Errorf("buildcache: encode: %w", err)
	}
	n := len(b) + 1
	for _, m := range r.Mentions {
		n += len(m) + 1
	}
	buf := make([]byte, 0, n)
	buf = append(append(buf, b...), '\n')
	for _, m := range r.Mentions {
		if bytes.IndexByte(m, '\n') >= 0 {
			return fmt.Errorf("buildcache: encode %s: a mention spans lines", r.ArticleID)
		}
		buf = append(append(buf, m...), '\n')
	}
	p := c.path(key)
	if err := c.shard(filepath.Dir(p)); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), "."+key+".*.tmp")
	if err != nil {
		return fmt.Errorf("buildcache: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf); err != nil {
		tmp.Close()
		return fmt.Errorf("buildcache: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("buildcache: %w", err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		return fmt.Errorf("buildcache: %w", err)
	}
	c.use(key)
	return nil
}

// shard creates a shard folder once per run.
func (c *Cache) shard(dir string) error {
	c.mu.Lock()
	_, ok := c.shards[dir]
	c.mu.Unlock()
	if ok {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("buildcache: %w", err)
	}
	c.mu.Lock()
	c.shards[dir] = struct{}{}
	c.mu.Unlock()
	return nil
}

// Prune removes every entry that this build neither read nor wrote: results of removed
// or edited articles and of older gazetteer or code versions. Call it after a build
// that saw every article, not after one that stopped early.
func (c *Cache) Prune() (removed int, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	shards, err := os.ReadDir(c.dir)
	if err != nil {
		return 0, fmt.Errorf("buildcache: %w", err)
	}
	for _, s := range shards {
		if !s.IsDir() || len(s.Name()) != 2 {
			continue
		}
		entries, err := os.ReadDir(filepath.Join(c.dir, s.Name()))
		if err != nil {
			return removed, fmt.Errorf("buildcache: %w", err)
		}
		for _, e := range entries {
			key, ok := strings.CutSuffix(e.Name(), ".json")
			if _, used := c.used[key]; ok && used {
				continue
			}
			if err := os.Remove(filepath.Join(c.dir, s.Name(), e.Name())); err != nil {
				return removed, fmt.Errorf("buildcache: %w", err)
			}
			removed++
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
