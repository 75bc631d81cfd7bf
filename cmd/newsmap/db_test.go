package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb/encoding/mvt"
	_ "modernc.org/sqlite"

	"newsmap/geo/layerstore"
	"newsmap/geo/postgis"
	"newsmap/geo/postgis/pgtest"
	"newsmap/geo/store"
	"newsmap/web"
	"newsmap/web/ogc"
)

func handlerFor(st store.Store) http.Handler {
	return web.New(st, web.Options{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Extra: func(r *mux.Router, m web.Middleware) {
			ogc.Register(r, m, ogc.Options{})
		},
	})
}

// volatile are response members that name a layer version or the time of the
// response, not the data: they differ between any two stores.
var volatile = map[string]bool{"timeStamp": true, "hash": true, "etag": true, "modified": true, "updated": true, "loaded": true, "version": true}

func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k := range x {
			if volatile[k] {
				delete(x, k)
				continue
			}
			x[k] = normalize(x[k])
		}
	case []any:
		for i := range x {
			x[i] = normalize(x[i])
		}
	}
	return v
}

// answer is a route's response reduced to what must be equal: the status, the content
// type and the body (JSON parsed and without volatile members; vector tiles decoded to
// their features, sorted; text as is).
func answer(t *testing.T, h http.Handler, path string) (code int, ct string, body any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	ct = rec.Header().Get("Content-Type")
	raw := rec.Body.Bytes()
	if rec.Header().Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if raw, err = io.ReadAll(zr); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	switch {
	case strings.Contains(ct, "geopackage"):
		return rec.Code, ct, gpkgRows(t, path, raw)
	case strings.Contains(ct, "vnd.mapbox-vector-tile"):
		ls, err := mvt.Unmarshal(raw)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var parts []string
		for _, l := range ls {
			for _, f := range l.Features {
				b, _ := json.Marshal(f)
				parts = append(parts, l.Name+" "+string(b))
			}
		}
		sort.Strings(parts)
		return rec.Code, ct, strings.Join(parts, "\n")
	case strings.Contains(ct, "json") && !strings.Contains(ct, "seq"):
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%s: %v\n%s", path, err, raw)
		}
		return rec.Code, ct, normalize(v)
	}
	return rec.Code, ct, string(raw)
}

// gpkgRows is a GeoPackage reduced to its feature table, rows in order with each
// column's value (geometries as hex), and its declared columns; the file's other tables
// hold the time it was written.
func gpkgRows(t *testing.T, path string, raw []byte) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "export.gpkg")
	if err := os.WriteFile(file, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var table string
	if err := db.QueryRow(`SELECT table_name FROM gpkg_contents WHERE data_type = 'features'`).Scan(&table); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	rows, err := db.Query(`SELECT * FROM "` + table + `" ORDER BY 1`)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s %v\n", table, cols)
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = fmt.Sprintf("%x", b)
			}
		}
		fmt.Fprintf(&sb, "%v\n", vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return sb.String()
}

// sameJSON compares decoded JSON values, numbers to within 1e-9 (coordinates that
// PostGIS prints in decimal), objects whatever their key order.
func sameJSON(a, b any, at string) error {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return fmt.Errorf("%s: %.200v != %.200v", at, a, b)
		}
		for k, v := range x {
			if err := sameJSON(v, y[k], at+"."+k); err != nil {
				return err
			}
		}
		return nil
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return fmt.Errorf("%s: %d items != %.200v", at, len(x), b)
		}
		for i := range x {
			if err := sameJSON(x[i], y[i], fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
		return nil
	case float64:
		y, ok := b.(float64)
		if !ok || math.Abs(x-y) > 1e-9 {
			return fmt.Errorf("%s: %v != %v", at, a, b)
		}
		return nil
	}
	if !reflect.DeepEqual(a, b) {
		return fmt.Errorf("%s: %.200v != %.200v", at, a, b)
	}
	return nil
}

