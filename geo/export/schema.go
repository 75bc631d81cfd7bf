package export

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb/geojson"

	"newsmap/geo/schema"
)

// Type is the type of a column, named as in a GeoPackage (JSON is TEXT holding JSON).
type Type string

// The column types.
const (
	Integer  Type = "INTEGER"
	Real     Type = "REAL"
	Text     Type = "TEXT"
	Date     Type = "DATE"
	DateTime Type = "DATETIME"
	Boolean  Type = "BOOLEAN"
	JSON     Type = "JSON"
)

// Column is one attribute column.
type Column struct {
	Name string // the column name, unique among the columns without regard to case
	Key  string // the property the values come from
	Type Type
	// Start marks a derived column that holds the start of the interval of the coarse
	// date in property Key (2023-W38 gives 2023-09-18).
	Start bool
}

// Schema is the list of columns of a feature collection: the union of the property
// keys, "id" first, then in order of first appearance (keys new in one feature in
// sorted order, since properties are a map), each followed by its *_start column if it
// has one.
type Schema struct {
	Columns []Column
	wide    map[string]bool // keys of Integer columns with a value beyond 32 bits
}

// InferSchema infers the columns of fc.
func InferSchema(fc *geojson.FeatureCollection) Schema {
	s, _ := inferSchema(context.Background(), Collection(fc)) // a collection has no errors
	return s
}

// keyStats is what one pass over the features learns of one property key: the kinds of
// its non-null values, and for date keys the granularities of the parsed values.
type keyStats struct {
	kinds   [kComposite + 1]int
	grans   map[schema.Granularity]int
	badDate bool
	wide    bool // an integer value does not fit 32 bits
}

func (st *keyStats) add(key string, v any) {
	k := classify(v)
	st.kinds[k]++
	switch {
	case k == kInt:
		if n := toInt(v); n > math.MaxInt32 || n < math.MinInt32 {
			st.wide = true
		}
	case k == kString && schema.IsDate(key):
		str := v.(string)
		if strings.TrimSpace(str) == "" {
			return
		}
		iv, err := schema.ParseValue(str)
		if err != nil {
			st.badDate = true
			return
		}
		if st.grans == nil {
			st.grans = map[schema.Granularity]int{}
		}
		st.grans[iv.Granularity]++
	}
}

// inferSchema infers the columns of src in one pass over its features.
func inferSchema(ctx context.Context, src Features) (Schema, error) {
	var keys []string
	stats := map[string]*keyStats{}
	idStats := &keyStats{} // "id" falls back to the feature id: counted for every feature
	hasID := false
	err := each(ctx, src, func(_ int, f *geojson.Feature) error {
		if f.ID != nil {
			hasID = true
		}
		idStats.add(schema.ID, property(f, schema.ID))
		fresh := make([]string, 0, len(f.Properties))
		for k, v := range f.Properties {
			st := stats[k]
			if st == nil {
				st = &keyStats{}
				stats[k] = st
				fresh = append(fresh, k)
			}
			if k != schema.ID {
				st.add(k, v)
			}
		}
		sort.Strings(fresh)
		keys = append(keys, fresh...)
		return nil
	})
	if err != nil {
		return Schema{}, err
	}
	if _, seen := stats[schema.ID]; hasID || seen {
		out := []string{schema.ID}
		for _, k := range keys {
			if k != schema.ID {
				out = append(out, k)
			}
		}
		keys = out
		stats[schema.ID] = idStats
	}

	// Property columns keep their names (but for case clashes); derived start columns
	// give way to them.
	taken := map[string]bool{}
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = uniqueName(taken, k)
	}
	var out Schema
	for i, k := range keys {
		st := stats[k]
		t, start := st.types(k)
		out.Columns = append(out.Columns, Column{Name: names[i], Key: k, Type: t})
		if st.wide {
			if out.wide == nil {
				out.wide = map[string]bool{}
			}
			out.wide[k] = true
		}
		if start != "" {
			out.Columns = append(out.Columns, Column{Name: uniqueName(taken, names[i]+"_start"), Key: k, Type: start, Start: true})
		}
	}
	return out, nil
}

// Unique returns name, or name with a numeric suffix, so that it differs from every
// column name without regard to case. Writers use it for their extra columns.
func (s Schema) Unique(name string) string {
	taken := map[string]bool{}
	for _, c := range s.Columns {
		taken[strings.ToLower(c.Name)] = true
	}
	return uniqueName(taken, name)
}

func uniqueName(taken map[string]bool, name string) string {
	n := name
	for i := 2; taken[strings.ToLower(n)]; i++ {
		n = name + "_" + strconv.Itoa(i)
	}
	taken[strings.ToLower(n)] = true
	return n
}

