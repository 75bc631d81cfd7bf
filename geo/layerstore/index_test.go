package layerstore

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

// indexFixture writes the test layer mentions into a new folder and opens it, so that
// its index is built; it returns the store, the layer file and the index file.
func indexFixture(t *testing.T) (st *Store, layerPath, idxPath string) {
	t.Helper()
	dir := t.TempDir()
	layerPath = filepath.Join(dir, "mentions.geojson")
	copyFile(t, "testdata/layers/mentions.geojson", layerPath)
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	idx, _ := filepath.Glob(filepath.Join(dir, IndexDirName, "mentions.*.idx"))
	if len(idx) != 1 {
		t.Fatalf("index files %v, want one", idx)
	}
	return st, layerPath, idx[0]
}

// layerAnswers is what a layer answers, to compare two loads of it.
func layerAnswers(t *testing.T, l *Layer) string {
	t.Helper()
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s %s %d %s %v\n", l.Name(), l.Title(), l.Count(), l.Hash(), l.Fields())
	for i := range l.Count() {
		fmt.Fprintf(&sb, "%s %d %v\n", l.FeatureJSON(i), l.FileOrder(i), l.Geometry(i))
	}
	res, err := l.Query(Query{BBox: &orb.Bound{Min: orb.Point{40, 35}, Max: orb.Point{50, 45}}, Q: "a"})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&sb, "%v %d\n", res.Positions, res.NumberMatched)
	return sb.String()
}

