package web

import (
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
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

// TestSpoolMake: a body is written into a file of the folder and read back whole; a
// failed write leaves no file behind.
func TestSpoolMake(t *testing.T) {
	dir := t.TempDir()
	s := &spool{dir: dir}
	b, err := s.make(func(w io.Writer) error { _, err := w.Write([]byte("hello spool")); return err })
	if err != nil || b.Len() != 11 || b.path == "" {
		t.Fatalf("make = %+v, %v", b, err)
	}
	rec := httptest.NewRecorder()
	b.send(rec)
	if rec.Body.String() != "hello spool" {
		t.Errorf("sent %q", rec.Body)
	}
	boom := errors.New("boom")
	if _, err := s.make(func(w io.Writer) error { w.Write([]byte("partial")); return boom }); !errors.Is(err, boom) {
		t.Errorf("failed make: err = %v", err)
	}
	if files, _ := os.ReadDir(dir); len(files) != 1 {
		t.Errorf("%d files in the spool folder, want 1 (the failed write's removed)", len(files))
	}
	runtime.KeepAlive(b)
}
