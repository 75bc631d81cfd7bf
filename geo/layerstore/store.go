package layerstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The errors of this package. Errors about a file wrap ErrBadLayer and name the file.
var (
	ErrUnknownLayer = errors.New("layerstore: unknown layer")
	ErrBadQuery     = errors.New("layerstore: bad query")
	ErrBadLayer     = errors.New("layerstore: bad layer file")
	// ErrChanged is returned by Layer.GeoJSON when the layer's file no longer holds the
	// loaded version (it was rewritten; the next Reload loads it): retry later.
	ErrChanged = errors.New("layerstore: layer file changed since it was loaded")
)

// Snapshot is an immutable set of layers.
type Snapshot struct {
	layers   map[string]*Layer
	names    []string
	hash     string
	problems []error
	failed   map[string]error // by layer name: the problem of its file's current version
	loaded   time.Time
}

// Layers returns the layers sorted by name.
func (s *Snapshot) Layers() []*Layer {
	out := make([]*Layer, len(s.names))
	for i, n := range s.names {
		out[i] = s.layers[n]
	}
	return out
}

// Layer returns the named layer or an error wrapping ErrUnknownLayer.
func (s *Snapshot) Layer(name string) (*Layer, error) {
	if l, ok := s.layers[name]; ok {
		return l, nil
	}
	if !ValidName(name) {
		return nil, fmt.Errorf("%w: invalid name", ErrUnknownLayer)
	}
	return nil, fmt.Errorf("%w: %q", ErrUnknownLayer, name)
}

// Hash returns a hash over the names and hashes of all layers.
func (s *Snapshot) Hash() string { return s.hash }

// Problems returns the errors of the files that currently fail to load (each wraps
// ErrBadLayer and names the file). A layer whose file is bad keeps its last good version.
func (s *Snapshot) Problems() []error { return s.problems }

// Loaded returns the time the snapshot was built.
func (s *Snapshot) Loaded() time.Time { return s.loaded }

// Store is a folder of layers, served from their indexes on disk. It is safe for
// concurrent use: queries read the current snapshot without locks while Reload builds
// the next one (and any index it needs).
type Store struct {
	dir  string
	cur  atomic.Pointer[Snapshot]
	mu   sync.Mutex // serialises Reload
	seen map[string]stamp
}

// stamp identifies a version of a file, good or bad, so unchanged files are not re-read.
type stamp struct {
	mod  time.Time
	size int64
	err  error // the load error of this version, nil when it loaded
}

// New returns a store of dir that holds no layers yet: Reload loads them. It lets a
// server answer (with "loading") while a large folder is read. It fails only when dir is
// not a readable folder.
func New(dir string) (*Store, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("layerstore: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("layerstore: %s is not a directory", dir)
	}
	s := &Store{dir: dir, seen: map[string]stamp{}}
	s.cur.Store(&Snapshot{layers: map[string]*Layer{}, hash: emptyHash})
	return s, nil
}

// Open loads every NAME.geojson in dir whose NAME matches ^[a-z][a-z0-9_-]*$. It fails
// with a nil Store only when dir cannot be read. When some files fail to load, the Store
// is still returned, holding the good layers, together with an error wrapping ErrBadLayer
// that names each bad file.
func Open(dir string) (*Store, error) {
	s, err := New(dir)
	if err != nil {
		return nil, err
	}
	if err := s.Reload(); err != nil {
		if errors.Is(err, ErrBadLayer) {
			return s, err
		}
		return nil, err
	}
	return s, nil
}

var emptyHash = hashOf(nil)

// Dir returns the folder the store reads.
func (s *Store) Dir() string { return s.dir }

// Snapshot returns the current snapshot. Use one snapshot for all reads that must agree
// with each other (a layer and its hash, the catalogue).
func (s *Store) Snapshot() *Snapshot { return s.cur.Load() }

// Layers returns the layers of the current snapshot, sorted by name.
func (s *Store) Layers() []*Layer { return s.Snapshot().Layers() }

// Layer returns the named layer of the current snapshot.
func (s *Store) Layer(name string) (*Layer, error) { return s.Snapshot().Layer(name) }

