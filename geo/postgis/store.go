package postgis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"newsmap/geo/cache"
	"newsmap/geo/layerstore"
	"newsmap/geo/schema"
	"newsmap/geo/store"
	"newsmap/geo/tiles"
)

// StoreOptions configure a Store. The zero value is usable.
type StoreOptions struct {
	// MaxConns bounds the pool's connections (default 4): requests beyond it wait for a
	// connection within their own deadline.
	MaxConns int32
	// QueryTimeout bounds every query, both as the context's deadline and as the
	// session's statement_timeout (default 10 s); ConnectTimeout bounds connecting
	// (default 5 s).
	QueryTimeout, ConnectTimeout time.Duration
	// Tiles renders the vector tiles (nil: tiles.New(tiles.Options{CacheEntries: -1}));
	// the Store keeps them, per build, in a cache of TileCacheBytes (default 64 MiB).
	Tiles          *tiles.Renderer
	TileCacheBytes int64
	// LayerCacheBytes bounds the whole layers' GeoJSON kept per build (default 256 MiB).
	LayerCacheBytes int64
}

func (o StoreOptions) withDefaults() StoreOptions {
	if o.MaxConns <= 0 {
		o.MaxConns = 4
	}
	if o.QueryTimeout <= 0 {
		o.QueryTimeout = 10 * time.Second
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 5 * time.Second
	}
	if o.Tiles == nil {
		o.Tiles = tiles.New(tiles.Options{CacheEntries: -1})
	}
	if o.TileCacheBytes <= 0 {
		o.TileCacheBytes = 64 << 20
	}
	if o.LayerCacheBytes <= 0 {
		o.LayerCacheBytes = 256 << 20
	}
	return o
}

// Store serves the last build in the database as a store.Store: every query, feature
// and tile is answered by SQL over the layer tables (filters pushed down to the GiST
// indexes), through a bounded pool whose queries all have a deadline. The metadata of
// the build (the catalogue) is read once per build: Refresh (or Watch) looks for a newer
// build. When the database cannot be reached, every method returns an error of the kind
// store.ErrUnavailable, and the Store recovers by itself when it is back.
type Store struct {
	pool  *pgxpool.Pool
	opts  StoreOptions
	cur   atomic.Pointer[buildView]
	down  atomic.Pointer[error] // the last failure to reach the database; nil when up
	mu    sync.Mutex            // one Refresh at a time
	tiles *cache.Cache[tileKey, tiles.Encoded]
	raws  *cache.Cache[layerKey, []byte]
}

type layerKey struct{ name, hash string }

type tileKey struct {
	layer layerKey
	tile  maptile.Tile
}

// buildView is the catalogue of one build.
type buildView struct {
	build  int64
	cat    *store.Catalog
	byName map[string]*pgLayer
}

// OpenStore returns the Store of the database at url. It does not connect: the first
// request (or Refresh) does, so that a server starts while its database is down.
func OpenStore(url string, opts StoreOptions) (*Store, error) {
	opts = opts.withDefaults()
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgis: bad database URL: %w", err)
	}
	cfg.MaxConns = opts.MaxConns
	cfg.MinConns = 0
	cfg.ConnConfig.ConnectTimeout = opts.ConnectTimeout
	if cfg.ConnConfig.RuntimeParams == nil {
		cfg.ConnConfig.RuntimeParams = map[string]string{}
	}
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = strconv.FormatInt(opts.QueryTimeout.Milliseconds(), 10)
	cfg.ConnConfig.RuntimeParams["application_name"] = "newsmap serve"
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, fmt.Errorf("postgis: %w", err)
	}
	return &Store{
		pool: pool, opts: opts,
		tiles: cache.New[tileKey](cache.Options{MaxBytes: opts.TileCacheBytes, MaxEntryBytes: opts.TileCacheBytes / 8},
			func(e tiles.Encoded) int64 { return int64(len(e.MVT) + len(e.Gzip) + 128) }),
		raws: cache.New[layerKey](cache.Options{MaxBytes: opts.LayerCacheBytes}, func(b []byte) int64 { return int64(len(b)) }),
	}, nil
}

// Close closes the pool's connections.
func (s *Store) Close() { s.pool.Close() }

// PoolStats are the pool's connections now.
type PoolStats struct {
	Acquired, Idle, Total, Max int32
}

