package export

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/paulmach/orb/geojson"
	"github.com/twpayne/go-geom/encoding/wkt"
)

// WriteCSV writes fc as RFC 4180 CSV (CRLF line ends, quoted where needed): a header
// row with every column, then wkt (the geometry as WKT), lon and lat (the point, or a
// representative point on a line or polygon), then one row per feature. Empty cells
// stand for null.
func WriteCSV(w io.Writer, fc *geojson.FeatureCollection) error {
	if fc == nil {
		return ErrNilCollection
	}
	return writeCSV(context.Background(), w, Collection(fc))
}

func writeCSV(ctx context.Context, w io.Writer, src Features) error {
	s, err := inferSchema(ctx, src)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	header := make([]string, 0, len(s.Columns)+3)
	for _, c := range s.Columns {
		header = append(header, c.Name)
	}
	header = append(header, s.Unique("wkt"), s.Unique("lon"), s.Unique("lat"))
	for i := range header {
		header[i] = neutralise(header[i])
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("export: writing csv: %w", err)
	}
	rec := make([]string, len(header))
	err = each(ctx, src, func(i int, f *geojson.Feature) error {
		for j, v := range s.Row(f) {
			rec[j] = neutralise(cellText(v))
		}
		n := len(s.Columns)
		rec[n], rec[n+1], rec[n+2] = "", "", ""
		if f.Geometry != nil {
			g, err := toGeom(f.Geometry)
			if err != nil {
				return fmt.Errorf("export: feature %d: %w", i, err)
			}
			if rec[n], err = wkt.Marshal(g); err != nil {
				return fmt.Errorf("export: feature %d: %w: %v", i, ErrGeometry, err)
			}
			if p, ok := representativePoint(f.Geometry); ok {
				rec[n+1] = strconv.FormatFloat(p[0], 'f', -1, 64)
				rec[n+2] = strconv.FormatFloat(p[1], 'f', -1, 64)
			}
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("export: writing csv: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export: writing csv: %w", err)
	}
	return nil
}

// WriteCSVT writes the GDAL .csvt sidecar of the CSV that WriteCSV writes for fc: one
// line naming the type of each column (String, Integer64, Real, Date, DateTime,
// Integer(Boolean), WKT, CoordX, CoordY), so that GDAL and QGIS read typed fields. JSON
// columns are String, which every GDAL version reads without a warning.
func WriteCSVT(w io.Writer, fc *geojson.FeatureCollection) error {
	if fc == nil {
		return ErrNilCollection
	}
	s := InferSchema(fc)
	types := make([]string, 0, len(s.Columns)+3)
	for _, c := range s.Columns {
		switch c.Type {
		case Integer:
			types = append(types, "Integer64")
		case Real:
			types = append(types, "Real")
		case Date:
			types = append(types, "Date")
		case DateTime:
			types = append(types, "DateTime")
		case Boolean:
			types = append(types, "Integer(Boolean)")
		default:
			types = append(types, "String")
		}
	}
	types = append(types, "WKT", "CoordX", "CoordY")
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(types); err != nil {
		return fmt.Errorf("export: writing csvt: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export: writing csvt: %w", err)
	}
	return nil
}

// neutralise keeps a spreadsheet from running a cell as a formula (CSV injection): a text
// that starts with =, +, -, @, a tab or a carriage return gets a leading apostrophe, as
// OWASP recommends. Numbers ("-12.5", "+3", "1e-3") are left as they are: a spreadsheet
// reads them as the same numbers, and GIS tools need them unchanged.
func neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := strconv.ParseFloat(s, 64); err == nil && s[0] != '\t' && s[0] != '\r' {
			return s
		}
		return "'" + s
	}
	return s
}
