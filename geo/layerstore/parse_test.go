package layerstore

import (
	"errors"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

func TestParseBBox(t *testing.T) {
	tests := []struct {
		in   string
		want orb.Bound
		err  bool
	}{
		{"43,38,51,43", orb.Bound{Min: orb.Point{43, 38}, Max: orb.Point{51, 43}}, false},
		{" -180 , -90 , 180 , 90 ", orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}, false},
		{"43,38,0,51,43,100", orb.Bound{Min: orb.Point{43, 38}, Max: orb.Point{51, 43}}, false},
		{"1,1,1,1", orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{1, 1}}, false},
		{"", orb.Bound{}, true},
		{"1,2,3", orb.Bound{}, true},
		{"1,2,3,4,5", orb.Bound{}, true},
		{"a,2,3,4", orb.Bound{}, true},
		{"NaN,2,3,4", orb.Bound{}, true},
		{"Inf,2,3,4", orb.Bound{}, true},
		{"-181,0,0,1", orb.Bound{}, true},
		{"0,-91,1,1", orb.Bound{}, true},
		{"0,0,1,91", orb.Bound{}, true},
		{"5,0,1,1", orb.Bound{Min: orb.Point{5, 0}, Max: orb.Point{1, 1}}, false}, // across the antimeridian
		{"0,5,1,1", orb.Bound{}, true},
		{"0,0,10,1,1,5", orb.Bound{}, true},
		{"1,,2,3", orb.Bound{}, true},
	}
	for _, tt := range tests {
		got, err := ParseBBox(tt.in)
		if tt.err {
			if !errors.Is(err, ErrBadQuery) {
				t.Errorf("ParseBBox(%q) err = %v, want ErrBadQuery", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseBBox(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseDatetime(t *testing.T) {
	ts := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	var zero time.Time
	tests := []struct {
		in         string
		start, end time.Time
		err        bool
	}{
		{"2023-09-25", day("2023-09-25"), day("2023-09-26"), false},
		{"2023-09-25T10:00:00Z", ts("2023-09-25T10:00:00Z"), ts("2023-09-25T10:00:00.000000001Z"), false},
		{"2023-09-25T12:00:00+02:00", ts("2023-09-25T10:00:00Z"), ts("2023-09-25T10:00:00.000000001Z"), false},
		{"2023-W38", day("2023-09-18"), day("2023-09-25"), false},
		{"2023-09", day("2023-09-01"), day("2023-10-01"), false},
		{"2023-09-24/2023-09-25", day("2023-09-24"), day("2023-09-26"), false},
		{"2023-09-24T00:00:00Z/2023-09-25T00:00:00Z", day("2023-09-24"), ts("2023-09-25T00:00:00.000000001Z"), false},
		{"../2023-09-25", zero, day("2023-09-26"), false},
		{"2023-09-25/..", day("2023-09-25"), zero, false},
		{"/2023-09-25", zero, day("2023-09-26"), false},
		{"2023-09-25/", day("2023-09-25"), zero, false},
		{"", zero, zero, true},
		{"../..", zero, zero, true},
		{"yesterday", zero, zero, true},
		{"2023-13-01", zero, zero, true},
		{"2023-09-25/2023-09-24", zero, zero, true},
		{"2023/2024/2025", zero, zero, true},
		{"2023-09-25T25:00:00Z", zero, zero, true},
	}
	for _, tt := range tests {
		got, err := ParseDatetime(tt.in)
		if tt.err {
			if !errors.Is(err, ErrBadQuery) {
				t.Errorf("ParseDatetime(%q) err = %v, want ErrBadQuery", tt.in, err)
			}
			continue
		}
		if err != nil || !got.Start.Equal(tt.start) || !got.End.Equal(tt.end) {
			t.Errorf("ParseDatetime(%q) = %v..%v, %v; want %v..%v", tt.in, got.Start, got.End, err, tt.start, tt.end)
		}
	}
}
