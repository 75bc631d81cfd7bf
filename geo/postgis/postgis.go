// Package postgis keeps the layers in PostGIS, the store that several newsmap replicas
// and analysts (QGIS, psql) share.
//
// Write puts one build's layers into the schema "newsmap", one table per layer, in one
// transaction: readers see the previous build until it commits, then the whole new one.
// Each table has the feature id as primary key, one typed column per property (text,
// bigint, double precision, boolean, or jsonb for arrays and objects), the whole
// properties as jsonb (props), the geometry as geometry(TYPE, 4326) with a GiST index,
// and the feature's time as a tstzrange (valid) with a GiST index; _pos (the position in
// id order), _search and _articles are what queries match on, as layerstore computes
// them. newsmap.layers lists the tables with the metadata of each layer (title, count,
// content hash, fields, bounding box, time extent), newsmap.builds the builds.
//
// Store serves the last build as a store.Store (what `newsmap serve -db` serves): every
// query pushed down to SQL through a bounded pool, every query under a deadline, a
// database that is down answered as store.ErrUnavailable. Read returns the layers of the
// last build as GeoJSON FeatureCollections, as written.
package postgis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"newsmap/geo/layerstore"
	"newsmap/geo/store"
)

// Schema is the PostgreSQL schema of the layer tables.
const Schema = "newsmap"

// nextSchema holds a build's tables while it is written (see Write).
const nextSchema = "newsmap_next"

// Sentinel errors.
var (
	// ErrUnavailable wraps errors reaching the database (connection refused, lost,
	// timed out): the caller may retry later. It is of the kind store.ErrUnavailable,
	// which the HTTP layer answers 503.
	ErrUnavailable error = &kindError{"postgis: database unavailable", store.ErrUnavailable}
	// ErrOldBuild is returned when the last build was written by a newsmap without the
	// metadata a Store serves; newsmap build -db writes a new one.
	ErrOldBuild = errors.New("postgis: build without serving metadata")
	// ErrNoPostGIS is returned when the database lacks the PostGIS extension.
	ErrNoPostGIS = errors.New("postgis: the database has no PostGIS extension (CREATE EXTENSION postgis)")
	// ErrNoBuild is returned by Read when no build was written yet.
	ErrNoBuild = errors.New("postgis: no build in the database yet (newsmap build -db URL)")
	// ErrLongName is a layer whose name is longer than a PostgreSQL identifier
	// (MaxNameBytes): PostgreSQL would cut it, and two such layers could share a table.
	ErrLongName = errors.New("postgis: layer name longer than a PostgreSQL identifier")
)

// MaxNameBytes is the longest layer name that names a table: PostgreSQL's identifiers
// hold 63 bytes (NAMEDATALEN - 1), and layer names may have 64.
const MaxNameBytes = 63

// kindError is an error with its own message that errors.Is also finds as its kind.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// reserved are the table's own columns; properties of these names stay in props only.
// _pos is the feature's position in id order (the order of every answer, and the MVT
// feature id minus one, as in layerstore), _search and _articles what Query.Q and
// Query.Article match (layerstore.KeysOf).
var reserved = map[string]bool{"id": true, "ord": true, "props": true, "geom": true, "valid": true,
	"_pos": true, "_search": true, "_articles": true}

// column is one typed property column.
type column struct {
	name, sqlType, expr string // expr extracts it from the staging row's props
}

func columnsOf(fields []layerstore.Field) []column {
	var cols []column
	for _, f := range fields {
		if reserved[f.Name] {
			continue
		}
		q := quoteLiteral(f.Name)
		c := column{name: f.Name}
		switch f.Type {
		case "string":
			c.sqlType, c.expr = "text", "props->>"+q
		case "integer":
			c.sqlType, c.expr = "bigint", "(props->>"+q+")::bigint"
		case "number":
			c.sqlType, c.expr = "double precision", "(props->>"+q+")::double precision"
		case "boolean":
			c.sqlType, c.expr = "boolean", "(props->>"+q+")::boolean"
		default: // arrays, objects, mixed
			c.sqlType, c.expr = "jsonb", "props->"+q
		}
		cols = append(cols, c)
	}
	return cols
}

