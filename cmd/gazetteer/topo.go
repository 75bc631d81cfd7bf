package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
)

// topology is the subset of TopoJSON used by world-atlas.
type topology struct {
	Type      string `json:"type"`
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]float64 `json:"arcs"`
	Objects map[string]struct {
		Geometries []topoGeometry `json:"geometries"`
	} `json:"objects"`
}

type topoGeometry struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	Properties struct {
		Name string `json:"name"`
	} `json:"properties"`
	Arcs json.RawMessage `json:"arcs"`
}

// decodeArcs turns the (optionally quantized, delta-encoded) arcs into absolute
// lon/lat positions rounded to 5 decimals.
func decodeArcs(t *topology) [][]orb.Point {
	out := make([][]orb.Point, len(t.Arcs))
	for i, arc := range t.Arcs {
		pts := make([]orb.Point, len(arc))
		var x, y float64
		for j, p := range arc {
			if t.Transform != nil {
				x += p[0]
				y += p[1]
				pts[j] = orb.Point{round5(x*t.Transform.Scale[0] + t.Transform.Translate[0]), round5(y*t.Transform.Scale[1] + t.Transform.Translate[1])}
			} else {
				pts[j] = orb.Point{p[0], p[1]}
			}
		}
		out[i] = pts
	}
	return out
}

func round5(f float64) float64 { return math.Round(f*1e5) / 1e5 }

// ring stitches arcs into a closed ring; index ~i (negative) is arc i reversed.
// The first point of every arc after the first repeats the previous last point.
func ring(arcs [][]orb.Point, idx []int) (orb.Ring, error) {
	var r orb.Ring
	for k, i := range idx {
		rev := i < 0
		if rev {
			i = ^i
		}
		if i >= len(arcs) {
			return nil, fmt.Errorf("arc index %d out of range", i)
		}
		a := arcs[i]
		pts := make([]orb.Point, len(a))
		if rev {
			for j := range a {
				pts[j] = a[len(a)-1-j]
			}
		} else {
			copy(pts, a)
		}
		if k > 0 && len(pts) > 0 {
			pts = pts[1:]
		}
		r = append(r, pts...)
	}
	if len(r) > 0 && r[0] != r[len(r)-1] {
		r = append(r, r[0])
	}
	return r, nil
}

func polygon(arcs [][]orb.Point, rings [][]int) (orb.Polygon, error) {
	p := make(orb.Polygon, 0, len(rings))
	for _, idx := range rings {
		r, err := ring(arcs, idx)
		if err != nil {
			return nil, err
		}
		p = append(p, r)
	}
	return p, nil
}

// topoToGeometry decodes one Polygon or MultiPolygon geometry of a topology.
func topoToGeometry(arcs [][]orb.Point, g topoGeometry) (orb.Geometry, error) {
	switch g.Type {
	case "Polygon":
		var rings [][]int
		if err := json.Unmarshal(g.Arcs, &rings); err != nil {
			return nil, err
		}
		p, err := polygon(arcs, rings)
		if err != nil {
			return nil, err
		}
		if parts := splitAntimeridian(p); len(parts) > 1 {
			return parts, nil
		}
		return p, nil
	case "MultiPolygon":
		var polys [][][]int
		if err := json.Unmarshal(g.Arcs, &polys); err != nil {
			return nil, err
		}
		mp := make(orb.MultiPolygon, 0, len(polys))
		for _, rings := range polys {
			p, err := polygon(arcs, rings)
			if err != nil {
				return nil, err
			}
			mp = append(mp, splitAntimeridian(p)...)
		}
		return mp, nil
	}
	return nil, fmt.Errorf("unsupported geometry type %q", g.Type)
}

// readAtlas decodes the Natural Earth countries object and keys the shapes by
// ISO alpha-2 (via world-countries ccn3; features without an id are matched by
// common name). Several features of one country are merged into a MultiPolygon.
func readAtlas(path string, cs []*country) (map[string]orb.Geometry, []string, error) {
	t, err := readTopology(path)
	if err != nil {
		return nil, nil, err
	}
	obj, ok := t.Objects["countries"]
	if !ok {
		return nil, nil, fmt.Errorf("%s: no countries object: %w", path, errInput)
	}
	byNum, byName := map[string]string{}, map[string]string{}
	for _, c := range cs {
		if c.CCN3 != "" {
			byNum[c.CCN3] = c.CCA2
		}
		byName[c.Name.Common] = c.CCA2
	}
	arcs := decodeArcs(t)
	shapes := map[string]orb.MultiPolygon{}
	var unmatched []string
	for i, g := range obj.Geometries {
		var id string
		_ = json.Unmarshal(g.ID, &id)
		iso, ok := byNum[id]
		if !ok {
			iso, ok = byName[g.Properties.Name]
		}
		if !ok {
			unmatched = append(unmatched, g.Properties.Name)
			continue
		}
		geom, err := topoToGeometry(arcs, g)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: geometry %d (%s): %w", path, i, g.Properties.Name, err)
		}
		switch v := geom.(type) {
		case orb.Polygon:
			shapes[iso] = append(shapes[iso], v)
		case orb.MultiPolygon:
			shapes[iso] = append(shapes[iso], v...)
		}
	}
	out := make(map[string]orb.Geometry, len(shapes))
	for iso, mp := range shapes {
		if len(mp) == 1 {
			out[iso] = mp[0]
		} else {
			out[iso] = mp
		}
	}
	sort.Strings(unmatched)
	return out, unmatched, nil
}

// splitAntimeridian cuts a polygon whose rings jump across the ±180° meridian (Natural
// Earth's Chukotka, Fiji) into parts on either side, as RFC 7946 asks; other polygons are
// returned unchanged as a single part.
func splitAntimeridian(p orb.Polygon) orb.MultiPolygon {
	jumps := false
	for _, r := range p {
		for i := 1; i < len(r); i++ {
			if math.Abs(r[i][0]-r[i-1][0]) > 180 {
				jumps = true
			}
		}
	}
	if !jumps {
		return orb.MultiPolygon{p}
	}
	// unwrap every ring into continuous longitudes, then move the whole polygon so
	// that it starts east of -180
	u := make(orb.Polygon, len(p))
	minLon := math.Inf(1)
	for k, r := range p {
		ur := make(orb.Ring, len(r))
		off := 0.0
		for i, pt := range r {
			if i > 0 {
				switch d := pt[0] - r[i-1][0]; {
				case d > 180:
					off -= 360
				case d < -180:
					off += 360
				}
			}
			ur[i] = orb.Point{pt[0] + off, pt[1]}
			minLon = math.Min(minLon, ur[i][0])
		}
		u[k] = ur
	}
	if minLon < -180 {
		for _, r := range u {
			for i := range r {
				r[i][0] += 360
			}
		}
	}
	var out orb.MultiPolygon
	west := clip.Polygon(orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}, u.Clone())
	east := clip.Polygon(orb.Bound{Min: orb.Point{180, -90}, Max: orb.Point{540, 90}}, u.Clone())
	for _, r := range east {
		for i := range r {
			r[i][0] = round5(r[i][0] - 360)
		}
	}
	for _, part := range []orb.Polygon{west, east} {
		if len(part) > 0 && len(part[0]) >= 4 {
			out = append(out, part)
		}
	}
	return out
}

// readTopology reads and decodes a TopoJSON topology file.
func readTopology(path string) (*topology, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var t topology
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if t.Type != "Topology" {
		return nil, fmt.Errorf("%s: not a TopoJSON topology: %w", path, errInput)
	}
	return &t, nil
}