// PoolStats returns the pool's connections now.
func (s *Store) PoolStats() PoolStats {
	st := s.pool.Stat()
	return PoolStats{Acquired: st.AcquiredConns(), Idle: st.IdleConns(), Total: st.TotalConns(), Max: st.MaxConns()}
}

// Build returns the build the Store serves (0: none yet).
func (s *Store) Build() int64 {
	if v := s.cur.Load(); v != nil {
		return v.build
	}
	return 0
}

// failed records err when it says the database cannot be reached (the pool's idle
// connections are then dropped, so that none outlives a database restart) and returns it.
//
// A query that ran out of time (its deadline, statement_timeout) says the database is
// slow, not gone: it is answered 503 on its own and the others go on; Refresh, whose
// query is one indexed row, counts a timeout as the database being unreachable.
func (s *Store) failed(err error) error {
	if errors.Is(err, ErrUnavailable) && !isTimeout(err) {
		s.markDown(err)
	}
	return err
}

func (s *Store) markDown(err error) {
	if s.down.Swap(&err) == nil {
		s.pool.Reset()
	}
}

// isTimeout reports whether err is a query that ran out of time.
func isTimeout(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "57014"
	}
	var ce *pgconn.ConnectError
	return !errors.As(err, &ce) && (errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err))
}

// Refresh reads the catalogue of the last build when it is newer than the one served;
// changed reports whether it is. An error leaves the build served as it was.
func (s *Store) Refresh(ctx context.Context) (changed bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refresh(ctx)
}

func (s *Store) refresh(ctx context.Context) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.QueryTimeout)
	defer cancel()
	var build int64
	err := s.pool.QueryRow(ctx, `SELECT coalesce(max(build), 0) FROM newsmap.layers`).Scan(&build)
	if isUndefinedTable(err) {
		s.down.Store(nil)
		return false, ErrNoBuild
	}
	if err != nil {
		err = classify(err)
		if errors.Is(err, ErrUnavailable) {
			s.markDown(err)
		}
		return false, err
	}
	if build == 0 {
		s.down.Store(nil)
		return false, ErrNoBuild
	}
	if v := s.cur.Load(); v != nil && v.build == build {
		s.down.Store(nil)
		return false, nil
	}
	v, err := s.readBuild(ctx)
	if err != nil {
		if errors.Is(err, ErrUnavailable) {
			s.markDown(err)
		}
		return false, err
	}
	s.cur.Store(v)
	s.down.Store(nil)
	return true, nil
}

// readBuild reads the catalogue of the last build in one snapshot of the database.
func (s *Store) readBuild(ctx context.Context) (*buildView, error) {
	rows, err := s.pool.Query(ctx, `SELECT l.name, l.title, l.feature_count, l.hash, l.fields, l.bbox,
			l.time_start, l.time_end, l.build, b.built_at
		FROM newsmap.layers l JOIN newsmap.builds b ON b.id = l.build
		WHERE l.build = (SELECT max(build) FROM newsmap.layers) ORDER BY l.name`)
	if err != nil {
		return nil, classify(err)
	}
	v := &buildView{byName: map[string]*pgLayer{}, cat: &store.Catalog{Loaded: time.Now()}}
	var parts []string
	for rows.Next() {
		l := &pgLayer{s: s}
		var hash *string
		var fields []byte
		var bbox []float64
		var tlo, thi *time.Time
		if err := rows.Scan(&l.name, &l.title, &l.count, &hash, &fields, &bbox, &tlo, &thi, &v.build, &l.modTime); err != nil {
			rows.Close()
			return nil, classify(err)
		}
		if hash == nil || fields == nil {
			rows.Close()
			return nil, fmt.Errorf("%w: layer %s was written by an older newsmap; run newsmap build -db again", ErrOldBuild, l.name)
		}
		l.hash = *hash
		if err := json.Unmarshal(fields, &l.fields); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgis: layer %s: fields: %w", l.name, err)
		}
		if len(bbox) == 4 {
			l.bound, l.hasBound = orb.Bound{Min: orb.Point{bbox[0], bbox[1]}, Max: orb.Point{bbox[2], bbox[3]}}, true
		}
		if tlo != nil && thi != nil {
			l.extent, l.hasExtent = schema.Interval{Start: tlo.UTC(), End: thi.UTC()}, true
		}
		l.table = ident(Schema, l.name)
		l.cols = map[string]column{}
		for _, c := range columnsOf(l.fields) {
			l.cols[c.name] = c
		}
		v.byName[l.name] = l
		v.cat.Layers = append(v.cat.Layers, l)
		parts = append(parts, l.name+"="+l.hash)
	}
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("build %d\n%s", v.build, strings.Join(parts, "\n"))))
	v.cat.Hash = hex.EncodeToString(sum[:16])
	return v, nil
}

