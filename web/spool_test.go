package web

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNewSpoolDir checks that a new spool folder is named after this process and that
// the folders of processes that no longer run are removed, those of running ones kept.
func TestNewSpoolDir(t *testing.T) {
	parent := t.TempDir()
	dead := filepath.Join(parent, spoolPrefix+"2147483646-abc") // no such process
	alive := filepath.Join(parent, spoolPrefix+strconv.Itoa(os.Getppid())+"-abc")
	other := filepath.Join(parent, "unrelated")
	for _, d := range []string{dead, alive, other} {
		if err := os.MkdirAll(filepath.Join(d, "sub"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	dir, err := NewSpoolDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(filepath.Base(dir), spoolPrefix+strconv.Itoa(os.Getpid())+"-") {
		t.Errorf("spool folder %s is not named after this process", dir)
	}
	for d, want := range map[string]bool{dead: false, alive: true, other: true, dir: true} {
		_, err := os.Stat(d)
		if got := err == nil; got != want {
			t.Errorf("%s exists = %v, want %v", filepath.Base(d), got, want)
		}
	}
}
