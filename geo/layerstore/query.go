package layerstore

import (
	"bytes"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"newsmap/geo/schema"
)

// Query selects features of a layer. All set conditions must hold.
type Query struct {
	// BBox keeps features whose geometry (not just its bounding box) shares a point with
	// it, edges included. A bound whose Min longitude exceeds its Max longitude crosses
	// the antimeridian: it stands for [Min lon, 180] ∪ [-180, Max lon].
	BBox *orb.Bound
	// Time keeps features whose interval [date, end of date_end) overlaps it. A zero
	// Start or End leaves that end open. Features without a date never match.
	Time *schema.Interval
	// Article keeps features whose article_id, or any element of articles, equals it.
	Article string
	// Q keeps features where one of the schema's SearchKeys (name, name_de, any of
	// names, text, any of texts) contains it, ignoring case.
	Q string
	// Props keeps features whose property has exactly the given string form (numbers in
	// shortest form, booleans as true/false); for an array property, any element may match.
	Props map[string]string
	// Limit caps the number of features returned; 0 means no limit. Offset skips that
	// many matches first.
	Limit, Offset int
	// GeometryOnly returns features with their id and geometry only, no properties: for
	// a caller that needs where the matches are (clusters), without decoding them.
	GeometryOnly bool
	// Encoded leaves Result.Features nil: the matches are Positions, whose bytes are
	// FeatureJSON, and nothing is decoded, for a caller that decodes them one at a time
	// (exports of many features).
	Encoded bool
}

// Result is one page of matches.
type Result struct {
	// Features are in id order; they are shared and must not be modified.
	Features []*geojson.Feature
	// Positions[i] is the position of Features[i] in the layer's Features, which is also
	// the argument of Layer.FeatureJSON for its encoded bytes.
	Positions []int
	// NumberMatched counts all matches, ignoring Limit and Offset.
	NumberMatched int
}

// IsZero reports whether q has no conditions and no paging.
func (q Query) IsZero() bool {
	return q.BBox == nil && q.Time == nil && q.Article == "" && q.Q == "" &&
		len(q.Props) == 0 && q.Limit == 0 && q.Offset == 0
}

