package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/paulmach/orb"
)

// usAtlasPath is the US Census Bureau's cartographic boundaries (2017, 1:10m) as
// TopoJSON, with the states and counties objects keyed by FIPS code.
const usAtlasPath = "us-atlas/counties-10m.json"

// labelPrecision is how close (degrees of latitude) a label point gets to the best one.
const labelPrecision = 0.01

// usArea is a US state or county with its representative point.
type usArea struct {
	fips, name string
	pt         orb.Point
}

// readUSAtlas decodes the states and counties of us-atlas, each with a point inside
// its polygon (labelPoint).
func readUSAtlas(path string) (states, counties []usArea, err error) {
	t, err := readTopology(path)
	if err != nil {
		return nil, nil, err
	}
	arcs := decodeArcs(t)
	read := func(object string, idLen int) ([]usArea, error) {
		obj, ok := t.Objects[object]
		if !ok {
			return nil, fmt.Errorf("%s: no %s object: %w", path, object, errInput)
		}
		out := make([]usArea, 0, len(obj.Geometries))
		for i, g := range obj.Geometries {
			var id string
			if err := json.Unmarshal(g.ID, &id); err != nil || len(id) != idLen || g.Properties.Name == "" {
				return nil, fmt.Errorf("%s: %s %d: bad id %s or name: %w", path, object, i, g.ID, errInput)
			}
			geom, err := topoToGeometry(arcs, g)
			if err != nil {
				return nil, fmt.Errorf("%s: %s %s: %w", path, object, id, err)
			}
			out = append(out, usArea{fips: id, name: clean(g.Properties.Name), pt: labelPoint(geom, labelPrecision)})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].fips < out[j].fips })
		return out, nil
	}
	if states, err = read("states", 2); err != nil {
		return nil, nil, err
	}
	if counties, err = read("counties", 5); err != nil {
		return nil, nil, err
	}
	return states, counties, nil
}

// county is a second-level division written to admin2.tsv.
type county struct {
	country, admin1, code, name string
	pt                          orb.Point
}

// independentCityStates are the states whose county-level codes from 510 up are
// independent cities (Virginia, Baltimore, St. Louis, Carson City): they are cities in
// cities500, not counties.
var independentCityStates = map[string]bool{"24": true, "29": true, "32": true, "51": true}

// usCounties names the counties of the states known to admin1.tsv by their Census type:
// "Cook County", "Orleans Parish". Independent cities, Alaska (whose boroughs and census
// areas us-atlas does not tell apart), the District of Columbia and the territories are
// left out and counted in the report.
func usCounties(states, counties []usArea, admin1 []*state, rep *report) []county {
	postal := map[string]string{} // state name → USPS code
	for _, s := range admin1 {
		if s.CountryCode == "US" {
			postal[s.Name] = s.ISOCode
		}
	}
	byFIPS := map[string]string{} // state FIPS → USPS code
	for _, s := range states {
		if code, ok := postal[s.name]; ok {
			byFIPS[s.fips] = code
		}
	}
	var out []county
	for _, c := range counties {
		st, code := c.fips[:2], c.fips[2:]
		admin1, ok := byFIPS[st]
		switch {
		case !ok || st == "02" || st == "11":
			rep.admin2Skipped++
			continue
		case independentCityStates[st] && code >= "510":
			rep.admin2Skipped++
			continue
		}
		typ := "County"
		if st == "22" {
			typ = "Parish"
		}
		out = append(out, county{country: "US", admin1: admin1, code: c.fips, name: c.name + " " + typ, pt: c.pt})
	}
	rep.admin2 = len(out)
	return out
}

// usStatePoints replaces the US states' points (country-state-city gives a city's point
// for some: New York at Manhattan, Oklahoma at Oklahoma City) by the label points of
// their Census polygons.
func usStatePoints(admin1 []*state, states []usArea, rep *report) {
	byName := map[string]orb.Point{}
	for _, s := range states {
		byName[s.name] = s.pt
	}
	for _, s := range admin1 {
		if pt, ok := byName[s.Name]; ok && s.CountryCode == "US" {
			s.lat, s.lon = pt[1], pt[0]
			rep.admin1Relabelled++
		}
	}
}

func writeCounties(w io.Writer, cs []county) error {
	if _, err := io.WriteString(w, "#country\tadmin1\tcode\tname\tlat\tlon\n"); err != nil {
		return err
	}
	for _, c := range cs {
		if _, err := fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", c.country, c.admin1, c.code, strings.TrimSpace(c.name), fmtFloat(c.pt[1]), fmtFloat(c.pt[0])); err != nil {
			return err
		}
	}
	return nil
}
