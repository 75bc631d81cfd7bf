package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"newsmap/geo/store"
)

func (s *server) routeHealth(r *mux.Router) {
	// Probes bypass the concurrency bounds (and the loading gate), so that they see a
	// busy or starting server as alive and can tell why it turns requests away.
	r.Handle("/healthz", cors(s.handle(s.health))).Methods(http.MethodGet, http.MethodHead, http.MethodOptions)
}

// saturationWindow is how long after a request was turned away /healthz still says
// "saturated".
const saturationWindow = 5 * time.Second

// boundState is one concurrency bound as /healthz reports it.
type boundState struct {
	InUse    int   `json:"in_use"`
	Max      int   `json:"max"`
	Rejected int64 `json:"rejected"`
}

func stateOf(l *limiter) boundState {
	n, m := l.inUse()
	return boundState{n, m, l.rejected.Load()}
}

// health answers GET /healthz with {"status": ..., ...}. The status is "loading" (503,
// with Retry-After) until the layers are loaded; then "saturated" when a concurrency
// bound is full or turned a request away in the last few seconds, "degraded" when some
// layer files fail to load (their last good versions are still served), else "ok" (all
// 200: the server is alive). When the store cannot be reached (a PostGIS store whose
// database is down) it is "unavailable" (503, with Retry-After).
func (s *server) health(w http.ResponseWriter, r *http.Request) error {
	if _, err := Params(r); err != nil {
		return err
	}
	bounds := map[string]boundState{"all": stateOf(s.all), "heavy": stateOf(s.heavy), "exports": stateOf(s.exports)}
	w.Header().Set("Cache-Control", "no-store")
	if s.opts.Ready != nil && !s.opts.Ready() {
		return unavailable(w, r, healthState{Status: "loading", Bounds: bounds})
	}
	cat, err := s.store.Catalog(r.Context())
	if errors.Is(err, store.ErrUnavailable) {
		// The store cannot answer (its database is down): the server is alive and
		// recovers by itself; the data routes answer 503 meanwhile.
		return unavailable(w, r, healthState{Status: "unavailable", Error: err.Error(), Bounds: bounds})
	}
	if err != nil {
		return err
	}
	features := 0
	for _, l := range cat.Layers {
		features += l.Count()
	}
	status := "ok"
	switch {
	case s.all.saturated(saturationWindow) || s.heavy.saturated(saturationWindow) || s.exports.saturated(saturationWindow):
		status = "saturated"
	case len(cat.Problems) > 0:
		status = "degraded"
	}
	loaded := cat.Loaded.UTC()
	return WriteJSON(w, r, typeJSON, healthState{Status: status, Layers: len(cat.Layers), Features: features, BadFiles: len(cat.Problems), Loaded: &loaded, Bounds: bounds})
}

// healthState is the body of /healthz.
type healthState struct {
	Status   string                `json:"status"`
	Layers   int                   `json:"layers"`
	Features int                   `json:"features"`
	BadFiles int                   `json:"bad_files"`
	Loaded   *time.Time            `json:"loaded,omitempty"`
	Error    string                `json:"error,omitempty"`
	Bounds   map[string]boundState `json:"bounds"`
}

// unavailable answers /healthz 503 with Retry-After and the state.
func unavailable(w http.ResponseWriter, r *http.Request, st healthState) error {
	b, err := MarshalJSON(st)
	if err != nil {
		return err
	}
	h := w.Header()
	h["Retry-After"] = hdrRetryAfter
	h.Set("Content-Type", typeJSON)
	w.WriteHeader(http.StatusServiceUnavailable)
	if r.Method != http.MethodHead {
		w.Write(b)
	}
	return nil
}
