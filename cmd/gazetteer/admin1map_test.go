package main

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestMiddleTown(t *testing.T) {
	tests := []struct {
		name  string
		towns []orb.Point
		want  orb.Point
		ok    bool
	}{
		{"too few towns", []orb.Point{{1, 1}, {2, 2}}, orb.Point{}, false},
		{"the town nearest the median", []orb.Point{{0, 0}, {10, 10}, {4, 5}, {6, 4}, {100, 50}}, orb.Point{6, 4}, true},
		{"one far outlier does not move it", []orb.Point{{-109.9, 28.4}, {-110.9, 29.1}, {-109.0, 27.5}, {120, 37}}, orb.Point{-109.9, 28.4}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := middleTown(tt.towns)
			if ok != tt.ok || got != tt.want {
				t.Errorf("middleTown = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestOwnTowns(t *testing.T) {
	towns := map[string][]orb.Point{
		"MX-SON": {{-110, 29}},
		"CN-TW":  {{120, 32}},
		"CN-JS":  {{119, 33}},
		"XX-1":   {{0, 0}},
	}
	gn := map[string]string{"MX-SON": "26", "CN-TW": "04", "CN-JS": "04"}
	got := ownTowns(towns, gn)
	if _, ok := got["MX-SON"]; !ok || len(got) != 1 {
		t.Errorf("ownTowns kept %v, want MX-SON only (CN-TW and CN-JS claim one GeoNames code, XX-1 none)", got)
	}
}
