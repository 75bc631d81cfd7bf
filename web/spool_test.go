package web

import (
	"errors"
	"io"
	"net/http"
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
	b, err := s.newBody(func(w io.Writer) error { _, err := w.Write([]byte("hello spool")); return err })
	if err != nil || b.Len() != 11 || b.path == "" {
		t.Fatalf("make = %+v, %v", b, err)
	}
	rec := httptest.NewRecorder()
	sendBody(t, rec, b)
	if rec.Body.String() != "hello spool" {
		t.Errorf("sent %q", rec.Body)
	}
	boom := errors.New("boom")
	if _, err := s.newBody(func(w io.Writer) error { w.Write([]byte("partial")); return boom }); !errors.Is(err, boom) {
		t.Errorf("failed make: err = %v", err)
	}
	if files, _ := os.ReadDir(dir); len(files) != 1 {
		t.Errorf("%d files in the spool folder, want 1 (the failed write's removed)", len(files))
	}
	runtime.KeepAlive(b)
}

// sendBody opens b for one response and sends it to w.
func sendBody(t *testing.T, w http.ResponseWriter, b *versionBody) {
	t.Helper()
	o, err := b.open()
	if err != nil {
		t.Fatal(err)
	}
	defer o.close()
	o.send(w)
}

// TestSpoolFileGone: a spooled body whose file a cleaner of the temporary folder removed
// is made again for the next response, not sent truncated.
func TestSpoolFileGone(t *testing.T) {
	st, _, b := routesCopy(t)
	spoolDir := t.TempDir()
	h := NewServer(st, Options{SpoolDir: spoolDir})
	get := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/layers/routes.geojson", nil))
		return rec
	}
	if rec := get(); rec.Code != 200 || rec.Body.String() != string(b) {
		t.Fatalf("first GET: %d, %d bytes", rec.Code, rec.Body.Len())
	}
	files, _ := os.ReadDir(spoolDir)
	for _, f := range files {
		os.Remove(filepath.Join(spoolDir, f.Name()))
	}
	if rec := get(); rec.Code != 200 || rec.Body.String() != string(b) {
		t.Fatalf("GET after the spool file went: %d, %d bytes", rec.Code, rec.Body.Len())
	}
}
