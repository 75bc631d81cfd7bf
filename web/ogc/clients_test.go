package ogc_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb"

	"newsmap/geo/layerstore"
	"newsmap/web"
	"newsmap/web/ogc"
)

// These tests run real clients (GDAL's ogrinfo and ogr2ogr, headless QGIS) against the
// real server: web.NewServer with the exports and the OGC API mounted, on 127.0.0.1, over
// a temporary copy of testdata/layers. A missing tool skips them, or fails them when
// NEWSMAP_REQUIRE_TOOLS=1 (CI installs gdal-bin and python3-qgis). With
// NEWSMAP_SCREENSHOT=1, TestQGIS also renders the built layers (data/layers) to
// docs/qgis.png.

func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("NEWSMAP_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s not found and NEWSMAP_REQUIRE_TOOLS=1", name)
		}
		t.Skipf("%s not found (apt-get install gdal-bin python3-qgis); set NEWSMAP_REQUIRE_TOOLS=1 to require it", name)
	}
	return path
}

// liveServer is the real server on a loopback port, recording the requests it gets.
type liveServer struct {
	URL   string
	store *layerstore.Store
	mu    sync.Mutex
	reqs  []string // path?query
}

func (s *liveServer) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqs)
}

func startServer(t *testing.T, layersDir string) *liveServer {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(layersDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".geojson") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(layersDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st, err := layerstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ls := &liveServer{store: st}
	h := web.NewServer(st, web.Options{Extra: func(r *mux.Router, m web.Middleware) {
		ogc.Register(r, m, ogc.Options{})
	}})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ls.mu.Lock()
		ls.reqs = append(ls.reqs, r.URL.RequestURI())
		ls.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("server at %s, want 127.0.0.1", srv.URL)
	}
	ls.URL = srv.URL
	return ls
}

// gdalMessage matches a GDAL warning or error line.
var gdalMessage = regexp.MustCompile(`(?m)^(Warning|ERROR)\b.*$`)

func runTool(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "CPL_DEBUG=OFF", "GDAL_HTTP_TIMEOUT=30")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
	if m := gdalMessage.FindString(string(out)); m != "" {
		t.Errorf("%s %s printed %q:\n%s", filepath.Base(bin), strings.Join(args, " "), m, out)
	}
	return string(out)
}

var featureCount = regexp.MustCompile(`(?m)^Feature Count: (\d+)$`)

func count(t *testing.T, out string) int {
	t.Helper()
	m := featureCount.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no feature count in:\n%s", out)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func readIDs(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct{ Properties struct{ ID string } }
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range fc.Features {
		ids = append(ids, f.Properties.ID)
	}
	slices.Sort(ids)
	return ids
}

func expectIDs(t *testing.T, st *layerstore.Store, layer string, q layerstore.Query) []string {
	t.Helper()
	res, err := st.Query(layer, q)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range res.Features {
		ids = append(ids, f.Properties["id"].(string))
	}
	slices.Sort(ids)
	return ids
}

func sawRequest(reqs []string, parts ...string) bool {
	return slices.ContainsFunc(reqs, func(r string) bool {
		for _, p := range parts {
			if !strings.Contains(r, p) {
				return false
			}
		}
		return true
	})
}

