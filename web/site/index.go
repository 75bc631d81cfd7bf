package site

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"newsmap/geo/layerstore"
	"newsmap/geo/schema"
	"newsmap/geo/tileset"
)

// Index is index.json: what the page needs besides the tiles.
type Index struct {
	Generator string      `json:"generator"`
	Tiles     string      `json:"tiles"`
	MaxZoom   int         `json:"max_zoom"`
	Layers    []LayerInfo `json:"layers"`
	// Extent is the first and the last day of any feature's dates (ISO days).
	Extent []string `json:"extent,omitempty"`
	// Bounds (min lon, min lat, max lon, max lat) of the point layers, else of all.
	Bounds []float64 `json:"bounds,omitempty"`
	// Places are the names search finds, one entry per place.
	Places []Place `json:"places"`
	// Days counts, per ISO day, the features of each layer (in Layers order) whose
	// dates cover that day: the time slider's status line.
	Days map[string][]int `json:"days"`
}

// LayerInfo describes one layer of the site.
type LayerInfo struct {
	Name      string     `json:"name"`
	Title     string     `json:"title"`
	Count     int        `json:"count"`
	Geometry  string     `json:"geometry"` // point, line, area or mixed
	MinZoom   int        `json:"minzoom"`
	MaxZoom   int        `json:"maxzoom"`
	Downloads []Download `json:"downloads"`
}

// Download is one downloadable file of a layer.
type Download struct {
	Format string `json:"format"`
	Href   string `json:"href"`
}

// Place is one search entry.
type Place struct {
	Name  string   `json:"name"`
	Names []string `json:"names"`
	Lon   float64  `json:"lon"`
	Lat   float64  `json:"lat"`
	Count int      `json:"count"`
}

// maxSpanDays bounds the days one interval adds to the counts (a year-precise date
// covers 366 at most).
const maxSpanDays = 400

// newIndex makes the index of layers, decoding their features one at a time (a layer's
// features never all live at once).
func newIndex(ctx context.Context, layers []*layerstore.Layer, topts tileset.Options) (*Index, error) {
	infos := tileset.Layers(layers, topts)
	idx := &Index{Generator: Generator, Tiles: TilesPath, Days: map[string][]int{}}
	var points, all orb.Bound
	hasPoints, hasAll := false, false
	extend := func(b *orb.Bound, has *bool, g orb.Bound) {
		if !*has {
			*b, *has = g, true
			return
		}
		*b = b.Union(g)
	}
	var first, last time.Time
	for i, l := range layers {
		li := LayerInfo{Name: l.Name(), Title: l.Title(), Count: l.Count(), Geometry: geometryKind(l),
			MinZoom: infos[i].MinZoom, MaxZoom: infos[i].MaxZoom, Downloads: downloads(l.Name())}
		idx.MaxZoom = max(idx.MaxZoom, li.MaxZoom)
		idx.Layers = append(idx.Layers, li)
		if b, ok := l.Bound(); ok {
			extend(&all, &hasAll, b)
			if li.Geometry == "point" {
				extend(&points, &hasPoints, b)
			}
		}
		for j := range l.Count() {
			f, err := featureAt(ctx, l, j)
			if err != nil {
				return nil, err
			}
			for _, iv := range intervals(f.Properties) {
				d := iv.Start.UTC().Truncate(24 * time.Hour)
				for n := 0; d.Before(iv.End) && n < maxSpanDays; n++ {
					key := d.Format(time.DateOnly)
					c := idx.Days[key]
					if c == nil {
						c = make([]int, len(layers))
						idx.Days[key] = c
					}
					c[i]++
					if first.IsZero() || d.Before(first) {
						first = d
					}
					if d.After(last) {
						last = d
					}
					d = d.Add(24 * time.Hour)
				}
			}
		}
	}
	if !first.IsZero() {
		idx.Extent = []string{first.Format(time.DateOnly), last.Format(time.DateOnly)}
	}
	if !hasPoints {
		points, hasPoints = all, hasAll
	}
	if hasPoints {
		idx.Bounds = []float64{points.Min.Lon(), points.Min.Lat(), points.Max.Lon(), points.Max.Lat()}
	}
	var err error
	idx.Places, err = places(ctx, layers)
	return idx, err
}