// Query runs q on the named layer of the current snapshot.
func (s *Store) Query(name string, q Query) (Result, error) {
	l, err := s.Layer(name)
	if err != nil {
		return Result{}, err
	}
	return l.Query(q)
}

// Reload re-reads the files that changed (by modification time and size) since they
// were last read, drops layers whose files are gone, and atomically swaps in the new
// snapshot when anything changed. A file that fails to load keeps the previous good
// version of its layer (if any); the returned error wraps ErrBadLayer and names the file.
// A bad file is reported once per version: it is retried, and reported again, only when
// its modification time or size changes.
func (s *Store) Reload() error {
	s.mu.Lock()
	defer s.mu.Unlock()

	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("layerstore: %w", err)
	}
	old := s.cur.Load()
	layers := make(map[string]*Layer, len(entries))
	seen := make(map[string]stamp, len(entries))
	var errs []error
	changed := false
	for _, e := range entries {
		fname := e.Name()
		name, ok := strings.CutSuffix(fname, ".geojson")
		if !ok || !ValidName(name) || e.IsDir() {
			continue
		}
		path := filepath.Join(s.dir, fname)
		info, err := os.Stat(path) // follows symlinks, unlike e.Info
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // removed while we were listing
			}
			errs = append(errs, fmt.Errorf("%w %s: %w", ErrBadLayer, path, err))
			continue
		}
		if !info.Mode().IsRegular() {
			continue
		}
		cur := stamp{mod: info.ModTime(), size: info.Size()}
		prev, had := s.seen[name]
		if had && prev.mod.Equal(cur.mod) && prev.size == cur.size {
			seen[name] = prev
			if l, ok := old.layers[name]; ok {
				layers[name] = l
			}
			continue
		}
		l, err := loadIndexed(name, path, filepath.Join(s.dir, IndexDirName), cur)
		if err != nil {
			err = fmt.Errorf("%w %s: %w", ErrBadLayer, path, err)
			cur.err = err
			errs = append(errs, err)
			if l, ok := old.layers[name]; ok {
				layers[name] = l // keep the last good version
			}
		} else {
			layers[name] = l
			changed = true
		}
		seen[name] = cur
	}
	for name := range old.layers {
		if _, ok := layers[name]; !ok {
			changed = true // file removed
		}
	}
	var problems []error
	failed := map[string]error{}
	for name, st := range seen {
		if st.err != nil {
			problems = append(problems, st.err)
			failed[name] = st.err
		}
	}
	slices.SortFunc(problems, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	problemsChanged := len(problems) != len(old.problems)
	if !problemsChanged {
		for i := range problems {
			if problems[i] != old.problems[i] {
				problemsChanged = true
			}
		}
	}
	s.seen = seen
	if changed || problemsChanged {
		snap := newSnapshot(layers, problems)
		snap.failed = failed
		s.cur.Store(snap)
	}
	return errors.Join(errs...)
}

func newSnapshot(layers map[string]*Layer, problems []error) *Snapshot {
	snap := &Snapshot{layers: layers, problems: problems, loaded: time.Now()}
	for n := range layers {
		snap.names = append(snap.names, n)
	}
	slices.Sort(snap.names)
	var parts []string
	for _, n := range snap.names {
		parts = append(parts, n+"="+layers[n].hash)
	}
	snap.hash = hashOf(parts)
	return snap
}

func hashOf(parts []string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\n")))
	return hex.EncodeToString(sum[:16])
}

// Watch calls Reload every interval until ctx is done, passing each error to onError
// (which may be nil). It blocks; run it in its own goroutine.
func (s *Store) Watch(ctx context.Context, interval time.Duration, onError func(error)) {
	every(ctx, interval, func() {
		if err := s.Reload(); err != nil && onError != nil {
			onError(err)
		}
	})
}

// every calls fn every interval (2 s when interval is not positive) until ctx is done.
func every(ctx context.Context, interval time.Duration, fn func()) {
	if interval <= 0 {
		interval = 2 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn()
		}
	}
}