// Watch calls Refresh every interval until ctx is done, reporting each new build
// (err nil) and each failure (a database that cannot be reached, no build yet).
func (s *Store) Watch(ctx context.Context, interval time.Duration, report func(build int64, err error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var last error
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		changed, err := s.Refresh(ctx)
		if ctx.Err() != nil {
			return
		}
		switch {
		case err != nil && (last == nil || last.Error() != err.Error()):
			report(s.Build(), err)
		case err == nil && (changed || last != nil):
			report(s.Build(), nil)
		}
		last = err
	}
}

// view returns the catalogue served: the last one read, unless the database was
// found unreachable, in which case one caller at a time tries it again (the others get
// the failure), so that the Store recovers without waiting for Watch.
func (s *Store) view(ctx context.Context) (*buildView, error) {
	v := s.cur.Load()
	down := s.down.Load()
	if v != nil && down == nil {
		return v, nil
	}
	if !s.mu.TryLock() {
		if down != nil {
			return nil, *down
		}
		s.mu.Lock() // the first catalogue is being read: wait for it
	}
	_, err := s.refresh(ctx)
	s.mu.Unlock()
	if v = s.cur.Load(); err != nil || v == nil {
		if errors.Is(err, ErrNoBuild) {
			return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
		if err == nil {
			err = ErrNoBuild
		}
		return nil, err
	}
	return v, nil
}

// Catalog returns the layers of the build served.
func (s *Store) Catalog(ctx context.Context) (*store.Catalog, error) {
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	return v.cat, nil
}

// Layer returns the named layer of the build served.
func (s *Store) Layer(ctx context.Context, name string) (store.Layer, error) {
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	if l, ok := v.byName[name]; ok {
		return l, nil
	}
	if !layerstore.ValidName(name) {
		return nil, fmt.Errorf("%w: invalid name", layerstore.ErrUnknownLayer)
	}
	return nil, fmt.Errorf("%w: %q", layerstore.ErrUnknownLayer, name)
}

// pgLayer is one layer table of a build.
type pgLayer struct {
	s                   *Store
	name, title, hash   string
	table               string // the quoted table name
	count               int
	bound               orb.Bound
	hasBound, hasExtent bool
	extent              schema.Interval
	fields              []layerstore.Field
	cols                map[string]column // typed property columns by property name
	modTime             time.Time
}

func (l *pgLayer) Name() string                        { return l.name }
func (l *pgLayer) Title() string                       { return l.title }
func (l *pgLayer) Count() int                          { return l.count }
func (l *pgLayer) Bound() (orb.Bound, bool)            { return l.bound, l.hasBound }
func (l *pgLayer) TimeExtent() (schema.Interval, bool) { return l.extent, l.hasExtent }
func (l *pgLayer) Fields() []layerstore.Field          { return l.fields }
func (l *pgLayer) Hash() string                        { return l.hash }
func (l *pgLayer) ModTime() time.Time                  { return l.modTime }
func (l *pgLayer) ctx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, l.s.opts.QueryTimeout)
}

// featureCols are the columns a feature is read from: its id, position, geometry (WKB,
// exact to the bit) and properties.
const featureCols = `id, _pos, ST_AsBinary(geom), props::text`

// scanFeature reads one row of featureCols.
func scanFeature(rows pgx.Rows) (*geojson.Feature, int, error) {
	var id string
	var pos int
	var g, props []byte
	if err := rows.Scan(&id, &pos, &g, &props); err != nil {
		return nil, 0, classify(err)
	}
	f, err := decodeFeature(id, g, props)
	return f, pos, err
}