func TestGDAL(t *testing.T) {
	ogrinfo := requireTool(t, "ogrinfo")
	ogr2ogr := requireTool(t, "ogr2ogr")
	srv := startServer(t, filepath.Join("testdata", "layers"))
	api := "OAPIF:" + srv.URL + "/ogc"
	layers := srv.store.Layers()

	t.Run("collections", func(t *testing.T) {
		out := runTool(t, ogrinfo, "-ro", api)
		for _, l := range layers {
			if !regexp.MustCompile(`(?m)^\d+: ` + l.Name() + ` \(`).MatchString(out) {
				t.Errorf("ogrinfo does not list collection %s:\n%s", l.Name(), out)
			}
		}
		for _, l := range layers {
			out := runTool(t, ogrinfo, "-ro", "-so", api, l.Name())
			if n := count(t, out); n != l.Count() {
				t.Errorf("%s: ogrinfo counts %d features, want %d", l.Name(), n, l.Count())
			}
			if !strings.Contains(out, `ID["EPSG",4326]`) {
				t.Errorf("%s: not in WGS 84:\n%s", l.Name(), out)
			}
		}
	})

	t.Run("bbox and property filter", func(t *testing.T) {
		dst := filepath.Join(t.TempDir(), "am.geojson")
		runTool(t, ogr2ogr, "-f", "GeoJSON", dst, api, "mentions",
			"-spat", "43", "39", "47", "41", "-where", "country_code = 'AM'")
		b := orb.Bound{Min: orb.Point{43, 39}, Max: orb.Point{47, 41}}
		want := expectIDs(t, srv.store, "mentions", layerstore.Query{BBox: &b, Props: map[string]string{"country_code": "AM"}})
		if got := readIDs(t, dst); len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("ogr2ogr -spat -where copied %v, want %v", got, want)
		}
		if !sawRequest(srv.requests(), "/ogc/collections/mentions/items?", "bbox=", "country_code=AM") {
			t.Errorf("GDAL did not pass bbox and country_code to the server: %v", srv.requests())
		}
	})

	t.Run("datetime filter", func(t *testing.T) {
		// routes.date holds whole days, so GDAL types it Date and turns the SQL filter
		// into datetime=2023-09-26.../.. .
		dst := filepath.Join(t.TempDir(), "late.geojson")
		runTool(t, ogr2ogr, "-f", "GeoJSON", dst, api, "routes", "-where", "date >= '2023-09-26'")
		iv, err := layerstore.ParseDatetime("2023-09-26/..")
		if err != nil {
			t.Fatal(err)
		}
		want := expectIDs(t, srv.store, "routes", layerstore.Query{Time: &iv})
		if got := readIDs(t, dst); len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("ogr2ogr -where date copied %v, want %v", got, want)
		}
		if !sawRequest(srv.requests(), "/ogc/collections/routes/items?", "datetime=2023-09-26") {
			t.Errorf("GDAL did not pass datetime to the server: %v", srv.requests())
		}
	})

	t.Run("downloads", func(t *testing.T) {
		dir := t.TempDir()
		for _, l := range layers {
			for _, f := range []struct{ route, ext string }{
				{"gpkg", ".gpkg"}, {"kml", ".kml"}, {"csv", ".csv"}, {"geojsonseq", ".geojsons"},
			} {
				path := filepath.Join(dir, l.Name()+f.ext)
				download(t, srv.URL+"/api/layers/"+l.Name()+"."+f.route, path)
				// nothing silenced: every GDAL must open every export without a warning
				args := []string{"-ro", "-al", "-so", path}
				out := runTool(t, ogrinfo, args...)
				if n := count(t, out); n != l.Count() {
					t.Errorf("%s: ogrinfo counts %d features, want %d", filepath.Base(path), n, l.Count())
				}
			}
		}
	})
}

// focus is the box W,S,E,N around the middle half of the mentions (by longitude and by
// latitude), widened by that range on each side and to at least 6 degrees, so that a few
// far-away mentions do not shrink the map of the rest to a dot.
func focus(t *testing.T, st *layerstore.Store) string {
	l, err := st.Layer("mentions")
	if err != nil {
		t.Fatal(err)
	}
	var xs, ys []float64
	for _, f := range l.Features() {
		if p, ok := f.Geometry.(orb.Point); ok {
			xs, ys = append(xs, p[0]), append(ys, p[1])
		}
	}
	if len(xs) == 0 {
		t.Fatal("no mention points")
	}
	slices.Sort(xs)
	slices.Sort(ys)
	q := func(v []float64, p float64) float64 { return v[int(p*float64(len(v)-1))] }
	box := [4]float64{q(xs, 0.25), q(ys, 0.25), q(xs, 0.75), q(ys, 0.75)}
	for i := range 2 {
		pad := max(box[i+2]-box[i], (6-(box[i+2]-box[i]))/2)
		box[i], box[i+2] = box[i]-pad, box[i+2]+pad
	}
	return fmt.Sprintf("%g,%g,%g,%g", box[0], box[1], box[2], box[3])
}

func download(t *testing.T, url, path string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %s %s", url, resp.Status, b)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// qgisPython returns Debian's python with the qgis module (not another python on PATH).
func qgisPython(t *testing.T) string {
	t.Helper()
	const py = "/usr/bin/python3"
	err := exec.Command(py, "-c", "import qgis.core").Run()
	if err != nil {
		if os.Getenv("NEWSMAP_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s cannot import qgis.core (%v) and NEWSMAP_REQUIRE_TOOLS=1", py, err)
		}
		t.Skipf("%s cannot import qgis.core (apt-get install python3-qgis): %v", py, err)
	}
	return py
}

