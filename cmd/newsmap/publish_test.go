package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunPublish(t *testing.T) {
	dir := exportDir(t)
	layers := filepath.Join(dir, "layers")
	out := filepath.Join(dir, "site")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"publish", "-layers", layers, "-o", out, "-maxzoom", "10"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "published 2 layers") || !strings.Contains(stderr.String(), "zoom 10") {
		t.Errorf("stdout %q\nstderr %q", stdout.String(), stderr.String())
	}
	for _, f := range []string{"index.html", "index.json", "tiles/layers.pmtiles", "data/mentions.gpkg"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("site lacks %s", f)
		}
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"publish"}, 2, "-o DIR is required"},
		{[]string{"publish", "-o", out, "-maxzoom", "20"}, 2, "-maxzoom must lie in 0..16"},
		{[]string{"publish", "-o", out, "-areazoom", "12", "-maxzoom", "10"}, 2, "-areazoom must lie in 0..10"},
		{[]string{"publish", "-o", out, "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"publish", "-layers", layers, "-o", layers}, 1, "not a newsmap site"},
	} {
		stdout.Reset()
		stderr.Reset()
		if code := run(context.Background(), tc.args, &stdout, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, stderr.String(), tc.code, tc.want)
		}
	}
}
