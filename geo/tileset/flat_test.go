package tileset

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"newsmap/geo/layerstore"
	"newsmap/geo/tiles"
)

// TestFlatProperties: the properties read from a feature's encoding equal tiles.Flatten
// of the decoded feature's, for every kind of JSON value.
func TestFlatProperties(t *testing.T) {
	props := []string{
		`"s":"plain","n":3,"f":-0.125,"big":1e21,"small":1.5e-7,"neg0":-0,"t":true,"no":false,"null":null`,
		`"html":"<b>Tom & Jerry</b>","nested":{"z":1,"a":["<x>",{"k":"&"}],"m":null}`,
		"\"esc\":\"tab\\t quote\\\" back\\\\ nl\\n \\u00e9 \\u2028 \\ud83d\\ude00\",\"uni\":\"Jerewan – Երևան\"",
		`"empty_arr":[],"empty_obj":{},"arr":[1,2.5,"x",true,null],"deep":[[[{"a":[]}]]]`,
		`"alternatives":[{"name":"Alt <1>","score":0.25,"lat":40.1,"lon":44.5}],"dates":["2024-03-01","2024-W10"]`,
		``,
	}
	var sb strings.Builder
	sb.WriteString(`{"type":"FeatureCollection","features":[`)
	for i, p := range props {
		if i > 0 {
			sb.WriteByte(',')
		}
		sep := ","
		if p == "" {
			sep = ""
		}
		fmt.Fprintf(&sb, `{"type":"Feature","id":"f%d","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"id":"f%d"%s%s}}`, i, i, sep, p)
	}
	sb.WriteString(`]}`)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "l.geojson"), []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := layerstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	l := st.Layers()[0]
	for i := range l.Count() {
		f, err := l.FeatureAt(i)
		if err != nil {
			t.Fatal(err)
		}
		want := tiles.Flatten(f.Properties)
		got, err := flatProperties(l, i)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("feature %d:\n got %#v\nwant %#v", i, got, want)
		}
	}
}
