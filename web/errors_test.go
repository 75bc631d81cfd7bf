package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"newsmap/geo/cache"
	"newsmap/geo/export"
	"newsmap/geo/layerstore"
	"newsmap/geo/tiles"
)

func TestStatusOf(t *testing.T) {
	ogcNotFound := NewError("ogc: not found", ErrNotFound) // as web/ogc declares its errors
	tests := []struct {
		err  error
		want int
	}{
		{ErrBadRequest, 400},
		{fmt.Errorf("%w: limit must be a number", ErrBadRequest), 400},
		{fmt.Errorf("bbox: %w", layerstore.ErrBadQuery), 400},
		{tiles.ErrBadTile, 400},
		{NewError("ogc: bad request", ErrBadRequest), 400},
		{ErrNotFound, 404},
		{ogcNotFound, 404},
		{fmt.Errorf("%w: feature \"x\"", ogcNotFound), 404},
		{layerstore.ErrUnknownLayer, 404},
		{export.ErrFormat, 404},
		{ErrMethod, 405},
		{export.ErrGeometry, 500},
		{export.ErrNoLayers, 500},
		{layerstore.ErrBadLayer, 500},
		{cache.ErrPanicked, 500},
		{errors.New("disk full"), 500},
	}
	for _, tc := range tests {
		if got := StatusOf(tc.err); got != tc.want {
			t.Errorf("StatusOf(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
	if !errors.Is(ogcNotFound, ErrNotFound) || ogcNotFound.Error() != "ogc: not found" {
		t.Errorf("NewError: %v does not keep its message or kind", ogcNotFound)
	}
}

// logLines decodes a JSON log.
func logLines(t *testing.T, b *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// TestErrorsLogged: a 500 answers a generic message, and its cause is logged at Error
// with the request id the response carries; a client's own request id is kept when it
// is a token and replaced when it is not; a request whose client left is logged at
// Info as 499, not as a failure.
func TestErrorsLogged(t *testing.T) {
	var logBuf bytes.Buffer
	h := NewServer(openStore(t), Options{
		Logger: slog.New(slog.NewJSONHandler(&logBuf, nil)),
		Extra: func(r *mux.Router, m Middleware) {
			r.Handle("/api/boom", m.Data(m.Handle(func(http.ResponseWriter, *http.Request) error {
				return errors.New("disk on fire")
			})))
		},
	})

	tests := []struct {
		name, sentID string
		keep         bool
	}{
		{"new id", "", false},
		{"proxy id kept", "edge-7f3a.19_x", true},
		{"bad id replaced", "forged\" level=ERROR", false},
		{"long id replaced", strings.Repeat("a", 65), false},
	}
	seen := map[string]bool{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			logBuf.Reset()
			var hdr []string
			if tc.sentID != "" {
				hdr = []string{"X-Request-Id", tc.sentID}
			}
			rec := do(h, http.MethodGet, "/api/boom", hdr...)
			if rec.Code != 500 || !strings.Contains(rec.Body.String(), `"error":"internal server error"`) || strings.Contains(rec.Body.String(), "fire") {
				t.Fatalf("answer %d %s", rec.Code, rec.Body.String())
			}
			id := rec.Header().Get("X-Request-Id")
			if id == "" || (tc.keep && id != tc.sentID) || (!tc.keep && id == tc.sentID) || seen[id] {
				t.Fatalf("X-Request-Id = %q (sent %q)", id, tc.sentID)
			}
			seen[id] = true
			var failed, request bool
			for _, l := range logLines(t, &logBuf) {
				switch l["msg"] {
				case "request failed":
					failed = l["level"] == "ERROR" && l["request_id"] == id && l["err"] == "disk on fire" && l["path"] == "/api/boom"
				case "request":
					request = l["request_id"] == id && l["status"] == float64(500)
				}
			}
			if !failed || !request {
				t.Errorf("log lacks the failure or the request line with request_id %q:\n%s", id, logBuf.String())
			}
		})
	}

	t.Run("client gone", func(t *testing.T) {
		logBuf.Reset()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/api/boom", nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != statusClientClosed {
			t.Errorf("status %d, want 499", rec.Code)
		}
		for _, l := range logLines(t, &logBuf) {
			if l["level"] == "ERROR" {
				t.Errorf("a client that left is logged as an error: %v", l)
			}
		}
		if !strings.Contains(logBuf.String(), `"msg":"client closed request"`) {
			t.Errorf("no Info line for the client that left:\n%s", logBuf.String())
		}
	})
}
