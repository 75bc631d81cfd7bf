package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/gorilla/mux"

	"newsmap/geo/layerstore"
	"newsmap/geo/postgis"
	"newsmap/web"
	"newsmap/web/ogc"
	"newsmap/web/static"
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

// dbServe is what serveDB serves: the flags of `serve -db`.
type dbServe struct {
	addr, url, spool string
	conns            int
	timeout, reload  time.Duration
}

// serveDB serves the last build in PostGIS at url: every request is answered from the
// database through a pool of at most conns connections, each query bounded by timeout;
// the catalogue follows new builds every reload. A database that is down is answered
// 503 until it is back.
func serveDB(ctx context.Context, o dbServe, stdout io.Writer, logger *slog.Logger) error {
	st, err := postgis.OpenStore(o.url, postgis.StoreOptions{MaxConns: int32(o.conns), QueryTimeout: o.timeout})
	if err != nil {
		return err
	}
	defer st.Close()
	reload, timeout := o.reload, o.timeout
	if reload <= 0 {
		reload = time.Hour
	}
	spoolDir, err := web.NewSpoolDir(o.spool)
	if err != nil {
		return err
	}
	defer os.RemoveAll(spoolDir)
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	srv := newHTTPServer(web.New(st, web.Options{
		Logger:   logger,
		Static:   static.Handler(),
		Extra:    func(r *mux.Router, m web.Middleware) { ogc.Register(r, m, ogc.Options{}) },
		SpoolDir: spoolDir,
	}), logger)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	rctx, cancel := context.WithTimeout(ctx, timeout)
	_, err = st.Refresh(rctx)
	cancel()
	switch {
	case err == nil:
		logger.Info("build from PostGIS", "build", st.Build())
	case errors.Is(err, postgis.ErrUnavailable), errors.Is(err, postgis.ErrNoBuild):
		logger.Warn("PostGIS has nothing to serve yet; answering 503 until it has", "err", err)
	default:
		srv.Close()
		return err
	}
	fmt.Fprintf(stdout, "newsmap: serving PostGIS at http://%s/\n", ln.Addr())
	go st.Watch(ctx, reload, func(build int64, err error) {
		switch {
		case errors.Is(err, postgis.ErrNoBuild):
			logger.Warn("PostGIS has no build yet; answering 503 until one is written", "err", err)
			return
		case err != nil:
			logger.Warn("PostGIS unavailable; answering 503 until it is back", "err", err)
			return
		}
		logger.Info("build from PostGIS", "build", build)
	})
	return runUntilDone(ctx, srv, errc, stdout)
}
