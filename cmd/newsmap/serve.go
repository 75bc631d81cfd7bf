package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"

	"newsmap/geo/layerstore"
	"newsmap/geo/tiles"
	"newsmap/web"
	"newsmap/web/ogc"
	"newsmap/web/static"
)

// runServe serves the layers in -layers until ctx is cancelled, reloading changed files
// every -reload.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "[-addr HOST:PORT] [-layers DIR | -db URL] [-reload DURATION] [-warm ZOOM]", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dir := fs.String("layers", "data/layers", "folder of layer files (NAME.geojson)")
	reload := fs.Duration("reload", 2*time.Second, "how often to look for changed layer files (0 turns reloading off)")
	db := fs.String("db", "", "serve the last build in PostGIS at this `URL` (postgres://user@host/db) instead of -layers, following new builds every -reload")
	dbConns := fs.Int("db-conns", 4, "with -db: at most `N` connections to the database")
	dbTimeout := fs.Duration("db-timeout", 10*time.Second, "with -db: bound on every query (context deadline and statement_timeout)")
	warm := fs.Int("warm", tiles.DefaultWarmZoom, "after every (re)load, render the tiles of zooms 0 to `ZOOM` of each layer into the cache, bounded in time and memory (-1 turns warming off; not with -db, whose tiles are rendered on request and kept per build)")
	tilePoints := fs.Int("tile-points", tiles.DefaultMaxPoints, "the most points a vector tile holds: a tile with more draws one point per grid cell, with point_count (-1: every point)")
	spool := fs.String("spool", "", "`folder` in which a folder of this server's is made for the whole-layer downloads it makes once and sends many times (default: the system's temporary folder)")
	logFlush := fs.Duration("log-flush", 200*time.Millisecond, "write the log in batches, at the latest this long after a line (0 writes every line at once)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the server to `file` until it stops (for go tool pprof)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "newsmap serve: unexpected arguments %q\n", fs.Args())
		return errUsage
	}
	logOut := stderr
	if *logFlush > 0 {
		bl := newBufferedLog(stderr, *logFlush)
		defer bl.Close()
		logOut = bl
	}
	logger := slog.New(slog.NewTextHandler(logOut, nil))
	if *db != "" {
		return serveDB(ctx, dbServe{addr: *addr, url: *db, conns: *dbConns, timeout: *dbTimeout, reload: *reload, spool: *spool}, stdout, logger)
	}
	store, err := layerstore.New(*dir)
	if err != nil {
		return err
	}
	// What is made once per layer version and downloaded many times (the whole layer's
	// gzip, exports) is kept in files, sent with sendfile(2), not in the heap.
	spoolDir, err := web.NewSpoolDir(*spool)
	if err != nil {
		return err
	}
	defer os.RemoveAll(spoolDir)
	var loaded atomic.Bool
	renderer := tiles.New(tiles.Options{MaxPoints: *tilePoints})
	handler := web.NewServer(store, web.Options{
		Logger: logger,
		Tiles:  renderer,
		Static: static.Handler(),
		Extra: func(r *mux.Router, m web.Middleware) {
			ogc.Register(r, m, ogc.Options{})
		},
		Ready:    loaded.Load,
		SpoolDir: spoolDir,
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := newHTTPServer(handler, logger)
	// Listen at once, answering 503 (and /healthz "loading") until the layers are read:
	// a large folder takes seconds.
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("listening; loading the layers", "addr", ln.Addr().String(), "layers", *dir)
	go func() {
		old := store.Snapshot()
		store.Reload()
		for _, c := range layerstore.Changes(old, store.Snapshot()) {
			logChange(logger, c)
		}
		// Loading leaves the file's bytes and the decoded features as garbage, which an
		// idle server would otherwise keep resident until its next collection: collect
		// it and give the memory back now (also after each reload below).
		debug.FreeOSMemory()
		loaded.Store(true)
		fmt.Fprintf(stdout, "newsmap: serving %d layers from %s at http://%s/\n", len(store.Layers()), *dir, ln.Addr())
		if *reload > 0 {
			go store.WatchChanges(ctx, *reload, func(c layerstore.Change) {
				logChange(logger, c)
				debug.FreeOSMemory()
			})
		}
		if *warm >= 0 {
			go renderer.WarmStore(ctx, store, *reload, tiles.WarmOptions{MaxZoom: *warm}, func(w tiles.Warmed) {
				logger.Info("warmed tiles", "layer", w.Layer, "tiles", w.Tiles, "bytes", w.Bytes, "duration", w.Duration, "complete", w.Complete)
			})
		}
	}()
	return runUntilDone(ctx, srv, errc, stdout)
}

// newHTTPServer returns the server of handler with newsmap's timeouts and limits.
func newHTTPServer(handler http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      60 * time.Second, // whole-layer downloads on slow links
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// runUntilDone waits for srv (serving, its error arriving on errc) or ctx, then shuts
// it down gracefully.
func runUntilDone(ctx context.Context, srv *http.Server, errc chan error, stdout io.Writer) error {
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stdout, "newsmap: stopped")
	return nil
}

// logChange logs a layer's change: a new version swapped in, a file that cannot be
// loaded (saying whether the previous version is still served), a problem cleared.
func logChange(logger *slog.Logger, c layerstore.Change) {
	switch c.Kind {
	case layerstore.Failed:
		if c.Serving {
			logger.Warn("layer file cannot be loaded; the previous version is still served", "layer", c.Layer, "features", c.Features, "err", c.Err)
		} else {
			logger.Warn("layer file cannot be loaded; the layer is not served", "layer", c.Layer, "err", c.Err)
		}
	case layerstore.Fixed:
		logger.Info("layer file loads again; its new version is served", "layer", c.Layer, "features", c.Features, "hash", c.Hash)
	case layerstore.Removed:
		logger.Info("layer file removed; the layer is no longer served", "layer", c.Layer)
	default:
		logger.Info("layer "+string(c.Kind)+"; the new version is served", "layer", c.Layer, "features", c.Features, "hash", c.Hash)
	}
}
