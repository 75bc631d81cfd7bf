package layerstore

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"newsmap/geo/schema"
)

// ParseBBox parses "minLon,minLat,maxLon,maxLat" or, as OGC API - Features allows,
// "minLon,minLat,minHeight,maxLon,maxLat,maxHeight" (heights are ignored). Longitudes
// must lie in [-180, 180] and latitudes in [-90, 90]; the minimum latitude must not
// exceed the maximum. A first longitude larger than the second is a box across the
// antimeridian (as OGC API - Features defines it), returned as is: Query reads such a
// bound as [minLon, 180] ∪ [-180, maxLon]. Errors wrap ErrBadQuery.
func ParseBBox(s string) (orb.Bound, error) {
	bad := func(format string, a ...any) (orb.Bound, error) {
		return orb.Bound{}, fmt.Errorf("%w: bbox: "+format, append([]any{ErrBadQuery}, a...)...)
	}
	parts := strings.Split(s, ",")
	if len(parts) != 4 && len(parts) != 6 {
		return bad("want 4 numbers (minLon,minLat,maxLon,maxLat) or 6 with heights, got %d", len(parts))
	}
	v := make([]float64, len(parts))
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return bad("%q is not a number", p)
		}
		v[i] = f
	}
	if len(v) == 6 {
		if v[2] > v[5] {
			return bad("minimum height %g exceeds maximum %g", v[2], v[5])
		}
		v = []float64{v[0], v[1], v[3], v[4]}
	}
	for _, lon := range []float64{v[0], v[2]} {
		if lon < -180 || lon > 180 {
			return bad("longitude %g outside [-180, 180]", lon)
		}
	}
	for _, lat := range []float64{v[1], v[3]} {
		if lat < -90 || lat > 90 {
			return bad("latitude %g outside [-90, 90]", lat)
		}
	}
	if v[1] > v[3] {
		return bad("minimum latitude %g exceeds maximum %g", v[1], v[3])
	}
	return orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}, nil
}

// ParseDatetime parses an OGC API - Features datetime parameter: an instant or date
// ("2023-09-25T10:00:00Z", "2023-09-25", also "2023-W38", "2023-09", "2023"), or an
// interval "start/end" whose ends may be open ("../end", "start/..", or empty). A date or
// coarser value stands for its whole period, and an interval includes its end value, so
// "2023-09-24/2023-09-25" covers both days. The result is half-open; a zero Start or End
// is an open end. Errors wrap ErrBadQuery.
func ParseDatetime(s string) (schema.Interval, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return schema.Interval{}, fmt.Errorf("%w: datetime is empty", ErrBadQuery)
	}
	start, end, isInterval := strings.Cut(s, "/")
	if !isInterval {
		iv, err := parseInstant(s)
		if err != nil {
			return schema.Interval{}, err
		}
		return iv, nil
	}
	if strings.Contains(end, "/") {
		return schema.Interval{}, fmt.Errorf("%w: datetime %q has more than one '/'", ErrBadQuery, s)
	}
	open := func(v string) bool { v = strings.TrimSpace(v); return v == "" || v == ".." }
	if open(start) && open(end) {
		return schema.Interval{}, fmt.Errorf("%w: datetime %q is open at both ends", ErrBadQuery, s)
	}
	var out schema.Interval
	if !open(start) {
		iv, err := parseInstant(start)
		if err != nil {
			return schema.Interval{}, err
		}
		out.Start = iv.Start
	}
	if !open(end) {
		iv, err := parseInstant(end)
		if err != nil {
			return schema.Interval{}, err
		}
		out.End = iv.End
	}
	if !out.Start.IsZero() && !out.End.IsZero() && !out.Start.Before(out.End) {
		return schema.Interval{}, fmt.Errorf("%w: datetime %q ends before it starts", ErrBadQuery, s)
	}
	return out, nil
}

// parseInstant parses an RFC 3339 timestamp as the one-nanosecond interval at that instant
// and anything timex understands as its period.
func parseInstant(v string) (schema.Interval, error) {
	v = strings.TrimSpace(v)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, v); err == nil {
			t = t.UTC()
			return schema.Interval{Start: t, End: t.Add(time.Nanosecond), Granularity: schema.Hour}, nil
		}
	}
	iv, err := schema.ParseValue(v)
	if err != nil {
		return schema.Interval{}, fmt.Errorf("%w: datetime %q is not an RFC 3339 date-time, a date or an interval start/end", ErrBadQuery, v)
	}
	return iv, nil
}