// featureAt decodes feature i of l, checking ctx every 1024 features.
func featureAt(ctx context.Context, l *layerstore.Layer, i int) (*geojson.Feature, error) {
	if i%1024 == 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	return l.FeatureAt(i)
}

// geometryKind names the geometries of a layer.
func geometryKind(l *layerstore.Layer) string {
	kind := ""
	for i := range l.Count() {
		k := ""
		switch l.Geometry(i).(type) {
		case nil:
			continue
		case orb.Point, orb.MultiPoint:
			k = "point"
		case orb.LineString, orb.MultiLineString:
			k = "line"
		default:
			k = "area"
		}
		if kind != "" && k != kind {
			return "mixed"
		}
		kind = k
	}
	return kind
}

// intervals are a feature's times as the map reads them: each of its dates, else from
// date to date_end.
func intervals(p geojson.Properties) []schema.Interval {
	var out []schema.Interval
	if ds, ok := p["dates"].([]any); ok {
		for _, d := range ds {
			if s, ok := d.(string); ok {
				if iv, err := schema.ParseValue(s); err == nil {
					out = append(out, iv)
				}
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	s, _ := p["date"].(string)
	iv, err := schema.ParseValue(s)
	if err != nil {
		return nil
	}
	if e, ok := p["date_end"].(string); ok {
		if end, err := schema.ParseValue(e); err == nil && end.End.After(iv.Start) {
			iv.End = end.End
		}
	}
	return []schema.Interval{iv}
}

// places collects the search entries: each point feature's place (places layer first,
// so a place's entry carries its mention count), keyed by place_id or id.
func places(ctx context.Context, layers []*layerstore.Layer) ([]Place, error) {
	ordered := slices.Clone(layers)
	slices.SortStableFunc(ordered, func(a, b *layerstore.Layer) int {
		return cmp.Compare(rank(a.Name()), rank(b.Name()))
	})
	seen := map[string]int{}
	var out []Place
	for _, l := range ordered {
		for i := range l.Count() {
			pt, ok := l.Geometry(i).(orb.Point)
			if !ok {
				continue
			}
			f, err := featureAt(ctx, l, i)
			if err != nil {
				return nil, err
			}
			p := f.Properties
			key, _ := p["place_id"].(string)
			if key == "" {
				key = l.Name() + ":" + layerstore.FeatureID(f)
			}
			names := namesOf(p)
			if len(names) == 0 {
				continue
			}
			if i, ok := seen[key]; ok {
				out[i].Names = union(out[i].Names, names)
				continue
			}
			count := 1
			if c, ok := p["mention_count"].(float64); ok {
				count = int(c)
			}
			seen[key] = len(out)
			out = append(out, Place{Name: names[0], Names: names, Lon: pt.Lon(), Lat: pt.Lat(), Count: count})
		}
	}
	return out, nil
}

func rank(layer string) int {
	switch layer {
	case "places":
		return 0
	case "mentions":
		return 1
	}
	return 2
}

// namesOf: the names a place is found by (name, German name, label, the words the
// articles used).
func namesOf(p geojson.Properties) []string {
	var out []string
	add := func(v any) {
		if s, ok := v.(string); ok && s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	add(p["name"])
	add(p["name_de"])
	add(p["label"])
	add(p["text"])
	if ts, ok := p["texts"].([]any); ok {
		for _, t := range ts {
			add(t)
		}
	}
	return out
}

func union(a, b []string) []string {
	for _, s := range b {
		if !slices.Contains(a, s) {
			a = append(a, s)
		}
	}
	return a
}
