package export

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/twpayne/go-geom/encoding/wkb"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver "sqlite"
)

// GeoPackage constants. The files are GeoPackage 1.2 (OGC 12-128r15): the lowest
// version with everything they use (the gpkg_schema extension for JSON columns, the
// R-tree index), which GDAL 3.0 and later (QGIS, ArcGIS Pro) open without a warning.
// GDAL before 3.7 warns on every open of a 1.4 file.
const (
	gpkgApplicationID = 0x47504B47 // "GPKG"
	gpkgUserVersion   = 10200
	srsWGS84          = 4326
)

const wgs84WKT = `GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]`

// Layer is one named feature collection of a multi-layer GeoPackage: Features, or
// Source when Features is nil.
type Layer struct {
	Name     string
	Features *geojson.FeatureCollection
	Source   Features
}

// source returns the layer's features.
func (l Layer) source() Features {
	if l.Features != nil {
		return Collection(l.Features)
	}
	return l.Source
}

// WriteGeoPackage writes fc as the single feature table layerName of a new GeoPackage
// at path, replacing any file there atomically.
func WriteGeoPackage(path, layerName string, fc *geojson.FeatureCollection) error {
	return WriteGeoPackageLayers(path, []Layer{{Name: layerName, Features: fc}})
}

// WriteGeoPackageLayers writes each layer as a feature table of a new GeoPackage at
// path, in the given order, replacing any file there atomically: the GeoPackage is
// built in a temporary file in the same directory and renamed into place.
func WriteGeoPackageLayers(path string, layers []Layer) error {
	return writeGeoPackageLayers(context.Background(), path, layers)
}

func writeGeoPackageLayers(ctx context.Context, path string, layers []Layer) error {
	if len(layers) == 0 {
		return ErrNoLayers
	}
	names := map[string]bool{}
	for _, l := range layers {
		if err := checkLayerName(l.Name); err != nil {
			return err
		}
		if l.source() == nil {
			return fmt.Errorf("%w: layer %q", ErrNilCollection, l.Name)
		}
		if names[strings.ToLower(l.Name)] {
			return fmt.Errorf("%w: %q", ErrDuplicateLayer, l.Name)
		}
		names[strings.ToLower(l.Name)] = true
	}

	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	ok := false
	defer func() {
		if !ok {
			os.Remove(tmpName)
			os.Remove(tmpName + "-journal")
		}
	}()
	if err := writeGeoPackageFile(ctx, tmpName, layers); err != nil {
		return err
	}
	if err := os.Chmod(tmpName, 0o644); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	ok = true
	return nil
}

func checkLayerName(name string) error {
	lower := strings.ToLower(name)
	if strings.TrimSpace(name) == "" || strings.HasPrefix(lower, "gpkg_") || strings.HasPrefix(lower, "rtree_") ||
		strings.HasPrefix(lower, "sqlite_") || strings.ContainsRune(name, 0) {
		return fmt.Errorf("%w: %q", ErrLayerName, name)
	}
	return nil
}

// quote quotes an SQL identifier.
func quote(id string) string {
	return `"` + strings.ReplaceAll(id, `"`, `""`) + `"`
}

var gpkgCoreSQL = []string{
	`PRAGMA application_id = 1196444487`,
	fmt.Sprintf(`PRAGMA user_version = %d`, gpkgUserVersion),
	`CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT)`,
	`CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`,
	`CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))`,
	`CREATE TABLE gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))`,
	`CREATE TABLE gpkg_data_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  name TEXT,
  title TEXT,
  description TEXT,
  mime_type TEXT,
  constraint_name TEXT,
  CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name),
  CONSTRAINT gdc_tn UNIQUE (table_name, name))`,
	`CREATE TABLE gpkg_data_column_constraints (
  constraint_name TEXT NOT NULL,
  constraint_type TEXT NOT NULL,
  value TEXT,
  min NUMERIC,
  min_is_inclusive BOOLEAN,
  max NUMERIC,
  max_is_inclusive BOOLEAN,
  description TEXT,
  CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value))`,
	`INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326, '` + wgs84WKT + `', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')`,
	`INSERT INTO gpkg_extensions VALUES
  ('gpkg_data_columns', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec120/#extension_schema', 'read-write'),
  ('gpkg_data_column_constraints', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec120/#extension_schema', 'read-write')`,
}

func writeGeoPackageFile(ctx context.Context, path string, layers []Layer) (err error) {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return fmt.Errorf("export: open geopackage: %w", err)
	}
	defer func() {
		if cerr := db.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("export: close geopackage: %w", cerr)
		}
	}()
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("export: open geopackage: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA journal_mode = DELETE`); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	for _, q := range gpkgCoreSQL {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("export: creating geopackage tables: %w", err)
		}
	}
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	for _, l := range layers {
		if err := writeLayer(ctx, tx, l, now); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("export: commit geopackage: %w", err)
	}
	return nil
}

