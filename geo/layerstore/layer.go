package layerstore

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"newsmap/geo/schema"
)

// namePattern is the shape of a layer name; file names that do not match are ignored,
// which also keeps any path syntax out of layer names.
var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

// ValidName reports whether s can name a layer.
func ValidName(s string) bool { return len(s) <= 64 && namePattern.MatchString(s) }

// Field describes one feature property of a layer.
type Field struct {
	Name string
	// Type is the JSON type of the property's non-null values: "string", "integer",
	// "number", "boolean", "array", "object", or "mixed" when they differ.
	Type string
	// ScalarItems is true for an array property whose elements are all strings, numbers
	// or booleans (in every feature), so that an equality filter can match an element.
	ScalarItems bool
}

// Layer is one loaded layer. It is immutable; all its methods are safe for concurrent use.
//
// Its features live in an index (index.go), a file mapped read-only for a layer loaded
// from a folder, a heap slice for one parsed from bytes: the heap holds per layer only
// what is below, whatever the number of features. The mapping is released by a cleanup
// once neither the Layer nor a slice returned by FeaturesJSON is reachable (the only
// answer that points into it: FeatureJSON copies, geometries and features are decoded):
// a snapshot, a reader or a request that still holds the Layer or such a slice keeps
// the mapping, so no caller can read bytes of an unmapped file; and an old version's
// mapping (and its index file, when a newer one replaced it) is not kept for the life of
// the process. Methods that read the mapping keep l alive until they return.
type Layer struct {
	name    string
	title   string
	path    string // the file it was loaded from; "" for one parsed from bytes
	raw     []byte // the bytes, for a layer without a file
	hash    string
	modTime time.Time
	size    int64

	bound     orb.Bound
	hasBound  bool
	extent    schema.Interval
	hasExtent bool
	fields    []Field

	titleMember any // the collection's own "title" member, nil when absent
	ix          *index
}

// featureMeta is what queries need of a feature, computed when the index is built (and
// by KeysOf).
type featureMeta struct {
	id       string
	bound    orb.Bound
	hasGeom  bool
	span     schema.Interval
	hasTime  bool
	articles []string
	search   string // lower-cased values of schema.SearchKeys joined by \x00
}

// Name returns the layer name (the file name without .geojson).
func (l *Layer) Name() string { return l.name }

// Title returns the collection's "title" member, or a title made from the name.
func (l *Layer) Title() string { return l.title }

// Count returns the number of features.
func (l *Layer) Count() int { return l.ix.n }

// Bound returns the bounding box of all geometries; ok is false for a layer without any.
func (l *Layer) Bound() (b orb.Bound, ok bool) { return l.bound, l.hasBound }

// TimeExtent returns the union of the features' time intervals; ok is false when no
// feature has a date.
func (l *Layer) TimeExtent() (iv schema.Interval, ok bool) { return l.extent, l.hasExtent }

// Hash returns a content hash of the layer file, suitable for an ETag.
func (l *Layer) Hash() string { return l.hash }

// ModTime returns the modification time of the file the layer was loaded from.
func (l *Layer) ModTime() time.Time { return l.modTime }

// GeoJSON returns the layer's file as it was loaded. The file is read again, not kept
// in memory (a large layer's file is tens of megabytes, wanted once per version by a
// server that keeps what it makes of it); when it no longer holds this version, the
// error wraps ErrChanged: a Reload will load the new one. A layer parsed from bytes
// (tests) returns them.
func (l *Layer) GeoJSON() ([]byte, error) {
	if l.path == "" {
		return l.raw, nil
	}
	data, err := os.ReadFile(l.path)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrChanged, l.name, err)
	}
	if hashBytes(data) != l.hash {
		return nil, fmt.Errorf("%w: %s", ErrChanged, l.name)
	}
	return data, nil
}

// WriteGeoJSON copies the layer's file as it was loaded to w, as GeoJSON returns it but
// without holding it in memory (a writer of a large layer's copy, such as a published
// site's download). When the file no longer holds this version the error wraps
// ErrChanged, and w has received bytes of the other version: the caller discards them.
func (l *Layer) WriteGeoJSON(w io.Writer) error {
	if l.path == "" {
		_, err := w.Write(l.raw)
		return err
	}
	f, err := os.Open(l.path)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrChanged, l.name, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(w, h), f); err != nil {
		return err
	}
	if sum := h.Sum(nil); hex.EncodeToString(sum[:16]) != l.hash {
		return fmt.Errorf("%w: %s", ErrChanged, l.name)
	}
	return nil
}

// Features decodes all features, sorted by id. Each call decodes them anew (the layer
// keeps them encoded): a pass over a large layer should decode one at a time with
// FeatureAt, so that they do not all live at once.
func (l *Layer) Features() []*geojson.Feature {
	out := make([]*geojson.Feature, l.ix.n)
	for i := range out {
		f, err := l.FeatureAt(i)
		if err != nil {
			panic(err) // the index's checksum was verified: a decode error is a bug
		}
		out[i] = f
	}
	return out
}

// FeatureAt decodes the i-th feature (in id order) from its encoding (see
// FeatureJSON): the id is a string, the properties are never nil.
func (l *Layer) FeatureAt(i int) (*geojson.Feature, error) {
	defer runtime.KeepAlive(l)
	p, err := l.ix.parts(i)
	if err != nil {
		return nil, fmt.Errorf("layerstore: layer %s feature %d: %w", l.name, i, err)
	}
	f, err := geojson.UnmarshalFeature(p.enc)
	if err != nil {
		return nil, fmt.Errorf("layerstore: layer %s feature %d: %w", l.name, i, err)
	}
	return f, nil
}

