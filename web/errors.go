package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"

	"newsmap/geo/export"
	"newsmap/geo/layerstore"
	"newsmap/geo/store"
	"newsmap/geo/tiles"
)

// The kinds of error a handler reports besides the errors of the geo packages. A route
// family outside this package declares its own errors of these kinds with NewError, so
// that StatusOf, the one mapping of errors to statuses, answers them like the server's.
var (
	ErrNotFound   = errors.New("web: not found")
	ErrMethod     = errors.New("web: method not allowed")
	ErrBadRequest = errors.New("web: bad request")
)

// kindError is an error with its own message that StatusOf treats as its kind.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// NewError returns a sentinel error with message msg (which should name its package,
// "ogc: not found") of the kind ErrNotFound, ErrMethod or ErrBadRequest.
func NewError(msg string, kind error) error { return &kindError{msg, kind} }

// handlerFunc is an HTTP handler that reports failure by returning an error; it must not
// have written anything when it does.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts h, answering its error as JSON {"code": N, "error": "..."}.
func (s *server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// StatusOf maps an error of any route family to its HTTP status: bad input 400, an
// unknown layer, feature, path or export format 404, a wrong method 405, anything else
// (a layer the server cannot read or export, a failed write) 500, except a store that
// cannot answer for now (store.ErrUnavailable: its database is down;
// layerstore.ErrChanged: a layer file rewritten and not yet reloaded) 503.
func StatusOf(err error) int {
	switch {
	case errors.Is(err, store.ErrUnavailable), errors.Is(err, layerstore.ErrChanged):
		return http.StatusServiceUnavailable
	case errors.Is(err, ErrBadRequest), errors.Is(err, layerstore.ErrBadQuery), errors.Is(err, tiles.ErrBadTile):
		return http.StatusBadRequest
	case errors.Is(err, ErrNotFound), errors.Is(err, layerstore.ErrUnknownLayer), errors.Is(err, export.ErrFormat):
		return http.StatusNotFound
	case errors.Is(err, ErrMethod):
		return http.StatusMethodNotAllowed
	}
	// export.ErrLayerName, ErrDuplicateLayer, ErrNoLayers, ErrNilCollection and
	// ErrGeometry, layerstore.ErrBadLayer, cache.ErrPanicked: the server's layers or
	// code, not the request, are at fault.
	return http.StatusInternalServerError
}

// statusClientClosed is the status logged (nginx's convention) for a request whose
// client went away before the answer was ready.
const statusClientClosed = 499

// writeError answers err. Messages of 4xx errors are shown (they describe the client's
// input); anything else is logged with the request id and answered with a generic
// message. When the client has gone (the request's context is done) the failure is its
// leaving, logged at Info and answered 499. A store that cannot answer for now is
// answered 503 with Retry-After and a message that says so.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := StatusOf(err)
	msg := err.Error()
	if code >= 500 {
		attrs := []slog.Attr{slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.String("request_id", w.Header().Get(headerRequestID)), slog.String("err", err.Error())}
		if r.Context().Err() != nil {
			s.log.LogAttrs(r.Context(), slog.LevelInfo, "client closed request", attrs...)
			WriteError(w, statusClientClosed, "client closed request")
			return
		}
		if code == http.StatusServiceUnavailable {
			s.log.LogAttrs(r.Context(), slog.LevelWarn, "store unavailable", attrs...)
			w.Header()["Retry-After"] = hdrRetryAfter
			msg := "the layers' database is unavailable, retry shortly"
			if errors.Is(err, layerstore.ErrChanged) {
				msg = "the layer is being reloaded, retry shortly"
			}
			WriteError(w, code, msg)
			return
		}
		s.log.LogAttrs(r.Context(), slog.LevelError, "request failed", attrs...)
		msg = "internal server error"
	}
	if code == http.StatusMethodNotAllowed {
		w.Header()["Allow"] = hdrMethods
	}
	WriteError(w, code, msg)
}

// WriteError writes the error body of every newsmap route, {"code": code, "error": msg},
// with status code, dropping the headers that described the representation the handler
// meant to send (ETag, Last-Modified, Content-Encoding, Content-Length, Content-Crs).
func WriteError(w http.ResponseWriter, code int, msg string) {
	h := w.Header()
	for _, k := range []string{"ETag", "Last-Modified", "Content-Encoding", "Content-Length", "Content-Crs"} {
		h.Del(k)
	}
	h.Set("Content-Type", typeJSON)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	b, _ := json.Marshal(struct {
		Code  int    `json:"code"`
		Error string `json:"error"`
	}{code, msg})
	w.Write(append(b, '\n'))
}

// badRequest wraps a message as a 400 error.
func badRequest(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadRequest}, a...)...)
}

// Params parses the request's query string, answering a malformed one (a bad percent
// escape, a ";" separator) as a 400 instead of dropping what it cannot parse.
func Params(r *http.Request) (url.Values, error) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, badRequest("malformed query string: %v", err)
	}
	return v, nil
}

// noParams answers 400 when the request has query parameters (or a malformed query
// string): what names the resource that takes none.
func noParams(r *http.Request, what string) error {
	v, err := Params(r)
	if err != nil {
		return err
	}
	if len(v) > 0 {
		return badRequest("%s takes no parameters", what)
	}
	return nil
}