func writeLayer(ctx context.Context, tx *sql.Tx, l Layer, now string) error {
	src := l.source()
	s, err := inferSchema(ctx, src)
	if err != nil {
		return err
	}
	fid, geomCol := s.Unique("fid"), s.Unique("geom")
	if strings.EqualFold(fid, geomCol) {
		geomCol = s.Unique("geometry")
	}
	var gs []orb.Geometry
	if err := each(ctx, src, func(_ int, f *geojson.Feature) error { gs = append(gs, f.Geometry); return nil }); err != nil {
		return err
	}
	gtype := geometryTypeName(gs)
	gs = nil
	t := quote(l.Name)

	cols := []string{quote(fid) + " INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL", quote(geomCol) + " " + gtype}
	for _, c := range s.Columns {
		typ := string(c.Type)
		if c.Type == JSON {
			typ = "TEXT"
		}
		cols = append(cols, quote(c.Name)+" "+typ)
	}
	if _, err := tx.ExecContext(ctx, "CREATE TABLE "+t+" (\n  "+strings.Join(cols, ",\n  ")+")"); err != nil {
		return fmt.Errorf("export: layer %q: %w", l.Name, err)
	}
	rtree := quote("rtree_" + l.Name + "_" + geomCol)
	if _, err := tx.ExecContext(ctx, "CREATE VIRTUAL TABLE "+rtree+" USING rtree(id, minx, maxx, miny, maxy)"); err != nil {
		return fmt.Errorf("export: layer %q: spatial index: %w", l.Name, err)
	}

	names := make([]string, 0, len(s.Columns)+2)
	marks := make([]string, 0, len(s.Columns)+2)
	names = append(names, quote(fid), quote(geomCol))
	marks = append(marks, "?", "?")
	for _, c := range s.Columns {
		names = append(names, quote(c.Name))
		marks = append(marks, "?")
	}
	ins, err := tx.PrepareContext(ctx, "INSERT INTO "+t+" ("+strings.Join(names, ", ")+") VALUES ("+strings.Join(marks, ", ")+")")
	if err != nil {
		return fmt.Errorf("export: layer %q: %w", l.Name, err)
	}
	defer ins.Close()
	insRtree, err := tx.PrepareContext(ctx, "INSERT INTO "+rtree+" VALUES (?, ?, ?, ?, ?)")
	if err != nil {
		return fmt.Errorf("export: layer %q: %w", l.Name, err)
	}
	defer insRtree.Close()

	var extent orb.Bound
	hasExtent := false
	args := make([]any, len(s.Columns)+2)
	var buf []byte
	var id int64
	err = each(ctx, src, func(i int, f *geojson.Feature) error {
		id++
		args[0] = id
		args[1] = nil
		var b orb.Bound
		empty := isEmpty(f.Geometry)
		if f.Geometry != nil {
			var err error
			if buf, b, err = gpkgBlob(buf[:0], promote(f.Geometry, gtype)); err != nil {
				return fmt.Errorf("export: layer %q feature %d: %w", l.Name, i, err)
			}
			args[1] = buf
		}
		for j, v := range s.Row(f) {
			args[j+2] = sqlValue(v)
		}
		if _, err := ins.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("export: layer %q feature %d: %w", l.Name, i, err)
		}
		if f.Geometry == nil || empty {
			return nil
		}
		if _, err := insRtree.ExecContext(ctx, id, b.Min[0], b.Max[0], b.Min[1], b.Max[1]); err != nil {
			return fmt.Errorf("export: layer %q feature %d: spatial index: %w", l.Name, i, err)
		}
		if hasExtent {
			extent = extent.Union(b)
		} else {
			extent, hasExtent = b, true
		}
		return nil
	})
	if err != nil {
		return err
	}

	var minX, minY, maxX, maxY any
	if hasExtent {
		minX, minY, maxX, maxY = extent.Min[0], extent.Min[1], extent.Max[0], extent.Max[1]
	}
	meta := []struct {
		q    string
		args []any
	}{
		{`INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id)
		  VALUES (?, 'features', ?, '', ?, ?, ?, ?, ?, ?)`, []any{l.Name, l.Name, now, minX, minY, maxX, maxY, srsWGS84}},
		{`INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)`, []any{l.Name, geomCol, gtype, srsWGS84}},
		{`INSERT INTO gpkg_extensions VALUES (?, ?, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')`, []any{l.Name, geomCol}},
	}
	for _, c := range s.Columns {
		if c.Type == JSON {
			meta = append(meta, struct {
				q    string
				args []any
			}{`INSERT INTO gpkg_data_columns (table_name, column_name, name, mime_type) VALUES (?, ?, ?, 'application/json')`, []any{l.Name, c.Name, c.Name}})
		}
	}
	for _, m := range meta {
		if _, err := tx.ExecContext(ctx, m.q, m.args...); err != nil {
			return fmt.Errorf("export: layer %q: %w", l.Name, err)
		}
	}
	for _, q := range rtreeTriggers(l.Name, geomCol, fid) {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("export: layer %q: spatial index trigger: %w", l.Name, err)
		}
	}
	return nil
}

