package export

import (
	"bufio"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/paulmach/orb/geojson"
	"github.com/twpayne/go-kml/v3"

	kmlgeom "github.com/twpayne/go-geom/encoding/kml"

	"newsmap/geo/schema"
)

// WriteKML writes fc as a KML 2.2 Document called name: a Schema with one SimpleField
// per column, and one Placemark per feature with its name (the name property, else the
// id), description (the quote property), time and ExtendedData/SchemaData. The time is
// a TimeStamp for a single date and a TimeSpan when there is a date_end or the date is
// a week, so that Google Earth's time slider works.
func WriteKML(w io.Writer, name string, fc *geojson.FeatureCollection) error {
	if fc == nil {
		return ErrNilCollection
	}
	return writeKML(context.Background(), w, name, Collection(fc))
}

// writeKML encodes the Document's opening, then each Placemark as it is made, so that
// the document is never held in memory.
func writeKML(ctx context.Context, w io.Writer, name string, src Features) error {
	s, err := inferSchema(ctx, src)
	if err != nil {
		return err
	}
	schemaID := xmlID(name) + "_schema"
	kmlSchema := kml.NamedSchema(schemaID, name)
	kmlTypes := make([]string, len(s.Columns))
	fields := kmlFieldNames(s)
	for i := range s.Columns {
		kmlTypes[i] = kmlType(s, i)
		kmlSchema.Append(kml.SimpleField(fields[i], kmlTypes[i]))
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(xml.Header)
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	kmlStart := xml.StartElement{Name: xml.Name{Space: kml.Namespace, Local: "kml"}}
	docStart := xml.StartElement{Name: xml.Name{Local: "Document"}}
	if err := enc.EncodeToken(kmlStart); err != nil {
		return fmt.Errorf("export: writing kml: %w", err)
	}
	if err := enc.EncodeToken(docStart); err != nil {
		return fmt.Errorf("export: writing kml: %w", err)
	}
	if err := enc.Encode(kml.Name(name)); err != nil {
		return fmt.Errorf("export: writing kml: %w", err)
	}
	if err := enc.Encode(kmlSchema); err != nil {
		return fmt.Errorf("export: writing kml: %w", err)
	}
	err = each(ctx, src, func(i int, f *geojson.Feature) error {
		pm := kml.Placemark()
		title := propString(f, schema.Name)
		if title == "" {
			title = cellText(property(f, schema.ID))
		}
		if title != "" {
			pm.Append(kml.Name(title))
		}
		if q := propString(f, schema.Quote); q != "" {
			pm.Append(kml.Description(q))
		}
		if t := kmlTime(f.Properties); t != nil {
			pm.Append(t)
		}
		sd := kml.SchemaData("#" + schemaID)
		for j, v := range s.Row(f) {
			if v == nil {
				continue
			}
			sd.Append(kml.SimpleData(fields[j], kmlText(v, kmlTypes[j])))
		}
		pm.Append(kml.ExtendedData(sd))
		if f.Geometry != nil && !isEmpty(f.Geometry) {
			g, err := toGeom(f.Geometry)
			if err != nil {
				return fmt.Errorf("export: feature %d: %w", i, err)
			}
			e, err := kmlgeom.Encode(g)
			if err != nil {
				return fmt.Errorf("export: feature %d: %w: %v", i, ErrGeometry, err)
			}
			pm.Append(e)
		}
		if err := enc.Encode(pm); err != nil {
			return fmt.Errorf("export: writing kml: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := enc.EncodeToken(docStart.End()); err != nil {
		return fmt.Errorf("export: writing kml: %w", err)
	}
	if err := enc.EncodeToken(kmlStart.End()); err != nil {
		return fmt.Errorf("export: writing kml: %w", err)
	}
	if err := enc.Flush(); err != nil {
		return fmt.Errorf("export: writing kml: %w", err)
	}
	bw.WriteString("\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: writing kml: %w", err)
	}
	return nil
}

// kmlReserved are the fields GDAL's LIBKML driver makes from a Placemark's own
// elements; a column of the same name (in any case) would be hidden by them.
var kmlReserved = []string{"name", "description", "timestamp", "begin", "end", "altitudemode",
	"tessellate", "extrude", "visibility", "draworder", "icon"}

// kmlFieldNames returns the SimpleField names: the column names, with a numeric suffix
// for those that collide with kmlReserved (end becomes end_2).
func kmlFieldNames(s Schema) []string {
	reserved, taken := map[string]bool{}, map[string]bool{}
	for _, r := range kmlReserved {
		reserved[r], taken[r] = true, true
	}
	for _, c := range s.Columns {
		taken[strings.ToLower(c.Name)] = true
	}
	out := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		out[i] = c.Name
		if reserved[strings.ToLower(c.Name)] {
			out[i] = uniqueName(taken, c.Name)
		}
	}
	return out
}

func propString(f *geojson.Feature, key string) string {
	s, _ := f.Properties[key].(string)
	return strings.TrimSpace(s)
}

// kmlType maps a column to a KML SimpleField type: INTEGER to int when every value fits
// 32 bits (double otherwise), REAL to double, BOOLEAN to bool, the rest to string.
func kmlType(s Schema, i int) string {
	c := s.Columns[i]
	switch c.Type {
	case Integer:
		if s.wide[c.Key] {
			return "double"
		}
		return "int"
	case Real:
		return "double"
	case Boolean:
		return "bool"
	}
	return "string"
}

func kmlText(v any, typ string) string {
	if b, ok := v.(bool); ok && typ == "bool" {
		if b {
			return "1"
		}
		return "0"
	}
	return cellText(v)
}

// xmlID turns s into an XML NCName usable as an id attribute.
func xmlID(s string) string {
	var b strings.Builder
	for i, r := range s {
		ok := r == '_' || r == '-' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if i == 0 && (r == '-' || r == '.' || r >= '0' && r <= '9') {
			b.WriteByte('_')
		}
		if ok {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// timeElement is a KML time element whose text is an ISO 8601 value at its own
// precision (2023, 2023-09, 2023-09-25 or a date-time), as KML allows.
type timeElement struct {
	tag, value string
}

func (e timeElement) MarshalXML(enc *xml.Encoder, _ xml.StartElement) error {
	start := xml.StartElement{Name: xml.Name{Local: e.tag}}
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	if err := enc.EncodeToken(xml.CharData(e.value)); err != nil {
		return err
	}
	return enc.EncodeToken(start.End())
}

// kmlTime returns a TimeStamp or TimeSpan for the feature's time (schema.FeatureSpan:
// from the start of date to the end of date_end), or nil when it has no date value.
func kmlTime(props geojson.Properties) kml.Element {
	s, ok := schema.FeatureSpan(props)
	if !ok {
		return nil
	}
	begin := kmlValue(s.First, false)
	if !s.Last.End.Equal(s.First.End) || s.First.Granularity == schema.Week {
		return kml.TimeSpan(timeElement{"begin", begin}, timeElement{"end", kmlValue(s.Last, true)})
	}
	return kml.TimeStamp(timeElement{"when", begin})
}

// kmlValue writes the start of iv at its precision (2023, 2023-09, 2023-09-25 or a
// date-time; a week as its Monday) or, when last, the last day of iv (the end instant
// for an hour), so that an end never reads as the start of a coarse period.
func kmlValue(iv schema.Interval, last bool) string {
	if iv.Granularity == schema.Hour {
		if last {
			return iv.End.Format(time.RFC3339)
		}
		return iv.Start.Format(time.RFC3339)
	}
	if last {
		return iv.End.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	switch iv.Granularity {
	case schema.Year:
		return iv.Start.Format("2006")
	case schema.Month:
		return iv.Start.Format("2006-01")
	}
	return iv.Start.Format(time.DateOnly)
}
