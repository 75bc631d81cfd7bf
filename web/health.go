package web

import (
	"net/http"
	"time"

	"github.com/gorilla/mux"
)

func (s *server) routeHealth(r *mux.Router) {
	r.Handle("/healthz", s.handle(s.health)).Methods(http.MethodGet, http.MethodHead)
}

// health answers GET /healthz: 200 with {"status": "ok"|"degraded", ...}; degraded means
// some layer files fail to load (their last good versions are still served).
func (s *server) health(w http.ResponseWriter, r *http.Request) error {
	snap := s.store.Snapshot()
	features := 0
	for _, l := range snap.Layers() {
		features += l.Count()
	}
	status := "ok"
	if len(snap.Problems()) > 0 {
		status = "degraded"
	}
	w.Header().Set("Cache-Control", "no-store")
	return WriteJSON(w, r, typeJSON, struct {
		Status   string    `json:"status"`
		Layers   int       `json:"layers"`
		Features int       `json:"features"`
		BadFiles int       `json:"bad_files"`
		Loaded   time.Time `json:"loaded"`
	}{status, len(snap.Layers()), features, len(snap.Problems()), snap.Loaded().UTC()})
}