// sqlValue maps a Row value to what is stored: booleans as 0/1, DATETIME as
// YYYY-MM-DDTHH:MM:SS.SSSZ.
func sqlValue(v any) any {
	switch x := v.(type) {
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	return v
}

// gpkgBlob appends the GeoPackage binary encoding of g to dst: the header (magic "GP",
// version 0, flags for little-endian with an [minx, maxx, miny, maxy] envelope, or the
// empty flag without envelope, srs_id 4326) followed by the little-endian WKB.
func gpkgBlob(dst []byte, g orb.Geometry) ([]byte, orb.Bound, error) {
	gg, err := toGeom(g)
	if err != nil {
		return nil, orb.Bound{}, err
	}
	body, err := wkb.Marshal(gg, binary.LittleEndian)
	if err != nil {
		return nil, orb.Bound{}, fmt.Errorf("%w: %v", ErrGeometry, err)
	}
	empty := isEmpty(g)
	flags := byte(0x01) // little-endian header values
	if empty {
		flags |= 0x10
	} else {
		flags |= 0x02 // envelope [minx, maxx, miny, maxy]
	}
	dst = append(dst, 'G', 'P', 0, flags)
	dst = binary.LittleEndian.AppendUint32(dst, srsWGS84)
	var b orb.Bound
	if !empty {
		b = g.Bound()
		for _, v := range []float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
		}
	}
	return append(dst, body...), b, nil
}

// rtreeTriggers returns the triggers of the gpkg_rtree_index extension as GeoPackage 1.2
// defines them (insert, update1 to update4, delete), which keep the index current when
// another program edits the table.
func rtreeTriggers(table, col, id string) []string {
	r := strings.NewReplacer("<t>", quote(table), "<c>", quote(col), "<i>", quote(id),
		"<r>", quote("rtree_"+table+"_"+col), "<n>", strings.ReplaceAll("rtree_"+table+"_"+col, `"`, `""`))
	tpl := []string{
		`CREATE TRIGGER "<n>_insert" AFTER INSERT ON <t> WHEN (new.<c> NOT NULL AND NOT ST_IsEmpty(NEW.<c>))
BEGIN INSERT OR REPLACE INTO <r> VALUES (NEW.<i>, ST_MinX(NEW.<c>), ST_MaxX(NEW.<c>), ST_MinY(NEW.<c>), ST_MaxY(NEW.<c>)); END`,
		`CREATE TRIGGER "<n>_update1" AFTER UPDATE OF <c> ON <t> WHEN OLD.<i> = NEW.<i> AND (NEW.<c> NOTNULL AND NOT ST_IsEmpty(NEW.<c>))
BEGIN INSERT OR REPLACE INTO <r> VALUES (NEW.<i>, ST_MinX(NEW.<c>), ST_MaxX(NEW.<c>), ST_MinY(NEW.<c>), ST_MaxY(NEW.<c>)); END`,
		`CREATE TRIGGER "<n>_update2" AFTER UPDATE OF <c> ON <t> WHEN OLD.<i> = NEW.<i> AND (NEW.<c> ISNULL OR ST_IsEmpty(NEW.<c>))
BEGIN DELETE FROM <r> WHERE id = OLD.<i>; END`,
		`CREATE TRIGGER "<n>_update3" AFTER UPDATE OF <c> ON <t> WHEN OLD.<i> != NEW.<i> AND (NEW.<c> NOTNULL AND NOT ST_IsEmpty(NEW.<c>))
BEGIN DELETE FROM <r> WHERE id = OLD.<i>; INSERT OR REPLACE INTO <r> VALUES (NEW.<i>, ST_MinX(NEW.<c>), ST_MaxX(NEW.<c>), ST_MinY(NEW.<c>), ST_MaxY(NEW.<c>)); END`,
		`CREATE TRIGGER "<n>_update4" AFTER UPDATE ON <t> WHEN OLD.<i> != NEW.<i> AND (NEW.<c> ISNULL OR ST_IsEmpty(NEW.<c>))
BEGIN DELETE FROM <r> WHERE id IN (OLD.<i>, NEW.<i>); END`,
		`CREATE TRIGGER "<n>_delete" AFTER DELETE ON <t> WHEN old.<c> NOT NULL
BEGIN DELETE FROM <r> WHERE id = OLD.<i>; END`,
	}
	out := make([]string, len(tpl))
	for i, q := range tpl {
		out[i] = r.Replace(q)
	}
	return out
}
