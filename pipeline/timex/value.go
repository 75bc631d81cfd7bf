// Package timex finds temporal expressions in German and English text and normalises
// them to ISO 8601 values against a reference date (the article's publication date), in
// the manner of HeidelTime. The values are those of the layer schema: schema.ParseValue
// turns one into a time interval.
package timex

import (
	"fmt"
	"time"

	"newsmap/geo/schema"
)

// Granularity is how exact a value is, in the layer schema's terms.
type Granularity = schema.Granularity

// The granularities, finest first.
const (
	Hour  = schema.Hour
	Day   = schema.Day
	Week  = schema.Week
	Month = schema.Month
	Year  = schema.Year
)

// FormatWeek formats the ISO week that holds t, as 2023-W38.
func FormatWeek(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}
