package schema

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrValue is returned for a string that is not an ISO 8601 value of the schema.
var ErrValue = errors.New("schema: invalid date value")

// Granularity is how exact a date value is.
type Granularity string

// The granularities, finest first.
const (
	Hour  Granularity = "hour"
	Day   Granularity = "day"
	Week  Granularity = "week"
	Month Granularity = "month"
	Year  Granularity = "year"
)

// Interval is a half-open time interval [Start, End) in UTC. Granularity is the
// precision of the value it was read from; it is empty for an interval between values
// of different precision.
type Interval struct {
	Start, End  time.Time
	Granularity Granularity
}

// Contains reports whether t lies in the interval.
func (iv Interval) Contains(t time.Time) bool {
	return !t.Before(iv.Start) && t.Before(iv.End)
}

// Overlaps reports whether the two intervals share any instant.
func (iv Interval) Overlaps(o Interval) bool {
	return iv.Start.Before(o.End) && o.Start.Before(iv.End)
}

// ParseValue parses an ISO 8601 value at one of the granularities newsmap writes:
// 2023, 2023-09, 2023-W38, 2023-09-25, 2023-09-25T14 and 2023-09-25T14:00 (a space may
// stand for the T, and seconds or a trailing Z are accepted), into the interval it
// names: 2023-09 is all of September.
func ParseValue(s string) (Interval, error) {
	v := strings.TrimSpace(s)
	bad := func() (Interval, error) { return Interval{}, fmt.Errorf("%w: %q", ErrValue, s) }
	switch {
	case len(v) == 4:
		y, err := strconv.Atoi(v)
		if err != nil || y < 1 {
			return bad()
		}
		st := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		return Interval{st, st.AddDate(1, 0, 0), Year}, nil
	case len(v) == 7:
		t, err := time.Parse("2006-01", v)
		if err != nil {
			return bad()
		}
		return Interval{t, t.AddDate(0, 1, 0), Month}, nil
	case len(v) == 8 && (v[5] == 'W' || v[5] == 'w') && v[4] == '-':
		y, err1 := strconv.Atoi(v[:4])
		w, err2 := strconv.Atoi(v[6:])
		if err1 != nil || err2 != nil || w < 1 || w > WeeksInYear(y) {
			return bad()
		}
		st := WeekStart(y, w)
		return Interval{st, st.AddDate(0, 0, 7), Week}, nil
	case len(v) == 10:
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			return bad()
		}
		return Interval{t, t.AddDate(0, 0, 1), Day}, nil
	case len(v) >= 13 && (v[10] == 'T' || v[10] == 't' || v[10] == ' '):
		head := v[:10] + "T" + strings.TrimSuffix(strings.TrimSuffix(v[11:], "Z"), "z")
		for _, layout := range []string{"2006-01-02T15", "2006-01-02T15:04", "2006-01-02T15:04:05"} {
			if t, err := time.Parse(layout, head); err == nil {
				t = t.Truncate(time.Hour)
				return Interval{t, t.Add(time.Hour), Hour}, nil
			}
		}
		return bad()
	}
	return bad()
}

// WeekStart returns the Monday that starts ISO week w of year y.
func WeekStart(y, w int) time.Time {
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
	wd := (int(jan4.Weekday()) + 6) % 7 // Monday = 0
	return jan4.AddDate(0, 0, -wd+7*(w-1))
}

// WeeksInYear returns 52 or 53, the number of ISO weeks of year y.
func WeeksInYear(y int) int {
	_, w := time.Date(y, 12, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	return w
}
