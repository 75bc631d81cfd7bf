package ogc

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"newsmap/geo/layerstore"
	"newsmap/web"
)

// TestOneErrorMapping: the API's errors are of web's kinds, so the server's mapping
// answers them, and its requests are logged through Options.Logger with the id the
// response carries.
func TestOneErrorMapping(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{ErrNotFound, http.StatusNotFound},
		{badID("mentions", "x"), http.StatusNotFound},
		{badRequest("limit %q is not a number", "x"), http.StatusBadRequest},
	} {
		if got := web.StatusOf(tc.err); got != tc.want {
			t.Errorf("web.StatusOf(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
	if !errors.Is(badID("mentions", "x"), ErrNotFound) {
		t.Error("a missing feature is not ErrNotFound")
	}

	st, err := layerstore.Open(filepath.Join("testdata", "layers"))
	if err != nil {
		t.Fatal(err)
	}
	var logBuf bytes.Buffer
	h := Handler(st, Options{Logger: slog.New(slog.NewJSONHandler(&logBuf, nil))})
	rec := get(t, h, "/ogc/collections/nowhere/items")
	id := rec.Header().Get("X-Request-Id")
	if rec.Code != http.StatusNotFound || id == "" {
		t.Fatalf("unknown collection: %d, X-Request-Id %q", rec.Code, id)
	}
	var line struct {
		Msg       string
		Status    int
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal(logBuf.Bytes(), &line); err != nil || line.Msg != "request" || line.Status != 404 || line.RequestID != id {
		t.Errorf("Options.Logger got %q (%v), want the request line with request_id %q", logBuf.String(), err, id)
	}
}

// TestAllowSame: a wrong method and a preflight get the same Allow header from the OGC
// API as from the rest of the server's data routes.
func TestAllowSame(t *testing.T) {
	h := testHandler(t)
	allow := func(method, target string) (int, string) {
		req := httptest.NewRequest(method, target, nil)
		if method == http.MethodOptions {
			req.Header.Set("Origin", "https://example.net")
			req.Header.Set("Access-Control-Request-Method", "GET")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code, rec.Header().Get("Allow")
	}
	for _, method := range []string{http.MethodPost, http.MethodDelete, http.MethodOptions} {
		var first string
		for _, target := range []string{"/api/layers", "/api/layers/mentions.geojson", "/ogc", "/ogc/collections",
			"/ogc/collections/mentions/items", "/ogc/collections/mentions/items/x"} {
			code, got := allow(method, target)
			want := http.StatusMethodNotAllowed
			if method == http.MethodOptions {
				want = http.StatusNoContent
			}
			if code != want || got == "" || !strings.Contains(got, "GET") {
				t.Errorf("%s %s: %d, Allow %q", method, target, code, got)
			}
			if first == "" {
				first = got
			} else if got != first {
				t.Errorf("%s %s: Allow %q, /api/layers says %q", method, target, got, first)
			}
		}
	}
}
