package schema

import (
	"errors"
	"testing"
	"time"
)

func day(y, m, d, h int) time.Time { return time.Date(y, time.Month(m), d, h, 0, 0, 0, time.UTC) }

func TestParseValue(t *testing.T) {
	tests := []struct {
		in         string
		start, end time.Time
		g          Granularity
	}{
		{"2023", day(2023, 1, 1, 0), day(2024, 1, 1, 0), Year},
		{"2023-09", day(2023, 9, 1, 0), day(2023, 10, 1, 0), Month},
		{"2023-W38", day(2023, 9, 18, 0), day(2023, 9, 25, 0), Week},
		{"2020-W53", day(2020, 12, 28, 0), day(2021, 1, 4, 0), Week},
		{"2023-w01", day(2023, 1, 2, 0), day(2023, 1, 9, 0), Week},
		{"2023-09-25", day(2023, 9, 25, 0), day(2023, 9, 26, 0), Day},
		{" 2023-09-25 ", day(2023, 9, 25, 0), day(2023, 9, 26, 0), Day},
		{"2023-09-25T14:00", day(2023, 9, 25, 14), day(2023, 9, 25, 15), Hour},
		{"2023-09-25T14:30", day(2023, 9, 25, 14), day(2023, 9, 25, 15), Hour},
		{"2023-09-25 14", day(2023, 9, 25, 14), day(2023, 9, 25, 15), Hour},
		{"2023-09-25T14:00:00Z", day(2023, 9, 25, 14), day(2023, 9, 25, 15), Hour},
	}
	for _, tc := range tests {
		iv, err := ParseValue(tc.in)
		if err != nil || !iv.Start.Equal(tc.start) || !iv.End.Equal(tc.end) || iv.Granularity != tc.g {
			t.Errorf("ParseValue(%q) = %+v, %v", tc.in, iv, err)
		}
	}
	for _, bad := range []string{"", "20", "0000", "2023-13", "2023-W54", "2023-W00", "2023-02-30", "2023-09-25T25:00", "Montag", "2023-9-1"} {
		if _, err := ParseValue(bad); !errors.Is(err, ErrValue) {
			t.Errorf("ParseValue(%q): err = %v, want ErrValue", bad, err)
		}
	}
}

func TestIntervalContainsOverlaps(t *testing.T) {
	iv, _ := ParseValue("2023-W39") // Mon 25 Sep to Mon 2 Oct
	if !iv.Contains(day(2023, 9, 25, 0)) || iv.Contains(day(2023, 10, 2, 0)) {
		t.Errorf("Contains is not half-open on %+v", iv)
	}
	if !iv.Overlaps(Interval{Start: day(2023, 9, 30, 0), End: day(2023, 10, 2, 0)}) ||
		iv.Overlaps(Interval{Start: day(2023, 10, 2, 0), End: day(2023, 10, 3, 0)}) {
		t.Errorf("Overlaps on %+v", iv)
	}
	if WeeksInYear(2020) != 53 || WeeksInYear(2023) != 52 {
		t.Error("WeeksInYear")
	}
}

func TestParseSpan(t *testing.T) {
	tests := []struct {
		name, date, end string
		want            Interval
		wantErr         bool
	}{
		{"date alone", "2023-09-25", "", Interval{day(2023, 9, 25, 0), day(2023, 9, 26, 0), Day}, false},
		{"same precision", "2023-09-25", "2023-09-27", Interval{day(2023, 9, 25, 0), day(2023, 9, 28, 0), Day}, false},
		// the end of date_end, not its start: all of October
		{"to a month", "2023-09-25", "2023-10", Interval{day(2023, 9, 25, 0), day(2023, 11, 1, 0), ""}, false},
		{"from a week", "2023-W38", "2023-09-30", Interval{day(2023, 9, 18, 0), day(2023, 10, 1, 0), ""}, false},
		// the rule is literal: a date_end inside a coarse date ends the span there
		{"date_end inside date", "2023", "2023-05-01", Interval{day(2023, 1, 1, 0), day(2023, 5, 2, 0), ""}, false},
		{"date_end before date is ignored", "2023-09-25", "2023-09-01", Interval{day(2023, 9, 25, 0), day(2023, 9, 26, 0), Day}, false},
		{"date_end not a value is ignored", "2023-09", "soon", Interval{day(2023, 9, 1, 0), day(2023, 10, 1, 0), Month}, false},
		{"date not a value", "gestern", "2023-09-27", Interval{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseSpan(tc.date, tc.end)
			if tc.wantErr {
				if !errors.Is(err, ErrValue) {
					t.Fatalf("err = %v, want ErrValue", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := s.Interval()
			if !got.Start.Equal(tc.want.Start) || !got.End.Equal(tc.want.End) || got.Granularity != tc.want.Granularity {
				t.Errorf("Interval() = %v – %v %q, want %v – %v %q", got.Start, got.End, got.Granularity, tc.want.Start, tc.want.End, tc.want.Granularity)
			}
			if !s.First.Start.Equal(got.Start) || !s.Last.End.Equal(got.End) {
				t.Errorf("First/Last %+v disagree with Interval %+v", s, got)
			}
		})
	}
}

func TestFeatureSpan(t *testing.T) {
	if _, ok := FeatureSpan(map[string]any{Name: "Goris"}); ok {
		t.Error("a feature without date has a span")
	}
	if _, ok := FeatureSpan(map[string]any{Date: 2023}); ok {
		t.Error("a numeric date has a span")
	}
	if _, ok := FeatureSpan(map[string]any{Date: "bald"}); ok {
		t.Error("a date that is not a value has a span")
	}
	s, ok := FeatureSpan(map[string]any{Date: "2023-09-19", DateEnd: "2023-09-25"})
	if !ok || !s.First.Start.Equal(day(2023, 9, 19, 0)) || !s.Interval().End.Equal(day(2023, 9, 26, 0)) {
		t.Errorf("FeatureSpan = %+v, %v", s, ok)
	}
	s, ok = FeatureSpan(map[string]any{Date: "2023-09-19", DateEnd: nil})
	if !ok || s.Last != s.First {
		t.Errorf("null date_end: %+v, %v", s, ok)
	}
}

func TestIsDate(t *testing.T) {
	for _, k := range []string{Date, DateEnd, FirstDate, LastDate, Published} {
		if !IsDate(k) {
			t.Errorf("IsDate(%q) = false", k)
		}
	}
	for _, k := range []string{Dates, Timex, TimexValue, DatePrecision, Name} {
		if IsDate(k) {
			t.Errorf("IsDate(%q) = true", k)
		}
	}
}