// property returns the value of key in f; "id" falls back to the feature id.
func property(f *geojson.Feature, key string) any {
	v, ok := f.Properties[key]
	if !ok && key == schema.ID {
		return f.ID
	}
	return v
}

// kind classifies one property value.
type kind int

const (
	kNull kind = iota
	kBool
	kInt
	kFloat
	kString
	kComposite
)

func classify(v any) kind {
	switch x := v.(type) {
	case nil:
		return kNull
	case bool:
		return kBool
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return kInt
	case float32:
		return classify(float64(x))
	case float64:
		if x == math.Trunc(x) && math.Abs(x) <= 1<<53 {
			return kInt
		}
		return kFloat
	case json.Number:
		if _, err := x.Int64(); err == nil {
			return kInt
		}
		return kFloat
	case string:
		return kString
	default:
		return kComposite
	}
}

// types returns the type of the column for key and, when
// the values are coarse dates, the type of the sibling start column.
func (st *keyStats) types(key string) (Type, Type) {
	kinds := st.kinds
	nonNull := kinds[kBool] + kinds[kInt] + kinds[kFloat] + kinds[kString] + kinds[kComposite]
	switch {
	case nonNull == 0:
		return Text, ""
	case kinds[kBool] == nonNull:
		return Boolean, ""
	case kinds[kInt] == nonNull:
		return Integer, ""
	case kinds[kInt]+kinds[kFloat] == nonNull:
		return Real, ""
	case kinds[kComposite] == nonNull:
		return JSON, ""
	case kinds[kString] == nonNull && schema.IsDate(key):
		parsed := 0
		for _, n := range st.grans {
			parsed += n
		}
		switch {
		case parsed == 0:
			return Text, ""
		case !st.badDate && st.grans[schema.Day] == parsed:
			return Date, ""
		case !st.badDate && st.grans[schema.Day]+st.grans[schema.Hour] == parsed:
			return DateTime, ""
		case st.grans[schema.Hour] > 0:
			return Text, DateTime
		default:
			return Text, Date
		}
	}
	return Text, ""
}

// Row returns the values of f for each column: nil, int64, float64, string, bool or
// time.Time (DATETIME, UTC). DATE values are YYYY-MM-DD strings and JSON values
// compact JSON text.
func (s Schema) Row(f *geojson.Feature) []any {
	row := make([]any, len(s.Columns))
	for i, c := range s.Columns {
		row[i] = c.value(property(f, c.Key))
	}
	return row
}

func (c Column) value(v any) any {
	if v == nil {
		return nil
	}
	if c.Start {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		iv, err := schema.ParseValue(s)
		if err != nil {
			return nil
		}
		if c.Type == DateTime {
			return iv.Start
		}
		return iv.Start.Format(time.DateOnly)
	}
	switch c.Type {
	case Boolean:
		b, _ := v.(bool)
		return b
	case Integer:
		return toInt(v)
	case Real:
		return toFloat(v)
	case Date:
		s := strings.TrimSpace(v.(string))
		if s == "" {
			return nil
		}
		return s
	case DateTime:
		s := strings.TrimSpace(v.(string))
		if s == "" {
			return nil
		}
		return parseDateTime(s)
	case JSON:
		return jsonText(v)
	}
	return text(v)
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int64:
		return x
	case uint:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		return int64(x)
	case float32:
		return int64(x)
	case float64:
		return int64(x)
	case json.Number:
		n, _ := x.Int64()
		return n
	}
	return 0
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	case json.Number:
		f, _ := x.Float64()
		return f
	}
	return float64(toInt(v))
}

// text renders any property value as text: strings as they are, numbers in the
// shortest exact decimal form, booleans as true/false, arrays and objects as JSON.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return formatFloat(x)
	case float32:
		return formatFloat(float64(x))
	case json.Number:
		return x.String()
	}
	if classify(v) == kInt {
		return strconv.FormatInt(toInt(v), 10)
	}
	return jsonText(v)
}

func formatFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// parseDateTime parses an ISO 8601 date or date-time; values without a zone are UTC.
func parseDateTime(s string) time.Time {
	v := strings.Replace(s, " ", "T", 1)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02T15", time.DateOnly} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC()
		}
	}
	if iv, err := schema.ParseValue(s); err == nil {
		return iv.Start
	}
	return time.Time{}
}

// cellText renders a Row value as text, as the CSV and KML writers show it.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return formatFloat(x)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case string:
		return x
	}
	return text(v)
}
