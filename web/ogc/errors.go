package ogc

import (
	"fmt"
	"net/http"

	"newsmap/web"
)

// The errors of this package, of web's kinds, so that the server's one mapping of
// errors to statuses (web.StatusOf) answers them; handlers also pass on the errors of
// layerstore.
var (
	ErrNotFound   = web.NewError("ogc: not found", web.ErrNotFound)
	ErrBadRequest = web.NewError("ogc: bad request", web.ErrBadRequest)
)

// handlerFunc reports failure by returning an error; it must not have written anything
// when it does. The server's Middleware.Handle answers the error.
type handlerFunc = func(w http.ResponseWriter, r *http.Request) error

func badRequest(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadRequest}, a...)...)
}
