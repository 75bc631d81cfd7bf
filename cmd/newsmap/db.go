package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"newsmap/geo/layerstore"
	"newsmap/geo/postgis"
)

// dbConnectTimeout bounds connecting to PostGIS.
const dbConnectTimeout = 15 * time.Second

// writeDB writes the layer files in dir into PostGIS at url as one build.
func writeDB(ctx context.Context, url, dir string, stdout io.Writer) error {
	st, err := layerstore.Open(dir)
	if err != nil {
		return err
	}
	conn, err := postgis.Connect(ctx, url, dbConnectTimeout)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	started := time.Now()
	build, err := postgis.Write(ctx, conn, st.Layers())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote build %d (%d layers) into PostGIS schema %q in %v\n",
		build, len(st.Layers()), postgis.Schema, time.Since(started).Round(time.Millisecond))
	return nil
}

// followDB syncs the last build in PostGIS into cacheDir, then keeps it in step every
// `every` until ctx is done, calling onSync after each new build is in the folder. When
// the database cannot be reached at start, a build synced before is served and an error
// is returned only when there is none: the caller then has nothing to serve.
func followDB(ctx context.Context, url, cacheDir string, every time.Duration, logger *slog.Logger, onSync func()) error {
	if every <= 0 {
		every = time.Hour
	}
	var started atomic.Bool
	syncer, err := postgis.NewSyncer(url, cacheDir, postgis.SyncOptions{
		Interval: every,
		OnSync: func(build int64, layers int) {
			logger.Info("build from PostGIS", "build", build, "layers", layers)
			if started.Load() {
				onSync()
			}
		},
		OnError: func(err error) { logger.Warn("PostGIS unavailable; serving the last build", "err", err) },
	})
	if err != nil {
		return err
	}
	fctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	_, err = syncer.Once(fctx)
	cancel()
	if err != nil {
		if syncer.Build() == 0 {
			return fmt.Errorf("no layers to serve: %w", err)
		}
		logger.Warn("PostGIS unavailable at start; serving the build synced before", "build", syncer.Build(), "err", err)
	}
	started.Store(true)
	go syncer.Run(ctx)
	return nil
}
