package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// stateShapesDir holds world-geojson's first-level division outlines, one folder per
// country; the United States come from the Census (us-atlas) instead.
const stateShapesDir = "world-geojson/states"

// stateShapeCountries are the folders of stateShapesDir used, with their ISO codes.
var stateShapeCountries = map[string]string{"australia": "AU", "canada": "CA", "india": "IN", "switzerland": "CH", "thailand": "TH"}

// stateShapePoints moves the divisions that have an outline in world-geojson to the label
// point of that outline: country-state-city places some at a border (Victoria at the
// South Australian line) or off to one side (Queensland). A division is matched by its
// English name ("new_south_wales.json" is New South Wales).
func stateShapePoints(ss []*state, dir string, rep *report) error {
	byKey := map[string]*state{}
	for _, s := range ss {
		byKey[s.CountryCode+"/"+shapeKey(s.Name)] = s
	}
	folders := make([]string, 0, len(stateShapeCountries))
	for f := range stateShapeCountries {
		folders = append(folders, f)
	}
	sort.Strings(folders)
	for _, folder := range folders {
		cc := stateShapeCountries[folder]
		files, err := filepath.Glob(filepath.Join(dir, folder, "*.*json"))
		if err != nil {
			return err
		}
		for _, path := range files {
			base := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), ".json"), ".geojson")
			s := byKey[cc+"/"+shapeKey(base)]
			if s == nil {
				rep.stateShapesUnmatched = append(rep.stateShapesUnmatched, cc+"/"+base)
				continue
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			var geoms []orb.Geometry
			if fc, err := geojson.UnmarshalFeatureCollection(b); err == nil {
				for _, f := range fc.Features {
					geoms = append(geoms, f.Geometry)
				}
			} else if g, gerr := geojson.UnmarshalGeometry(b); gerr == nil {
				geoms = append(geoms, g.Geometry()) // some files hold a bare geometry
			} else {
				return fmt.Errorf("%s: %w", path, err)
			}
			var mp orb.MultiPolygon
			for _, g := range geoms {
				switch g := g.(type) {
				case orb.Polygon:
					mp = append(mp, g)
				case orb.MultiPolygon:
					mp = append(mp, g...)
				}
			}
			if len(mp) == 0 {
				return fmt.Errorf("%s: no polygon: %w", path, errInput)
			}
			pt := labelPoint(mp, labelPrecision)
			s.lat, s.lon = pt[1], pt[0]
			rep.admin1Outlined++
		}
	}
	return nil
}

// shapeKey is a division name compared across sources: lower case, without spaces,
// hyphens or underscores ("chiangmai" is Chiang Mai).
func shapeKey(name string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.NewReplacer("_", " ", "-", " ", "&", "and").Replace(name))), "")
}