// Query answers q with one SQL statement: the conditions on the GiST indexes and the
// typed columns, the matches in id order (_pos) with their count.
func (l *pgLayer) Query(ctx context.Context, q layerstore.Query) (store.Result, error) {
	where, args, err := l.where(q)
	if err != nil {
		return store.Result{}, err
	}
	cols := featureCols
	if q.GeometryOnly {
		cols = `id, _pos, ST_AsBinary(geom), NULL::text`
	}
	whereArgs := args
	var sql string
	if q.Limit == 0 && q.Offset == 0 {
		// Every match: counted as they come.
		sql = `SELECT 0::bigint, ` + cols + ` FROM ` + l.table + ` WHERE ` + where + ` ORDER BY _pos`
	} else {
		// A page: the matches' positions first (an int each), counted, then the columns
		// of the page's rows only, by the _pos index; a count(*) OVER () over the full
		// rows would read every match's geometry and properties (a page of 10 of 50,000
		// synthetic mentions: 1.3 s instead of 25 ms in psql; BenchmarkQueryFirstPage50k).
		page := ` ORDER BY _pos`
		if q.Limit > 0 {
			args = append(args, q.Limit)
			page += fmt.Sprintf(` LIMIT $%d`, len(args))
		}
		if q.Offset > 0 {
			args = append(args, q.Offset)
			page += fmt.Sprintf(` OFFSET $%d`, len(args))
		}
		sql = `WITH m AS MATERIALIZED (SELECT _pos FROM ` + l.table + ` WHERE ` + where + `),
			page AS (SELECT _pos FROM m` + page + `)
			SELECT (SELECT count(*) FROM m), ` + cols + ` FROM ` + l.table + ` JOIN page USING (_pos) ORDER BY _pos`
	}
	qctx, cancel := l.ctx(ctx)
	defer cancel()
	rows, err := l.s.pool.Query(qctx, sql, args...)
	if err != nil {
		return store.Result{}, l.s.failed(classify(err))
	}
	defer rows.Close()
	var res store.Result
	for rows.Next() {
		var n int
		var id string
		var pos int
		var g, props []byte
		if err := rows.Scan(&n, &id, &pos, &g, &props); err != nil {
			return store.Result{}, l.s.failed(classify(err))
		}
		res.NumberMatched = n
		if q.GeometryOnly {
			f, err := decodeFeature(id, g, []byte("{}"))
			if err != nil {
				return store.Result{}, err
			}
			res.Features = append(res.Features, f)
			continue
		}
		b, err := featureJSON(id, g, props)
		if err != nil {
			return store.Result{}, err
		}
		res.JSON = append(res.JSON, b)
	}
	if err := rows.Err(); err != nil {
		return store.Result{}, l.s.failed(classify(err))
	}
	if q.Limit == 0 && q.Offset == 0 {
		res.NumberMatched = max(len(res.JSON), len(res.Features))
	}
	if len(res.JSON) == 0 && len(res.Features) == 0 && q.Offset > 0 {
		// A page past the last match: count them on their own.
		if err := l.s.pool.QueryRow(qctx, `SELECT count(*) FROM `+l.table+` WHERE `+where, whereArgs...).Scan(&res.NumberMatched); err != nil {
			return store.Result{}, l.s.failed(classify(err))
		}
	}
	return res, nil
}

// featureJSON encodes a row as the GeoJSON feature layerstore's FeatureJSON would be (the
// same members and values; the properties as PostgreSQL prints jsonb), without decoding
// the properties: a page of features is sent as it comes (store.Result.Decoded decodes
// it for the routes that need features).
func featureJSON(id string, g, props []byte) ([]byte, error) {
	idJSON, err := json.Marshal(id)
	if err != nil {
		return nil, err
	}
	geom := []byte("null")
	if g != nil {
		o, err := wkb.Unmarshal(g)
		if err != nil {
			return nil, fmt.Errorf("postgis: feature %s: geometry: %w", id, err)
		}
		if geom, err = geojson.NewGeometry(o).MarshalJSON(); err != nil {
			return nil, fmt.Errorf("postgis: feature %s: geometry: %w", id, err)
		}
	}
	b := make([]byte, 0, 64+len(idJSON)+len(geom)+len(props))
	b = append(b, `{"type":"Feature","id":`...)
	b = append(b, idJSON...)
	b = append(b, `,"geometry":`...)
	b = append(b, geom...)
	b = append(b, `,"properties":`...)
	b = append(b, props...)
	return append(b, '}'), nil
}

func decodeFeature(id string, g, props []byte) (*geojson.Feature, error) {
	f := &geojson.Feature{Type: "Feature", ID: id, Properties: geojson.Properties{}}
	if err := json.Unmarshal(props, &f.Properties); err != nil {
		return nil, fmt.Errorf("postgis: feature %s: properties: %w", id, err)
	}
	if g != nil {
		geom, err := wkb.Unmarshal(g)
		if err != nil {
			return nil, fmt.Errorf("postgis: feature %s: geometry: %w", id, err)
		}
		f.Geometry = geom
	}
	return f, nil
}