// FileOrder returns the position in id order (FeatureAt's argument) of the k-th feature
// of the layer's file, for a writer that keeps the file's order (geo/postgis).
func (l *Layer) FileOrder(k int) int {
	defer runtime.KeepAlive(l)
	return l.ix.fileOrder(k)
}

// TitleMember returns the collection's own "title" member, nil when the file has none
// (Title falls back to other members and to the name).
func (l *Layer) TitleMember() any { return l.titleMember }

// Geometry returns the geometry of the i-th feature (in id order), nil when it has none.
// It is decoded from the index at each call; it must not be modified all the same (an
// earlier version shared it).
func (l *Layer) Geometry(i int) orb.Geometry {
	defer runtime.KeepAlive(l)
	if pt, ok := l.ix.point(i); ok {
		return pt
	}
	p, err := l.ix.parts(i)
	if err != nil || !p.hasGeometry {
		return nil
	}
	g, err := decodeGeom(p.geom)
	if err != nil {
		return nil
	}
	return g
}

// Point returns the geometry of the i-th feature (in id order) when it is a point, as
// Geometry would, but without decoding or allocating anything (a point layer's tiles
// ask for millions); ok is false for any other geometry or none.
func (l *Layer) Point(i int) (pt orb.Point, ok bool) {
	defer runtime.KeepAlive(l)
	return l.ix.point(i)
}

// Fields returns the feature properties of the layer, sorted by name.
func (l *Layer) Fields() []Field { return l.fields }

// parseLayer indexes a layer file's bytes, in memory (a layer without a file: tests,
// small layers made by a program).
func parseLayer(name string, data []byte) (*Layer, error) {
	var ms memSink
	if _, err := writeIndex(name, bytes.NewReader(data), &ms, int64(len(data)), 0); err != nil {
		return nil, err
	}
	x, err := openIndex(ms.b)
	if err != nil {
		return nil, err
	}
	l := layerOf(name, x)
	l.raw = data
	return l, nil
}

// layerOf makes the Layer of an open index.
func layerOf(name string, x *index) *Layer {
	m := &x.meta
	return &Layer{name: name, title: m.Title, hash: m.Hash, bound: m.Bound, hasBound: m.HasBound,
		extent: m.Extent, hasExtent: m.HasExtent, fields: m.Fields, titleMember: x.titleMember, ix: x}
}

// hashBytes is the hash of a layer file's content.
func hashBytes(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:16])
}

func titleOf(name string, extra geojson.Properties) string {
	for _, k := range []string{"title", "name"} {
		if s, ok := extra[k].(string); ok && strings.TrimSpace(s) != "" {
			return s
		}
	}
	t := strings.NewReplacer("_", " ", "-", " ").Replace(name)
	return strings.ToUpper(t[:1]) + t[1:]
}

func newMeta(f *geojson.Feature) featureMeta {
	var m featureMeta
	m.id = featureID(f)
	if f.Geometry != nil && !isEmptyGeometry(f.Geometry) {
		m.bound, m.hasGeom = f.Geometry.Bound(), true
	}
	p := f.Properties
	if s, ok := schema.FeatureSpan(p); ok {
		m.span, m.hasTime = s.Interval(), true
	}
	if a, ok := p[schema.ArticleID].(string); ok && a != "" {
		m.articles = append(m.articles, a)
	}
	if as, ok := p[schema.Articles].([]any); ok {
		for _, a := range as {
			if s, ok := a.(string); ok {
				m.articles = append(m.articles, s)
			}
		}
	}
	var sb strings.Builder
	for _, k := range schema.SearchKeys() {
		switch v := p[k].(type) {
		case string:
			sb.WriteString(strings.ToLower(v))
			sb.WriteByte(0)
		case []any:
			for _, e := range v {
				if s, ok := e.(string); ok {
					sb.WriteString(strings.ToLower(s))
					sb.WriteByte(0)
				}
			}
		case map[string]any: // names by language
			for _, lang := range slices.Sorted(maps.Keys(v)) {
				if s, ok := v[lang].(string); ok {
					sb.WriteString(strings.ToLower(s))
					sb.WriteByte(0)
				}
			}
		}
	}
	m.search = sb.String()
	return m
}

// featureID is the feature's id as a string: the feature id, else the "id" property.
func featureID(f *geojson.Feature) string {
	id := f.ID
	if id == nil {
		id = f.Properties["id"]
	}
	switch v := id.(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		return scalarString(v)
	}
}

func isEmptyGeometry(g orb.Geometry) bool {
	switch v := g.(type) {
	case orb.MultiPoint:
		return len(v) == 0
	case orb.LineString:
		return len(v) == 0
	case orb.MultiLineString:
		return len(v) == 0
	case orb.Polygon:
		return len(v) == 0 || len(v[0]) == 0
	case orb.MultiPolygon:
		return len(v) == 0
	case orb.Collection:
		return len(v) == 0
	}
	return false
}

// jsonType names the JSON type of a decoded value, "" for null.
func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "mixed"
}

// scalarString is the string form of a property value used for exact matches: strings as
// they are, numbers in shortest form, booleans as true/false, null as "null" and
// anything else as JSON.
func scalarString(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
