package ogc

import (
	"errors"
	"fmt"
	"net/http"

	"newsmap/geo/layerstore"
	"newsmap/web"
)

// handlerFunc reports failure by returning an error; it must not have written anything
// when it does.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts h, answering its error as JSON {"code": N, "error": "..."}.
func handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			code := statusOf(err)
			msg := err.Error()
			if code >= 500 {
				msg = "internal server error"
			}
			web.WriteError(w, code, msg)
		}
	})
}

// statusOf maps an error to an HTTP status: bad input 400, unknown things 404, else 500.
func statusOf(err error) int {
	switch {
	case errors.Is(err, ErrBadRequest), errors.Is(err, layerstore.ErrBadQuery):
		return http.StatusBadRequest
	case errors.Is(err, ErrNotFound), errors.Is(err, layerstore.ErrUnknownLayer):
		return http.StatusNotFound
	}
	return http.StatusInternalServerError
}

func badRequest(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadRequest}, a...)...)
}