// geometryType is the column type for the layer's geometries.
func geometryType(l *layerstore.Layer) string {
	kinds := map[string]bool{}
	for i := range l.Count() {
		switch l.Geometry(i).(type) {
		case nil:
		case orb.Point:
			kinds["Point"] = true
		case orb.LineString:
			kinds["LineString"] = true
		case orb.MultiLineString:
			kinds["MultiLineString"] = true
		case orb.Polygon:
			kinds["Polygon"] = true
		case orb.MultiPolygon:
			kinds["MultiPolygon"] = true
		default:
			kinds["Geometry"] = true
		}
	}
	if len(kinds) == 1 {
		for k := range kinds {
			return k
		}
	}
	// Mixed layers keep each feature's own type, so that they read back as written.
	return "Geometry"
}

func ident(parts ...string) string { return pgx.Identifier(parts).Sanitize() }

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Write stores layers as one build. It replaces the tables of layers of the same name
// and drops the tables of layers no longer built. It returns the build's id.
func Write(ctx context.Context, conn *pgx.Conn, layers []*layerstore.Layer) (int64, error) {
	for _, l := range layers {
		if len(l.Name()) > MaxNameBytes {
			return 0, fmt.Errorf("%w: %q has %d bytes, at most %d fit (rename its file)", ErrLongName, l.Name(), len(l.Name()), MaxNameBytes)
		}
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		return 0, classify(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := setup(ctx, tx); err != nil {
		return 0, err
	}
	var build int64
	if err := tx.QueryRow(ctx, `INSERT INTO newsmap.builds DEFAULT VALUES RETURNING id`).Scan(&build); err != nil {
		return 0, classify(err)
	}
	var old []string
	rows, err := tx.Query(ctx, `SELECT name FROM newsmap.layers`)
	if err != nil {
		return 0, classify(err)
	}
	if old, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return 0, classify(err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM newsmap.layers`); err != nil {
		return 0, classify(err)
	}
	// The new tables are made in the schema newsmap_next and moved into newsmap only at
	// the end, after the old ones are dropped: a DROP locks its table until the commit,
	// so that servers reading the old build wait for the last moments of the
	// transaction, not for the whole of it.
	if _, err := tx.Exec(ctx, `DROP SCHEMA IF EXISTS newsmap_next CASCADE; CREATE SCHEMA newsmap_next`); err != nil {
		return 0, classify(err)
	}
	for i, l := range layers {
		if err := writeLayer(ctx, tx, l, i); err != nil {
			return 0, fmt.Errorf("postgis: layer %s: %w", l.Name(), err)
		}
	}
	for _, name := range old {
		if _, err := tx.Exec(ctx, "DROP TABLE IF EXISTS "+ident(Schema, name)); err != nil {
			return 0, classify(err)
		}
	}
	for _, l := range layers {
		if _, err := tx.Exec(ctx, "ALTER TABLE "+ident(nextSchema, l.Name())+" SET SCHEMA "+ident(Schema)); err != nil {
			return 0, classify(err)
		}
	}
	if _, err := tx.Exec(ctx, `DROP SCHEMA newsmap_next`); err != nil {
		return 0, classify(err)
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, classify(err)
	}
	return build, nil
}

func setup(ctx context.Context, tx pgx.Tx) error {
	var ok bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis')`).Scan(&ok); err != nil {
		return classify(err)
	}
	if !ok {
		return ErrNoPostGIS
	}
	for _, q := range []string{
		`CREATE SCHEMA IF NOT EXISTS newsmap`,
		`CREATE TABLE IF NOT EXISTS newsmap.builds (id bigserial PRIMARY KEY, built_at timestamptz NOT NULL DEFAULT now())`,
		`CREATE TABLE IF NOT EXISTS newsmap.layers (name text PRIMARY KEY, title text NOT NULL, title_member text,
			feature_count bigint NOT NULL, geometry_type text NOT NULL, position int NOT NULL,
			build bigint NOT NULL REFERENCES newsmap.builds(id))`,
		`ALTER TABLE newsmap.layers ADD COLUMN IF NOT EXISTS title_member text`,
		`ALTER TABLE newsmap.layers ADD COLUMN IF NOT EXISTS hash text`,
		`ALTER TABLE newsmap.layers ADD COLUMN IF NOT EXISTS fields jsonb`,
		`ALTER TABLE newsmap.layers ADD COLUMN IF NOT EXISTS bbox double precision[]`,
		`ALTER TABLE newsmap.layers ADD COLUMN IF NOT EXISTS time_start timestamptz`,
		`ALTER TABLE newsmap.layers ADD COLUMN IF NOT EXISTS time_end timestamptz`,
		// One writer at a time: a second build waits for the first to commit.
		`LOCK TABLE newsmap.builds IN EXCLUSIVE MODE`,
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return classify(err)
		}
	}
	return nil
}

func writeLayer(ctx context.Context, tx pgx.Tx, l *layerstore.Layer, position int) error {
	// The features in the file's order, so that a whole-layer download reads back as
	// written, decoded one at a time (a large layer never lives decoded), and the
	// collection's own title member.
	var title any
	if t, ok := l.TitleMember().(string); ok {
		title = t
	}
	n := l.Count()
	cols := columnsOf(l.Fields())
	gtype := geometryType(l)
	table := ident(nextSchema, l.Name())
	var def, sel strings.Builder
	for _, c := range cols {
		fmt.Fprintf(&def, ", %s %s", ident(c.name), c.sqlType)
		fmt.Fprintf(&sel, ", %s", c.expr)
	}
	geomExpr := "ST_SetSRID(ST_GeomFromGeoJSON(gj), 4326)"
	stmts := []string{
		`CREATE TEMP TABLE newsmap_staging (ord int, pos int, id text, props jsonb, gj text, lo timestamptz, hi timestamptz,
			search text, articles text[]) ON COMMIT DROP`,
		fmt.Sprintf(`CREATE TABLE %s (id text PRIMARY KEY, ord int NOT NULL, _pos int NOT NULL%s, props jsonb NOT NULL,
			geom geometry(%s, 4326), valid tstzrange, _search text NOT NULL, _articles text[])`, table, def.String(), gtype),
	}
	for _, q := range stmts {
		if _, err := tx.Exec(ctx, q); err != nil {
			return classify(err)
		}
	}
	src := &featureRows{l: l}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"newsmap_staging"},
		[]string{"ord", "pos", "id", "props", "gj", "lo", "hi", "search", "articles"}, src); err != nil {
		return classify(err)
	}
	if src.err != nil {
		return src.err
	}
	colNames := ""
	for _, c := range cols {
		colNames += ", " + ident(c.name)
	}
	for _, q := range []string{
		fmt.Sprintf(`INSERT INTO %s (id, ord, _pos%s, props, geom, valid, _search, _articles)
			SELECT id, ord, pos%s, props, CASE WHEN gj IS NULL THEN NULL ELSE %s END,
				CASE WHEN lo IS NULL THEN NULL ELSE tstzrange(lo, hi) END, search, articles
			FROM newsmap_staging ORDER BY ord`, table, colNames, sel.String(), geomExpr),
		fmt.Sprintf(`CREATE INDEX ON %s USING gist (geom)`, table),
		fmt.Sprintf(`CREATE INDEX ON %s USING gist (valid)`, table),
		fmt.Sprintf(`CREATE INDEX ON %s (ord)`, table),
		fmt.Sprintf(`CREATE UNIQUE INDEX ON %s (_pos)`, table),
		`DROP TABLE newsmap_staging`,
		fmt.Sprintf(`ANALYZE %s`, table),
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return classify(err)
		}
	}
	// The metadata the layer computed, so that a server answers the catalogue exactly as
	// from the file without scanning the table.
	fields, err := json.Marshal(l.Fields())
	if err != nil {
		return err
	}
	var bbox []float64
	if b, ok := l.Bound(); ok {
		bbox = []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
	}
	var tlo, thi any
	if iv, ok := l.TimeExtent(); ok {
		tlo, thi = iv.Start, iv.End
	}
	_, err = tx.Exec(ctx, `INSERT INTO newsmap.layers (name, title, title_member, feature_count, geometry_type, position, build,
			hash, fields, bbox, time_start, time_end)
		VALUES ($1, $2, $3, $4, $5, $6, (SELECT max(id) FROM newsmap.builds), $7, $8, $9, $10, $11)`,
		l.Name(), l.Title(), title, n, gtype, position, l.Hash(), string(fields), bbox, tlo, thi)
	return classify(err)
}

