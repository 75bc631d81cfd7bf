package postgis

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// buildFile records, in a synced folder, the build its layer files are of.
const buildFile = ".postgis-build"

// SyncOptions configure Sync.
type SyncOptions struct {
	// Interval between looks at the database for a new build (default 2 s).
	Interval time.Duration
	// Timeout bounds connecting and each look (default 10 s); reading a new build is
	// bounded by ReadTimeout (default 2 min).
	Timeout, ReadTimeout time.Duration
	// OnSync is called after the folder holds a new build (the caller reloads from it).
	OnSync func(build int64, layers int)
	// OnError is called when the database cannot be reached or read; Sync retries.
	OnError func(error)
}

func (o SyncOptions) withDefaults() SyncOptions {
	if o.Interval <= 0 {
		o.Interval = 2 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = 2 * time.Minute
	}
	if o.OnSync == nil {
		o.OnSync = func(int64, int) {}
	}
	if o.OnError == nil {
		o.OnError = func(error) {}
	}
	return o
}

// Syncer keeps a folder of layer files equal to the last build in the database, so that
// a server reads PostGIS through the same layer files as the default file store.
type Syncer struct {
	url  string
	dir  string
	opts SyncOptions
	conn *pgx.Conn
}

// NewSyncer returns a Syncer of the database at url into dir.
func NewSyncer(url, dir string, opts SyncOptions) (*Syncer, error) {
	if _, err := pgx.ParseConfig(url); err != nil {
		return nil, fmt.Errorf("postgis: bad database URL: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Syncer{url: url, dir: dir, opts: opts.withDefaults()}, nil
}

// Build returns the build the folder holds (0: none).
func (s *Syncer) Build() int64 {
	b, err := os.ReadFile(filepath.Join(s.dir, buildFile))
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return n
}

// Once brings the folder to the database's last build. changed reports whether it
// wrote a new build.
func (s *Syncer) Once(ctx context.Context) (changed bool, err error) {
	if s.conn == nil || s.conn.IsClosed() {
		cctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
		s.conn, err = Connect(cctx, s.url, s.opts.Timeout)
		cancel()
		if err != nil {
			s.conn = nil
			return false, err
		}
	}
	lctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	var build int64
	err = s.conn.QueryRow(lctx, `SELECT coalesce(max(build), 0) FROM newsmap.layers`).Scan(&build)
	cancel()
	if err != nil {
		s.drop()
		if isUndefinedTable(err) {
			return false, ErrNoBuild
		}
		return false, classify(err)
	}
	if build == 0 {
		return false, ErrNoBuild
	}
	if build == s.Build() {
		return false, nil
	}
	rctx, cancel := context.WithTimeout(ctx, s.opts.ReadTimeout)
	layers, build, err := Read(rctx, s.conn)
	cancel()
	if err != nil {
		s.drop()
		return false, err
	}
	if err := s.write(layers, build); err != nil {
		return false, err
	}
	s.opts.OnSync(build, len(layers))
	return true, nil
}

// Run calls Once every Interval until ctx is done, reporting errors to OnError.
func (s *Syncer) Run(ctx context.Context) {
	t := time.NewTicker(s.opts.Interval)
	defer t.Stop()
	defer s.drop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := s.Once(ctx); err != nil && ctx.Err() == nil {
			s.opts.OnError(err)
		}
	}
}

func (s *Syncer) drop() {
	if s.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		s.conn.Close(ctx)
		cancel()
		s.conn = nil
	}
}

// write replaces the folder's layer files with layers, each atomically, removes the
// files of layers the build no longer has, and records the build last.
func (s *Syncer) write(layers []Layer, build int64) error {
	keep := map[string]bool{}
	for _, l := range layers {
		name := l.Name + ".geojson"
		keep[name] = true
		if err := writeAtomic(filepath.Join(s.dir, name), l.GeoJSON); err != nil {
			return err
		}
	}
	old, err := filepath.Glob(filepath.Join(s.dir, "*.geojson"))
	if err != nil {
		return err
	}
	for _, p := range old {
		if !keep[filepath.Base(p)] {
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	return writeAtomic(filepath.Join(s.dir, buildFile), []byte(strconv.FormatInt(build, 10)+"\n"))
}

func writeAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
