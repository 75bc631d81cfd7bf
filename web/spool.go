package web

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
)

// A versionBody is a body made once per layer version (a whole layer's gzip, an export
// of a whole layer) and sent many times. Without a spool folder it stays in memory. With
// one (Options.SpoolDir) it is written into a file there: the bytes leave the heap (no GC
// scanning, the kernel's page cache holds them), and each response goes out with
// sendfile(2), which costs the server about half the CPU of writing the bytes from memory
// (docs/BENCHMARKS.md). The file is removed once the body is no longer cached nor sent.
type versionBody struct {
	data []byte // in memory; nil when spooled
	path string // the spooled file
	size int64
}

func (b *versionBody) Len() int64 { return b.size }

// spool makes versionBodies; a nil *spool keeps them in memory.
type spool struct {
	dir string
	n   atomic.Uint64
}

// newBody returns what write writes as a versionBody: written straight into a file of the
// spool folder when s is not nil (a whole layer's export never lives in memory), else
// into memory. A failed write leaves nothing behind.
func (s *spool) newBody(write func(io.Writer) error) (*versionBody, error) {
	if s == nil {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			return nil, err
		}
		return &versionBody{data: buf.Bytes(), size: int64(buf.Len())}, nil
	}
	path := filepath.Join(s.dir, "body-"+strconv.FormatUint(s.n.Add(1), 10))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("web: spool: %w", err)
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	var size int64
	if err == nil {
		size, err = f.Seek(0, io.SeekCurrent)
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("web: spool: %w", cerr)
	}
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	b := &versionBody{path: path, size: size}
	runtime.AddCleanup(b, func(p string) { os.Remove(p) }, path)
	return b, nil
}

// openBody is a versionBody ready for one response: a spooled body's file opened for
// it (its own offset, so that net/http hands it to sendfile).
type openBody struct {
	b *versionBody
	f *os.File // nil for a body in memory
}

func (o openBody) Len() int64 { return o.b.size }

// open opens the body for one response.
func (b *versionBody) open() (openBody, error) {
	if b.path == "" {
		return openBody{b: b}, nil
	}
	f, err := os.Open(b.path)
	if err != nil {
		return openBody{}, fmt.Errorf("web: spool: %w", err)
	}
	return openBody{b: b, f: f}, nil
}

// send writes the body (the header is written); an error means the client went away,
// with nothing left to report.
func (o openBody) send(w http.ResponseWriter) {
	if o.f == nil {
		writeBody(w, o.b.data)
		return
	}
	io.Copy(w, o.f)
}

// close releases the body's file.
func (o openBody) close() {
	if o.f != nil {
		o.f.Close()
	}
	runtime.KeepAlive(o.b) // the file is not removed while it is in use
}

// spoolPrefix names the spool folders in the temporary folder: newsmap-spool-PID-….
const spoolPrefix = "newsmap-spool-"

// NewSpoolDir makes a spool folder for Options.SpoolDir in parent (os.TempDir() when
// empty), named after this process, after removing the folders of processes that no
// longer run (a server that was killed cannot remove its own). The caller removes the
// folder when the server stops.
func NewSpoolDir(parent string) (string, error) {
	if parent == "" {
		parent = os.TempDir()
	}
	if old, err := filepath.Glob(filepath.Join(parent, spoolPrefix+"*")); err == nil {
		for _, d := range old {
			pid, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(filepath.Base(d), spoolPrefix), "-", 2)[0])
			if err == nil && pid != os.Getpid() && !processRuns(pid) {
				os.RemoveAll(d)
			}
		}
	}
	dir, err := os.MkdirTemp(parent, spoolPrefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return "", fmt.Errorf("web: spool: %w", err)
	}
	return dir, nil
}

// processRuns reports whether a process with this id exists (signal 0 checks without
// sending; EPERM means it exists under another user).

// readFrom copies src into w through w's ReadFrom when it has one (net/http's response
// uses sendfile(2) for a file), else with io.Copy.
func readFrom(w io.Writer, src io.Reader) (int64, error) {
	if rf, ok := w.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(writerOnly{w}, src)
}

// writerOnly hides a writer's ReadFrom from io.Copy.
type writerOnly struct{ io.Writer }

func processRuns(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}
