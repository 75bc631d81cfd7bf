package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadCommonWords expands German nouns with suffix rules that strip, add and test
// conditions, as the igerman98 affix file writes them.
func TestReadCommonWords(t *testing.T) {
	dir := t.TempDir()
	aff := "SET UTF-8\nFORBIDDENWORD d\n" +
		"SFX N Y 1\nSFX N   0   n   .\n" +
		"SFX T Y 1\nSFX T   0   es   .\n" +
		"SFX q Y 2\nSFX q   0   se   s\nSFX q   0   sen   s\n" +
		"SFX W Y 2\nSFX W   en   0   en\nSFX W   n    0   [^e]n\n"
	dic := "7\nKunde/N\nLand/T\nBus/q\nNorden/W\nFalsch/d\nEi/T\nlaufen/W\n"
	for name, body := range map[string]string{"de.aff": aff, "de.dic": dic} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := readCommonWords(filepath.Join(dir, "de.dic"), filepath.Join(dir, "de.aff"), true)
	if err != nil {
		t.Fatal(err)
	}
	// "Ei" is too short, its plural "Eies" kept; "Nord" comes from stripping "en";
	// the forbidden entry and the lower-case verb are left out.
	want := "bus busse bussen eies kunde kunden land landes nord norden"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("got %q, want %q", g, want)
	}
	if _, err := readCommonWords(filepath.Join(dir, "de.dic"), filepath.Join(dir, "none.aff"), true); err == nil {
		t.Error("a missing affix file is not reported")
	}
}