// where turns q into SQL conditions with the same meaning as layerstore's Query.
func (l *pgLayer) where(q layerstore.Query) (string, []any, error) {
	if q.Limit < 0 || q.Offset < 0 {
		return "", nil, fmt.Errorf("%w: negative limit or offset", layerstore.ErrBadQuery)
	}
	if q.BBox != nil && q.BBox.Min[1] > q.BBox.Max[1] {
		return "", nil, fmt.Errorf("%w: bbox minimum latitude exceeds maximum", layerstore.ErrBadQuery)
	}
	if q.Time != nil && !q.Time.Start.IsZero() && !q.Time.End.IsZero() && q.Time.End.Before(q.Time.Start) {
		return "", nil, fmt.Errorf("%w: time interval ends before it starts", layerstore.ErrBadQuery)
	}
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if q.BBox != nil {
		// The geometry, not just its box, shares a point with the bbox (edges included);
		// a bbox across the antimeridian is its two halves, as in layerstore. && lets the
		// GiST index find the candidates.
		var alts []string
		for _, b := range layerstore.SplitAntimeridian(*q.BBox) {
			env := fmt.Sprintf("ST_MakeEnvelope(%s, %s, %s, %s, 4326)", arg(b.Min[0]), arg(b.Min[1]), arg(b.Max[0]), arg(b.Max[1]))
			alts = append(alts, fmt.Sprintf("(geom && %s AND ST_Intersects(geom, %s))", env, env))
		}
		conds = append(conds, "("+strings.Join(alts, " OR ")+")")
	}
	if q.Time != nil {
		// layerstore: the feature's [start, end) overlaps the query's, an open end
		// unbounded. The closed range finds candidates on the GiST index; the strict
		// comparisons decide, with the query's ends rounded outwards to PostgreSQL's
		// microseconds.
		var lo, hi any
		if !q.Time.Start.IsZero() {
			lo = q.Time.Start.Truncate(time.Microsecond)
		}
		if !q.Time.End.IsZero() {
			e := q.Time.End.Truncate(time.Microsecond)
			if e.Before(q.Time.End) {
				e = e.Add(time.Microsecond)
			}
			hi = e
		}
		a, b := arg(lo), arg(hi)
		c := fmt.Sprintf("valid && tstzrange(%s::timestamptz, %s::timestamptz, '[]')", a, b)
		if lo != nil {
			c += fmt.Sprintf(" AND %s::timestamptz < upper(valid)", a)
		}
		if hi != nil {
			c += fmt.Sprintf(" AND lower(valid) < %s::timestamptz", b)
		}
		conds = append(conds, c)
	}
	if q.Article != "" {
		conds = append(conds, fmt.Sprintf("_articles @> ARRAY[%s::text]", arg(q.Article)))
	}
	if q.Q != "" {
		conds = append(conds, fmt.Sprintf("strpos(_search, %s) > 0", arg(searchText(strings.ToLower(q.Q)))))
	}
	for _, k := range sortedKeys(q.Props) {
		conds = append(conds, l.propCond(k, q.Props[k], arg))
	}
	if len(conds) == 0 {
		return "TRUE", args, nil
	}
	return strings.Join(conds, " AND "), args, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// propCond is the condition "property k has the string form want" (layerstore.PropString;
// for an array, any element), on the property's typed column where it has one. A value
// of the wrong form for the column's type matches nothing, as in layerstore (numbers in
// shortest form, booleans as true or false).
func (l *pgLayer) propCond(k, want string, arg func(any) string) string {
	c, typed := l.cols[k]
	if typed {
		col := ident(k)
		switch c.sqlType {
		case "text":
			return fmt.Sprintf("%s = %s::text", col, arg(want))
		case "bigint":
			n, err := strconv.ParseInt(want, 10, 64)
			if err != nil || strconv.FormatInt(n, 10) != want {
				return "FALSE"
			}
			return fmt.Sprintf("%s = %s::bigint", col, arg(n))
		case "double precision":
			f, err := strconv.ParseFloat(want, 64)
			if err != nil || layerstore.PropString(f) != want {
				return "FALSE"
			}
			return fmt.Sprintf("%s = %s::double precision", col, arg(f))
		case "boolean":
			if want != "true" && want != "false" {
				return "FALSE"
			}
			return fmt.Sprintf("%s = %s::boolean", col, arg(want == "true"))
		}
	}
	// jsonb (arrays, mixed, or a property without a column of its own): the value, or an
	// element of it, equals one of the JSON values whose string form is want.
	val := "props->" + quoteLiteral(k)
	if typed {
		val = ident(k)
	}
	var alts []string
	for _, cand := range jsonCandidates(want) {
		alts = append(alts, fmt.Sprintf("%s @> %s::jsonb", val, arg(cand)))
	}
	return "(" + strings.Join(alts, " OR ") + ")"
}

// jsonCandidates are the JSON scalars whose layerstore string form is want.
func jsonCandidates(want string) []string {
	s, _ := json.Marshal(want)
	out := []string{string(s)}
	if f, err := strconv.ParseFloat(want, 64); err == nil && layerstore.PropString(f) == want {
		out = append(out, want)
	}
	if want == "true" || want == "false" {
		out = append(out, want)
	}
	return out
}

// Feature returns the feature with the given id (the first in id order, should ids repeat).
func (l *pgLayer) Feature(ctx context.Context, id string) (*geojson.Feature, bool, error) {
	qctx, cancel := l.ctx(ctx)
	defer cancel()
	rows, err := l.s.pool.Query(qctx, `SELECT `+featureCols+` FROM `+l.table+` WHERE id = $1 ORDER BY _pos LIMIT 1`, id)
	if err != nil {
		return nil, false, l.s.failed(classify(err))
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, false, l.s.failed(classify(err))
		}
		return nil, false, nil
	}
	f, _, err := scanFeature(rows)
	if err != nil {
		return nil, false, l.s.failed(err)
	}
	return f, true, nil
}