type qgisLine struct {
	Source       string
	Layer        string
	Valid        bool
	Count        int
	FeatureCount int `json:"feature_count"`
	CRS          string
	Geometry     string
	Path         string
}

func runQGIS(t *testing.T, py string, args ...string) []qgisLine {
	t.Helper()
	script, err := filepath.Abs(filepath.Join("testdata", "qgis_check.py"))
	if err != nil {
		t.Fatal(err)
	}
	runtime := t.TempDir()
	if err := os.Chmod(runtime, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, append([]string{script}, args...)...)
	cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen", "XDG_RUNTIME_DIR="+runtime,
		"CPL_DEBUG=OFF")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("qgis_check.py: %v\n%s", err, out)
	}
	var lines []qgisLine
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if !strings.HasPrefix(sc.Text(), "{") {
			continue
		}
		var l qgisLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("%v: %s", err, sc.Text())
		}
		lines = append(lines, l)
	}
	t.Logf("qgis_check.py:\n%s", out)
	return lines
}

func TestQGIS(t *testing.T) {
	py := qgisPython(t)
	srv := startServer(t, filepath.Join("testdata", "layers"))
	var names []string
	args := []string{srv.URL + "/ogc", ""}
	dir := t.TempDir()
	for _, l := range srv.store.Layers() {
		names = append(names, l.Name())
		path := filepath.Join(dir, l.Name()+".gpkg")
		download(t, srv.URL+"/api/layers/"+l.Name()+".gpkg", path)
		args = append(args, "--gpkg", l.Name()+"="+path)
	}
	args[1] = strings.Join(names, ",")
	args = append(args, "--bbox", "mentions=43,39,47,41")
	lines := runQGIS(t, py, args...)

	seen := map[string]bool{}
	for _, ln := range lines {
		switch ln.Source {
		case "oapif", "gpkg":
			l, err := srv.store.Layer(ln.Layer)
			if err != nil {
				t.Fatal(err)
			}
			seen[ln.Source+" "+ln.Layer] = true
			if !ln.Valid || ln.Count != l.Count() || ln.FeatureCount != l.Count() {
				t.Errorf("QGIS %s %s: valid %v, %d features read, %d reported; want %d",
					ln.Source, ln.Layer, ln.Valid, ln.Count, ln.FeatureCount, l.Count())
			}
			if ln.CRS != "EPSG:4326" && ln.CRS != "OGC:CRS84" {
				t.Errorf("QGIS %s %s: CRS %q", ln.Source, ln.Layer, ln.CRS)
			}
		case "oapif-bbox":
			b := orb.Bound{Min: orb.Point{43, 39}, Max: orb.Point{47, 41}}
			want := expectIDs(t, srv.store, ln.Layer, layerstore.Query{BBox: &b})
			if ln.Count != len(want) {
				t.Errorf("QGIS bbox on %s: %d features, want %d", ln.Layer, ln.Count, len(want))
			}
			seen["bbox"] = true
		}
	}
	for _, n := range names {
		for _, src := range []string{"oapif", "gpkg"} {
			if !seen[src+" "+n] {
				t.Errorf("QGIS printed nothing for %s %s", src, n)
			}
		}
	}
	if !seen["bbox"] {
		t.Error("QGIS printed no bbox count")
	}
}

// TestQGISScreenshot renders the built layers (data/layers) through the OGC API into
// docs/qgis.png when NEWSMAP_SCREENSHOT=1.
func TestQGISScreenshot(t *testing.T) {
	if os.Getenv("NEWSMAP_SCREENSHOT") != "1" {
		t.Skip("set NEWSMAP_SCREENSHOT=1 to render docs/qgis.png")
	}
	py := qgisPython(t)
	srv := startServer(t, filepath.Join("..", "..", "data", "layers"))
	var names []string
	for _, l := range srv.store.Layers() {
		names = append(names, l.Name())
	}
	out, err := filepath.Abs(filepath.Join("..", "..", "docs", "qgis.png"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := out + ".tmp.png"
	lines := runQGIS(t, py, srv.URL+"/ogc", strings.Join(names, ","), "--screenshot", tmp,
		"--extent", focus(t, srv.store))
	if !slices.ContainsFunc(lines, func(l qgisLine) bool { return l.Source == "screenshot" }) {
		t.Fatal("no screenshot")
	}
	if err := os.Rename(tmp, out); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(os.Stderr, "wrote", out)
}