// TestDamagedIndexRebuilt: an index file that is truncated, damaged, of another format
// version or of another version of the layer file is detected when the layer is
// loaded, and rebuilt; the layer answers as before, and the new index is good.
func TestDamagedIndexRebuilt(t *testing.T) {
	tests := []struct {
		name   string
		damage func(b []byte) []byte
	}{
		{"empty", func([]byte) []byte { return nil }},
		{"header only", func(b []byte) []byte { return b[:headerSize] }},
		{"truncated", func(b []byte) []byte { return b[:len(b)/2] }},
		{"one byte short", func(b []byte) []byte { return b[:len(b)-1] }},
		{"one byte more", func(b []byte) []byte { return append(b, 0) }},
		{"flipped in the blob", func(b []byte) []byte { b[headerSize+40] ^= 0x20; return b }},
		{"flipped in the records", func(b []byte) []byte { b[len(b)-200] ^= 1; return b }},
		{"flipped in the header", func(b []byte) []byte { b[20] ^= 1; return b }},
		{"other magic", func(b []byte) []byte { copy(b, "NOTANIDX"); return b }},
		{"other version", func(b []byte) []byte { b[8]++; return b }},
		{"garbage", func(b []byte) []byte { return bytes.Repeat([]byte{0xa5}, len(b)) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, _, idx := indexFixture(t)
			l, err := st.Layer("mentions")
			if err != nil {
				t.Fatal(err)
			}
			want := layerAnswers(t, l)
			b, err := os.ReadFile(idx)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(idx, tc.damage(b), 0o644); err != nil {
				t.Fatal(err)
			}
			st2, err := Open(st.Dir())
			if err != nil {
				t.Fatalf("Open with a damaged index: %v", err)
			}
			l2, err := st2.Layer("mentions")
			if err != nil {
				t.Fatal(err)
			}
			if got := layerAnswers(t, l2); got != want {
				t.Errorf("answers differ after the rebuild:\n%s\nwant\n%s", got, want)
			}
			info, err := os.Stat(filepath.Join(st.Dir(), "mentions.geojson"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := mapIndex(idx, stamp{mod: info.ModTime(), size: info.Size()}, true); err != nil {
				t.Errorf("the rebuilt index does not check: %v", err)
			}
		})
	}
}

// TestIndexOfAnotherVersion: an index whose recorded file stamp differs is not used;
// a changed layer file gets a new index and the old one is removed.
func TestIndexOfAnotherVersion(t *testing.T) {
	st, layerPath, idx := indexFixture(t)
	info, err := os.Stat(layerPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mapIndex(idx, stamp{mod: info.ModTime().Add(time.Second), size: info.Size()}, true); !errors.Is(err, ErrBadIndex) {
		t.Errorf("an index of another modification time: err = %v, want ErrBadIndex", err)
	}
	leftover := filepath.Join(filepath.Dir(idx), "mentions.123456.tmp")
	fresh := filepath.Join(filepath.Dir(idx), "mentions.654321.tmp")
	for _, p := range []string{leftover, fresh} {
		if err := os.WriteFile(p, []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * staleTemp)
	os.Chtimes(leftover, old, old)
	later := info.ModTime().Add(2 * time.Second)
	if err := os.Chtimes(layerPath, later, later); err != nil {
		t.Fatal(err)
	}
	if err := st.Reload(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(idx); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the old index is still there (%v)", err)
	}
	if idx2, _ := filepath.Glob(filepath.Join(st.Dir(), IndexDirName, "mentions.*.idx")); len(idx2) != 1 || idx2[0] == idx {
		t.Errorf("index files %v, want one new one", idx2)
	}
	if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an old temporary file is still there (%v)", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a recent temporary file (another writer's) was removed: %v", err)
	}
}

// TestIndexFolderNotWritable: when the index folder cannot be made, the layer is
// indexed in an unlinked temporary file and served all the same.
func TestIndexFolderNotWritable(t *testing.T) {
	dir := t.TempDir()
	copyFile(t, "testdata/layers/mentions.geojson", filepath.Join(dir, "mentions.geojson"))
	if err := os.WriteFile(filepath.Join(dir, IndexDirName), []byte("a file, not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	l, err := st.Layer("mentions")
	if err != nil {
		t.Fatal(err)
	}
	if l.Count() != 5 {
		t.Errorf("count = %d, want 5", l.Count())
	}
}

// TestSharedEncodingsOutliveLayer: the slice FeaturesJSON returns keeps the mapping
// that its elements point into, after the store, the snapshot and the layer are gone
// and a newer version replaced the index file; once nothing refers to it the mapping
// is released (on Linux, /proc/self/maps no longer lists the file).
func TestSharedEncodingsOutliveLayer(t *testing.T) {
	st, layerPath, idx := indexFixture(t)
	l, err := st.Layer("mentions")
	if err != nil {
		t.Fatal(err)
	}
	positions := []int{0, 1, 2, 3, 4}
	var want []string
	for _, i := range positions {
		want = append(want, string(l.FeatureJSON(i)))
	}
	shared := l.FeaturesJSON(positions)
	if b, err := os.ReadFile(layerPath); err == nil {
		os.WriteFile(layerPath, bytes.Replace(b, []byte("Stepanakert"), []byte("Stepanakerd"), 1), 0o644)
	}
	if err := st.Reload(); err != nil {
		t.Fatal(err)
	}
	st, l = nil, nil
	for range 3 {
		runtime.GC()
	}
	for k, b := range shared {
		if string(b) != want[k] {
			t.Fatalf("feature %d = %s, want %s", k, b, want[k])
		}
	}
	runtime.KeepAlive(shared)
	shared = nil
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skip("no /proc/self/maps")
	}
	for try := 0; bytes.Contains(maps, []byte(idx)); try++ {
		if try == 50 {
			t.Fatalf("%s is still mapped", idx)
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		maps, _ = os.ReadFile("/proc/self/maps")
	}
}

// TestGeomCodecRoundTrip: every geometry type, nil and empty lists, decodes as it was.
func TestGeomCodecRoundTrip(t *testing.T) {
	pts := []orb.Point{{1, 2}, {-3.5, 1e-9}}
	geoms := []orb.Geometry{
		orb.Point{1.5, -2.25},
		orb.MultiPoint(pts), orb.MultiPoint{}, orb.MultiPoint(nil),
		orb.LineString(pts), orb.Ring(pts),
		orb.MultiLineString{pts, nil, {}}, orb.MultiLineString(nil),
		orb.Polygon{pts, {}}, orb.Polygon{{}}, orb.Polygon(nil),
		orb.MultiPolygon{{pts}, nil}, orb.MultiPolygon{},
		orb.Collection{orb.Point{0, 0}, nil, orb.Collection{orb.LineString(pts)}}, orb.Collection{},
		orb.Bound{Min: orb.Point{1, 2}, Max: orb.Point{3, 4}},
	}
	for _, g := range geoms {
		b, err := appendGeom(nil, g)
		if err != nil {
			t.Fatalf("%#v: %v", g, err)
		}
		got, err := decodeGeom(b)
		if err != nil {
			t.Fatalf("%#v: %v", g, err)
		}
		if !reflect.DeepEqual(got, g) {
			t.Errorf("decoded %#v, want %#v", got, g)
		}
		for cut := range len(b) {
			if _, err := decodeGeom(b[:cut]); err == nil {
				t.Errorf("%#v cut at %d of %d decoded", g, cut, len(b))
			}
		}
	}
}

// TestScanErrors: a layer file that is not a whole FeatureCollection is an error that
// says where and what, as the decoder of the whole file said it.
func TestScanErrors(t *testing.T) {
	point := `{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[1,2]},"properties":{}}`
	tests := []struct{ in, want string }{
		{``, "the JSON ends early"},
		{`{"type":"FeatureCollection","features":[` + point, "the JSON ends early"},
		{`{"type":"FeatureCollection","features":[` + point + `]`, "the JSON ends early"},
		{`[` + point + `]`, "invalid GeoJSON at byte 0: unexpected array or value in the top level"},
		{`{"type":"FeatureCollection","features":[` + point + `]} x`, "not valid JSON at byte 135: invalid character 'x' after top-level value"},
		{`{"type":"FeatureCollection","features":[` + point + ` ` + point + `]}`, "not valid JSON at byte 133: invalid character '{' after array element"},
		{`{"type":"FeatureCollection" "features":[]}`, "not valid JSON at byte 29: invalid character '\"' after object key:value pair"},
		{`{"type":"FeatureCollection","features":{}}`, "invalid GeoJSON at byte 39: unexpected value in features (an array)"},
		{`{"type":"FeatureCollection","features":[],"features":[]}`, `two "features" members`},
		{`{"type":"Feature","features":[]}`, "not a feature collection: type=Feature"},
		{`{"type":"FeatureCollection","features":[null]}`, "feature 0 is null"},
		{`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":"x"}}]}`, "invalid GeoJSON at byte"},
		{`{"type":"FeatureCollection","features":[{"type":"Feature",,}]}`, "not valid JSON at byte 59: invalid character ','"},
		{`{"type":"FeatureCollection","features":[]x`, "not valid JSON at byte 42: invalid character 'x' after object key:value pair"},
	}
	for _, tc := range tests {
		_, err := parseLayer("t", []byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%.60s…: err = %v, want %q", tc.in, err, tc.want)
		}
	}
	// A file read through a small window: values cut anywhere by the reads.
	var fs []string
	for i := range 300 {
		fs = append(fs, fmt.Sprintf(`{"type":"Feature","id":"f%d","geometry":{"type":"Point","coordinates":[%d.125,-1e-3]},"properties":{"n":%d,"s":"\"\\u00e9}]"}}`, i, i%180, i))
	}
	in := `{"type":"FeatureCollection", "title": "T" ,"features":[` + strings.Join(fs, " ,\n") + "]}\n"
	n := 0
	extra, err := scanCollection(&oneByteReader{strings.NewReader(in)}, func(k int, raw []byte, at int64) error {
		if string(raw) != fs[k] || in[at:at+int64(len(raw))] != fs[k] {
			return fmt.Errorf("feature %d = %s at %d", k, raw, at)
		}
		n++
		return nil
	})
	if err != nil || n != len(fs) || extra["title"] != "T" {
		t.Errorf("scan of a cut file: %d features, %v, %v", n, extra, err)
	}
}

// oneByteReader reads one byte at a time.
type oneByteReader struct{ r *strings.Reader }

func (o *oneByteReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

// FuzzOpenIndex: whatever the bytes of an index (its body checksum not checked, as if
// the file changed after the check), opening it and reading every answer returns
// errors, never panics.
func FuzzOpenIndex(f *testing.F) {
	for _, src := range []string{"testdata/layers/mentions.geojson", "testdata/layers/regions.geojson", "testdata/compat/mixed.geojson"} {
		raw, err := os.ReadFile(src)
		if err != nil {
			f.Fatal(err)
		}
		var ms memSink
		if _, err := writeIndex("t", bytes.NewReader(raw), &ms, int64(len(raw)), 0); err != nil {
			f.Fatal(err)
		}
		f.Add(ms.b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := openIndex(data)
		if err != nil {
			if !errors.Is(err, ErrBadIndex) {
				t.Fatalf("error %v does not wrap ErrBadIndex", err)
			}
			return
		}
		l := layerOf("t", x)
		for i := range l.Count() {
			l.FeatureAt(i)
			l.Geometry(i)
			l.FileOrder(i)
			json.Valid(l.FeatureJSON(i))
		}
		l.FeaturesJSON([]int{0})
		l.Feature("a2:40")
		l.Intersecting(orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}})
		day := time.Date(2023, 9, 24, 0, 0, 0, 0, time.UTC)
		if _, err := l.Query(Query{BBox: &orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}},
			Time: nil, Article: "a2", Q: "st", Props: map[string]string{"kind": "city"}}); err != nil {
			t.Fatal(err)
		}
		l.Query(Query{GeometryOnly: true})
		_ = day
	})
}

// TestPointAndWithFeatureJSON: Point answers as Geometry for points and only for them;
// WithFeatureJSON passes the bytes FeatureJSON returns.
func TestPointAndWithFeatureJSON(t *testing.T) {
	mixed, err := os.ReadFile("testdata/compat/mixed.geojson")
	if err != nil {
		t.Fatal(err)
	}
	ml, err := parseLayer("mixed", mixed)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range append(openFixtures(t).Layers(), ml) {
		for i := range l.Count() {
			g := l.Geometry(i)
			pt, ok := l.Point(i)
			if want, isPt := g.(orb.Point); isPt != ok || (ok && pt != want) {
				t.Errorf("%s %d: Point = %v %v, Geometry = %#v", l.Name(), i, pt, ok, g)
			}
			var got []byte
			if err := l.WithFeatureJSON(i, func(b []byte) error { got = bytes.Clone(b); return nil }); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, l.FeatureJSON(i)) {
				t.Errorf("%s %d: WithFeatureJSON passed %s", l.Name(), i, got)
			}
		}
	}
	stop := errors.New("stop")
	if err := ml.WithFeatureJSON(0, func([]byte) error { return stop }); err != stop {
		t.Errorf("WithFeatureJSON returned %v, want fn's error", err)
	}
}