// GeoJSON returns the whole layer as written (the features in the file's order, the
// collection's title), read once per layer version and kept within LayerCacheBytes.
func (l *pgLayer) GeoJSON(ctx context.Context) ([]byte, error) {
	k := layerKey{l.name, l.hash}
	return l.s.raws.Do(ctx, k, func() ([]byte, error) {
		l.s.raws.RemoveFunc(func(o layerKey, _ []byte) bool { return o.name == k.name && o.hash != k.hash })
		qctx, cancel := l.ctx(ctx)
		defer cancel()
		var member *string
		if err := l.s.pool.QueryRow(qctx, `SELECT title_member FROM newsmap.layers WHERE name = $1`, l.name).Scan(&member); err != nil {
			return nil, l.s.failed(classify(err))
		}
		b, err := collection(qctx, l.s.pool, l.name, member)
		if err != nil {
			return nil, l.s.failed(err)
		}
		return b, nil
	})
}

// Tile renders tile t in Go, with the renderer of the in-memory store, from the rows
// whose box meets the tile plus its buffer (the same candidates as layerstore's index),
// in id order with their position: the tile decodes to the same features. Tiles are
// kept per layer version.
func (l *pgLayer) Tile(ctx context.Context, t maptile.Tile) (tiles.Encoded, error) {
	if !t.Valid() || t.Z > tiles.MaxZoom {
		return tiles.Encoded{}, fmt.Errorf("%w: %d/%d/%d", tiles.ErrBadTile, t.Z, t.X, t.Y)
	}
	k := tileKey{layerKey{l.name, l.hash}, t}
	return l.s.tiles.Do(ctx, k, func() (tiles.Encoded, error) {
		r := l.s.opts.Tiles
		b := r.TileBound(t)
		qctx, cancel := l.ctx(ctx)
		defer cancel()
		rows, err := l.s.pool.Query(qctx, `SELECT `+featureCols+` FROM `+l.table+`
			WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) ORDER BY _pos`, b.Min[0], b.Min[1], b.Max[0], b.Max[1])
		if err != nil {
			return tiles.Encoded{}, l.s.failed(classify(err))
		}
		defer rows.Close()
		var feats []*geojson.Feature
		for rows.Next() {
			f, pos, err := scanFeature(rows)
			if err != nil {
				return tiles.Encoded{}, l.s.failed(err)
			}
			if f.Geometry == nil {
				continue
			}
			feats = append(feats, &geojson.Feature{ID: uint64(pos + 1), Type: "Feature", Geometry: f.Geometry, Properties: tiles.Flatten(f.Properties)})
		}
		if err := rows.Err(); err != nil {
			return tiles.Encoded{}, l.s.failed(classify(err))
		}
		return r.RenderFeatures(l.name, t, feats)
	})
}
