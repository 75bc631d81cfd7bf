package export

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"
)

func openGPKG(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func queryInt(t *testing.T, db *sql.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestGeoPackage(t *testing.T) {
	fc := fixture(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "layers.gpkg")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteGeoPackage(path, "mentions", fc); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("files left beside the GeoPackage: %v", ents)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// SQLite header: application_id at offset 68, user_version at offset 60 (big-endian).
	if id := binary.BigEndian.Uint32(raw[68:]); id != 0x47504B47 {
		t.Errorf("application_id = %#x, want 0x47504B47 (GPKG)", id)
	}
	if v := binary.BigEndian.Uint32(raw[60:]); v != 10200 {
		t.Errorf("user_version = %d, want 10200 (GeoPackage 1.2)", v)
	}

	db := openGPKG(t, path)
	for _, q := range []struct {
		sql  string
		want int64
	}{
		{`SELECT count(*) FROM gpkg_spatial_ref_sys WHERE srs_id IN (-1, 0, 4326)`, 3},
		{`SELECT count(*) FROM gpkg_contents WHERE table_name = 'mentions' AND data_type = 'features' AND srs_id = 4326 AND last_change LIKE '____-__-__T__:__:__.___Z'`, 1},
		{`SELECT count(*) FROM gpkg_contents WHERE min_x = 43.5 AND min_y = 39 AND max_x = 46.7528 AND max_y = 41.3`, 1},
		{`SELECT count(*) FROM gpkg_geometry_columns WHERE table_name = 'mentions' AND column_name = 'geom' AND geometry_type_name = 'GEOMETRY' AND srs_id = 4326`, 1},
		{`SELECT count(*) FROM gpkg_extensions WHERE table_name = 'mentions' AND column_name = 'geom' AND extension_name = 'gpkg_rtree_index'`, 1},
		{`SELECT count(*) FROM gpkg_data_columns WHERE table_name = 'mentions' AND mime_type = 'application/json'`, 4},
		{`SELECT count(*) FROM mentions`, 5},
		{`SELECT count(*) FROM rtree_mentions_geom`, 5},
		{`SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'mentions'`, 6},
		// GeoPackage 1.2's R-tree triggers, not 1.4's (update5 to update7)
		{`SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'mentions' AND name IN
		  ('rtree_mentions_geom_insert', 'rtree_mentions_geom_update1', 'rtree_mentions_geom_update2',
		   'rtree_mentions_geom_update3', 'rtree_mentions_geom_update4', 'rtree_mentions_geom_delete')`, 6},
		{`SELECT count(*) FROM gpkg_extensions WHERE definition NOT LIKE 'http://www.geopackage.org/spec120/#%'`, 0},
		{`SELECT count(*) FROM rtree_mentions_geom r JOIN mentions m ON m.fid = r.id WHERE m.id = 'r1' AND r.minx <= 44.5 AND r.maxx >= 46.75 AND r.miny <= 39.8 AND r.maxy >= 40.2`, 1},
		{`SELECT count(*) FROM rtree_mentions_geom WHERE minx <= 45.1 AND maxx >= 45.1 AND miny <= 40.3 AND maxy >= 40.3`, 2},
		{`SELECT verified FROM mentions WHERE id = 'a1:10'`, 1},
		{`SELECT geonames_id FROM mentions WHERE id = 'a1:10'`, 616052},
		{`SELECT count(*) FROM mentions WHERE published = '2023-09-25' AND date_start = '2023-09-18T00:00:00.000Z'`, 1},
	} {
		if got := queryInt(t, db, q.sql); got != q.want {
			t.Errorf("%s = %d, want %d", q.sql, got, q.want)
		}
	}

	// Column types.
	rows, err := db.Query(`SELECT name, type, pk FROM pragma_table_info('mentions')`)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]string{}
	for rows.Next() {
		var name, typ string
		var pk int
		if err := rows.Scan(&name, &typ, &pk); err != nil {
			t.Fatal(err)
		}
		types[name] = typ
		if (pk == 1) != (name == "fid") {
			t.Errorf("primary key column %s pk=%d", name, pk)
		}
	}
	rows.Close()
	for name, want := range map[string]string{
		"fid": "INTEGER", "geom": "GEOMETRY", "id": "TEXT", "confidence": "REAL", "geonames_id": "INTEGER",
		"published": "DATE", "date": "TEXT", "date_start": "DATETIME", "date_end_start": "DATE",
		"verified": "BOOLEAN", "alternatives": "TEXT", "meta": "TEXT",
	} {
		if types[name] != want {
			t.Errorf("column %s type %q, want %q", name, types[name], want)
		}
	}

	// Geometry blobs: GP header with envelope, then WKB equal to the input geometry.
	rows, err = db.Query(`SELECT id, geom FROM mentions ORDER BY fid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		var id string
		var blob []byte
		if err := rows.Scan(&id, &blob); err != nil {
			t.Fatal(err)
		}
		f := fc.Features[i]
		i++
		if string(blob[:2]) != "GP" || blob[2] != 0 || blob[3] != 0x03 {
			t.Fatalf("%s: header %x", id, blob[:8])
		}
		if srs := binary.LittleEndian.Uint32(blob[4:]); srs != 4326 {
			t.Errorf("%s: srs_id %d", id, srs)
		}
		var env [4]float64
		for k := range env {
			env[k] = math.Float64frombits(binary.LittleEndian.Uint64(blob[8+8*k:]))
		}
		b := f.Geometry.Bound()
		if env != [4]float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
			t.Errorf("%s: envelope %v, want %v", id, env, b)
		}
		g, err := wkb.Unmarshal(blob[40:])
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		want, _ := toGeom(f.Geometry)
		if fmt.Sprint(g.FlatCoords()) != fmt.Sprint(want.FlatCoords()) || fmt.Sprintf("%T", g) != fmt.Sprintf("%T", want) {
			t.Errorf("%s: geometry %T %v, want %T %v", id, g, g.FlatCoords(), want, want.FlatCoords())
		}
	}
	if i != len(fc.Features) {
		t.Errorf("%d rows, want %d", i, len(fc.Features))
	}
}

func TestGeoPackageLayers(t *testing.T) {
	fc := fixture(t)
	points := geojson.NewFeatureCollection()
	polys := geojson.NewFeatureCollection()
	for _, f := range fc.Features {
		switch f.Geometry.(type) {
		case orb.Point:
			points.Append(f)
		case orb.Polygon, orb.MultiPolygon:
			polys.Append(f)
		}
	}
	empty := geojson.NewFeatureCollection()
	nullGeom := geojson.NewFeatureCollection()
	nullGeom.Append(&geojson.Feature{Type: "Feature", Properties: geojson.Properties{"id": "x"}})
	path := filepath.Join(t.TempDir(), "all.gpkg")
	err := WriteGeoPackageLayers(path, []Layer{{Name: "mentions", Features: points}, {Name: "regions", Features: polys}, {Name: "empty", Features: empty}, {Name: `odd "name"`, Features: nullGeom}})
	if err != nil {
		t.Fatal(err)
	}
	db := openGPKG(t, path)
	for _, q := range []struct {
		sql  string
		want int64
	}{
		{`SELECT count(*) FROM gpkg_contents`, 4},
		{`SELECT count(*) FROM gpkg_geometry_columns WHERE table_name = 'mentions' AND geometry_type_name = 'POINT'`, 1},
		{`SELECT count(*) FROM gpkg_geometry_columns WHERE table_name = 'regions' AND geometry_type_name = 'MULTIPOLYGON'`, 1},
		{`SELECT count(*) FROM rtree_regions_geom`, 2},
		{`SELECT count(*) FROM rtree_mentions_geom`, 2},
		{`SELECT count(*) FROM empty`, 0},
		{`SELECT count(*) FROM gpkg_contents WHERE table_name = 'empty' AND min_x IS NULL`, 1},
		{`SELECT count(*) FROM "odd ""name""" WHERE geom IS NULL`, 1},
		{`SELECT count(*) FROM "rtree_odd ""name""_geom"`, 0},
	} {
		if got := queryInt(t, db, q.sql); got != q.want {
			t.Errorf("%s = %d, want %d", q.sql, got, q.want)
		}
	}
	// The polygon was promoted to a multipolygon to match the column type.
	var blob []byte
	if err := db.QueryRow(`SELECT geom FROM regions WHERE id = 'cc:AM'`).Scan(&blob); err != nil {
		t.Fatal(err)
	}
	g, err := wkb.Unmarshal(blob[40:])
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := g.(*geom.MultiPolygon); !ok {
		t.Errorf("cc:AM stored as %T, want *geom.MultiPolygon", g)
	}
}

// pointLayer returns n points with mentions-like properties.
func pointLayer(n int) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for i := range n {
		f := geojson.NewFeature(orb.Point{-180 + float64(i%3600)/10, -80 + float64(i/3600)})
		id := fmt.Sprintf("a%d:%d", i/50, i)
		f.ID = id
		f.Properties = geojson.Properties{
			"id": id, "article_id": fmt.Sprintf("a%d", i/50), "name": fmt.Sprintf("place %d", i),
			"kind": "city", "start": float64(i), "confidence": float64(i%100) / 100,
			"geonames_id": float64(100000 + i), "date": fmt.Sprintf("2023-09-%02d", 1+i%28),
			"alternatives": []any{map[string]any{"name": "x", "score": 0.1}}, "verified": i%2 == 0,
		}
		fc.Append(f)
	}
	return fc
}

func TestGeoPackageManyPoints(t *testing.T) {
	path := filepath.Join(t.TempDir(), "many.gpkg")
	if err := WriteGeoPackage(path, "mentions", pointLayer(2000)); err != nil {
		t.Fatal(err)
	}
	db := openGPKG(t, path)
	if n := queryInt(t, db, `SELECT count(*) FROM rtree_mentions_geom`); n != 2000 {
		t.Errorf("rtree rows = %d", n)
	}
}

func BenchmarkWriteGeoPackage10k(b *testing.B) {
	fc := pointLayer(10000)
	path := filepath.Join(b.TempDir(), "bench.gpkg")
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteGeoPackage(path, "mentions", fc); err != nil {
			b.Fatal(err)
		}
	}
}
