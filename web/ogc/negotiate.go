package ogc

import (
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// format is a representation of a resource.
type format int

const (
	formatJSON format = iota
	formatHTML
)

// negotiate picks JSON or HTML: the f parameter (json or html) wins; else the Accept
// entry with the highest quality that names HTML or a JSON type; else JSON.
func negotiate(r *http.Request) (format, error) {
	v, err := parseParams(r)
	if err != nil {
		return 0, err
	}
	if fs, ok := v["f"]; ok {
		if len(fs) != 1 {
			return 0, badRequest("parameter \"f\" given %d times", len(fs))
		}
		switch strings.ToLower(fs[0]) {
		case "json", "geojson", "application/json", "application/geo+json":
			return formatJSON, nil
		case "html", "text/html":
			return formatHTML, nil
		}
		return 0, badRequest("f=%q: use f=json or f=html", fs[0])
	}
	best, bestQ, bestSpecific := formatJSON, -1.0, false
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if q, err = strconv.ParseFloat(v, 64); err != nil {
				continue
			}
		}
		if q <= 0 {
			continue
		}
		var f format
		specific := true
		switch {
		case mt == "text/html" || mt == "application/xhtml+xml":
			f = formatHTML
		case mt == "application/json" || strings.HasSuffix(mt, "+json"):
			f = formatJSON
		case mt == "*/*" || mt == "application/*":
			f, specific = formatJSON, false
		case mt == "text/*":
			f, specific = formatHTML, false
		default:
			continue
		}
		if q > bestQ || q == bestQ && specific && !bestSpecific {
			best, bestQ, bestSpecific = f, q, specific
		}
	}
	return best, nil
}

// checkParams answers 400 for a parameter that is not in allowed (or f) or that is
// given more than once.
func checkParams(v url.Values, allowed ...string) error {
	for k, vals := range v {
		if k != "f" && !slices.Contains(allowed, k) {
			if len(allowed) == 0 {
				return badRequest("unknown parameter %q: this resource takes only f", k)
			}
			return badRequest("unknown parameter %q: this resource takes f, %s", k, strings.Join(allowed, ", "))
		}
		if len(vals) != 1 {
			return badRequest("parameter %q given %d times", k, len(vals))
		}
	}
	return nil
}

// withParams returns path with the query v plus f set to f.
func withParams(path string, v url.Values, f string) string {
	q := url.Values{}
	for k, vals := range v {
		if k != "f" {
			q[k] = vals
		}
	}
	if f != "" {
		q.Set("f", f)
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// parseParams parses the request's query string; a malformed one (a bad percent escape, a
// ";" separator) is a 400, not parameters silently dropped.
func parseParams(r *http.Request) (url.Values, error) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, badRequest("malformed query string: %v", err)
	}
	return v, nil
}