// featureRows feeds COPY: ord, id, properties, geometry as GeoJSON, time interval.
type featureRows struct {
	l   *layerstore.Layer
	k   int // the next feature, in the file's order
	row []any
	err error
}

func (r *featureRows) Next() bool {
	if r.err != nil || r.k >= r.l.Count() {
		return false
	}
	pos := r.l.FileOrder(r.k)
	f, err := r.l.FeatureAt(pos)
	if err != nil {
		r.err = err
		return false
	}
	var gj any
	if f.Geometry != nil {
		b, err := geojson.NewGeometry(f.Geometry).MarshalJSON()
		if err != nil {
			r.err = fmt.Errorf("feature %s: %w", layerstore.FeatureID(f), err)
			return false
		}
		gj = string(b)
	}
	props := f.Properties
	if props == nil {
		props = geojson.Properties{}
	}
	k := layerstore.KeysOf(f)
	var lo, hi any
	if k.HasTime {
		lo, hi = k.Time.Start, k.Time.End
	}
	articles := k.Articles
	if articles == nil {
		articles = []string{}
	}
	r.row = []any{r.k, pos, k.ID, map[string]any(props), gj, lo, hi, searchText(k.Search), articles}
	r.k++
	return true
}

func (r *featureRows) Values() ([]any, error) { return r.row, nil }
func (r *featureRows) Err() error             { return r.err }

