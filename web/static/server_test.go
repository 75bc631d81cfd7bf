package static_test

import (
	"net/http"
	"testing"

	"newsmap/geo/layerstore"
	"newsmap/web"
	"newsmap/web/static"
)

// newServer is the real server (web.NewServer) with the page mounted at "/", over the
// layer files in dir.
func newServer(t *testing.T, dir string) http.Handler {
	t.Helper()
	store, err := layerstore.Open(dir)
	if err != nil {
		t.Fatalf("layerstore.Open(%s): %v", dir, err)
	}
	if p := store.Snapshot().Problems(); len(p) > 0 {
		t.Fatalf("layers in %s: %v", dir, p)
	}
	return web.NewServer(store, web.Options{Static: static.Handler()})
}