// TestTreeChecked: an R-tree whose nodes overlap their children (so that a search
// would visit them many times over) is refused when the index opens.
func TestTreeChecked(t *testing.T) {
	var fs []string
	for i := range 40 {
		fs = append(fs, fmt.Sprintf(`{"type":"Feature","id":"p%d","geometry":{"type":"Point","coordinates":[%d,%d]},"properties":{}}`, i, i, i))
	}
	raw := []byte(`{"type":"FeatureCollection","features":[` + strings.Join(fs, ",") + `]}`)
	var ms memSink
	if _, err := writeIndex("t", bytes.NewReader(raw), &ms, int64(len(raw)), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := openIndex(bytes.Clone(ms.b)); err != nil {
		t.Fatal(err)
	}
	h, err := unmarshalHeader(ms.b)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name        string
		node, field int
		value       uint32
	}{
		{"second leaf restarts at the first item", 1, 32, 0},
		{"a leaf with no items", 0, 36, 0},
		{"a leaf past the items", 2, 36, 1000},
		{"the root skips a leaf", 3, 36, 2},
	} {
		b := bytes.Clone(ms.b)
		binary.LittleEndian.PutUint32(b[h.nodesOff+uint64(tc.node*nodeSize+tc.field):], tc.value)
		if _, err := openIndex(b); !errors.Is(err, ErrBadIndex) {
			t.Errorf("%s: err = %v, want ErrBadIndex", tc.name, err)
		}
	}
}
