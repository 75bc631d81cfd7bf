package schema

// Span is the time of a feature: from the start of its date to the end of its
// date_end. First is the interval of date, Last the interval of date_end, or First
// again when the feature has no date_end, or one that is not a value or ends before
// date starts (such a date_end is ignored, not an error: the feature keeps its date).
type Span struct {
	First, Last Interval
}

// Interval returns the span as one interval [First.Start, Last.End). Its Granularity is
// the values' when date and date_end have the same precision, else empty.
func (s Span) Interval() Interval {
	iv := Interval{Start: s.First.Start, End: s.Last.End, Granularity: s.First.Granularity}
	if s.Last.Granularity != s.First.Granularity {
		iv.Granularity = ""
	}
	return iv
}

// ParseSpan applies the rule to a date and date_end pair ("" for no date_end). The
// error, wrapping ErrValue, is for a date that is not a value.
func ParseSpan(date, dateEnd string) (Span, error) {
	first, err := ParseValue(date)
	if err != nil {
		return Span{}, err
	}
	s := Span{First: first, Last: first}
	if dateEnd != "" {
		if last, err := ParseValue(dateEnd); err == nil && last.End.After(first.Start) {
			s.Last = last
		}
	}
	return s, nil
}

// FeatureSpan reads the span from a feature's properties (a geojson.Properties is
// one); ok is false when the feature has no date value.
func FeatureSpan(props map[string]any) (s Span, ok bool) {
	date, _ := props[Date].(string)
	if date == "" {
		return Span{}, false
	}
	end, _ := props[DateEnd].(string)
	s, err := ParseSpan(date, end)
	return s, err == nil
}