// searchText is layerstore's search text as PostgreSQL text holds it: NUL, which text
// cannot hold, becomes the unit separator (and so does a NUL in a needle).
func searchText(s string) string { return strings.ReplaceAll(s, "\x00", "\x1f") }

// Layer is one layer as Read returns it.
type Layer struct {
	Name  string
	Title string
	// GeoJSON is the FeatureCollection, features in build order, with the title.
	GeoJSON []byte
}

// Read returns the layers of the last committed build and its id. All reads run in one
// repeatable-read transaction, so a build committing meanwhile is not half seen.
func Read(ctx context.Context, conn *pgx.Conn) ([]Layer, int64, error) {
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, 0, classify(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var build int64
	err = tx.QueryRow(ctx, `SELECT coalesce(max(build), 0) FROM newsmap.layers`).Scan(&build)
	if isUndefinedTable(err) {
		return nil, 0, ErrNoBuild
	}
	if err != nil {
		return nil, 0, classify(err)
	}
	if build == 0 {
		return nil, 0, ErrNoBuild
	}
	rows, err := tx.Query(ctx, `SELECT name, title, title_member FROM newsmap.layers ORDER BY position, name`)
	if err != nil {
		return nil, 0, classify(err)
	}
	type meta struct {
		name, title string
		member      *string
	}
	metas, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (meta, error) {
		var m meta
		return m, r.Scan(&m.name, &m.title, &m.member)
	})
	if err != nil {
		return nil, 0, classify(err)
	}
	out := make([]Layer, 0, len(metas))
	for _, m := range metas {
		b, err := collection(ctx, tx, m.name, m.member)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, Layer{Name: m.name, Title: m.title, GeoJSON: b})
	}
	return out, build, nil
}

// querier runs a query: a transaction, a connection or a pool.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// collection reads the layer table name as the FeatureCollection it was written from:
// the features in the file's order, the collection's title member when it had one.
func collection(ctx context.Context, q querier, name string, member *string) ([]byte, error) {
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection",`)
	if member != nil {
		title, err := json.Marshal(*member)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, `"title":%s,`, title)
	}
	b.WriteString(`"features":[`)
	rows, err := q.Query(ctx, fmt.Sprintf(`SELECT json_build_object('type', 'Feature', 'id', id,
		'geometry', ST_AsGeoJSON(geom, 15)::json, 'properties', props)::text FROM %s ORDER BY ord`, ident(Schema, name)))
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var f string
		if err := rows.Scan(&f); err != nil {
			return nil, classify(err)
		}
		if n > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n")
		b.WriteString(f)
		n++
	}
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	b.WriteString("\n]}\n")
	return []byte(b.String()), nil
}

func isUndefinedTable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "42P01"
}

// classify marks connection problems as ErrUnavailable; other errors pass unchanged.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exception; 57P: operator intervention (shutdown).
		// 57014: query_canceled, which statement_timeout raises: the database is busy.
		if strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P") || pgErr.Code == "57014" {
			return fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
		return err
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	if pgconn.SafeToRetry(err) || errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) || isConnErr(err) {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}

func isConnErr(err error) bool {
	var ce *pgconn.ConnectError
	return errors.As(err, &ce) || strings.Contains(err.Error(), "conn closed") ||
		strings.Contains(err.Error(), "connection refused") || strings.Contains(err.Error(), "unexpected EOF")
}

// Connect opens a connection with a bounded connect time.
func Connect(ctx context.Context, url string, timeout time.Duration) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgis: bad database URL: %w", err)
	}
	cfg.ConnectTimeout = timeout
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return conn, nil
}