// goldenLayers writes the fixture layers and a synthetic layer into one folder: 3,000
// points over the whole globe (bboxes across the antimeridian, clusters), ids written in
// reverse order (the file's order is not the id order), and properties of every type
// (text, integer, number, boolean, arrays, dates) to filter on.
func goldenLayers(t *testing.T) string {
	t.Helper()
	const fixture = "../../web/static/testdata/layers"
	dir := t.TempDir()
	files, err := filepath.Glob(filepath.Join(fixture, "*.geojson"))
	if err != nil || len(files) == 0 {
		t.Fatalf("fixtures: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := rand.New(rand.NewPCG(11, 2))
	var sb strings.Builder
	sb.WriteString(`{"type":"FeatureCollection","title":"Synthetic","features":[`)
	const n = 3000
	kinds := []string{"city", "country", "region", "river"}
	for k := range n {
		i := n - 1 - k
		if k > 0 {
			sb.WriteString(",\n")
		}
		lon, lat := -180+r.Float64()*360, -60+r.Float64()*130
		day := time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(60))
		dateEnd := ""
		if i%7 == 0 {
			dateEnd = fmt.Sprintf(`,"date_end":%q`, day.AddDate(0, 0, 3).Format("2006-01-02"))
		}
		date := fmt.Sprintf(`"date":%q`, day.Format("2006-01-02"))
		if i%11 == 0 {
			date = `"date":"2023-09"`
		}
		if i%13 == 0 {
			date = `"note":"undated"`
		}
		fmt.Fprintf(&sb, `{"type":"Feature","id":"g%05d","geometry":{"type":"Point","coordinates":[%.6f,%.6f]},"properties":{"id":"g%05d",`+
			`"name":"Place %d","name_de":"Ort %d","kind":%q,"article_id":"a%d","articles":["a%d","b%d"],"count":%d,"score":%g,"flag":%t,"tags":["t%d",%d],%s%s}}`,
			i, lon, lat, i, i%50, i%50, kinds[i%len(kinds)], i%20, i%20, i%30, i%9, float64(i%40)/8, i%3 == 0, i%5, i%4, date, dateEnd)
	}
	sb.WriteString("]}\n")
	if err := os.WriteFile(filepath.Join(dir, "synthetic.geojson"), []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// goldenPaths are the requests of every route family that reads layers, with and
// without each kind of filter.
var goldenPaths = []string{
	"/api/layers",
	"/api/layers/mentions.geojson",
	"/api/layers/places.geojson",
	"/api/layers/regions.geojson",
	"/api/layers/routes.geojson",
	"/api/layers/synthetic.geojson",
	"/api/layers/nope.geojson",
	"/api/layers/mentions.geojson?bbox=46,39,47.5,40.5",
	"/api/layers/mentions.geojson?datetime=2023-09-25",
	"/api/layers/places.geojson?q=moskau",
	"/api/layers/regions.geojson?bbox=44,38,47,41",
	"/api/layers/routes.geojson?bbox=45,39,46,40",
	"/api/layers/synthetic.geojson?bbox=170,-10,-170,10",
	"/api/layers/synthetic.geojson?bbox=-20,-20,20,20&limit=7&offset=3",
	"/api/layers/synthetic.geojson?datetime=2023-09-10/2023-09-20&limit=50",
	"/api/layers/synthetic.geojson?datetime=2023-09-15T12:00:00Z",
	"/api/layers/synthetic.geojson?datetime=../2023-09-03",
	"/api/layers/synthetic.geojson?datetime=2023-10-25/..",
	"/api/layers/synthetic.geojson?kind=river&limit=20",
	"/api/layers/synthetic.geojson?count=7",
	"/api/layers/synthetic.geojson?count=7.0",
	"/api/layers/synthetic.geojson?score=1.5",
	"/api/layers/synthetic.geojson?score=1.50",
	"/api/layers/synthetic.geojson?flag=true&kind=city",
	"/api/layers/synthetic.geojson?tags=t3&limit=30",
	"/api/layers/synthetic.geojson?tags=2&limit=30",
	"/api/layers/synthetic.geojson?article=b7",
	"/api/layers/synthetic.geojson?q=ORT%201&limit=40&offset=10",
	"/api/layers/synthetic.geojson?q=place%204&datetime=2023-09&bbox=-180,-90,180,0",
	"/api/layers/synthetic.geojson?limit=5&offset=2998",
	"/api/layers/synthetic.geojson?limit=5&offset=5000",
	"/api/layers/synthetic.geojson?bbox=10,50,5,40",
	"/api/layers/synthetic.geojson?nope=1",
	"/api/layers/synthetic/clusters?zoom=2",
	"/api/layers/synthetic/clusters?zoom=5&bbox=-30,-30,30,30&kind=city",
	"/api/layers/mentions/clusters?zoom=4",
	"/api/layers/synthetic.csv",
	"/api/layers/synthetic.geojsonseq?kind=region",
	"/api/layers/mentions.kml",
	"/api/layers/places.csv?q=moskau",
	"/api/layers/routes.gpkg",
	"/api/layers/synthetic.gpkg?kind=river&bbox=0,-30,90,30",
	"/tiles/mentions.json",
	"/tiles/synthetic.json",
	"/tiles/mentions/6/40/24.mvt",
	"/tiles/regions/4/10/5.mvt",
	"/tiles/routes/5/20/11.mvt",
	"/tiles/synthetic/0/0/0.mvt",
	"/tiles/synthetic/3/4/3.mvt",
	"/tiles/synthetic/5/31/15.mvt",
	"/tiles/synthetic/9/1/1.mvt",
	"/tiles/nope/0/0/0.mvt",
	"/ogc",
	"/ogc/conformance",
	"/ogc/api",
	"/ogc/collections",
	"/ogc/collections/mentions",
	"/ogc/collections/synthetic",
	"/ogc/collections/synthetic/queryables",
	"/ogc/collections/mentions/items?bbox=30,30,50,60&datetime=2021-01-01/2023-12-31&limit=2",
	"/ogc/collections/regions/items",
	"/ogc/collections/places/items?name=Moscow",
	"/ogc/collections/synthetic/items?limit=25&offset=100",
	"/ogc/collections/synthetic/items?bbox=-10,-10,10,10&kind=country&f=json",
	"/ogc/collections/synthetic/items?datetime=2023-09-05/2023-09-06&limit=1000",
	"/ogc/collections/synthetic/items/g00042",
	"/ogc/collections/synthetic/items?f=html&limit=5&kind=city",
	"/ogc/collections/synthetic/items/g00042?f=html",
	"/ogc/collections?f=html",
	"/ogc/collections/synthetic/items/g99999",
	"/ogc/collections/mentions/items/2023-09-25-exodus:120",
}

// TestServeFromPostGIS is the golden comparison of the two stores: `build -db` writes
// the layers into PostGIS, and every route answers from the PostGIS store (SQL) exactly
// as from the layer files in memory.
func TestServeFromPostGIS(t *testing.T) {
	url := pgtest.DB(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := goldenLayers(t)
	var out bytes.Buffer
	if err := writeDB(ctx, url, dir, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "into PostGIS") {
		t.Errorf("writeDB said %q", out.String())
	}
	files, err := layerstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	db, err := postgis.OpenStore(url, postgis.StoreOptions{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, b := handlerFor(store.NewMemory(files, nil)), handlerFor(db)
	for _, path := range goldenPaths {
		ca, ta, wa := answer(t, a, path)
		cb, tb, wb := answer(t, b, path)
		if ca != cb || ta != tb {
			t.Errorf("%s: %d %s from files, %d %s from PostGIS", path, ca, ta, cb, tb)
			continue
		}
		if err := sameJSON(wa, wb, "body"); err != nil {
			t.Errorf("%s differs: %v", path, err)
		}
		if ca != http.StatusOK {
			t.Logf("%s: %d", path, ca)
		}
	}
	if st := db.PoolStats(); st.Acquired != 0 || st.Total > 2 {
		t.Errorf("pool after the requests: %+v", st)
	}
}

// cutProxy forwards TCP connections to a database; cut closes them all and refuses new
// ones until mend, as a database that goes down and comes back does.
type cutProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]bool
}

func newCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			down := p.down
			if !down {
				p.conns[c] = true
			}
			p.mu.Unlock()
			if down {
				c.Close()
				continue
			}
			go p.pipe(c)
		}
	}()
	return p
}

func (p *cutProxy) pipe(c net.Conn) {
	d, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[d] = true
	p.mu.Unlock()
	go func() { io.Copy(d, c); d.Close() }()
	io.Copy(c, d)
	c.Close()
}

func (p *cutProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

func (p *cutProxy) mend() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}

// viaProxy returns the database URL with its host replaced by the proxy's.
func viaProxy(t *testing.T, dbURL string, p *cutProxy) string {
	t.Helper()
	u, err := neturl.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = p.ln.Addr().String()
	return u.String()
}

func get(t *testing.T, client *http.Client, url string) (int, http.Header, string) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// writeGolden writes the golden layers into a new database and returns its URL.
func writeGolden(t *testing.T) string {
	t.Helper()
	url := pgtest.DB(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := writeDB(ctx, url, goldenLayers(t), io.Discard); err != nil {
		t.Fatal(err)
	}
	return url
}

// TestPostGISOutage: while the database cannot be reached, the routes that need it
// answer 503 with a JSON message and Retry-After, /healthz says "unavailable"; when it
// is back, the server answers again by itself.
func TestPostGISOutage(t *testing.T) {
	dbURL := writeGolden(t)
	u, _ := neturl.Parse(dbURL)
	proxy := newCutProxy(t, u.Host)
	db, err := postgis.OpenStore(viaProxy(t, dbURL, proxy), postgis.StoreOptions{MaxConns: 4, QueryTimeout: 2 * time.Second, ConnectTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := httptest.NewServer(handlerFor(db))
	defer srv.Close()
	paths := []string{"/api/layers", "/api/layers/synthetic.geojson?kind=city&limit=5", "/tiles/synthetic/2/1/1.mvt", "/ogc/collections/synthetic/items?limit=3", "/api/layers/synthetic.csv"}
	for _, p := range paths {
		if code, _, body := get(t, srv.Client(), srv.URL+p); code != http.StatusOK {
			t.Fatalf("before the outage: %s: %d %s", p, code, body)
		}
	}
	proxy.cut()
	// The first request that needs the database finds it gone; from then on every route
	// but /healthz answers 503, also those whose answers are cached.
	for _, p := range append([]string{"/api/layers/synthetic.geojson?kind=river", "/tiles/synthetic/3/1/1.mvt"}, paths...) {
		code, h, body := get(t, srv.Client(), srv.URL+p)
		if code != http.StatusServiceUnavailable || h.Get("Retry-After") == "" || !strings.Contains(body, `"code":503`) || !strings.Contains(body, "unavailable") {
			t.Errorf("during the outage: %s: %d Retry-After %q %s", p, code, h.Get("Retry-After"), body)
		}
	}
	if code, h, body := get(t, srv.Client(), srv.URL+"/healthz"); code != http.StatusServiceUnavailable || h.Get("Retry-After") == "" || !strings.Contains(body, `"status":"unavailable"`) {
		t.Errorf("/healthz during the outage: %d %s", code, body)
	}
	proxy.mend()
	deadline := time.Now().Add(10 * time.Second)
	for _, p := range append(paths, "/healthz", "/api/layers/synthetic.geojson?kind=river") {
		for {
			code, _, body := get(t, srv.Client(), srv.URL+p)
			if code == http.StatusOK {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after the outage: %s: %d %s", p, code, body)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	if st := db.PoolStats(); st.Acquired != 0 {
		t.Errorf("pool after the outage: %+v", st)
	}
}

// TestPostGISPoolNotWedged: 48 clients cancel their requests mid-query (at random
// moments, with 4 connections, so most wait for one); then new requests are served and
// no connection stays acquired (pg_featureserv's pool wedges under 32 such clients).
func TestPostGISPoolNotWedged(t *testing.T) {
	dbURL := writeGolden(t)
	db, err := postgis.OpenStore(dbURL, postgis.StoreOptions{MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := httptest.NewServer(handlerFor(db))
	defer srv.Close()
	const clients, rounds = 48, 5
	var wg sync.WaitGroup
	var cancelled, served atomic.Int64
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(c), 7))
			for i := range rounds {
				// Two clients in three give up within 40 ms; the others wait.
				wait := time.Duration(r.IntN(40000)) * time.Microsecond
				if c%3 == 2 {
					wait = 5 * time.Second
				}
				ctx, cancel := context.WithTimeout(context.Background(), wait)
				// Distinct queries, so that none is answered from the page cache.
				path := fmt.Sprintf("/api/layers/synthetic.geojson?q=%%20%d&offset=%d", c%10, i*clients+c)
				if i%2 == 1 {
					path = fmt.Sprintf("/tiles/synthetic/6/%d/%d.mvt", (c*rounds+i)%64, (c+i)%64)
				}
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
				resp, err := srv.Client().Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					served.Add(1)
				} else {
					if !errors.Is(err, context.DeadlineExceeded) {
						t.Errorf("%s: %v", path, err)
					}
					cancelled.Add(1)
				}
				cancel()
			}
		}()
	}
	wg.Wait()
	t.Logf("%d requests cancelled, %d answered", cancelled.Load(), served.Load())
	if cancelled.Load() < clients || served.Load() == 0 {
		t.Errorf("%d requests cancelled, %d answered: the test does not cancel mid-query", cancelled.Load(), served.Load())
	}
	// New requests are served...
	for i := range 20 {
		p := fmt.Sprintf("/api/layers/synthetic.geojson?kind=city&limit=3&offset=%d", i)
		if code, _, body := get(t, srv.Client(), srv.URL+p); code != http.StatusOK {
			t.Fatalf("after the cancellations: %s: %d %s", p, code, body)
		}
	}
	// ...and every connection goes back to the pool.
	deadline := time.Now().Add(5 * time.Second)
	for db.PoolStats().Acquired != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("pool still has acquired connections: %+v", db.PoolStats())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestServeDB runs `newsmap serve -db`: it starts before there is a build (answering 503),
// follows the build written while it runs, serves every route family, and stops
// gracefully.
func TestServeDB(t *testing.T) {
	url := pgtest.DB(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, []string{"-addr", "127.0.0.1:0", "-db", url, "-reload", "50ms", "-db-conns", "2"}, &stdout, &stderr)
	}()
	urlRE := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == ""; {
		if time.Now().After(deadline) {
			t.Fatalf("no URL printed; stdout %q stderr %q", stdout.String(), stderr.String())
		}
		base = urlRE.FindString(stdout.String())
		time.Sleep(10 * time.Millisecond)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	if code, h, body := get(t, client, base+"api/layers"); code != http.StatusServiceUnavailable || h.Get("Retry-After") == "" {
		t.Errorf("before any build: %d %s", code, body)
	}
	wctx, wcancel := context.WithTimeout(ctx, time.Minute)
	defer wcancel()
	if err := writeDB(wctx, url, "../../geo/layerstore/testdata/layers", io.Discard); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"api/layers":                          `"mentions"`,
		"api/layers/routes.geojson":           `route:lachin`,
		"api/layers/mentions.geojson?limit=1": `"numberReturned":1`,
		"tiles/regions.json":                  `"tilejson":"3.0.0"`,
		"ogc/collections/routes/items":        `route:lachin`,
		"healthz":                             `"status":"ok"`,
		"":                                    `<html`,
	} {
		for deadline := time.Now().Add(10 * time.Second); ; {
			code, _, body := get(t, client, base+path)
			if code == http.StatusOK && strings.Contains(strings.ToLower(body), strings.ToLower(want)) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("/%s: %d %.300s", path, code, body)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(stderr.String(), `msg="build from PostGIS"`); {
		if time.Now().After(deadline) {
			t.Fatalf("no build logged: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("runServe: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no graceful shutdown")
	}
}
