package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"newsmap/geo/layerstore"
	"newsmap/geo/tiles"
)

// The errors of this package; handlers may also return any error of layerstore or tiles.
var (
	errNotFound   = errors.New("web: not found")
	errMethod     = errors.New("web: method not allowed")
	errBadRequest = errors.New("web: bad request")
)

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

// statusOf maps an error to an HTTP status: bad input 400, unknown things 404, else 500.
func statusOf(err error) int {
	switch {
	case errors.Is(err, layerstore.ErrBadQuery), errors.Is(err, tiles.ErrBadTile), errors.Is(err, errBadRequest):
		return http.StatusBadRequest
	case errors.Is(err, layerstore.ErrUnknownLayer), errors.Is(err, errNotFound):
		return http.StatusNotFound
	case errors.Is(err, errMethod):
		return http.StatusMethodNotAllowed
	}
	return http.StatusInternalServerError
}

// writeError answers err. Messages of 4xx errors are shown (they describe the client's
// input); anything else is logged and answered with a generic message.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := statusOf(err)
	msg := err.Error()
	if code >= 500 {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		msg = "internal server error"
	}
	if code == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", "GET, HEAD, OPTIONS")
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
	return fmt.Errorf("%w: "+format, append([]any{errBadRequest}, a...)...)
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
