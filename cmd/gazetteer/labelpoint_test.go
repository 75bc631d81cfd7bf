package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
)

func TestLabelPointInside(t *testing.T) {
	// A C shape opening east: its centroid lies in the mouth, outside the polygon.
	c := orb.Polygon{{{0, 0}, {10, 0}, {10, 2}, {2, 2}, {2, 8}, {10, 8}, {10, 10}, {0, 10}, {0, 0}}}
	tests := []struct {
		name string
		g    orb.Geometry
	}{
		{"C shape", c},
		{"square", orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}}},
		{"largest part of a MultiPolygon", orb.MultiPolygon{{{{20, 20}, {20.1, 20}, {20.1, 20.1}, {20, 20}}}, c}},
	}
	for _, tt := range tests {
		p := labelPoint(tt.g, 0.01)
		var poly orb.Polygon
		switch g := tt.g.(type) {
		case orb.Polygon:
			poly = g
		case orb.MultiPolygon:
			poly = g[1]
		}
		if signedDistance(p, poly) <= 0 {
			t.Errorf("%s: label point %v is not inside", tt.name, p)
		}
	}
	if p := labelPoint(orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}}, 0.01); p.Lon() < 1.9 || p.Lon() > 2.1 || p.Lat() < 1.9 || p.Lat() > 2.1 {
		t.Errorf("square: label point %v, want near (2, 2)", p)
	}
}

func TestUSCounties(t *testing.T) {
	states := []usArea{{fips: "22", name: "Louisiana"}, {fips: "51", name: "Virginia"}, {fips: "02", name: "Alaska"}, {fips: "48", name: "Texas"}}
	counties := []usArea{
		{fips: "22071", name: "Orleans"}, {fips: "51059", name: "Fairfax"}, {fips: "51600", name: "Fairfax"},
		{fips: "02020", name: "Anchorage"}, {fips: "48507", name: "Zavala"},
	}
	admin1 := []*state{{Name: "Louisiana", ISOCode: "LA", CountryCode: "US"}, {Name: "Virginia", ISOCode: "VA", CountryCode: "US"},
		{Name: "Alaska", ISOCode: "AK", CountryCode: "US"}, {Name: "Texas", ISOCode: "TX", CountryCode: "US"}}
	rep := &report{}
	got := usCounties(states, counties, admin1, rep)
	want := []string{"LA Orleans Parish", "VA Fairfax County", "TX Zavala County"}
	if len(got) != len(want) {
		t.Fatalf("got %d counties %v, want %v", len(got), got, want)
	}
	for i, c := range got {
		if c.admin1+" "+c.name != want[i] {
			t.Errorf("county %d = %s %s, want %s", i, c.admin1, c.name, want[i])
		}
	}
	if rep.admin2Skipped != 2 { // the independent city of Fairfax and Alaska
		t.Errorf("skipped %d, want 2", rep.admin2Skipped)
	}
}

func TestGeonamesAdmin1(t *testing.T) {
	dir := t.TempDir()
	row := func(id, name, lat, lon, cc, a1 string) string {
		c := make([]string, 19)
		c[0], c[1], c[2], c[4], c[5], c[8], c[10], c[14] = id, name, name, lat, lon, cc, a1, "1000"
		if cc == "CA" {
			c[11] = "59" + id // every town in an admin2 of its own: no admin2 gets 3 votes
		}
		out := c[0]
		for _, v := range c[1:] {
			out += "\t" + v
		}
		return out + "\n"
	}
	cities := row("1", "Kelowna", "49.88", "-119.49", "CA", "02") + row("2", "Penticton", "49.49", "-119.59", "CA", "02") +
		row("3", "Vernon", "50.26", "-119.27", "CA", "02") + row("4", "Regina", "50.45", "-104.61", "CA", "11") +
		row("5", "Vernon", "34.15", "-99.26", "US", "TX") // another Vernon, far away: no vote
	csc := `[["Kelowna","CA","BC","49.8880","-119.4960"],["Penticton","CA","BC","49.4991","-119.5937"],
	["Vernon","CA","BC","50.2670","-119.2720"],["Regina","CA","SK","50.4452","-104.6189"]]`
	cp, sp := filepath.Join(dir, "cities500.txt"), filepath.Join(dir, "city.json")
	if err := os.WriteFile(cp, []byte(cities), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sp, []byte(csc), 0o644); err != nil {
		t.Fatal(err)
	}
	got, got2, err := geonamesAdmin1(cp, sp, &report{})
	if err != nil {
		t.Fatal(err)
	}
	if got["CA-BC"] != "02" || len(got) != 1 { // Regina has one vote only
		t.Errorf("got %v, want only CA-BC → 02", got)
	}
	if len(got2) != 0 {
		t.Errorf("admin2 codes %v, want none (no admin2 has 3 matched towns)", got2)
	}
}

func TestShapeKey(t *testing.T) {
	for in, want := range map[string]string{"new_south_wales": "newsouthwales", "New South Wales": "newsouthwales", "Chiang Mai": "chiangmai", "Trinidad & Tobago": "trinidadandtobago"} {
		if got := shapeKey(in); got != want {
			t.Errorf("shapeKey(%q) = %q, want %q", in, got, want)
		}
	}
}