// Query returns the features of l that match q, in id order.
func (l *Layer) Query(q Query) (Result, error) {
	if q.Limit < 0 || q.Offset < 0 {
		return Result{}, fmt.Errorf("%w: negative limit or offset", ErrBadQuery)
	}
	if q.BBox != nil && q.BBox.Min[1] > q.BBox.Max[1] {
		return Result{}, fmt.Errorf("%w: bbox minimum latitude exceeds maximum", ErrBadQuery)
	}
	if q.Time != nil && !q.Time.Start.IsZero() && !q.Time.End.IsZero() && q.Time.End.Before(q.Time.Start) {
		return Result{}, fmt.Errorf("%w: time interval ends before it starts", ErrBadQuery)
	}
	defer runtime.KeepAlive(l)
	x := l.ix
	needle := []byte(strings.ToLower(q.Q))
	match := func(i int) bool {
		if q.Time != nil {
			span, ok := x.span(i)
			if !ok {
				return false
			}
			if !q.Time.End.IsZero() && !span.Start.Before(q.Time.End) {
				return false
			}
			if !q.Time.Start.IsZero() && !q.Time.Start.Before(span.End) {
				return false
			}
		}
		if q.Article == "" && len(needle) == 0 && len(q.Props) == 0 {
			return true
		}
		p, err := x.parts(i)
		if err != nil {
			return false
		}
		if q.Article != "" && !hasArticle(p.articles, q.Article) {
			return false
		}
		if len(needle) > 0 && !bytes.Contains(p.search, needle) {
			return false
		}
		for k, want := range q.Props {
			v, err := property(p.enc, k)
			if err != nil || !propMatches(v, want) {
				return false
			}
		}
		return true
	}

	var res Result
	var err error
	// emit counts feature i if it matches and adds it to the page if it falls there;
	// g is its geometry when the caller has decoded it already.
	emit := func(i int, g orb.Geometry) {
		if match(i) {
			if res.NumberMatched >= q.Offset && (q.Limit == 0 || len(res.Positions) < q.Limit) {
				var f *geojson.Feature
				switch {
				case q.Encoded:
				case q.GeometryOnly:
					if g == nil {
						g = l.Geometry(i)
					}
					f = &geojson.Feature{Type: "Feature", ID: string(x.id(i)), Geometry: g, Properties: geojson.Properties{}}
				default:
					if f, err = l.FeatureAt(i); err != nil {
						return
					}
				}
				if f != nil {
					res.Features = append(res.Features, f)
				}
				res.Positions = append(res.Positions, i)
			}
			res.NumberMatched++
		}
	}
	if q.BBox != nil {
		boxes := SplitAntimeridian(*q.BBox)
		var cand []int32
		for _, b := range boxes {
			cand = x.search(b, cand)
		}
		slices.Sort(cand) // index order is id order
		cand = slices.Compact(cand)
		for _, i := range cand {
			g := l.Geometry(int(i))
			for _, b := range boxes {
				if g != nil && intersectsBound(g, b) {
					emit(int(i), g)
					break
				}
			}
		}
	} else {
		for i := range x.n {
			emit(i, nil)
		}
	}
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

// SplitAntimeridian returns b, or for a box across the antimeridian (Min longitude
// above Max) its two halves [Min, 180] and [-180, Max]: the boxes a spatial index is
// asked for to answer Query.BBox.
func SplitAntimeridian(b orb.Bound) []orb.Bound {
	if b.Min[0] <= b.Max[0] {
		return []orb.Bound{b}
	}
	return []orb.Bound{
		{Min: b.Min, Max: orb.Point{180, b.Max[1]}},
		{Min: orb.Point{-180, b.Min[1]}, Max: b.Max},
	}
}

// Intersecting returns the positions in Features (ascending, so in id order) of the
// features whose bounding box intersects b. It is the spatial index for renderers such
// as vector tiles; a position is stable for the life of the layer.
func (l *Layer) Intersecting(b orb.Bound) []int {
	defer runtime.KeepAlive(l)
	cand := l.ix.search(b, nil)
	slices.Sort(cand)
	out := make([]int, len(cand))
	for i, c := range cand {
		out[i] = int(c)
	}
	return out
}

func propMatches(v any, want string) bool {
	if arr, ok := v.([]any); ok {
		for _, e := range arr {
			if scalarString(e) == want {
				return true
			}
		}
	}
	if v == nil {
		return false
	}
	return scalarString(v) == want
}

// Feature returns the feature with the given id (the first, should ids repeat), decoded.
func (l *Layer) Feature(id string) (*geojson.Feature, bool) {
	defer runtime.KeepAlive(l)
	x := l.ix
	key := []byte(id)
	i, ok := sort.Find(x.n, func(i int) int { return bytes.Compare(key, x.id(i)) })
	if !ok {
		return nil, false
	}
	f, err := l.FeatureAt(i)
	if err != nil {
		return nil, false
	}
	return f, true
}

// Keys are what Query matches a feature on besides its geometry and properties, as the
// layer computed them when it loaded: a store that pushes queries down (geo/postgis)
// records them with the feature so that it matches exactly as Query does.
type Keys struct {
	// ID is the feature's id as a string (FeatureID).
	ID string
	// Time is the feature's interval (schema.FeatureSpan); HasTime is false without a date.
	Time    schema.Interval
	HasTime bool
	// Articles are article_id and the elements of articles (Query.Article).
	Articles []string
	// Search is the lower-cased values of schema.SearchKeys, each followed by a NUL
	// byte; Query.Q matches when its lower-case form is a substring.
	Search string
}

// KeysOf returns the keys of feature f.
func KeysOf(f *geojson.Feature) Keys {
	m := newMeta(f)
	return Keys{ID: m.id, Time: m.span, HasTime: m.hasTime, Articles: m.articles, Search: m.search}
}

// PropString is the string form that Query.Props compares a property value with:
// strings as they are, numbers in shortest form, booleans as true/false.
func PropString(v any) string { return scalarString(v) }
