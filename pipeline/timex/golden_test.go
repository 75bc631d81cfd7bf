package timex

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"newsmap/pipeline/lang"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden tags the paragraphs in testdata/CODE.txt of every registered language and
// compares with CODE.golden.json.
func TestGolden(t *testing.T) {
	for _, lang := range lang.Codes() {
		text, err := os.ReadFile(filepath.Join("testdata", lang+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.MarshalIndent(Tag(string(text), ref, byCode(lang)), "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, '\n')
		path := filepath.Join("testdata", lang+".golden.json")
		if *update {
			tmp := path + ".tmp"
			if err := os.WriteFile(tmp, got, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(tmp, path); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./pipeline/timex -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: output differs from %s:\n%s", lang, path, got)
		}
	}
}
