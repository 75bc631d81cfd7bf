package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"sync/atomic"
)

// headerRequestID carries a request's id in the response (and from a proxy in front).
const headerRequestID = "X-Request-Id"

// requestIDs gives every request an id, answered in X-Request-Id and logged with the
// request line and with any 500 or panic, so that a user's report of a failure finds
// its cause in the log: the id a proxy in front sent, when it is a short token, else a
// new one, this server's random prefix and a sequence number ("9f3a61c2-1b").
type requestIDs struct {
	prefix string
	n      atomic.Uint64
}

func newRequestIDs() *requestIDs {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read does not fail (Go ≥ 1.24)
	return &requestIDs{prefix: hex.EncodeToString(b[:]) + "-"}
}

func (ids *requestIDs) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(headerRequestID)
		if !validRequestID(id) {
			id = ids.prefix + strconv.FormatUint(ids.n.Add(1), 36)
		}
		w.Header()[headerRequestID] = []string{id}
		next.ServeHTTP(w, r)
	})
}

// validRequestID accepts 1 to 64 letters, digits, '-', '_' and '.': what a proxy's
// request id looks like, and nothing that could forge a log line.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c == '-' || c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}
