package postgis_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"newsmap/geo/layerstore"
	"newsmap/geo/postgis"
	"newsmap/geo/postgis/pgtest"
)

// testDB connects to a database of its own in the throw-away cluster (pgtest).
func testDB(t *testing.T) *pgx.Conn {
	t.Helper()
	return connect(t, pgtest.DB(t))
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := postgis.Connect(ctx, url, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func open(t *testing.T, dir string) []*layerstore.Layer {
	t.Helper()
	st, err := layerstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return st.Layers()
}

// sameCollection compares two FeatureCollections: ids, properties (as JSON values) and
// coordinates to 1e-9 degrees, in order.
func sameCollection(t *testing.T, name string, want, got []byte) {
	t.Helper()
	a, err := geojson.UnmarshalFeatureCollection(want)
	if err != nil {
		t.Fatal(err)
	}
	b, err := geojson.UnmarshalFeatureCollection(got)
	if err != nil {
		t.Fatalf("%s: read back: %v\n%s", name, err, got)
	}
	if len(a.Features) != len(b.Features) {
		t.Fatalf("%s: %d features read back, want %d", name, len(b.Features), len(a.Features))
	}
	for i := range a.Features {
		fa, fb := a.Features[i], b.Features[i]
		if layerstore.FeatureID(fa) != layerstore.FeatureID(fb) {
			t.Errorf("%s[%d]: id %q, want %q", name, i, layerstore.FeatureID(fb), layerstore.FeatureID(fa))
		}
		pa, _ := json.Marshal(fa.Properties)
		pb, _ := json.Marshal(fb.Properties)
		var va, vb any
		json.Unmarshal(pa, &va)
		json.Unmarshal(pb, &vb)
		if !reflect.DeepEqual(va, vb) {
			t.Errorf("%s[%d]: properties\n got %s\nwant %s", name, i, pb, pa)
		}
		if !sameGeometry(fa.Geometry, fb.Geometry) {
			t.Errorf("%s[%d]: geometry %v, want %v", name, i, fb.Geometry, fa.Geometry)
		}
	}
}

func sameGeometry(a, b orb.Geometry) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	ja, _ := json.Marshal(geojson.NewGeometry(a))
	jb, _ := json.Marshal(geojson.NewGeometry(b))
	var va, vb any
	json.Unmarshal(ja, &va)
	json.Unmarshal(jb, &vb)
	return approx(va, vb)
}

func approx(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && math.Abs(x-y) < 1e-9
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !approx(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k := range x {
			if !approx(x[k], y[k]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

func TestWriteRead(t *testing.T) {
	conn := testDB(t)
	ctx := context.Background()
	layers := open(t, "../layerstore/testdata/layers")
	build, err := postgis.Write(ctx, conn, layers)
	if err != nil {
		t.Fatal(err)
	}
	got, gotBuild, err := postgis.Read(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	if gotBuild != build || len(got) != len(layers) {
		t.Fatalf("read build %d with %d layers, wrote build %d with %d", gotBuild, len(got), build, len(layers))
	}
	for i, l := range layers {
		if got[i].Name != l.Name() || got[i].Title != l.Title() {
			t.Errorf("layer %d: %s %q, want %s %q", i, got[i].Name, got[i].Title, l.Name(), l.Title())
		}
		raw, _ := l.GeoJSON()
		sameCollection(t, l.Name(), raw, got[i].GeoJSON) // in the file's order
	}

	// The tables are what analysts open: typed columns, geometry(TYPE, 4326), indexes.
	var typ string
	var srid int
	if err := conn.QueryRow(ctx, `SELECT type, srid FROM geometry_columns WHERE f_table_schema = 'newsmap' AND f_table_name = 'mentions'`).Scan(&typ, &srid); err != nil {
		t.Fatal(err)
	}
	if typ != "POINT" || srid != 4326 {
		t.Errorf("mentions geometry %s %d, want POINT 4326", typ, srid)
	}
	if err := conn.QueryRow(ctx, `SELECT type FROM geometry_columns WHERE f_table_schema = 'newsmap' AND f_table_name = 'regions'`).Scan(&typ); err != nil || typ != "POLYGON" {
		t.Errorf("regions geometry %s %v, want POLYGON", typ, err)
	}
	cols := map[string]string{}
	rows, _ := conn.Query(ctx, `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'newsmap' AND table_name = 'mentions'`)
	for rows.Next() {
		var c, d string
		rows.Scan(&c, &d)
		cols[c] = d
	}
	for c, want := range map[string]string{"id": "text", "name": "text", "confidence": "double precision",
		"geonames_id": "bigint", "props": "jsonb", "valid": "tstzrange", "geom": "USER-DEFINED"} {
		if cols[c] != want {
			t.Errorf("mentions.%s is %q, want %q (columns %v)", c, cols[c], want, cols)
		}
	}
	var gist int
	conn.QueryRow(ctx, `SELECT count(*) FROM pg_indexes WHERE schemaname = 'newsmap' AND tablename = 'mentions' AND indexdef LIKE '%USING gist%'`).Scan(&gist)
	if gist != 2 {
		t.Errorf("mentions has %d GiST indexes, want 2 (geom, valid)", gist)
	}
	// Filters run in SQL: a bbox and a day.
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM newsmap.mentions
		WHERE geom && ST_MakeEnvelope(46, 39, 47.5, 40.5, 4326) AND valid && tstzrange('2023-09-24', '2023-09-25')`).Scan(&n); err != nil || n == 0 {
		t.Errorf("bbox + day query: %d rows, %v", n, err)
	}
}

// TestWriteIsAtomic: a build that fails half-way leaves the previous one whole.
func TestWriteIsAtomic(t *testing.T) {
	url := pgtest.DB(t)
	conn := connect(t, url)
	ctx := context.Background()
	layers := open(t, "../layerstore/testdata/layers")
	if _, err := postgis.Write(ctx, conn, layers); err != nil {
		t.Fatal(err)
	}
	before, build, err := postgis.Read(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := postgis.Write(cctx, conn, layers[:1]); err == nil {
		t.Fatal("a cancelled build succeeded")
	}
	conn = connect(t, url) // the cancelled one closed its connection
	after, build2, err := postgis.Read(ctx, conn)
	if err != nil || build2 != build || len(after) != len(before) {
		t.Fatalf("after a failed build: build %d (was %d), %d layers (was %d), %v", build2, build, len(after), len(before), err)
	}
	// A smaller build drops the layers it no longer has.
	if _, err := postgis.Write(ctx, conn, layers[:1]); err != nil {
		t.Fatal(err)
	}
	after, _, err = postgis.Read(ctx, conn)
	if err != nil || len(after) != 1 {
		t.Fatalf("after a one-layer build: %d layers, %v", len(after), err)
	}
}

func TestUnavailable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := postgis.Connect(ctx, "postgres://nobody@127.0.0.1:1/none", time.Second)
	if !errors.Is(err, postgis.ErrUnavailable) {
		t.Errorf("closed port: %v, want ErrUnavailable", err)
	}
}

// TestWriteLongName: a layer name of 64 bytes (valid for a layer file) does not fit a
// PostgreSQL identifier, which would cut it; Write refuses it before it opens a
// transaction (no database is needed to see it).
func TestWriteLongName(t *testing.T) {
	dir := t.TempDir()
	name := "a" + strings.Repeat("b", postgis.MaxNameBytes)
	if !layerstore.ValidName(name) {
		t.Fatalf("%d-byte name is not a valid layer name", len(name))
	}
	src, err := os.ReadFile("../layerstore/testdata/layers/routes.geojson")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".geojson"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = postgis.Write(context.Background(), nil, open(t, dir))
	if !errors.Is(err, postgis.ErrLongName) {
		t.Fatalf("Write of a %d-byte layer name: %v, want ErrLongName", len(name), err)
	}
}
