package static_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsmap/web/static"
)

// newServer serves the page over the layer files in dir. Until web.NewServer lands it
// is a stand-in for the /api/layers routes over plain files.
func newServer(t *testing.T, dir string) http.Handler {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/layers", func(w http.ResponseWriter, r *http.Request) {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.geojson"))
		var cat []map[string]any
		for _, p := range paths {
			name := strings.TrimSuffix(filepath.Base(p), ".geojson")
			cat = append(cat, map[string]any{"name": name, "title": name})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(cat)
	})
	mux.HandleFunc("GET /api/layers/{file}", func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutSuffix(r.PathValue("file"), ".geojson")
		if !ok || strings.ContainsAny(name, `/\.`) {
			http.NotFound(w, r)
			return
		}
		b, err := os.ReadFile(filepath.Join(dir, name+".geojson"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/geo+json")
		_, _ = w.Write(b)
	})
	mux.Handle("/", static.Handler())
	return mux
}
