package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildIncremental: a build with nothing changed stops before loading the
// gazetteer; an added, removed or edited article, an edited layer file, other options or
// -force build again, parsing only what the cache lacks.
func TestBuildIncremental(t *testing.T) {
	in, out, cache := t.TempDir(), filepath.Join(t.TempDir(), "layers"), filepath.Join(t.TempDir(), "cache")
	write := func(name, id, body string) {
		t.Helper()
		md := "---\nid: " + id + "\npublished: 2021-01-11\nlanguage: de\n---\n" + body
		if err := os.WriteFile(filepath.Join(in, name), []byte(md), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.md", "a", "Das Treffen fand in Moskau statt.")
	write("b.md", "b", "Die Delegation reiste nach Eriwan.")
	build := func(want string, nothingChanged bool, extra ...string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		args := append([]string{"build", "-articles", in, "-out", out, "-cache", cache}, extra...)
		if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d: %s", extra, code, stderr.String())
		}
		got := stdout.String()
		if !strings.Contains(got, want) {
			t.Errorf("%v: %q, want %q", extra, got, want)
		}
		if changed := !strings.Contains(got, "nothing changed"); changed == nothingChanged {
			t.Errorf("%v: %q: nothing changed is %v, want %v", extra, got, !changed, nothingChanged)
		}
		// the gazetteer is loaded exactly when there is work to do
		if loaded := strings.Contains(stderr.String(), "gazetteer:"); loaded == nothingChanged {
			t.Errorf("%v: gazetteer loaded: %v; stderr %q", extra, loaded, stderr.String())
		}
	}
	build("(2 parsed, 0 from the cache)", false)
	before, err := os.Stat(filepath.Join(out, "mentions.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	build("from 2 articles (0 parsed, 2 from the cache)", true)
	if after, _ := os.Stat(filepath.Join(out, "mentions.geojson")); !after.ModTime().Equal(before.ModTime()) {
		t.Error("a build with nothing changed rewrote the mentions layer")
	}
	build("2 mentions, 2 places", true) // the summary is the last build's
	write("c.md", "c", "Später wurde auch aus Lyon berichtet.")
	build("(1 parsed, 2 from the cache)", false)
	build("from 3 articles", true)
	write("c.md", "c", "Später wurde auch aus Paris berichtet.")
	build("(1 parsed, 2 from the cache)", false)
	f, err := os.OpenFile(filepath.Join(out, "review.md"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\nmy note\n")
	f.Close()
	build("(0 parsed, 3 from the cache)", false) // the layers were edited: written again
	build("from 3 articles", true)
	os.Remove(filepath.Join(in, "c.md"))
	build("(0 parsed, 2 from the cache)", false)
	build("(0 parsed, 2 from the cache)", false, "-review-places", "3")
	build("(0 parsed, 2 from the cache)", true, "-review-places", "3")
	build("(2 parsed, 0 from the cache)", false, "-force")
}
